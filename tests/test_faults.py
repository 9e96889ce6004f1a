"""Faults on demand: each kind over real HTTP, and the same seed always giving the same sequence."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, MockState, create_app
from mockserver.engine.faults import FaultPlan
from mockserver.errors import FaultSpecError

from .clock import started, waited
from .conftest import Api, serving

BODY = json.dumps({"task_ids": ["a", "b"]}).encode()
AUTH = {"Authorization": DEFAULT_API_KEY}


@pytest.fixture(scope="module")
def faulty() -> Iterator[tuple[Api, MockState]]:
    state = MockState.from_fixtures()
    with serving(create_app(state)) as client:
        yield client, state


@pytest.fixture
def plan(faulty: tuple[Api, MockState]) -> Iterator[Any]:
    api, state = faulty

    def install(*faults: dict[str, Any], seed: int = 0) -> Api:
        state.store.faults = FaultPlan.from_json({"seed": seed, "faults": list(faults)})
        return api

    yield install
    state.store.faults = FaultPlan()


def statuses(api: Api, calls: int, path: str = "/fetch-many") -> list[int]:
    return [api.send("POST", path, BODY, AUTH).status for _ in range(calls)]


def test_error_for_the_next_n_calls_then_normal(plan: Any) -> None:
    api = plan({"route": "fetch-many", "kind": "error", "next": 2})
    answer = api.send("POST", "/fetch-many", BODY, AUTH)
    assert (answer.status, answer.content_type, answer.body) == (500, "application/json", {})
    assert statuses(api, 3) == [500, 200, 200]


def test_an_error_can_carry_another_5xx_status(plan: Any) -> None:
    api = plan({"kind": "error", "status": 503, "next": 1})
    assert statuses(api, 2) == [503, 200]


def test_faults_strike_only_their_route(plan: Any) -> None:
    api = plan({"route": "account", "kind": "error"})
    assert statuses(api, 2) == [200, 200]
    assert api.send("GET", "/account", None, AUTH).status == 500


def test_rate_limit_answers_429_with_retry_after(plan: Any) -> None:
    api = plan({"kind": "rate_limit", "retry_after": 7, "next": 1})
    answer = api.send("POST", "/fetch-many", BODY, AUTH)
    assert (answer.status, answer.content_type, answer.headers["retry-after"]) == (429, "application/json", "7")
    assert answer.body == {"errors": [{"msg": "Too many requests: retry after 7 seconds (injected fault)."}]}


def test_a_probability_gives_the_same_sequence_for_the_same_seed(plan: Any) -> None:
    runs = []
    for seed in (11, 11, 12):
        api = plan({"kind": "error", "probability": 0.5}, seed=seed)
        runs.append(statuses(api, 30))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert 5 < runs[0].count(500) < 25


def test_a_dropped_connection_sends_nothing(plan: Any, faulty: tuple[Api, MockState]) -> None:
    plan({"kind": "drop", "next": 1})
    host, port = faulty[0].url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("POST", "/fetch-many", BODY, AUTH)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        connection.getresponse()
    connection.close()
    assert statuses(faulty[0], 1) == [200]


def test_latency_delays_the_answer(plan: Any) -> None:
    api = plan({"kind": "latency", "ms": 150})
    since = started()
    assert statuses(api, 1) == [200]
    assert waited(since, 0.15)


def test_a_slow_body_still_arrives_whole(plan: Any, faulty: tuple[Api, MockState]) -> None:
    ids = [task.task_id for task in list(faulty[1].store.tasks)[:2]]
    api = plan({"kind": "slow_body", "chunk_bytes": 100, "delay_ms": 20})
    since = started()
    answer = api.send("POST", "/fetch-many", json.dumps({"task_ids": ids}).encode(), AUTH)
    assert answer.status == 200
    assert [task["task_id"] for task in answer.body["tasks"]] == ids
    assert waited(since, 0.04)


def test_the_plan_reports_what_is_left() -> None:
    plan = FaultPlan.from_json({"seed": 3, "faults": [{"kind": "error", "next": 2}, {"kind": "latency", "ms": 5}]})
    plan.decide("fetch")
    assert plan.to_json() == {
        "seed": 3,
        "faults": [{"kind": "error", "route": "*", "next": 1}, {"kind": "latency", "route": "*", "ms": 5}],
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"faults": [{"kind": "explode"}]}, "faults are not valid: faults[0].kind: 'explode' is not one of"),
        ({"faults": [{"kind": "error", "probability": 2}]}, "faults[0].probability: 2 is greater than the maximum"),
        ({"faults": [{"kind": "error", "next": 1, "probability": 0.5}]}, "faults[0]: {"),
        ({"faults": [{"kind": "latency", "min_ms": 5}]}, "faults[0]: 'max_ms' is a dependency of 'min_ms'"),
        ({"faults": [{"kind": "error", "route": "imagine"}]}, "faults[0].route: 'imagine' is not one of"),
        ({"seed": "x"}, "faults are not valid: seed: 'x' is not of type 'integer'"),
    ],
)
def test_a_bad_plan_names_the_field(value: object, message: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        FaultPlan.from_json(value)
    assert message in str(caught.value)


def test_a_wrong_key_under_a_rate_limit_gets_401_and_leaves_the_limit_for_the_account(plan: Any) -> None:
    api = plan({"route": "fetch-many", "kind": "rate_limit", "next": 1})
    wrong = api.send("POST", "/fetch-many", BODY, {"Authorization": "wrong"})
    assert (wrong.status, wrong.body) == (401, {})
    assert statuses(api, 2) == [429, 200]


@pytest.mark.parametrize("kind", ["error", "drop"])
def test_an_upstream_fault_strikes_before_the_key_is_checked(plan: Any, kind: str) -> None:
    api = plan({"route": "fetch-many", "kind": kind, "next": 1})
    if kind == "drop":
        with pytest.raises(httpx.RemoteProtocolError):
            api.send("POST", "/fetch-many", BODY, {"Authorization": "wrong"})
    else:
        assert api.send("POST", "/fetch-many", BODY, {"Authorization": "wrong"}).status == 500
    assert api.send("POST", "/fetch-many", BODY, {"Authorization": "wrong"}).status == 401
