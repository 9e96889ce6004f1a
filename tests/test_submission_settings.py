"""Submission settings on the command line: --submissions, the config file's [submissions] and --webhook-allow."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mockserver.cli.config import load_submissions
from mockserver.errors import UsageError

from .test_cli import run, serving

KEY = {"Authorization": "apiframe-mock-key"}


def test_without_settings_tasks_move_every_two_seconds() -> None:
    settings = load_submissions(None)
    assert settings.to_json() == {"by": "seconds", "every": 2}


def test_flags_set_the_pace_and_an_endpoint_s_own(tmp_path: Path) -> None:
    assert load_submissions(None, ["by=polls", "upscale-1x:every=3"]).to_json() == {
        "by": "polls",
        "every": 1,
        "endpoints": {"upscale-1x": {"by": "polls", "every": 3}},
    }


def test_the_config_file_sets_them_and_flags_win(tmp_path: Path) -> None:
    config = tmp_path / "mock.toml"
    config.write_text('[submissions]\nevery = 5\n[submissions.endpoints.seed]\nby = "polls"\n', encoding="utf-8")
    assert load_submissions(config).to_json() == {
        "by": "seconds",
        "every": 5,
        "endpoints": {"seed": {"by": "polls", "every": 1}},
    }
    assert load_submissions(config, ["every=1"]).to_json()["every"] == 1


@pytest.mark.parametrize(
    ("config", "flags", "message"),
    [
        (None, ["every"], "--submissions 'every': option 'every' is not key=value; the form is [ENDPOINT:]key=value,"),
        (None, ["zoom:every=1"], "--submissions: submissions are not valid: endpoints has 'zoom', which is no submit"),
        (None, ["by=days"], "--submissions: submissions are not valid: by: 'days' is not one of"),
        ("[submission]\nevery = 1\n", [], "unknown key 'submission'; the config file takes seed, faults, submissions"),
    ],
)
def test_a_bad_setting_names_its_source_and_what_is_allowed(
    tmp_path: Path, config: str | None, flags: list[str], message: str
) -> None:
    path = None
    if config is not None:
        path = tmp_path / "mock.toml"
        path.write_text(config, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_submissions(path, flags)
    assert message in str(caught.value)


def test_serve_says_how_tasks_move_and_where_webhooks_go() -> None:
    process = run("serve", "--port", "0", "--submissions", "nonsense")
    assert process.returncode == 2
    assert process.stderr.startswith("apiframe-mock: error: --submissions 'nonsense'")
    with serving("--submissions", "by=polls", "--webhook-allow", "hooks.example.invalid") as (url, _):
        answer = httpx.post(
            f"{url}/imagine",
            json={"prompt": "x", "webhook_url": "https://hooks.example.invalid/in"},
            headers=KEY,
        )
        assert answer.status_code == 200
        task_id = answer.json()["task_id"]
        statuses = [
            httpx.post(f"{url}/fetch", json={"task_id": task_id}, headers=KEY).json()["status"] for _ in range(2)
        ]
        assert statuses == ["pending", "processing"]
