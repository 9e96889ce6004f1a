"""The control API: off by default, behind its own token, driving tasks, faults, the journal and reset."""

from __future__ import annotations

import json

import pytest
from starlette.routing import Mount, Route

from mockserver import DEFAULT_API_KEY, Journal, MockState, create_app, load_fixtures

from .conftest import CONTROL, TOKEN, Api, call, serving

BUNDLED = len(load_fixtures().tasks)
APIFRAME = {"Authorization": DEFAULT_API_KEY}
RESULT = {
    "task_id": "ctl-1",
    "task_type": "upscale#1",
    "status": "finished",
    "image_url": "https://cdn.example.invalid/u1.png",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/__mock__/health"), ("GET", "/__mock__/ui"), ("POST", "/__mock__/reset"), ("GET", "/__mock__")],
)
def test_the_control_api_is_off_unless_asked_and_its_404_says_how_to_turn_it_on(
    api: Api, method: str, path: str
) -> None:
    answer = api.send(method, path, None, CONTROL)
    assert (answer.status, answer.content_type) == (404, "application/json")
    assert answer.body == {
        "errors": [
            {
                "msg": f"No route for {method} {path}: The control API and the dashboard under /__mock__/ are off: "
                'start the mock with `apiframe-mock serve --control` (or `make run ARGS="--control"`, or '
                "`make dashboard`) and send the token it prints, or the one given with --control-token, as "
                "'Authorization: Bearer <token>'."
            }
        ]
    }


@pytest.mark.parametrize(
    "headers", [{}, APIFRAME, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {TOKEN}x"}]
)
@pytest.mark.parametrize(("method", "path"), [("GET", "/health"), ("GET", "/tasks"), ("POST", "/reset")])
def test_without_the_token_every_route_is_401_empty(ctl: Api, headers: dict[str, str], method: str, path: str) -> None:
    answer = ctl.send(method, f"/__mock__{path}", None, headers)
    assert (answer.status, answer.content_type, answer.body) == (401, "application/json", {})


def test_health(ctl: Api) -> None:
    answer = call(ctl, "GET", "/health")
    assert (answer.status, answer.body) == (200, {"status": "ok", "tasks": BUNDLED})


def test_create_read_update_delete_a_task(ctl: Api) -> None:
    created = call(ctl, "POST", "/tasks", RESULT)
    assert (created.status, created.body) == (201, {"task": RESULT})
    fetched = ctl.send("POST", "/fetch", json.dumps({"task_id": "ctl-1"}).encode(), APIFRAME)
    assert (fetched.status, fetched.body) == (200, RESULT)
    assert call(ctl, "GET", "/tasks/ctl-1").body == {"task": RESULT}
    updated = call(ctl, "PATCH", "/tasks/ctl-1", {"image_url": "https://cdn.example.invalid/u2.png"})
    assert (updated.status, updated.body["task"]["image_url"]) == (200, "https://cdn.example.invalid/u2.png")
    deleted = call(ctl, "DELETE", "/tasks/ctl-1")
    assert (deleted.status, deleted.body) == (200, {"deleted": "ctl-1"})
    gone = ctl.send("POST", "/fetch", json.dumps({"task_id": "ctl-1"}).encode(), APIFRAME)
    assert gone.status == 400


def test_list_shows_every_task(ctl: Api) -> None:
    call(ctl, "POST", "/tasks", RESULT)
    tasks = call(ctl, "GET", "/tasks").body["tasks"]
    assert len(tasks) == BUNDLED + 1
    assert RESULT in tasks


def test_a_task_with_a_timeline_moves_as_it_is_polled(ctl: Api) -> None:
    timeline = {"steps": [{"status": "pending"}, {"status": "processing", "percentage": "50"}, {"status": "finished"}]}
    created = call(ctl, "POST", "/tasks", {**RESULT, "timeline": timeline})
    assert created.body == {
        "task": {"task_id": "ctl-1", "task_type": "upscale#1", "status": "pending"},
        "timeline": {"by": "polls", "every": 1, **timeline},
    }
    seen = []
    for _ in range(4):
        answer = ctl.send("POST", "/fetch-many", json.dumps({"task_ids": ["ctl-1", "x"]}).encode(), APIFRAME)
        seen.append(answer.body["tasks"][0])
    assert [task["status"] for task in seen] == ["pending", "processing", "finished", "finished"]
    assert seen[2] == RESULT


def test_patch_moves_a_task_on_and_null_removes_a_field(ctl: Api) -> None:
    call(ctl, "POST", "/tasks", {"task_id": "ctl-2", "task_type": "seed", "status": "processing", "percentage": "10"})
    answer = call(ctl, "PATCH", "/tasks/ctl-2", {"status": "finished", "seed": "42", "percentage": None})
    assert answer.body == {"task": {"task_id": "ctl-2", "task_type": "seed", "status": "finished", "seed": "42"}}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({**RESULT, "status": "done"}, "Not a valid task: status: 'done' is not one of"),
        ({**RESULT, "image_url": 5}, "Not a valid task: image_url: 5 is not of type 'string'"),
        ({**RESULT, "timeline": {"steps": []}}, "timeline is not valid: steps: [] should be non-empty"),
        ([RESULT], "The request body is an array: it must be a JSON object; send a task object"),
    ],
)
def test_an_invalid_task_is_refused_naming_the_field(ctl: Api, payload: object, message: str) -> None:
    answer = call(ctl, "POST", "/tasks", payload)
    assert (answer.status, answer.content_type) == (400, "application/json")
    assert answer.body["errors"][0]["msg"].startswith(message)


def test_a_repeated_task_id_is_409(ctl: Api) -> None:
    call(ctl, "POST", "/tasks", RESULT)
    answer = call(ctl, "POST", "/tasks", RESULT)
    assert (answer.status, answer.body) == (
        409,
        {"errors": [{"msg": 'task_id "ctl-1" already exists: change it with PATCH.'}]},
    )


@pytest.mark.parametrize(("method", "payload"), [("GET", None), ("PATCH", {"status": "failed"}), ("DELETE", None)])
def test_an_unknown_task_is_404(ctl: Api, method: str, payload: object) -> None:
    answer = call(ctl, method, "/tasks/nope", payload)
    assert (answer.status, answer.body) == (
        404,
        {"errors": [{"msg": 'No task has task_id "nope": list them with GET /__mock__/tasks.'}]},
    )


def test_a_long_unknown_id_is_shortened_in_the_404_as_fetch_shortens_it(ctl: Api) -> None:
    answer = call(ctl, "GET", "/tasks/" + "x" * 5000)
    assert (answer.status, answer.body) == (
        404,
        {"errors": [{"msg": 'No task has task_id "' + "x" * 100 + '...": list them with GET /__mock__/tasks.'}]},
    )


def test_task_id_cannot_change(ctl: Api) -> None:
    call(ctl, "POST", "/tasks", RESULT)
    answer = call(ctl, "PATCH", "/tasks/ctl-1", {"task_id": "other"})
    assert (answer.status, answer.body) == (
        400,
        {"errors": [{"msg": "task_id cannot change: create a new task instead."}]},
    )


def test_faults_are_set_shown_and_cleared(ctl: Api) -> None:
    fault = {"route": "fetch-many", "kind": "error", "next": 1}
    plan = {"seed": 9, "faults": [fault]}
    assert call(ctl, "PUT", "/faults", plan).body == plan
    first = ctl.send("POST", "/fetch-many", json.dumps({"task_ids": ["a", "b"]}).encode(), APIFRAME)
    assert (first.status, first.body) == (500, {})
    assert call(ctl, "GET", "/faults").body == {"seed": 9, "faults": [{**fault, "next": 0}]}
    assert call(ctl, "DELETE", "/faults").body == {"seed": 0, "faults": []}


def test_a_bad_fault_plan_is_400(ctl: Api) -> None:
    answer = call(ctl, "PUT", "/faults", {"faults": [{"kind": "meteor"}]})
    assert answer.status == 400
    assert answer.body["errors"][0]["msg"].startswith("faults are not valid: faults[0].kind: 'meteor' is not one of")


def test_the_journal_lists_apiframe_calls_with_the_key_redacted(ctl: Api) -> None:
    call(ctl, "DELETE", "/journal")
    ctl.send("POST", "/fetch-many", b'{"task_ids": ["a", "b"]}', {"Authorization": f"Bearer {DEFAULT_API_KEY}"})
    ctl.send("GET", "/account", None, APIFRAME)
    entries = call(ctl, "GET", "/journal").body["requests"]
    assert [(entry["method"], entry["path"]) for entry in entries] == [("POST", "/fetch-many"), ("GET", "/account")]
    assert entries[0]["json"] == {"task_ids": ["a", "b"]}
    assert entries[0]["headers"]["authorization"] == "Bearer <redacted>"
    assert entries[1]["headers"]["authorization"] == "<redacted>"
    assert DEFAULT_API_KEY not in json.dumps(entries)
    assert TOKEN not in json.dumps(entries)


def test_the_journal_says_how_many_of_the_oldest_requests_it_dropped() -> None:
    state = MockState.from_fixtures()
    with serving(create_app(state, journal=Journal(max_entries=2), control_token=TOKEN)) as small:
        for path in ("/nowhere-1", "/nowhere-2", "/nowhere-3"):
            small.send("GET", path)
        answer = call(small, "GET", "/journal").body
    assert [entry["path"] for entry in answer["requests"]] == ["/nowhere-2", "/nowhere-3"]
    assert answer["dropped"] == 1


def test_reset_restores_tasks_and_faults_and_empties_the_journal(ctl: Api) -> None:
    call(ctl, "POST", "/tasks", RESULT)
    call(ctl, "PUT", "/faults", {"faults": [{"kind": "error"}]})
    ctl.send("GET", "/account", None, APIFRAME)
    assert call(ctl, "POST", "/reset").body == {"status": "reset", "tasks": BUNDLED}
    assert call(ctl, "GET", "/faults").body == {"seed": 0, "faults": []}
    assert call(ctl, "GET", "/journal").body == {"requests": [], "dropped": 0}
    assert call(ctl, "GET", "/tasks/ctl-1").status == 404


def test_openapi_describes_the_control_api_when_on(ctl: Api) -> None:
    paths = ctl.send("GET", "/openapi.json").body["paths"]
    assert {"/__mock__/tasks", "/__mock__/tasks/{task_id}", "/__mock__/faults", "/__mock__/reset"} <= set(paths)
    assert paths["/__mock__/faults"]["put"]["security"] == [{"controlToken": []}]


def test_openapi_gives_the_mocks_own_server_for_its_control_routes_and_apiframes_for_the_rest(ctl: Api) -> None:
    document = ctl.send("GET", "/openapi.json").body
    assert [server["url"] for server in document["servers"]] == ["https://api.apiframe.pro"]
    servers = {path: [server["url"] for server in item.get("servers", [])] for path, item in document["paths"].items()}
    assert {path: urls for path, urls in servers.items() if urls} == {
        path: ["/"] for path in document["paths"] if path.startswith("/__mock__/")
    }


def test_openapi_describes_every_control_route_and_method(ctl: Api) -> None:
    paths = ctl.send("GET", "/openapi.json").body["paths"]
    described = {
        (method.upper(), path)
        for path, item in paths.items()
        if path.startswith("/__mock__")
        for method in item
        if method not in ("parameters", "servers")
    }
    app = create_app(MockState.from_fixtures(), control_token=TOKEN)
    # The control API is one Mount: its routes' paths are under the mount's.
    routes = [
        (mount.path + route.path, route)
        for mount in app.routes
        if isinstance(mount, Mount)
        for route in mount.routes
        if isinstance(route, Route)
    ]
    served = {
        (method, path.replace(":path", ""))
        for path, route in routes
        if path.startswith("/__mock__")
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert served == described


def test_a_deleted_task_and_a_reset_store_leave_no_v1_encoding_behind() -> None:
    # v1 keeps each task's encoding with the tasks, so a fetch of many only joins bytes; those of a task
    # that is gone would otherwise stay until a million had piled up.
    state = MockState.from_fixtures()
    ids = [task["task_id"] for task in load_fixtures().tasks[:3]]
    with serving(create_app(state, control_token=TOKEN)) as api:
        fetched = api.send("POST", "/fetch-many", json.dumps({"task_ids": ids}).encode(), APIFRAME)
        assert (fetched.status, len(fetched.body["tasks"]), sorted(state.store.tasks.encodings)) == (
            200,
            3,
            sorted(ids),
        )
        assert call(api, "DELETE", f"/tasks/{ids[0]}").body == {"deleted": ids[0]}
        assert sorted(state.store.tasks.encodings) == sorted(ids[1:])
        assert call(api, "POST", "/reset").body == {"status": "reset", "tasks": BUNDLED}
        assert state.store.tasks.encodings == {}
        again = api.send("POST", "/fetch-many", json.dumps({"task_ids": ids}).encode(), APIFRAME)
        assert (again.status, again.body) == (200, fetched.body)
