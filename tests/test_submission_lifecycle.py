"""A submitted task's lifecycle: its pace, the magic values that bend it, failing faults, and moving it by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver import MockState, create_app
from mockserver.edges.v1 import load_endpoints
from mockserver.engine.faults import FaultPlan
from mockserver.engine.lifecycle import COMMAND_LINE_PACE, PLUGIN_PACE, Submissions
from mockserver.engine.store import TaskStore
from mockserver.errors import SubmissionsSpecError

from .conftest import Api, serving
from .submitting import PROMPT

TOKEN = "lifecycle-token"
CONTROL = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def state() -> MockState:
    return MockState.from_fixtures()


@pytest.fixture
def mock(state: MockState) -> Iterator[Api]:
    with serving(create_app(state, control_token=TOKEN)) as api:
        yield api


class Clock:
    """A clock that moves only when the test says."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def submit(api: Api, path: str = "/imagine", **fields: Any) -> str:
    answer = api.post(path, {"prompt": PROMPT, **fields})
    assert answer.status == 200, answer.body
    task_id: str = answer.body["task_id"]
    return task_id


def shown(api: Api, task_id: str) -> str:
    task = api.post("/fetch", {"task_id": task_id}).body
    return " ".join(str(task[key]) for key in ("status", "percentage", "message") if key in task)


def polls(api: Api, task_id: str, count: int) -> list[str]:
    return [shown(api, task_id) for _ in range(count)]


def test_by_default_each_poll_shows_the_next_step_in_the_family_s_own_form(mock: Api) -> None:
    assert polls(mock, submit(mock), 6) == [
        "pending",
        "processing 25",
        "processing 50",
        "processing 75",
        "finished",
        "finished",
    ]
    assert polls(mock, submit(mock, "/flux-imagine", model="flux-pro"), 3) == [
        "pending",
        "processing 25",
        "processing 50",
    ]
    assert polls(mock, submit(mock, "/shorten"), 4) == ["pending", "starting", "finished", "finished"]


def test_flux_and_suno_show_percentage_as_a_number(mock: Api) -> None:
    for path in ("/flux-imagine", "/suno-imagine"):
        task_id = submit(mock, path, model="flux-pro") if path == "/flux-imagine" else submit(mock, path)
        mock.post("/fetch", {"task_id": task_id})
        assert mock.post("/fetch", {"task_id": task_id}).body["percentage"] == 25


def test_the_command_line_pace_is_by_seconds_and_finishes_within_ten_seconds() -> None:
    # pending, then three processing steps, then finished: four steps of 2 s before the last.
    assert (COMMAND_LINE_PACE.by.value, 4 * COMMAND_LINE_PACE.every) == ("seconds", 8.0)
    assert (PLUGIN_PACE.by.value, PLUGIN_PACE.every) == ("polls", 1)


def test_by_seconds_the_task_moves_on_its_own(mock: Api, state: MockState) -> None:
    # The tasks keep time by a clock the test moves, rather than by a second of sleep.
    clock = Clock()
    state.store.tasks = TaskStore(clock=clock)
    state.store.submissions = Submissions.from_json({"by": "seconds", "every": 0.2}, load_endpoints())
    task_id = submit(mock)
    assert shown(mock, task_id) == "pending"
    clock.now += 1.0
    assert shown(mock, task_id) == "finished"


def test_an_endpoint_can_have_a_pace_of_its_own(mock: Api, state: MockState) -> None:
    state.store.submissions = Submissions.from_json({"endpoints": {"imagine": {"every": 2}}}, load_endpoints())
    assert polls(mock, submit(mock), 4) == ["pending", "pending", "processing 25", "processing 25"]
    assert polls(mock, submit(mock, "/luma-imagine"), 2) == ["pending", "processing 25"]


def test_steps_can_be_given_in_the_words_of_a_timeline(mock: Api, state: MockState) -> None:
    steps = [{"status": "staged"}, {"status": "processing", "percentage": "90"}, {"status": "finished"}]
    state.store.submissions = Submissions.from_json({"steps": steps}, load_endpoints())
    assert polls(mock, submit(mock), 3) == ["staged", "processing 90", "finished"]


def test_settings_name_the_endpoint_that_does_not_exist() -> None:
    with pytest.raises(
        SubmissionsSpecError, match="endpoints has 'zoom', which is no submit endpoint; use one of blend"
    ):
        Submissions.from_json({"endpoints": {"zoom": {"every": 1}}}, load_endpoints())
    with pytest.raises(SubmissionsSpecError, match=r"submissions are not valid: every: 0 is less than or equal"):
        Submissions.from_json({"every": 0}, load_endpoints())


def test_mock_fail_ends_the_task_failed_with_its_message(mock: Api) -> None:
    assert polls(mock, submit(mock, prompt=f"{PROMPT} [mock:fail: GPU melted]"), 5)[-1] == "failed GPU melted"
    assert polls(mock, submit(mock, prompt="[mock:fail]"), 5)[-1] == (
        "failed The task failed: the request asked for it with [mock:fail]."
    )


def test_mock_stall_keeps_the_task_running_until_moved_by_hand(mock: Api) -> None:
    task_id = submit(mock, prompt=f"{PROMPT} [mock:stall]")
    assert polls(mock, task_id, 40)[-1] == "processing 75"
    answer = mock.send("POST", f"/__mock__/tasks/{task_id}/advance", b'{"to": "end"}', CONTROL)
    assert (answer.status, answer.body["task"]["status"]) == (200, "finished")


def test_mock_slow_stretches_every_step(mock: Api) -> None:
    assert polls(mock, submit(mock, prompt=f"{PROMPT} [mock:slow: 3]"), 4) == ["pending"] * 3 + ["processing 25"]
    assert polls(mock, submit(mock, prompt=f"{PROMPT} [mock:slow]"), 11)[-2:] == ["pending", "processing 25"]


def test_magic_values_are_read_from_any_string_field(mock: Api, state: MockState) -> None:
    grid = submit(mock)
    polls(mock, grid, 5)
    upscale = mock.post("/upscale-1x", {"parent_task_id": grid, "index": "1", "webhook_secret": "[mock:fail: no]"})
    assert polls(mock, upscale.body["task_id"], 5)[-1] == "failed no"


def test_a_fail_task_fault_fails_a_seeded_share_of_submissions(mock: Api, state: MockState) -> None:
    def outcomes() -> list[str]:
        state.store.faults = FaultPlan.from_json(
            {"seed": 3, "faults": [{"route": "submit", "kind": "fail_task", "probability": 0.5}]}
        )
        return [polls(mock, submit(mock), 5)[-1] for _ in range(8)]

    first = outcomes()
    assert first == outcomes()
    assert set(first) == {"finished", "failed The task failed (an injected fail_task fault)."}


def test_fail_task_strikes_submissions_only() -> None:
    with pytest.raises(Exception, match=r"faults\[0\]: fail_task strikes submissions only, not route 'fetch'"):
        FaultPlan.from_json({"faults": [{"route": "fetch", "kind": "fail_task"}]})


def test_advance_moves_a_task_one_step_or_to_its_end(mock: Api) -> None:
    task_id = submit(mock)
    path = f"/__mock__/tasks/{task_id}/advance"
    assert mock.send("POST", path, None, CONTROL).body["task"]["status"] == "processing"
    assert mock.send("POST", path, b'{"to": "next"}', CONTROL).body["task"]["percentage"] == "50"
    assert mock.send("POST", path, b'{"to": "end"}', CONTROL).body["task"]["status"] == "finished"
    again = mock.send("POST", path, None, CONTROL)
    assert (again.status, again.body) == (
        409,
        {
            "errors": [
                {
                    "msg": f'task "{task_id}" is finished, the last step of its timeline: it has no next step; '
                    f"see it with GET /__mock__/tasks/{task_id}."
                }
            ]
        },
    )


def test_advance_moves_a_fixture_task_along_the_statuses(mock: Api) -> None:
    pending = "4d7d3c3c-0ad5-5e0c-9c0f-2a1a4d7a0f11"
    created = mock.send(
        "POST",
        "/__mock__/tasks",
        json.dumps({"task_id": pending, "task_type": "seed", "status": "pending"}).encode(),
        CONTROL,
    )
    assert created.status == 201
    path = f"/__mock__/tasks/{pending}/advance"
    assert mock.send("POST", path, None, CONTROL).body["task"] == {
        "task_id": pending,
        "task_type": "seed",
        "status": "processing",
        "percentage": "40",
    }
    finished = mock.send("POST", path, None, CONTROL).body["task"]
    assert (finished["status"], finished["seed"].isdigit()) == ("finished", True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"to": "last"}', 'to is "last": send nothing, {"to": "next"} or {"to": "end"}.'),
        (
            b"[]",
            'The request body is an array: it must be a JSON object; send nothing, {"to": "next"} or {"to": "end"}.',
        ),
    ],
)
def test_advance_refuses_what_it_does_not_know(mock: Api, body: bytes, message: str) -> None:
    answer = mock.send("POST", f"/__mock__/tasks/{submit(mock)}/advance", body, CONTROL)
    assert (answer.status, answer.body) == (400, {"errors": [{"msg": message}]})


def test_submissions_settings_through_the_control_api(mock: Api) -> None:
    answer = mock.send(
        "PUT", "/__mock__/submissions", b'{"every": 2, "endpoints": {"seed": {"by": "seconds"}}}', CONTROL
    )
    assert answer.body == {"by": "polls", "every": 2, "endpoints": {"seed": {"by": "seconds", "every": 1}}}
    assert polls(mock, submit(mock), 3) == ["pending", "pending", "processing 25"]
    bad = mock.send("PUT", "/__mock__/submissions", b'{"by": "days"}', CONTROL)
    assert bad.status == 400
    assert bad.body["errors"][0]["msg"].startswith(
        "submissions are not valid: by: 'days' is not one of ['polls', 'seconds']"
    )


def test_reset_forgets_submitted_tasks(mock: Api) -> None:
    task_id = submit(mock)
    mock.send("POST", "/__mock__/reset", None, CONTROL)
    assert mock.post("/fetch", {"task_id": task_id}).status == 400
