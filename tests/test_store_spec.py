"""One specification of the store, run in process on each store: memory, and Redis (a real redis-server).

Every test drives the store through its interface and the engine's commands, as the plugin, the
control API and the dashboard do, so what holds here holds for each of them on either store.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from starlette.datastructures import Headers

from mockserver import build_task
from mockserver.edges.v1.convert import encoded_all
from mockserver.edges.v1.routes import envelope
from mockserver.engine import commands
from mockserver.engine.faults import FaultPlan
from mockserver.engine.journal import RecordedRequest
from mockserver.engine.store import MemoryStore, Seed, Store, TaskStore
from mockserver.engine.store.redis import RedisStore
from mockserver.engine.task import Task
from mockserver.engine.timeline import Timeline
from mockserver.errors import Conflict, TaskSpecError

from .redis_server import redis_server

FIXED = Task.from_fields(build_task("imagine", "finished", task_id="spec-fixed"))
PREFIXES = itertools.count()
SPEC_TIMEOUT_S = 60


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=["memory", "redis"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


Spec = Callable[[Store, Clock], Awaitable[None]]


@pytest.fixture
def run(kind: str, request: pytest.FixtureRequest) -> Callable[[Spec], None]:
    """Run a spec on a store of `kind` holding FIXED, opened in this thread's event loop."""

    def run_spec(spec: Spec) -> None:
        async def main() -> None:
            clock = Clock()
            async with opened(kind, clock, request) as store:
                await spec(store, clock)

        # On a thread of its own, so that a store that hangs fails its test rather than the whole run.
        outcome: list[BaseException | None] = []
        runner = threading.Thread(target=lambda: outcome.append(_run(main)), daemon=True)
        runner.start()
        runner.join(SPEC_TIMEOUT_S)
        if not outcome:
            pytest.fail(f"the {kind} store did not finish the spec within {SPEC_TIMEOUT_S} s")
        if outcome[0] is not None:
            raise outcome[0]

    return run_spec


def _run(main: Callable[[], Coroutine[Any, Any, None]]) -> BaseException | None:
    try:
        asyncio.run(main())
    except BaseException as exc:
        return exc
    return None


@asynccontextmanager
async def opened(kind: str, clock: Clock, request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    seed = MemoryStore(TaskStore([FIXED], clock=clock), {"credits": 10})
    if kind == "memory":
        store: Store = seed
        store.remember()
    else:
        url = request.getfixturevalue("redis_url")
        store = RedisStore(url, f"spec-{next(PREFIXES)}", seed, clock=clock)
        assert isinstance(store, RedisStore)
        store.prepare(reset=True)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def test_a_stored_task_is_fetched_as_stored_and_an_unknown_id_is_none(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        assert await store.current("spec-fixed") == FIXED
        assert await store.current("nowhere") is None
        assert await store.fetch("nowhere") is None
        fetched = await store.fetch_many(["nowhere", "spec-fixed"])
        assert envelope(encoded_all(fetched, {})).startswith(b'{"tasks":[{')

    run(spec)


def test_adding_a_task_whose_id_is_taken_is_a_conflict_unless_it_replaces(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        again = FIXED.with_fields({"seed": "7"})
        with pytest.raises(Conflict, match=re.escape('task_id "spec-fixed" already exists: change it with PATCH.')):
            await commands.add(store, again)
        await commands.add(store, again, replace=True)
        assert await store.current("spec-fixed") == again

    run(spec)


def test_set_status_and_fail_move_a_task_and_say_none_for_an_unknown_id(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        moved = await commands.set_status(store, "spec-fixed", "processing")
        assert moved is not None
        assert (moved.status, moved.percentage) == ("processing", "40")
        failed = await commands.fail(store, "spec-fixed", "the GPU caught fire")
        assert failed is not None
        assert (failed.status, failed.message) == ("failed", "the GPU caught fire")
        assert await store.current("spec-fixed") == failed
        assert await commands.set_status(store, "nowhere", "failed") is None
        assert await commands.fail(store, "nowhere") is None

    run(spec)


def test_a_task_on_a_timeline_by_polls_moves_once_per_fetch_and_by_hand(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        task = build_task("imagine", "finished", task_id="spec-polled")
        await commands.add(
            store, task, Timeline.of("pending", "processing", {"status": "processing", "percentage": "80"}, "finished")
        )
        statuses = []
        for _ in range(2):
            fetched = await store.fetch_many(["spec-polled", "spec-polled"])
            statuses.append(envelope(encoded_all(fetched, {})).count(b'"pending"'))
        assert statuses == [2, 0]
        moved = await commands.advance(store, "spec-polled", "end")
        assert moved is not None
        assert moved.status == "finished"
        with pytest.raises(TaskSpecError, match="the last step of its timeline: it has no next step"):
            await commands.advance(store, "spec-polled")
        assert await commands.advance(store, "nowhere") is None

    run(spec)


def test_a_task_on_a_timeline_by_seconds_moves_with_the_clock_passed_to_the_store(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        task = build_task("imagine", "finished", task_id="spec-timed")
        await commands.add(store, task, Timeline.of("pending", "finished", by="seconds", every=60))
        assert getattr(await store.current("spec-timed"), "status", None) == "pending"
        clock.now += 60
        assert getattr(await store.current("spec-timed"), "status", None) == "finished"

    run(spec)


def test_a_fault_with_next_strikes_that_many_calls_and_shows_what_is_left(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        await store.set_faults(FaultPlan.from_json({"faults": [{"kind": "error", "route": "fetch", "next": 2}]}))
        struck = [(await store.decide("fetch", keyed=True)).action is not None for _ in range(3)]
        assert struck == [True, True, False]
        assert (await store.faults_now())["faults"][0]["next"] == 0

    run(spec)


def test_the_journal_keeps_entries_in_order_and_empties(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        for path in ("/fetch", "/account"):
            await store.record_request(RecordedRequest("POST", path, Headers(), b"{}", 200, clock()))
        page = await store.requests()
        assert ([entry.path for entry in page.entries], page.dropped, page.first) == (["/fetch", "/account"], 0, 1)
        assert [entry.path for entry in (await store.requests(1)).entries] == ["/account"]
        await store.clear_requests()
        assert (await store.requests()).entries == []

    run(spec)


def test_reset_restores_the_start_and_reseed_makes_a_new_one(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        await commands.add(store, build_task(task_id="spec-added"))
        await store.set_faults(FaultPlan.from_json({"faults": [{"kind": "error"}]}))
        await commands.reset(store)
        assert (await store.current("spec-added"), await store.current("spec-fixed")) == (None, FIXED)
        assert not store.faults
        other = build_task("upscale#1", "finished", task_id="spec-other")
        await commands.reset(store, Seed(TaskStore([other]), {"credits": 3}))
        assert [task.task_id for task in await store.tasks_now()] == ["spec-other"]
        assert store.account == {"credits": 3}
        await commands.add(store, build_task(task_id="spec-added"))
        await commands.reset(store)
        assert [task.task_id for task in await store.tasks_now()] == ["spec-other"]

    run(spec)


def test_reset_and_reseed_forget_the_uploaded_files_and_the_documents(run: Callable[[Spec], None]) -> None:
    async def spec(store: Store, clock: Clock) -> None:
        for seed in (None, Seed(TaskStore([FIXED]), {})):
            kept = store.files.put(b"\x89PNG", "image/png", ".png")
            store.documents.put("lora", "spec-lora", {"task_id": "spec-lora"})
            await commands.reset(store, seed)
            assert (store.files.get(kept.file_id), store.documents.all("lora")) == (None, [])

    run(spec)
