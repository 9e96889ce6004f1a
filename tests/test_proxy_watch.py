"""The proxy's judge on its own: any answer to any request is judged without an error, and only what it shows.

Logic tests in process: the exchanges are built by hand, as a hostile upstream or app could make them.
"""

from __future__ import annotations

import itertools
import json

import pytest

from contract_tests.exchange import Answer, Exchange, Request
from contract_tests.proxy.judgement import Judge, Judgement
from contract_tests.proxy.watch import MAX_TASKS, OTHER, Findings, Watch
from mockserver import build_task

ANSWERS = (
    b'{"tasks": 5}',
    b'{"tasks": [1, null, {"task_id": 5}, {"task_id": "a", "status": {}}]}',
    b"[]",
    b"[" * 5000,
    b'{"task_id": "x", "status": {}, "percentage": [1]}',
    b'{"task_id": "x", "task_type": [], "status": "finished"}',
    b"\xff\xfe",
    b"",
    b'{"errors": 5}',
    b"null",
)
REQUESTS = (
    b'{"task_ids": 5}',
    b'{"task_ids": [[], {}]}',
    b'{"task_ids": ["a", "b"]}',
    b"\xff",
    None,
    b'{"task_id": []}',
)


@pytest.mark.parametrize("path", ["/fetch-many", "/fetch", "/account", "/imagine", "/elsewhere"])
def test_any_answer_to_any_request_is_judged_without_an_error(path: str) -> None:
    watch = Watch()
    combinations = itertools.product((200, 400, 401, 429, 500), ANSWERS, REQUESTS, ("application/json", "text/html"))
    for status, raw, body, media in combinations:
        request = Request("POST", path + "?q=1", (("authorization", "$APIFRAME_API_KEY"),), body)
        watch.judge(Exchange("http://upstream", request, Answer(status, (("content-type", media),), raw)), "k")
    assert watch.exchanges == 5 * len(ANSWERS) * len(REQUESTS) * 2


def test_a_request_body_not_kept_whole_says_nothing_of_what_was_asked() -> None:
    task = {"task_id": "a", "task_type": "imagine", "status": "pending"}
    answer = Answer(200, (("content-type", "application/json"),), json.dumps({"tasks": [task]}).encode())
    cut = Request("POST", "/fetch-many", (), b'{"task_ids": ["a", "b", ')
    found = Watch().judge(Exchange("http://upstream", cut, answer))
    assert found.drift == {}


def test_a_v2_key_v1_refuses_is_told_apart_not_drift() -> None:
    answer = Answer(401, (("content-type", "application/json"),), b"{}")
    found = Watch().judge(Exchange("http://upstream", Request("GET", "/account"), answer), "afk_live_123")
    assert (found.app, found.drift) == (
        "v1 refused an `afk_` key (v2's format) at /account with 401: no vendor page says whether v1 takes v2 keys",
        {},
    )


def test_a_v2_key_v1_takes_is_no_problem_at_all() -> None:
    account = {"email": "a@example.com", "credits": 5, "plan": "basic", "total_images": 0}
    answer = Answer(200, (("content-type", "application/json"),), json.dumps(account).encode())
    found = Watch().judge(Exchange("http://upstream", Request("GET", "/account"), answer), "afk_live_123")
    assert (found.app, found.drift) == ("", {})


def test_paths_not_covered_are_counted_in_bounded_memory() -> None:
    watch = Watch()
    for number in range(MAX_TASKS + 5):
        watch.judge(Exchange("http://upstream", Request("GET", f"/not-the-api/{number}"), None, "refused"))
    assert len(watch.not_covered) == MAX_TASKS + 1
    assert watch.not_covered[OTHER] == 5


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "GET"])
def test_a_method_the_contract_does_not_cover_is_counted_not_judged(method: str) -> None:
    watch = Watch()
    found = watch.judge(Exchange("http://upstream", Request(method, "/fetch-many"), Answer(204, (), b"")))
    assert (found.drift, found.flake, dict(watch.not_covered)) == ({}, "", {f"{method} /fetch-many": 1})


def test_a_route_whose_answer_the_mock_guessed_is_not_held_to_its_guess() -> None:
    answer = Answer(200, (("content-type", "application/json"),), b'{"task_id": "t-1"}')
    exchange = Exchange("http://upstream", Request("POST", "/ideogram-remix", (), b"{}"), answer)
    watch = Watch()
    assert (watch.judge(exchange).drift, "SUBMIT-OK" in watch.checked) == ({}, False)
    sync = Exchange("http://upstream", Request("POST", "/ideogram-imagine", (), b"{}"), answer)
    assert set(Watch().judge(sync).drift) == {"SUBMIT-OK"}


def test_a_task_not_asked_for_is_ids_not_asked_and_one_without_an_id_is_left_to_task_schema() -> None:
    tasks = [{"task_id": "x", "status": "pending"}, {"status": "pending"}]
    answer = Answer(200, (("content-type", "application/json"),), json.dumps({"tasks": tasks}).encode())
    asked = Request("POST", "/fetch-many", (), b'{"task_ids": ["a", "b"]}')
    found = Watch().judge(Exchange("http://upstream", asked, answer))
    assert found.drift["IDS-NOT-ASKED"] == "tasks came back that were not asked for: ['x']"
    assert "TASK-SCHEMA" in found.drift


def fetched(task: dict[str, object]) -> Exchange:
    answer = Answer(200, (("content-type", "application/json"),), json.dumps(task).encode())
    return Exchange("http://upstream", Request("POST", "/fetch", (), b'{"task_id": "t-1"}'), answer)


def test_an_answer_seen_again_after_the_task_moved_on_is_task_forward_drift() -> None:
    processing = build_task("imagine", "processing", task_id="t-1")
    finished = build_task("imagine", "finished", task_id="t-1")
    watch = Watch()
    assert [watch.judge(fetched(task)).drift for task in (processing, processing, finished)] == [{}, {}, {}]
    assert watch.judge(fetched(processing)).drift == {
        "TASK-FORWARD": "task 't-1': status went from 'finished', an end, to 'processing'"
    }


V2_ANSWER = Answer(200, (("content-type", "application/json"),), b'{"id": "j-1", "status": "COMPLETED"}')


def test_v2_traffic_is_forwarded_and_counted_not_covered_when_no_judge_of_v2s_is_given() -> None:
    watch = Watch(judges={"v1": Judge()})
    for method, path in (("GET", "/v2/jobs/j-1"), ("POST", "/v2/images/generations"), ("GET", "/v2/jobs/j-1")):
        assert watch.judge(Exchange("http://upstream", Request(method, path), V2_ANSWER)) == Findings()
    assert (dict(watch.not_covered), watch.breaches, watch.checked) == (
        {"GET /v2/jobs/j-1": 2, "POST /v2/images/generations": 1},
        {},
        set(),
    )


class OneRouteJudge:
    """A judge of v2's that covers one route and finds it drifted."""

    def covers(self, where: str) -> bool:
        return where == "GET /v2/jobs/j-1"

    def judge(self, exchange: Exchange, path: str, key: str) -> Judgement:
        return Judgement({"V2-RULE": "the job drifted"}, frozenset({"V2-RULE"}), (), "")


def test_a_judge_given_for_v2_judges_the_v2_routes_it_covers_and_v1_stays_v1s() -> None:
    watch = Watch(judges={"v1": Judge(), "v2": OneRouteJudge()})
    assert watch.judge(Exchange("http://upstream", Request("GET", "/v2/jobs/j-1"), V2_ANSWER)).drift == {
        "V2-RULE": "the job drifted"
    }
    watch.judge(Exchange("http://upstream", Request("GET", "/v2/jobs/j-2"), V2_ANSWER))
    account = Answer(401, (("content-type", "application/json"),), b"{}")
    assert watch.judge(Exchange("http://upstream", Request("GET", "/account"), account)).drift == {}
    assert (set(watch.breaches), dict(watch.not_covered)) == ({"V2-RULE"}, {"GET /v2/jobs/j-2": 1})
    assert {"V2-RULE", "AUTH-401"} <= watch.checked
