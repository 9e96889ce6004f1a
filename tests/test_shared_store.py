"""One mock across processes on a real Redis: every process serves one state, counts alike, and recovers."""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.submissions import body_for
from mockserver import DEFAULT_API_KEY, KeyCheck, MockState, ServerThread, build_task, create_app, load_fixtures
from mockserver.engine.store.redis import RedisStore

from .processes import started
from .redis_server import free_port, redis_server, require_redis
from .streams import Lines
from .test_breadth_routes import NEW
from .test_cli import COMMAND, run, serving
from .test_v2_resources import PNG
from .v2 import KEY as V2_KEY
from .webhook_receivers import RECEIVER_PATH, receiving

TOKEN = "shared-token"
CONTROL = {"Authorization": f"Bearer {TOKEN}"}
KEY = {"Authorization": DEFAULT_API_KEY}
BUNDLED = len(load_fixtures().tasks)
STEPS = {"steps": [{"status": "pending"}, {"status": "processing", "percentage": "50"}, {"status": "finished"}]}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_redis()
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


class Clock:
    """A wall clock that moves only when the test says."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def mocks(url: str, count: int, *extra: str, prefix: str | None = None) -> tuple[ExitStack, list[str]]:
    """Start `count` mock processes on one Redis namespace; return their stack and URLs."""
    stack = ExitStack()
    prefix = prefix or f"test-{uuid.uuid4().hex[:8]}"
    flags = [
        "--store",
        url,
        "--store-prefix",
        prefix,
        "--control",
        "--control-token",
        TOKEN,
        "--submissions",
        "by=polls",
    ]
    urls = [stack.enter_context(serving(*flags, *extra))[0] for _ in range(count)]
    return stack, urls


@pytest.fixture(params=["two processes", "two workers"])
def pair(redis_url: str, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Two ways in to one mock: two processes on two ports, or one port whose two workers share the calls."""
    stack, urls = mocks(redis_url, 2) if request.param == "two processes" else mocks(redis_url, 1, "--workers", "2")
    with stack:
        yield urls if len(urls) == 2 else urls * 2


def post(url: str, path: str, payload: object, headers: dict[str, str] = KEY) -> httpx.Response:
    return httpx.post(url + path, content=json.dumps(payload), headers=headers, timeout=10)


def fetch(url: str, task_id: str) -> dict[str, Any]:
    answer = post(url, "/fetch", {"task_id": task_id})
    assert answer.status_code == 200, answer.text
    task: dict[str, Any] = answer.json()
    return task


def control(url: str, method: str, path: str, payload: object = None) -> httpx.Response:
    content = None if payload is None else json.dumps(payload)
    return httpx.request(method, f"{url}/__mock__{path}", content=content, headers=CONTROL, timeout=10)


def test_a_task_created_through_one_process_is_served_by_the_other_at_once(pair: list[str]) -> None:
    first, second = pair
    for number in range(20):
        task = {"task_id": f"made-{number}", "task_type": "seed", "status": "finished", "seed": str(number)}
        assert control(first, "POST", "/tasks", task).status_code == 201
        assert fetch(second, f"made-{number}")["seed"] == str(number)
    assert control(second, "DELETE", "/tasks/made-3").status_code == 200
    assert post(first, "/fetch", {"task_id": "made-3"}).status_code == 400
    assert control(first, "GET", "/health").json() == {"status": "ok", "tasks": BUNDLED + 19}


def test_every_new_route_s_task_is_submitted_through_one_process_and_finished_through_the_other(
    pair: list[str],
) -> None:
    first, second = pair
    for endpoint in NEW:
        parent = build_task(endpoint.parent.task_types[0], "finished") if endpoint.parent else None
        if parent is not None:
            assert control(first, "POST", "/tasks", parent).status_code == 201
        answer = post(second, endpoint.path, body_for(endpoint, str(parent["task_id"]) if parent else None))
        assert answer.status_code == 200, answer.text
        task_id = answer.json()["task_id"]
        seen = [fetch(url, task_id)["status"] for url in (first, second) * 4]
        assert seen[-1] == "finished", (endpoint.path, seen)


def test_a_timeline_by_polls_moves_once_per_poll_whichever_process_answers(pair: list[str]) -> None:
    first, second = pair
    control(first, "POST", "/tasks", {"task_id": "t", "task_type": "seed", "status": "finished", "seed": "7",
                                      "timeline": STEPS})  # fmt: skip
    seen = [fetch(url, "t")["status"] for url in (second, first, second, first)]
    assert seen == ["pending", "processing", "finished", "finished"]
    many = post(first, "/fetch-many", {"task_ids": ["t", "t"]}).json()["tasks"]
    assert [task["status"] for task in many] == ["finished", "finished"]


def test_a_fault_with_next_strikes_exactly_that_many_times_in_all(pair: list[str]) -> None:
    first, second = pair
    control(first, "PUT", "/faults", {"faults": [{"route": "fetch-many", "kind": "error", "next": 3}]})
    statuses = [post(url, "/fetch-many", {"task_ids": ["a", "b"]}).status_code for url in pair * 4]
    assert statuses == [500, 500, 500, 200, 200, 200, 200, 200]
    assert control(second, "GET", "/faults").json()["faults"][0]["next"] == 0


def test_a_seeded_sequence_is_the_same_whichever_process_answers(pair: list[str]) -> None:
    first, second = pair
    plan = {"seed": 11, "faults": [{"route": "fetch-many", "kind": "error", "probability": 0.5}]}

    def sequence(urls: list[str]) -> list[int]:
        control(first, "PUT", "/faults", plan)
        return [post(url, "/fetch-many", {"task_ids": ["a", "b"]}).status_code for url in urls]

    alone = sequence([first] * 10)
    assert sequence([first, second] * 5) == alone
    assert sequence([second] * 10) == alone
    assert set(alone) == {200, 500}


def test_the_journal_is_one_log_in_arrival_order(pair: list[str]) -> None:
    first, second = pair
    control(first, "DELETE", "/journal")
    for number, url in enumerate(pair * 3):
        post(url, "/fetch", {"task_id": f"asked-{number}"})
    entries = control(second, "GET", "/journal").json()["requests"]
    assert [entry["json"]["task_id"] for entry in entries] == [f"asked-{number}" for number in range(6)]
    assert {entry["headers"]["authorization"] for entry in entries} == {"<redacted>"}


def test_reset_resets_every_process(pair: list[str]) -> None:
    first, second = pair
    control(first, "POST", "/tasks", {"task_id": "gone", "task_type": "seed", "status": "finished", "seed": "1"})
    control(first, "PUT", "/faults", {"faults": [{"route": "account", "kind": "error"}]})
    assert control(second, "POST", "/reset").json() == {"status": "reset", "tasks": BUNDLED}
    assert control(first, "GET", "/journal").json() == {"requests": [], "dropped": 0}
    assert post(first, "/fetch", {"task_id": "gone"}).status_code == 400
    assert httpx.get(first + "/account", headers=KEY).status_code == 200


def test_a_submission_to_one_process_moves_on_polls_to_the_other_and_its_webhooks_go_in_order(
    pair: list[str],
) -> None:
    first, second = pair
    with receiving() as receiver:
        hook = receiver.url + RECEIVER_PATH
        task_id = post(first, "/imagine", {"prompt": "x", "webhook_url": hook, "webhook_secret": "s"}).json()["task_id"]
        statuses = [fetch(url, task_id)["status"] for url in (second, first, second, first, second)]
        assert statuses == ["pending", "processing", "processing", "processing", "finished"]
        upscale = post(second, "/upscale-1x", {"parent_task_id": task_id, "index": "1"})
        assert upscale.status_code == 200, upscale.text
        assert receiver.inbox.wait_for(5, 10)
        received = receiver.inbox.received()
    assert [hook.json["status"] for hook in received] == [
        "pending",
        "processing",
        "processing",
        "processing",
        "finished",
    ]
    assert {hook.headers["x-webhook-secret"] for hook in received} == {"s"}
    deliveries = control(second, "GET", "/webhooks").json()["deliveries"]
    assert [delivery["status"] for delivery in deliveries] == [200] * 5


def test_a_process_that_joins_serves_the_state_as_it_is_unless_told_to_reset(redis_url: str) -> None:
    prefix = f"join-{uuid.uuid4().hex[:8]}"
    stack, (first,) = mocks(redis_url, 1, prefix=prefix)
    with stack:
        control(first, "POST", "/tasks", {"task_id": "kept", "task_type": "seed", "status": "finished", "seed": "1"})
        with serving("--store", redis_url, "--store-prefix", prefix) as (second, _):
            assert fetch(second, "kept")["seed"] == "1"
        with serving("--store", redis_url, "--store-prefix", prefix, "--store-reset") as (third, _):
            assert post(third, "/fetch", {"task_id": "kept"}).status_code == 400
    with serving("--store", redis_url, "--store-prefix", f"other-{prefix}") as (elsewhere, _):
        assert post(elsewhere, "/fetch", {"task_id": "kept"}).status_code == 400


def test_two_workers_on_redis_serve_one_state(redis_url: str) -> None:
    stack, (url,) = mocks(redis_url, 1, "--workers", "2")
    with stack:
        control(url, "POST", "/tasks", {"task_id": "w", "task_type": "seed", "status": "finished", "seed": "2",
                                        "timeline": STEPS})  # fmt: skip
        # Many connections, so both workers answer some of them.
        seen = [httpx.post(url + "/fetch", json={"task_id": "w"}, headers=KEY).json()["status"] for _ in range(6)]
        assert seen == ["pending", "processing", "finished", "finished", "finished", "finished"]
        control(url, "PUT", "/faults", {"faults": [{"route": "account", "kind": "error", "next": 2}]})
        statuses = [httpx.get(url + "/account", headers=KEY).status_code for _ in range(6)]
        assert statuses == [500, 500, 200, 200, 200, 200]
        task_id = post(url, "/imagine", {"prompt": "x"}).json()["task_id"]
        assert [httpx.post(url + "/fetch", json={"task_id": task_id}, headers=KEY).json()["status"] for _ in range(5)][
            -1
        ] == "finished"


def test_an_unreachable_store_stops_serve_with_one_line_and_no_password() -> None:
    port = free_port()
    done = run("serve", "--port", "0", "--store", f"redis://:hunter2@127.0.0.1:{port}/0")
    assert done.returncode == 1
    assert done.stderr.startswith(f"apiframe-mock: error: cannot reach the store at redis://:***@127.0.0.1:{port}/0: ")
    assert "hunter2" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_store_url_the_mock_does_not_know_is_a_usage_error() -> None:
    done = run("serve", "--port", "0", "--store", "memcached://127.0.0.1:1")
    assert (done.returncode, done.stderr.strip()) == (
        2,
        "apiframe-mock: error: --store 'memcached://127.0.0.1:1' is not a store the mock knows: "
        "give redis://[:PASSWORD@]HOST:PORT/DB or rediss://...",
    )


def test_redis_lost_while_serving_gives_500_at_once_then_the_mock_recovers(tmp_path: Path) -> None:
    port = free_port()
    with redis_server(tmp_path, port) as url:
        stack, (mock,) = mocks(url, 1)
        stack.__enter__()
    try:
        # Redis is gone now: every answer is the documented 500, quickly.
        for _ in range(3):
            started = time.monotonic()
            answer = post(mock, "/fetch-many", {"task_ids": ["a", "b"]})
            assert (answer.status_code, answer.json()) == (500, {})
            assert time.monotonic() - started < 3
        with redis_server(tmp_path, port):
            deadline = time.monotonic() + 10
            while post(mock, "/fetch-many", {"task_ids": ["a", "b"]}).status_code != 200:
                assert time.monotonic() < deadline, "the mock did not recover"
                time.sleep(0.1)
            # The store came back empty, so the namespace was loaded again with the fixtures.
            assert control(mock, "GET", "/health").json() == {"status": "ok", "tasks": BUNDLED}
    finally:
        stack.close()


def test_the_official_clients_and_the_contract_suite_pass_against_two_workers_on_redis(redis_url: str) -> None:
    stack, (url,) = mocks(redis_url, 1, "--workers", "2")
    with stack:
        suite = subprocess.run(
            [*COMMAND, "contract", "--base-url", url, "--api-key", DEFAULT_API_KEY, "-q",
             "--task-ids", ",".join(task["task_id"] for task in load_fixtures().tasks),
             "--hypothesis-profile", "contract-quick", "-p", "no:cacheprovider"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert suite.returncode == 0, suite.stdout[-3000:]
        from apiframe import Apiframe

        with Apiframe(api_key=DEFAULT_API_KEY, base_url=url) as client:
            task = client.midjourney.imagine({"prompt": "a lighthouse"})
            done = client.tasks.wait_for(task["task_id"], interval=0, timeout=30)
        assert (done["status"], len(done["image_urls"])) == ("completed", 4)


def test_a_mock_process_that_crashes_loses_nothing_written(redis_url: str) -> None:
    prefix = f"crash-{uuid.uuid4().hex[:8]}"
    flags = [
        "serve",
        "--port",
        "0",
        "--store",
        redis_url,
        "--store-prefix",
        prefix,
        "--control",
        "--control-token",
        TOKEN,
    ]
    # Killed, not stopped: it has no chance to write anything more on its way out.
    with started([*COMMAND, *flags], stderr=subprocess.DEVNULL, kill=True) as crashing:
        url = crashing.url
        control(url, "POST", "/tasks", {"task_id": "kept", "task_type": "seed", "status": "finished", "seed": "9"})
        control(url, "PUT", "/faults", {"faults": [{"route": "account", "kind": "error", "next": 5}]})
        assert httpx.get(url + "/account", headers=KEY).status_code == 500
    with serving("--store", redis_url, "--store-prefix", prefix, "--control", "--control-token", TOKEN) as (again, _):
        assert fetch(again, "kept")["seed"] == "9"
        assert control(again, "GET", "/faults").json()["faults"][0]["next"] == 4


def test_a_store_over_tls_with_a_password_works_and_the_password_is_never_shown(tmp_path: Path) -> None:
    with redis_server(tmp_path, password="hunter2", tls=True) as url:
        assert url.startswith("rediss://:hunter2@")
        with serving("--store", url, "--control", "--control-token", TOKEN) as (mock, line):
            control(mock, "POST", "/tasks", {"task_id": "safe", "task_type": "seed", "status": "finished", "seed": "3"})
            assert fetch(mock, "safe")["seed"] == "3"
            assert "hunter2" not in line
        done = run("serve", "--port", "0", "--store", url.replace("hunter2", "wrong"))
    assert done.returncode == 1
    assert "hunter2" not in done.stderr
    assert "wrong" not in done.stderr
    assert done.stderr.startswith("apiframe-mock: error: cannot reach the store at rediss://:***@127.0.0.1:")


def test_a_moment_when_redis_does_not_answer_costs_500s_then_nothing(redis_url: str) -> None:
    import redis

    stack, (mock,) = mocks(redis_url, 1)
    with stack, redis.Redis.from_url(redis_url) as direct:
        direct.execute_command("CLIENT", "PAUSE", 1500, "ALL")
        assert post(mock, "/imagine", {"prompt": "x"}).status_code == 500
        time.sleep(1.6)
        assert post(mock, "/imagine", {"prompt": "x"}).status_code == 200
        assert post(mock, "/fetch-many", {"task_ids": ["a", "b"]}).status_code == 200


def test_something_else_listening_on_the_channel_does_not_hold_up_a_change(pair: list[str], redis_url: str) -> None:
    import redis

    first, second = pair
    with redis.Redis.from_url(redis_url) as direct, direct.pubsub() as listener:
        listener.psubscribe("*:changes")
        started = time.monotonic()
        answer = control(first, "PUT", "/faults", {"faults": [{"route": "account", "kind": "error"}]})
        assert (answer.status_code, time.monotonic() - started < 1.5) == (200, True)
    assert httpx.get(second + "/account", headers=KEY).status_code == 500


def test_a_reset_on_redis_starts_timelines_by_seconds_afresh(redis_url: str, tmp_path: Path) -> None:
    moving = {"task_id": "clock", "task_type": "seed", "status": "finished", "seed": "5",
              "timeline": {"by": "seconds", "every": 0.2,
                           "steps": [{"status": "pending"}, {"status": "finished"}]}}  # fmt: skip
    (tmp_path / "clock.json").write_text(json.dumps(moving), encoding="utf-8")
    # Served in this process on a clock the test moves: on a loaded machine a reset and the fetch after it
    # could be further apart than a step by the wall clock.
    clock = Clock()
    seed = MockState.from_fixtures(load_fixtures(tmp_path)).store
    store = RedisStore(redis_url, f"test-{uuid.uuid4().hex[:8]}", seed, clock=clock)
    store.prepare(reset=True)
    with ServerThread(create_app(MockState(KeyCheck(DEFAULT_API_KEY), store), control_token=TOKEN)) as server:
        mock = server.url
        clock.now += 0.5
        assert fetch(mock, "clock")["status"] == "finished"
        control(mock, "POST", "/reset")
        assert fetch(mock, "clock")["status"] == "pending"


def until_gone(url: str, task_id: str) -> None:
    """Wait until the process at `url` no longer serves `task_id`: --store-reset tells it without waiting for it."""
    deadline = time.monotonic() + 5
    while post(url, "/fetch", {"task_id": task_id}).status_code != 400:
        assert time.monotonic() < deadline, "the first process still serves what the reset removed"
        time.sleep(0.05)


def test_a_process_that_loads_afresh_with_store_reset_tells_the_others(redis_url: str) -> None:
    prefix = f"afresh-{uuid.uuid4().hex[:8]}"
    stack, (first,) = mocks(redis_url, 1, prefix=prefix)
    with stack:
        control(first, "POST", "/tasks", {"task_id": "old", "task_type": "seed", "status": "finished", "seed": "1"})
        with serving("--store", redis_url, "--store-prefix", prefix, "--store-reset"):
            until_gone(first, "old")


def test_store_reset_makes_every_serving_process_forget_its_uploads_and_assets(redis_url: str) -> None:
    prefix = f"forget-{uuid.uuid4().hex[:8]}"
    stack, (first,) = mocks(redis_url, 1, prefix=prefix)
    with stack:
        control(first, "POST", "/tasks", {"task_id": "old", "task_type": "seed", "status": "finished", "seed": "1"})
        upload = httpx.post(first + "/v2/uploads", files={"file": ("a.png", PNG, "image/png")}, headers=V2_KEY)
        asset = httpx.post(
            first + "/v2/assets/create", json={"url": "https://example.com/a.png", "type": "image"}, headers=V2_KEY
        )
        assert (upload.status_code, asset.status_code) == (201, 201), (upload.text, asset.text)
        file_url, asset_url = upload.json()["url"], f"{first}/v2/assets/{asset.json()['assetId']}"
        assert httpx.get(file_url).status_code == httpx.get(asset_url, headers=V2_KEY).status_code == 200
        with serving("--store", redis_url, "--store-prefix", prefix, "--store-reset"):
            until_gone(first, "old")
            # Applied with the tasks, in the same change: what the process kept on its own goes too.
            gone_file, gone_asset = httpx.get(file_url), httpx.get(asset_url, headers=V2_KEY)
            assert (gone_file.status_code, gone_asset.status_code) == (404, 404)
            assert gone_asset.json() == {"error": "Asset not found"}


def test_an_outage_is_one_line_when_it_starts_and_one_when_it_ends_per_process(tmp_path: Path) -> None:
    port = free_port()
    flags = ["serve", "--port", "0", "--workers", "2", "--control", "--control-token", TOKEN]
    with redis_server(tmp_path, port) as url:
        process = subprocess.Popen(
            [*COMMAND, *flags, "--store", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        mock = re.findall(r"http://127\.0\.0\.1:\d+", process.stdout.readline())[0]
        said = Lines(process.stderr)
        assert post(mock, "/fetch-many", {"task_ids": ["a", "b"]}).status_code == 200
    try:
        # Out for a few seconds, with polls, submissions and control calls failing all the while.
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            assert post(mock, "/fetch-many", {"task_ids": ["a", "b"]}).status_code == 500
            assert post(mock, "/imagine", {"prompt": "x"}).status_code == 500
            assert control(mock, "GET", "/journal").status_code == 500
        with redis_server(tmp_path, port):
            # Each worker's listener finds the store again on its own, and calls served by one say nothing
            # of the other: so the test waits for both to say so, then for the mock to serve, and stops it.
            assert said.wait_for(lambda lines: sum("answers again" in line for line in lines) >= 2, 10)
            assert post(mock, "/fetch-many", {"task_ids": ["a", "b"]}).status_code == 200
            process.terminate()
            process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        process.stdout.close()
    where = f"the store at redis://127.0.0.1:{port}/0"
    lines = [line for line in said.until_closed(10) if "store" in line and "fixtures again" not in line]
    assert (
        sorted(line.split(" (")[0] for line in lines)
        == [f"apiframe-mock: lost {where}"] * 2 + [f"apiframe-mock: {where} answers again; serving"] * 2
    )
