"""The suite's fixtures: the run, the servers under test (v1's, v2's) and the clients that talk to them, the ids."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver import DEFAULT_API_KEY, ServerThread, create_app, load_fixtures
from mockserver.edges.v1 import Endpoint

from .client import Client
from .edges_v2 import body_of
from .exchange import Exchange
from .guesses import Guesses
from .ledger import Ledger
from .plan import JOBS_READ
from .pool import IdPool
from .profiles import LIVE
from .run import RUN, Run
from .submissions import chosen_endpoints
from .target import TASK_IDS_ENV, Target
from .versions import v2_key_of


@pytest.fixture(scope="session")
def run(pytestconfig: pytest.Config) -> Run:
    """Return the run's shared state: target, ledger and findings."""
    return pytestconfig.stash[RUN]


@pytest.fixture(scope="session")
def submit_endpoints(run: Run) -> list[Endpoint]:
    """Return the submit endpoints the run tries, in the order the explicit examples pick them by."""
    return chosen_endpoints(run.profile != LIVE)


@pytest.fixture(scope="session")
def target(run: Run) -> Iterator[Target]:
    """Yield the server under test: the one --base-url names, else the bundled mock, started here."""
    if run.target is not None:
        yield run.target
        return
    known = tuple(task["task_id"] for task in load_fixtures().tasks)
    with ServerThread(create_app()) as server:
        run.target = Target(server.url, DEFAULT_API_KEY, known)
        if "v2" in run.versions:
            run.v2_target = Target(server.url, v2_key_of(DEFAULT_API_KEY))
        yield run.target


@pytest.fixture(scope="session")
def client(target: Target, run: Run) -> Iterator[Client]:
    """Yield the HTTP client every test sends through (the one the ground check used): paced, budgeted, watched."""
    sender = (
        run.client if run.client is not None else Client(target, run.ledger.observe, meter=run.shared_meter(target))
    )
    run.client = sender
    yield sender
    run.flakes = sender.flakes
    sender.close()


@pytest.fixture(scope="session")
def v2_target(target: Target, run: Run) -> Target:
    """Return where v2 is served and its key: --v2-base-url (else --base-url), or the bundled mock's."""
    assert run.v2_target is not None, "a test of v2 ran in a run that does not check v2"
    return run.v2_target


@pytest.fixture(scope="session")
def v2_client(v2_target: Target, target: Target, run: Run) -> Iterator[Client]:
    """Yield the client v2's tests send through: its key in X-API-Key, the run's budget and pace shared with v1's."""
    sender = run.v2_client
    if sender is None:
        sender = Client(v2_target, run.ledger.observe, meter=run.shared_meter(target), api="v2")
    run.v2_client = sender
    yield sender
    sender.close()


@pytest.fixture(scope="session")
def pool(target: Target) -> IdPool:
    """Return the ids to ask for: the known ones, and unknown ones to fill up with."""
    return IdPool(target.known_ids)


@pytest.fixture(scope="session")
def known_ids(target: Target) -> tuple[str, ...]:
    """Return the ids known to exist on the target; without any, skip the test and say why."""
    if not target.known_ids:
        pytest.skip(f"needs task ids known to exist: give --task-ids or set ${TASK_IDS_ENV}")
    return target.known_ids


@pytest.fixture(scope="session")
def sampled_ids(known_ids: tuple[str, ...], run: Run) -> tuple[str, ...]:
    """Return the known ids the per-id rules ask for: the plan's seeded sample (all of them without a budget)."""
    return run.plan.sampled if run.plan is not None and run.plan.sampled else known_ids


@pytest.fixture(scope="session")
def fetched_ids(sampled_ids: tuple[str, ...], run: Run) -> tuple[str, ...]:
    """Return the known ids fetched one by one with /fetch: as many of the sample as the budget allows."""
    return run.plan.fetched if run.plan is not None and run.plan.fetched else sampled_ids


@pytest.fixture(scope="session")
def guesses(run: Run) -> Guesses:
    """Return the guesses: what each is held to (the mock's, or a calibration's) and what production did."""
    return run.guesses


@pytest.fixture(scope="session")
def ledger(run: Run) -> Ledger:
    """Return the ledger: the rules every answer keeps, with each breach seen so far."""
    return run.ledger


@pytest.fixture(scope="session")
def job_reads(v2_client: Client) -> list[Exchange]:
    """Return a read (GET /v2/jobs/{id}) of each of the newest jobs on the account; skip when it has none."""
    page = body_of(v2_client.get(f"/v2/jobs?limit={JOBS_READ}"), "the first page")
    jobs = [job for job in page.get("jobs") or () if isinstance(job, dict) and isinstance(job.get("id"), str)]
    if not jobs:
        pytest.skip(
            "the account has no job to read: give --allow-submissions 1 to make one, or use an account with jobs"
        )
    return [v2_client.get(f"/v2/jobs/{job['id']}") for job in jobs]
