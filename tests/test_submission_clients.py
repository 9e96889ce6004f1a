"""The official clients run a whole flow against `apiframe-mock serve` alone: submit, wait, act on the result."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from apiframe import Apiframe

from mockserver import DEFAULT_API_KEY, bundled_schemas

from .test_cli import serving
from .test_official_clients import legacy_client

TASK = bundled_schemas().validator("task.json")
PROMPT = "a lighthouse at dusk"


@pytest.fixture(scope="module")
def default_serve() -> Iterator[str]:
    """`apiframe-mock serve` with nothing else: submitted tasks finish in about 8 s of wall-clock time."""
    with serving() as (url, _):
        yield url


@pytest.fixture(scope="module")
def quick_serve() -> Iterator[str]:
    with serving("--submissions", "every=0.05") as (url, _):
        yield url


def test_the_sdk_submits_waits_and_upscales_with_the_default_pace(default_serve: str) -> None:
    started = time.monotonic()
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=default_serve) as client:
        grid = client.midjourney.imagine({"prompt": PROMPT})
        song = client.suno.generate({"prompt": PROMPT})
        picture = client.flux.generate({"model": "flux-pro", "prompt": PROMPT})
        done = [client.tasks.wait_for(task["task_id"], interval=0.5, timeout=30) for task in (grid, song, picture)]
        upscale = client.midjourney.upscale_1x({"parent_task_id": grid["task_id"], "index": 2})
        upscaled = client.tasks.wait_for(upscale["task_id"], interval=0.5, timeout=30)
    assert [task["status"] for task in done] == ["completed"] * 3
    assert len(done[0]["image_urls"]) == 4
    assert (len(done[1]["songs"]), done[2]["task_type"]) == (2, "flux-imagine")
    assert (upscaled["status"], upscaled["task_type"]) == ("completed", "upscale#2")
    assert upscaled["image_url"].startswith("https://")
    # Two lifecycles one after the other, each about 8 s: a bound on the default pace, not a speed target.
    assert 14 < time.monotonic() - started < 40


def test_the_sdk_sees_a_magic_failure_as_a_failed_task(quick_serve: str) -> None:
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=quick_serve) as client:
        task = client.midjourney.imagine({"prompt": f"{PROMPT} [mock:fail: banned prompt]"})
        with pytest.raises(Exception, match="banned prompt"):
            client.tasks.wait_for(task["task_id"], interval=0.05, timeout=10)


@pytest.mark.parametrize(
    ("call", "arguments"),
    [
        ("luma.generate", {"prompt": PROMPT}),
        ("kling.generate", {"prompt": PROMPT, "generation_type": "text2video"}),
        ("runway.generate", {"prompt": PROMPT, "generation_type": "text2video"}),
        ("udio.generate", {"prompt": PROMPT}),
        ("midjourney.shorten", {"prompt": PROMPT}),
        ("midjourney.describe", {"image_url": "https://images.example.invalid/cat.png"}),
        ("midjourney.blend", {"image_urls": ["https://a.invalid/1.png", "https://a.invalid/2.png"]}),
        (
            "midjourney.face_swap",
            {"target_image_url": "https://a.invalid/1.png", "swap_image_url": "https://a.invalid/2.png"},
        ),
        ("midjourney.imagine_video", {"prompt": PROMPT, "image_url": "https://a.invalid/1.png"}),
    ],
)
def test_every_sdk_submission_finishes(quick_serve: str, call: str, arguments: dict[str, Any]) -> None:
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=quick_serve) as client:
        service, method = call.split(".")
        task = getattr(getattr(client, service), method)(arguments)
        done = client.tasks.wait_for(task["task_id"], interval=0.05, timeout=10)
    assert done["status"] == "completed"


def test_the_sdk_gets_the_synchronous_ideogram_task_at_once(quick_serve: str) -> None:
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=quick_serve) as client:
        task = client.ideogram.generate({"prompt": PROMPT})
    assert (task["status"], len(task["image_urls"]), isinstance(task["seed"], int)) == ("completed", 4, True)


def wait_legacy(client: Any, task_id: str) -> dict[str, Any]:
    for _ in range(200):
        task: dict[str, Any] = client.fetch(task_id)
        assert TASK.is_valid(task), task
        if task["status"] in ("finished", "failed"):
            return task
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} did not finish")


def test_the_apiframe_client_runs_the_midjourney_flow(quick_serve: str) -> None:
    client = legacy_client(quick_serve)
    grid = wait_legacy(client, client.imagine(PROMPT)["task_id"])
    assert (grid["status"], len(grid["image_urls"])) == ("finished", 4)
    upscale = wait_legacy(client, client.upscale_1x(grid["task_id"], 3)["task_id"])
    assert (upscale["status"], upscale["task_type"]) == ("finished", "upscale#3")
    creative = wait_legacy(client, client.upscale_alt(upscale["task_id"], "creative")["task_id"])
    assert creative["task_type"] == "upscale-creative"
    variations = wait_legacy(client, client.variations(grid["task_id"], 1)["task_id"])
    assert variations["task_type"] == "variation-1"
    panned = wait_legacy(client, client.pan(upscale["task_id"], "left")["task_id"])
    assert panned["task_type"] == "pan-left"
    seed = wait_legacy(client, client.seed(grid["task_id"])["task_id"])
    assert seed["seed"].isdigit()


def test_the_apiframe_client_sees_the_400_of_a_missing_prompt(quick_serve: str) -> None:
    assert legacy_client(quick_serve).imagine("") == {
        "errors": [{"msg": "prompt is empty: POST /imagine needs a non-empty string there."}]
    }
