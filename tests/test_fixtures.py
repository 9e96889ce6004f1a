"""Fixture loading: the bundled set covers every type and status; a broken file is named with its field."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver import TASK_STATUSES, FixtureError, MockState, ServerThread, bundled_schemas, create_app, load_fixtures
from mockserver.paths import default_fixtures_dir

from .v2 import KEY

STATUSES = set(TASK_STATUSES)
FAMILIES = set(bundled_schemas().task_families())


def family_of(task_type: str) -> str | None:
    return bundled_schemas().family_of(task_type)


def write(folder: Path, name: str, content: object) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


TASK = {"task_id": "t-1", "task_type": "imagine", "status": "pending"}
JOB_ID = "5b0b5c3e-58c3-4e2c-9a52-0d7e0c2f1a10"
"""A task id v2 serves: its jobs are named by UUIDs."""


def test_the_bundled_fixtures_cover_every_type_and_status(fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    assert len(fixture_tasks) >= 40
    assert {family_of(task["task_type"]) for task in fixture_tasks} == FAMILIES
    assert {task["status"] for task in fixture_tasks} == STATUSES
    assert {
        "imagine", "variations", "blend", "upscale", "faceswap", "describe", "shorten", "seed",
        "flux", "ideogram", "luma", "kling", "runway", "suno", "udio", "imagine-video",
        "nano-banana", "tryon", "wan", "seedance", "lyrics", "ai-photo",
    } == FAMILIES  # fmt: skip


def test_every_family_has_a_finished_fixture(fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    finished = {family_of(task["task_type"]) for task in fixture_tasks if task["status"] == "finished"}
    assert finished == FAMILIES


def test_running_tasks_carry_a_whole_number_string_percentage(fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    for task in fixture_tasks:
        if task["status"] == "processing" and "percentage" in task:
            assert isinstance(task["percentage"], str), task["task_id"]
            assert task["percentage"].isdigit(), task["task_id"]
            assert 0 <= int(task["percentage"]) <= 100


def test_failed_tasks_carry_a_message(fixture_tasks: tuple[dict[str, Any], ...]) -> None:
    failed = [task for task in fixture_tasks if task["status"] == "failed"]
    assert failed
    assert all(isinstance(task["message"], str) and task["message"] for task in failed)


@pytest.mark.parametrize(
    ("task_type", "family"),
    [("imagine", "imagine"), ("upscale#2", "upscale"), ("kling-2.6-video", "kling"), ("variation-1", "variations"),
     ("reroll", "imagine"), ("pan-up", "imagine"), ("imagine-video", "imagine-video"), ("remix", None)],
)  # fmt: skip
def test_a_task_type_maps_to_the_family_schema_that_governs_it(task_type: str, family: str | None) -> None:
    assert family_of(task_type) == family


def test_each_fixture_file_holds_one_task_named_for_it() -> None:
    for path in (default_fixtures_dir() / "tasks").glob("*.json"):
        task = json.loads(path.read_text(encoding="utf-8"))
        assert path.stem.endswith(task["status"]), path.name


def test_a_folder_of_json_and_jsonl_files_loads(tmp_path: Path) -> None:
    write(tmp_path, "a.json", TASK)
    write(
        tmp_path,
        "deep/more.jsonl",
        json.dumps({**TASK, "task_id": "t-2"}) + "\n\n" + json.dumps({**TASK, "task_id": "t-3"}),
    )
    write(tmp_path, "notes.txt", "not a fixture")
    loaded = load_fixtures(tmp_path)
    assert [task["task_id"] for task in loaded.tasks] == ["t-1", "t-2", "t-3"]
    assert loaded.account == json.loads((default_fixtures_dir() / "account.json").read_text())


def test_an_account_file_replaces_the_default(tmp_path: Path) -> None:
    account = {"email": "a@b.c", "credits": 0, "plan": "basic", "total_images": 0}
    write(tmp_path, "account.json", account)
    assert load_fixtures(tmp_path).account == account


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path / "absent")
    assert str(caught.value) == f"{tmp_path / 'absent'}: the fixtures folder does not exist or is not a folder"


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ({**TASK, "status": "done"}, "not a valid task: status: 'done' is not one of"),
        (
            {"task_type": "imagine", "status": "pending"},
            "not a valid task: (top level): 'task_id' is a required property",
        ),
        ({**TASK, "status": "finished", "image_urls": ["x"]}, "'original_image_url' is a required property"),
        ({**TASK, "status": "finished", "original_image_url": "u", "image_urls": [3]}, "image_urls[0]: 3 is not"),
        ({**TASK, "percentage": "40.5"}, "not a valid task: percentage: '40.5' does not match"),
        ({**TASK, "status": "failed"}, "not a valid task: (top level):"),
        ([TASK], "not a valid task: (top level): [{"),
        ('{"task_id": ', "not valid JSON: Expecting value: line 1, column 13"),
    ],
)
def test_a_broken_task_names_the_file_and_the_field(tmp_path: Path, content: object, detail: str) -> None:
    path = write(tmp_path, "broken.json", content)
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path)
    assert caught.value.source == str(path)
    assert detail in caught.value.detail


def test_a_broken_jsonl_line_is_named_with_its_number(tmp_path: Path) -> None:
    path = write(tmp_path, "many.jsonl", json.dumps(TASK) + "\n" + json.dumps({**TASK, "task_id": 5}))
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path)
    assert caught.value.source == f"{path} line 2"
    assert caught.value.detail == "not a valid task: task_id: 5 is not of type 'string'"


def test_a_repeated_task_id_names_both_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.json", TASK)
    second = write(tmp_path, "b.json", TASK)
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path)
    assert str(caught.value) == f'{second}: task_id "t-1" is already used by {first}'


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"task_id": "caf\xe9"}')
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path)
    assert str(caught.value) == f"{path}: not UTF-8 text (byte 16)"


def test_an_invalid_account_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "account.json", {"email": "a@b.c", "credits": "lots", "plan": "pro", "total_images": 1})
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path)
    assert str(caught.value) == f"{path}: not a valid account: credits: 'lots' is not of type 'number'"


def test_a_whole_percentage_written_as_a_float_loads_and_a_fraction_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        "whole.json",
        {
            **TASK,
            "task_id": JOB_ID,
            "task_type": "flux",
            "model": "flux-1.1-pro",
            "status": "processing",
            "percentage": 50.0,
        },
    )
    with ServerThread(create_app(MockState.from_fixtures(load_fixtures(tmp_path)))) as server:
        job = httpx.get(f"{server.url}/v2/jobs/{JOB_ID}", headers=KEY)
    assert (job.status_code, job.json()["status"], job.json()["progress"]) == (200, "PROCESSING", 50), job.text
    path = write(tmp_path, "whole.json", {**TASK, "task_type": "flux", "status": "processing", "percentage": 50.5})
    with pytest.raises(FixtureError) as caught:
        load_fixtures(tmp_path)
    assert (caught.value.source, caught.value.detail) == (
        str(path),
        "not a valid task: percentage: 50.5 is not valid under any of the given schemas",
    )


@pytest.mark.parametrize("collecting", [True, False])
def test_building_a_state_leaves_the_garbage_collector_as_it_found_it(collecting: bool) -> None:
    # The build sets the collector off while it makes the records; the process's own choice stands after.
    (gc.enable if collecting else gc.disable)()
    try:
        assert len(MockState.from_fixtures().store.tasks) == len(load_fixtures().tasks)
        assert gc.isenabled() is collecting
    finally:
        gc.enable()
