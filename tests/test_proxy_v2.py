"""`apiframe-mock proxy` judges v2 traffic with the contract suite's own v2 oracle, as it judges v1's.

An app's v2 requests (the account, a generate, its job polled, the list, refusals) pass through the
proxy to the v2 stand-in of `tests/contract/standin_v2.py`: faithful, nothing is flagged and v2's rules
are held; broken on one rule, that rule and no other is flagged.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from contract_tests.proxy import Proxy, RelayServer, Watch
from contract_tests.proxy.verdicts import verdicts
from contract_tests.report import State
from mockserver import ServerThread

from .contract.standin_v2 import KEY, Behaviour, StandInV2


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[StandInV2, str]]:
    app = StandInV2()
    with ServerThread(app) as server:
        yield app, server.url


@pytest.fixture(scope="module")
def proxy_server(stand_in: tuple[StandInV2, str]) -> Iterator[tuple[Proxy, str]]:
    proxy = Proxy(stand_in[1], Watch())
    with ServerThread(RelayServer(proxy)) as server:
        yield proxy, server.url


def app_traffic(url: str) -> None:
    """What a v2 app sends: its account, a job submitted and polled to its end, the list, two refusals."""
    with httpx.Client(base_url=url, headers={"X-API-Key": KEY}) as client:
        client.get("/v2/me")
        job_id = client.post("/v2/images/generate", json={"model": "flux-1.1-pro", "prompt": "a lighthouse"}).json()
        for _ in range(4):
            client.get(f"/v2/jobs/{job_id['jobId']}")
        client.get("/v2/jobs", params={"limit": 2})
        client.post("/v2/images/generate", json={"model": "flux-1.1-pro"})
        client.get("/v2/jobs/not-a-uuid")
        client.get("/v2/me", headers={"X-API-Key": "afk_wrong"})


@pytest.mark.parametrize(
    ("breaks", "flagged"),
    [("", set()), ("accepted-lowercase", {"V2-SUBMIT-OK"}), ("bad-id-404", {"V2-JOB-ID"})],
    ids=["faithful", "queued in lower case", "404 for an id that is no UUID"],
)
def test_v2_traffic_is_judged_by_v2s_rules(
    stand_in: tuple[StandInV2, str], proxy_server: tuple[Proxy, str], breaks: str, flagged: set[str]
) -> None:
    """Given v2 faithful or broken on one rule, when an app's v2 traffic passes, then exactly that rule drifted."""
    stand_in[0].behaviour = Behaviour(breaks=breaks)
    proxy_server[0].watch = Watch()

    app_traffic(proxy_server[1])

    judged = {verdict.rule.id: verdict.state for verdict in verdicts(proxy_server[0].watch)}
    assert {rule_id for rule_id, state in judged.items() if state is State.DRIFTED} == flagged
    held = {"V2-ME", "V2-AUTH-401", "V2-JOB-SCHEMA", "V2-JOB-FORWARD", "V2-LIST-PAGES", "V2-INVALID-BODY"}
    assert {rule_id for rule_id in held if judged[rule_id] is State.HELD} == held
    assert proxy_server[0].watch.not_covered == {}


def test_a_job_read_by_its_uuid_in_upper_case_is_no_drift(
    stand_in: tuple[StandInV2, str], proxy_server: tuple[Proxy, str]
) -> None:
    """Given an app reading a job by its UUID in upper case, answered in lower case, then V2-JOB-SCHEMA holds."""
    stand_in[0].behaviour = Behaviour()
    proxy_server[0].watch = Watch()
    with httpx.Client(base_url=proxy_server[1], headers={"X-API-Key": KEY}) as client:
        job_id = client.post("/v2/images/generate", json={"model": "flux-1.1-pro", "prompt": "a lighthouse"}).json()
        read = client.get(f"/v2/jobs/{job_id['jobId'].upper()}")

    assert (read.status_code, read.json()["id"]) == (200, job_id["jobId"])
    judged = {verdict.rule.id: verdict.state for verdict in verdicts(proxy_server[0].watch)}
    assert judged["V2-JOB-SCHEMA"] is State.HELD
    assert State.DRIFTED not in judged.values()
