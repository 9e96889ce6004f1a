"""The dashboard's page and the control routes it reads and acts through, tested over HTTP without a browser."""

from __future__ import annotations

import time

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, TASK_STATUSES, TASK_TYPES
from mockserver.dashboard.page import CONTENT_SECURITY_POLICY

from .conftest import CONTROL, TOKEN, Api, call

APIFRAME = {"Authorization": DEFAULT_API_KEY}
PROCESSING_IMAGINE = "00eedec8-8ab4-5d86-aa90-88df900cb233"


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/__mock__/ui", "text/html; charset=utf-8"),
        ("/__mock__/ui/dashboard.js", "text/javascript; charset=utf-8"),
        ("/__mock__/ui/dashboard.css", "text/css; charset=utf-8"),
        ("/__mock__/ui/favicon.svg", "image/svg+xml"),
    ],
)
def test_the_page_and_its_files_need_no_token_and_carry_a_strict_policy(
    control_server: str, path: str, media_type: str
) -> None:
    answer = httpx.get(control_server + path)
    assert (answer.status_code, answer.headers["content-type"]) == (200, media_type)
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_policy_allows_no_inline_script_and_no_other_origin() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


def test_the_page_holds_no_inline_script_and_no_token(control_server: str) -> None:
    html = httpx.get(control_server + "/__mock__/ui", headers=CONTROL).text
    assert "<script>" not in html
    assert '<script src="/__mock__/ui/dashboard.js" defer></script>' in html
    assert TOKEN not in html


def test_the_page_is_not_served_without_the_control_api(api: Api) -> None:
    assert httpx.get(api.url + "/__mock__/ui").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/progress"), ("GET", "/choices"), ("POST", "/add-task"), ("POST", "/tasks/x/status")],
)
def test_every_data_route_needs_the_token(ctl: Api, method: str, path: str) -> None:
    answer = ctl.send(method, f"/__mock__{path}", b"{}", {"Authorization": "Bearer wrong"})
    assert (answer.status, answer.body) == (401, {})


def test_choices_are_the_schemas_lists(ctl: Api) -> None:
    body = call(ctl, "GET", "/choices").body
    assert (body["task_types"], body["statuses"]) == (list(TASK_TYPES), list(TASK_STATUSES))
    assert {"error", "rate_limit", "drop"} <= set(body["fault_kinds"])
    assert {"*", "fetch", "fetch-many", "account", "submit"} <= set(body["fault_routes"])


def test_progress_shows_each_task_its_origin_and_its_step(ctl: Api) -> None:
    timeline = {"steps": [{"status": "pending"}, {"status": "processing", "percentage": "50"}, {"status": "finished"}]}
    task = {"task_id": "on-a-timeline", "task_type": "seed", "status": "finished", "seed": "1"}
    call(ctl, "POST", "/tasks", {**task, "timeline": timeline})
    submitted = ctl.post("/imagine", {"prompt": "a lighthouse"}).body["task_id"]
    ctl.post("/fetch", {"task_id": "on-a-timeline"})
    listed = {item["task"]["task_id"]: item for item in call(ctl, "GET", "/progress").body["tasks"]}
    assert listed["on-a-timeline"] == {
        "task": {"task_id": "on-a-timeline", "task_type": "seed", "status": "processing", "percentage": "50"},
        "origin": "added",
        "step": 1,
        "steps": 3,
        "advances": True,
    }
    assert (listed[submitted]["origin"], listed[submitted]["step"]) == ("submitted", 0)
    assert listed[PROCESSING_IMAGINE]["origin"] == "fixture"
    assert (listed[PROCESSING_IMAGINE]["step"], listed[PROCESSING_IMAGINE]["steps"]) == (None, None)
    # What the dashboard may offer: a next step, until the task is at its end.
    assert call(ctl, "POST", "/tasks/on-a-timeline/advance", {"to": "end"}).status == 200
    assert call(ctl, "POST", f"/tasks/{PROCESSING_IMAGINE}/advance", {"to": "end"}).status == 200
    ends = {item["task"]["task_id"]: item["advances"] for item in call(ctl, "GET", "/progress").body["tasks"]}
    assert (ends["on-a-timeline"], ends[PROCESSING_IMAGINE], ends[submitted]) == (False, False, True)


def test_add_task_builds_a_valid_task_of_a_type_and_status(ctl: Api) -> None:
    answer = call(ctl, "POST", "/add-task", {"task_type": "imagine", "status": "failed"})
    assert answer.status == 201
    task = answer.body["task"]
    assert (task["task_type"], task["status"], "message" in task) == ("imagine", "failed", True)
    assert ctl.post("/fetch", {"task_id": task["task_id"]}).body == task


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"task_type": "painting"}, 400, "unknown task_type 'painting': use one of ai-photo-upload"),
        ({"status": "done"}, 400, "unknown status 'done': use one of pending"),
        ({"status": 7}, 400, "status is 7: send"),
        ({"task_id": PROCESSING_IMAGINE}, 409, f'task_id "{PROCESSING_IMAGINE}" already exists'),
    ],
)
def test_add_task_refuses_naming_what_is_wrong(ctl: Api, payload: object, status: int, message: str) -> None:
    answer = call(ctl, "POST", "/add-task", payload)
    assert answer.status == status
    assert message in answer.body["errors"][0]["msg"]


def test_status_fails_a_task_with_a_message(ctl: Api) -> None:
    answer = call(ctl, "POST", f"/tasks/{PROCESSING_IMAGINE}/status", {"status": "failed"})
    assert answer.status == 200
    fetched = ctl.post("/fetch", {"task_id": PROCESSING_IMAGINE}).body
    assert fetched == answer.body["task"]
    assert (fetched["status"], "percentage" in fetched, bool(fetched["message"])) == ("failed", False, True)


def test_status_of_an_unknown_task_is_404_and_a_bad_status_is_400(ctl: Api) -> None:
    assert call(ctl, "POST", "/tasks/nope/status", {"status": "failed"}).status == 404
    answer = call(ctl, "POST", f"/tasks/{PROCESSING_IMAGINE}/status", {"status": "melted"})
    assert answer.status == 400
    assert "unknown status 'melted': use one of" in answer.body["errors"][0]["msg"]


def test_the_journal_records_each_answer_status_and_arrival_time(ctl: Api) -> None:
    call(ctl, "DELETE", "/journal")
    before = time.time()
    ctl.send("GET", "/account", None, APIFRAME)
    ctl.send("GET", "/account", None, {"Authorization": "wrong"})
    entries = call(ctl, "GET", "/journal").body["requests"]
    assert [(entry["seq"], entry["status"]) for entry in entries] == [(1, 200), (2, 401)]
    assert before <= entries[0]["at"] <= entries[1]["at"] <= time.time()


def test_the_journal_lists_the_newest_with_last_keeping_their_seq(ctl: Api) -> None:
    call(ctl, "DELETE", "/journal")
    for number in range(5):
        ctl.send("GET", f"/nowhere-{number}")
    newest = call(ctl, "GET", "/journal?last=2").body["requests"]
    assert [(entry["seq"], entry["path"]) for entry in newest] == [(4, "/nowhere-3"), (5, "/nowhere-4")]
    assert len(call(ctl, "GET", "/journal?last=50").body["requests"]) == 5
    refused = call(ctl, "GET", "/journal?last=some")
    assert (refused.status, refused.body["errors"][0]["msg"]) == (
        400,
        'last is "some": give a whole number of the newest entries to list.',
    )
    assert call(ctl, "GET", "/journal?last=%C2%B2").status == 400
    assert len(call(ctl, "GET", "/journal?last=" + "9" * 5000).body["requests"]) == 5


def test_a_dropped_connection_is_journalled_without_a_status(ctl: Api) -> None:
    call(ctl, "PUT", "/faults", {"faults": [{"route": "account", "kind": "drop", "next": 1}]})
    call(ctl, "DELETE", "/journal")
    with pytest.raises(httpx.RemoteProtocolError):
        ctl.send("GET", "/account", None, APIFRAME)
    assert [entry["status"] for entry in call(ctl, "GET", "/journal").body["requests"]] == [None]
