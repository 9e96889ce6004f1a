"""Task building: every documented type and status gives a valid task; bad asks are named with what is allowed."""

from __future__ import annotations

import pytest

from mockserver import TASK_STATUSES, TASK_TYPES, TaskSpecError, build_task, bundled_schemas
from mockserver.engine.factory import RESULT_FIELDS, TYPE_RESULT_FIELDS, move_task

SCHEMAS = bundled_schemas()
TASK_SCHEMA = SCHEMAS.validator("task.json")


def test_every_family_of_the_schemas_has_result_builders() -> None:
    assert set(RESULT_FIELDS) == set(SCHEMAS.task_families())
    assert set(TYPE_RESULT_FIELDS) <= set(TASK_TYPES)


def test_types_and_statuses_come_from_the_schemas() -> None:
    assert "imagine" in TASK_TYPES
    assert "kling-2.6-video" in TASK_TYPES
    assert tuple(SCHEMAS.documents["task.json"]["properties"]["status"]["enum"]) == TASK_STATUSES


@pytest.mark.parametrize("task_type", TASK_TYPES)
@pytest.mark.parametrize("status", TASK_STATUSES)
def test_every_type_and_status_builds_a_valid_task(task_type: str, status: str) -> None:
    task = build_task(task_type, status)
    assert TASK_SCHEMA.is_valid(task), task
    assert (task["task_type"], task["status"]) == (task_type, status)
    if status == "processing":
        assert task["percentage"] == "40"
    if status == "failed":
        assert task["message"]


def test_finished_tasks_carry_their_familys_fields() -> None:
    assert set(build_task("imagine")) == {"task_id", "task_type", "status", "original_image_url", "image_urls"}
    assert build_task("kling-video")["percentage"] == 100
    assert set(build_task("ideogram-describe")) == {"task_id", "task_type", "status", "description"}
    assert build_task("seed")["seed"].isdigit()
    assert build_task("upscale#3")["image_url"].startswith("https://")


def test_each_task_gets_a_fresh_id_and_fields_override_defaults() -> None:
    assert build_task()["task_id"] != build_task()["task_id"]
    task = build_task("imagine", "processing", task_id="t-1", percentage=75, prompt="a cat")
    assert task == {
        "task_id": "t-1",
        "task_type": "imagine",
        "status": "processing",
        "percentage": 75,
        "prompt": "a cat",
    }


def test_moving_on_replaces_the_status_fields_and_keeps_the_rest() -> None:
    running = build_task("flux-imagine", "processing", prompt="a cat")
    done = move_task(running, "finished")
    assert "percentage" not in done
    assert done["prompt"] == "a cat"
    assert move_task(done, "finished", image_url="https://x.invalid/1.png")["image_url"] == "https://x.invalid/1.png"
    failed = move_task(done, "failed")
    assert "image_url" not in failed
    assert failed["message"]
    assert move_task(failed, "retrying") == {
        **{k: failed[k] for k in ("task_id", "task_type", "prompt")},
        "status": "retrying",
    }


@pytest.mark.parametrize(
    ("task_type", "status", "fields", "message"),
    [
        (
            "imagin",
            "finished",
            {},
            "unknown task_type 'imagin': use one of ai-photo-upload, ai-photo-train, ",
        ),
        (None, "finished", {}, "unknown task_type None: use one of "),
        ("imagine", "done", {}, "unknown status 'done': use one of pending, staged, starting, processing, finished, "),
        ("imagine", "finished", {"image_urls": "x"}, "image_urls: 'x' is not of type 'array'"),
        ("imagine", "finished", {"image_urls": ["a", 3]}, "image_urls[1]: 3 is not of type 'string'"),
        (
            "imagine",
            "processing",
            {"percentage": "40%"},
            "percentage: '40%' is not allowed; Progress as a whole number",
        ),
        ("seed", "finished", {"seed": 7}, "seed: 7 is not of type 'string'"),
        ("imagine", "finished", {"task_id": 7}, "task_id: 7 is not of type 'string'"),
    ],
)
def test_a_bad_ask_names_the_field_and_what_is_allowed(
    task_type: str, status: str, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(TaskSpecError) as caught:
        build_task(task_type, status, **fields)
    assert message in str(caught.value)


def test_an_invalid_move_names_the_call() -> None:
    with pytest.raises(TaskSpecError, match=r"set_status\('t-1', 'failed'\) would store an invalid task: message: "):
        move_task(build_task(task_id="t-1"), "failed", message=None)
