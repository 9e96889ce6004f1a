"""apiframe-sdk against `apiframe-mock serve`: each method calling a documented path succeeds; the others learn why.

The SDK-only paths (`/pro/midjourney/*`, `/ai-photos/*`, `/midjourney/*`) get the API's most likely 404,
naming the documented route; `serve --sdk-aliases` serves them as that route, and takes the upload form
the SDK labels as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from apiframe import Apiframe
from apiframe.exceptions import ApiframeError

from mockserver import DEFAULT_API_KEY

from .test_cli import serving
from .test_uploads import MP3, png

PROMPT = "a lighthouse at dusk"
IMAGE = "https://images.example.invalid/cat.png"
FAST = ("--submissions", "every=0.05")


@pytest.fixture(scope="module")
def plain() -> Iterator[str]:
    """`apiframe-mock serve`, its tasks moving on every 50 ms."""
    with serving(*FAST) as (url, _):
        yield url


@pytest.fixture(scope="module")
def aliased() -> Iterator[str]:
    """`apiframe-mock serve --sdk-aliases`, its tasks moving on every 50 ms."""
    with serving(*FAST, "--sdk-aliases") as (url, _):
        yield url


@pytest.fixture
def sdk(plain: str) -> Iterator[Apiframe]:
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=plain) as client:
        yield client


@pytest.fixture
def sdk_aliased(aliased: str) -> Iterator[Apiframe]:
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=aliased) as client:
        yield client


def done(client: Apiframe, task: dict[str, Any]) -> dict[str, Any]:
    """Wait for a submitted task as an app would, and return it finished."""
    finished: dict[str, Any] = client.tasks.wait_for(task["task_id"], interval=0.05, timeout=10)
    assert finished["status"] == "completed", finished
    return finished


def test_the_new_image_methods_answer_finished_tasks_at_once(sdk: Apiframe) -> None:
    upscaled = sdk.ideogram.upscale({"image_url": IMAGE, "prompt": PROMPT, "resemblance": 50})
    remixed = sdk.ideogram.remix({"image_url": IMAGE, "prompt": PROMPT, "image_weight": 50})
    lyrics = sdk.suno.generate_lyrics({"prompt": PROMPT})
    assert [task["status"] for task in (upscaled, remixed, lyrics)] == ["completed"] * 3
    assert (len(upscaled["image_urls"]), remixed["task_type"], lyrics["title"]) == (
        4,
        "ideogram-remix",
        "Lights on the Water",
    )


def test_extending_a_finished_suno_song_makes_a_new_suno_task(sdk: Apiframe) -> None:
    song = done(sdk, sdk.suno.generate({"prompt": PROMPT}))
    extended = sdk.suno.extend(
        {"parent_task_id": song["task_id"], "song_id": song["songs"][1]["song_id"], "continue_at": 30}
    )
    assert (done(sdk, extended)["task_type"], len(done(sdk, extended)["songs"])) == ("suno", 2)


def test_a_suno_upload_is_extended_without_a_song_id(sdk: Apiframe) -> None:
    upload = sdk.suno.upload({"audio_url": "https://audio.example.invalid/voice.mp3"})
    assert (upload["status"], upload["audio_url"]) == ("completed", "https://audio.example.invalid/voice.mp3")
    assert done(sdk, sdk.suno.extend({"parent_task_id": upload["task_id"], "continue_at": 12, "from_upload": True}))


def test_video_extends_and_try_on_finish(sdk: Apiframe) -> None:
    video = done(sdk, sdk.midjourney.imagine_video({"prompt": PROMPT, "image_url": IMAGE}))
    extended = done(
        sdk, sdk.midjourney.extend_video({"parent_task_id": video["task_id"], "index": 2, "prompt": PROMPT})
    )
    luma = done(sdk, sdk.luma.generate({"prompt": PROMPT}))
    longer = done(sdk, sdk.luma.extend({"parent_task_id": luma["task_id"], "prompt": PROMPT}))
    tryon = done(sdk, sdk.kling.tryon({"human_image_url": IMAGE, "cloth_image_url": IMAGE}))
    assert [task["task_type"] for task in (extended, longer, tryon)] == [
        "imagine-video-extend",
        "luma-ext",
        "kling-tryon",
    ]


def test_media_upload_of_a_real_png_gives_a_url_that_answers_its_bytes(sdk_aliased: Apiframe) -> None:
    picture = png(4, 4)
    image_url = sdk_aliased.media.upload(file=picture, filename="cat.png")["imageURL"]
    assert httpx.get(image_url).content == picture
    audio_url = sdk_aliased.media.upload_audio(file=MP3, filename="voice.mp3")["audioURL"]
    assert httpx.get(audio_url).headers["content-type"] == "audio/mpeg"


def test_without_sdk_aliases_media_upload_is_told_its_form_is_labelled_json(sdk: Apiframe) -> None:
    with pytest.raises(ApiframeError, match=r"Content-Type says application/json, as apiframe-sdk 1\.0\.0") as raised:
        sdk.media.upload(file=png(), filename="cat.png")
    assert raised.value.status == 400


@pytest.mark.parametrize(
    ("call", "arguments", "meant"),
    [
        ("midjourney_alt.imagine", {"prompt": PROMPT}, "POST /pro/imagine"),
        ("midjourney_alt.zoom", {"parent_task_id": "t", "index": 1, "type": "2"}, "POST /pro/zoom"),
        ("ai_photos.upload", {"images": [IMAGE], "ethnicity": "x", "gender": "y", "age": 30}, "POST /ai-photo-upload"),
        ("midjourney.upscale", {"taskId": "t", "index": 1}, "POST /upscale-1x"),
    ],
)
def test_an_sdk_only_path_is_a_404_naming_the_documented_route(
    sdk: Apiframe, call: str, arguments: dict[str, Any], meant: str
) -> None:
    service, method = call.split(".")
    with pytest.raises(ApiframeError, match=re.escape(f"the documented route is {meant} ")) as raised:
        getattr(getattr(sdk, service), method)(arguments)
    assert raised.value.status == 404


def test_with_sdk_aliases_the_pro_and_ai_photos_methods_run_their_flows(sdk_aliased: Apiframe) -> None:
    client = sdk_aliased
    grid = done(client, client.midjourney_alt.imagine({"prompt": PROMPT, "mode": "fast"}))
    actions = [
        client.midjourney_alt.upscale({"parent_task_id": grid["task_id"], "index": 1, "type": "subtle"}),
        client.midjourney_alt.vary({"parent_task_id": grid["task_id"], "index": 2, "type": "strong"}),
        client.midjourney_alt.variations({"parent_task_id": grid["task_id"], "index": 3}),
        client.midjourney_alt.pan({"parent_task_id": grid["task_id"], "index": 4, "type": "left"}),
        client.midjourney_alt.zoom({"parent_task_id": grid["task_id"], "index": 1, "type": "1.5"}),
    ]
    assert [done(client, task)["task_type"] for task in actions] == [
        "upscale-subtle",
        "variation-strong",
        "variation-3",
        "pan-left",
        "outpaint-1.5",
    ]
    assert client.midjourney_alt.get_generation(grid["task_id"])["status"] == "completed"
    assert client.midjourney_alt.get_account_info()["credits"] >= 0
    upload = done(client, client.ai_photos.upload({"images": [IMAGE], "ethnicity": "x", "gender": "y", "age": 30}))
    training = done(client, client.ai_photos.train({"training_images_id": upload["task_id"], "trigger_word": "TOK"}))
    photos = client.ai_photos.generate({"training_id": training["task_id"], "prompt": "TOK in a suit"})
    assert (photos["status"], len(photos["image_urls"])) == ("completed", 4)


def test_an_aliased_path_checks_the_key_as_its_route_does_and_a_refused_one_is_404_whatever_the_key(
    plain: str, aliased: str
) -> None:
    for path in ("/pro/midjourney/imagine", "/ai-photos/train"):
        assert httpx.post(aliased + path, json={"prompt": PROMPT}).status_code == 401
        assert httpx.post(plain + path, json={"prompt": PROMPT}).status_code == 404
    assert httpx.get(aliased + "/pro/midjourney/generation/no-such-task").status_code == 401
