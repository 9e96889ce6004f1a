"""A proxy's recording turned into fixtures: each task with the timeline it was seen to follow, the key nowhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from contract_tests.commands import main
from contract_tests.proxy import Proxy, RelayServer, Watch
from contract_tests.proxy.record import Recorder
from mockserver import DEFAULT_API_KEY, MockState, ServerThread, build_task, create_app, load_fixtures
from mockserver.engine.timeline import Timeline

STEPS = (
    "pending",
    {"status": "processing", "percentage": "20"},
    {"status": "processing", "percentage": "60"},
    "finished",
)
SEEN_AT = (0.0, 1.5, 4.0, 4.5)
"""When the app polled, in seconds from the first poll: the recording's clock."""
KEY = {"Authorization": DEFAULT_API_KEY}


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[str, str]]:
    """The mock standing for production, with one task that takes a step on every poll."""
    state = MockState.from_fixtures(api_key=DEFAULT_API_KEY)
    task = build_task("imagine", "finished")
    state.store.tasks.put(task, Timeline.of(*STEPS))
    with ServerThread(create_app(state)) as server:
        yield server.url, task["task_id"]


def test_a_recording_becomes_a_fixture_with_the_timeline_the_task_followed(
    upstream: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = [1_800_000_000.0]
    recorder = Recorder.open(tmp_path / "traffic.ndjson", clock=lambda: now[0])
    url, task_id = upstream
    with ServerThread(RelayServer(Proxy(url, Watch(), observer=recorder.write))) as proxy:
        for at in SEEN_AT:
            now[0] = 1_800_000_000.0 + at
            assert httpx.post(proxy.url + "/fetch", headers=KEY, json={"task_id": task_id}).status_code == 200
        httpx.post(proxy.url + "/fetch-many", headers=KEY, json={"task_ids": [task_id, "unknown"]})
    recorder.close()
    assert main(["snapshot", "--from", str(tmp_path / "traffic.ndjson"), "--out", str(tmp_path / "live")]) == 0
    (written,) = (tmp_path / "live").iterdir()
    assert capsys.readouterr().out.splitlines()[0] == f"ok      {written.name}"
    fixture = json.loads(written.read_text(encoding="utf-8"))
    assert (fixture["task_id"], fixture["status"]) == (task_id, "finished")
    assert fixture["timeline"] == {
        "by": "seconds",
        "steps": [
            {"status": "pending", "after": 1.5},
            {"status": "processing", "percentage": "20", "after": 2.5},
            {"status": "processing", "percentage": "60", "after": 0.5},
            {"status": "finished"},
        ],
    }
    assert [task["task_id"] for task in load_fixtures(tmp_path / "live").tasks] == [task_id]
    for path in (written, tmp_path / "traffic.ndjson"):
        assert DEFAULT_API_KEY not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "Expecting value: line 1 column 1 (char 0)"),
        ('{"at": 1}', "'request'"),
        ('{"at": "soon", "request": {"path": "/fetch"}, "answer": {}}', "could not convert string to float: 'soon'"),
    ],
)
def test_a_line_that_is_no_exchange_is_one_error_naming_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, reason: str
) -> None:
    recording = tmp_path / "traffic.ndjson"
    recording.write_text('{"at": 1, "request": {"path": "/account"}, "answer": {"status": 200}}\n' + line + "\n")
    assert main(["snapshot", "--from", str(recording), "--out", str(tmp_path / "out")]) == 4
    assert capsys.readouterr().err == (
        f"apiframe-mock: error: cannot read the recording: {recording}, line 2: "
        f"not an exchange of a proxy recording ({reason})\n"
    )
