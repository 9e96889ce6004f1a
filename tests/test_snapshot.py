"""`apiframe-mock snapshot` against a local server standing for production: fixtures written, drift set apart."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from contract_tests.retrieval import batches
from contract_tests.snapshot import anonymised, file_name
from mockserver import Journal, ServerThread, load_fixtures
from mockserver.cli import main
from tests.contract.wrapper import After, Reply, Seen
from tests.production import fixture_task
from tests.production import production as stand_in

CANARY = "canary-key-51d0e2"
NAMES = ["seed-finished", "imagine-finished", "suno-processing", "upscale-1x-finished", "kling-failed"]


IDS = [fixture_task(name)["task_id"] for name in NAMES]
SEED_ID = IDS[0]


def production(after: After | None = None, journal: Journal | None = None) -> ServerThread:
    """The mock holding the bundled tasks behind the canary key, its answers passed through `after`."""
    return stand_in(CANARY, after, journal)


def seed_as_number(seen: Seen, reply: Reply) -> Reply:
    """Drift in one task: the seed task's `seed` comes as a number; and the key echoed in another's field."""
    body = reply.json()
    if reply.status != 200 or seen.path != "/fetch-many":
        return reply
    for task in body["tasks"]:
        if task["task_id"] == SEED_ID:
            task["seed"] = int(task["seed"])
        else:
            task["echo"] = f"key {CANARY}"
    return reply.with_json(body)


def snapshot(
    url: str, out: Path, capsys: pytest.CaptureFixture[str], *extra: str, ids: list[str] = IDS
) -> tuple[int, str]:
    status = main(
        ["snapshot", "--base-url", url, "--api-key", CANARY, "--task-ids", ",".join(ids), "--out", str(out), *extra]
    )
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_ids_that_reduce_to_the_same_name_get_files_of_their_own() -> None:
    base = {"task_type": "imagine", "status": "finished"}
    alike = ["Task-A", "task-a", "task a", "x" * 40 + "-one", "x" * 40 + "-two"]
    names = {file_name({**base, "task_id": task_id}) for task_id in alike}
    assert len(names) == len(alike)
    assert file_name({**base, "task_id": "task-a"}) == "imagine-finished-task-a.json"


def test_each_task_is_one_valid_fixture_named_for_type_status_and_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given five known ids, then five files the loader serves as they came, and exit 0."""
    with production() as server:
        status, out = snapshot(server.url, tmp_path, capsys)

    assert status == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(file_name(fixture_task(name)) for name in NAMES)
    assert f"{SEED_ID[:8]}" in file_name(fixture_task("seed-finished"))
    assert (
        file_name(fixture_task("upscale-1x-finished")) == "upscale-2-finished-b06e9610-e772-5ef2-a038-f4da51eecd69.json"
    )
    assert {task["task_id"]: task for task in load_fixtures(tmp_path).tasks} == {
        task_id: fixture_task(name) for task_id, name in zip(IDS, NAMES, strict=True)
    }
    assert out.endswith(
        "5 tasks written to " + str(tmp_path) + " (5 valid, 0 refused by the schemas), 0 missing, 2 requests\n"
    )


def test_a_task_that_breaks_the_schema_is_written_apart_with_its_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given production sending the seed as a number, then that task is written as .json.invalid and reported."""
    with production(seed_as_number) as server:
        status, out = snapshot(server.url, tmp_path, capsys)

    invalid = file_name(fixture_task("seed-finished")) + ".invalid"
    assert status == 1
    assert f"INVALID {invalid}: seed: 3141592653 is not of type 'string'" in out
    assert json.loads((tmp_path / invalid).read_text())["seed"] == 3141592653
    assert len(load_fixtures(tmp_path).tasks) == 4
    written = out + "".join(path.read_text() for path in tmp_path.iterdir())
    assert CANARY not in written
    assert "key $APIFRAME_API_KEY" in written


def test_anonymised_ids_and_urls_are_fakes_always_the_same_and_still_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given --anonymise twice, then no original id or URL is written, both runs agree, and the loader takes them."""
    with production() as server:
        snapshot(server.url, tmp_path / "one", capsys, "--anonymise")
        snapshot(server.url, tmp_path / "two", capsys, "--anonymise")

    files = {path.name: path.read_text() for path in (tmp_path / "one").iterdir()}
    again = {path.name: path.read_text() for path in (tmp_path / "two").iterdir()}
    text = "".join(files) + "".join(files.values())
    assert files == again
    assert not any(task_id in text for task_id in IDS)
    assert "https://cdn.example.invalid/" in text
    assert not any(url in text for url in _urls(fixture_task("imagine-finished")))
    assert len(load_fixtures(tmp_path / "one").tasks) == 5
    suno = anonymised(fixture_task("suno-processing"))
    assert suno["task_type"] == "suno"
    assert suno["percentage"] == fixture_task("suno-processing")["percentage"]


def test_a_429_with_retry_after_is_waited_out_then_the_tasks_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given production answering 429 with Retry-After: 1 once, then the snapshot waits a second and succeeds."""
    answered: list[int] = []

    def busy_once(seen: Seen, reply: Reply) -> Reply:
        answered.append(429 if not answered else reply.status)
        return reply.with_json({}, status=429).with_header("retry-after", "1") if answered[-1] == 429 else reply

    with production(busy_once) as server:
        started = time.monotonic()
        status, _ = snapshot(server.url, tmp_path, capsys)
        waited = time.monotonic() - started

    assert (status, answered) == (0, [429, 200, 200])  # the ground check waited, then the tasks came
    assert waited >= 1.0
    assert len(list(tmp_path.iterdir())) == 5


def test_many_ids_go_in_batches_of_two_to_twenty_and_a_lone_id_to_fetch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given 21 ids, then fetch-many twice (11 and 10); given one id, then /fetch; each after the ground check."""
    every = [task["task_id"] for task in load_fixtures().tasks][:21]
    journal = Journal()
    with production(journal=journal) as server:
        snapshot(server.url, tmp_path / "many", capsys, ids=every)
        snapshot(server.url, tmp_path / "one", capsys, ids=every[:1])

    sent = [
        (entry.path, len(entry.json["task_ids"]) if entry.path == "/fetch-many" else 1) for entry in journal.entries()
    ]
    ground = ("/account", 1)
    assert sent == [ground, ("/fetch-many", 11), ("/fetch-many", 10), ground, ("/fetch", 1)]
    assert len(list((tmp_path / "many").iterdir())) == 21
    assert [len(batch) for batch in batches([str(n) for n in range(41)])] == [14, 14, 13]


def test_an_id_the_server_does_not_have_is_reported_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given an unknown id beside a known one, then it is listed as missing and the exit status is 1."""
    with production() as server:
        status, out = snapshot(server.url, tmp_path, capsys, ids=[IDS[0], "no-such-task"])

    assert status == 1
    assert "MISSING no-such-task: the server returned no task with this id" in out


def test_without_ids_or_with_a_wrong_key_the_error_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given no ids, then exit 4; given a wrong key, then exit 8 naming the key, each one line on stderr."""
    with production() as server:
        assert (
            main(["snapshot", "--base-url", server.url, "--api-key", CANARY, "--task-ids", "", "--out", str(tmp_path)])
            == 4
        )
        assert (
            capsys.readouterr().err == "apiframe-mock: error: no task ids: give --task-ids or set $APIFRAME_TASK_IDS\n"
        )
        wrong = [
            "snapshot",
            "--base-url",
            server.url,
            "--api-key",
            "wrong",
            "--task-ids",
            ",".join(IDS),
            "--out",
            str(tmp_path),
        ]
        assert main(wrong) == 8
    err = capsys.readouterr().err
    assert err == (
        f"apiframe-mock: error: {server.url} refused the API key (GET /account answered 401): "
        "check --api-key or $APIFRAME_API_KEY\n"
    )


def _urls(task: dict[str, Any]) -> list[str]:
    return [
        value for value in [*task.values(), *task.get("image_urls", [])] if isinstance(value, str) and "://" in value
    ]
