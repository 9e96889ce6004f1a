"""POST /suno-upload: the Upload page's multipart `audio` file and apiframe-sdk's JSON `audio_url`, one task either way.

The form is held to POST /upload-audio's limits and errors (one reader, one rule); a refused form stores
no task and keeps no file. The JSON form's checks are the submit endpoints' own (tests/test_breadth_routes.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, MockState, ServerThread, bundled_schemas, create_app
from mockserver.edges.v1.uploads import MAX_FORM_BYTES, MAX_UPLOAD_BYTES

from .test_hostile import exchange, parse
from .test_uploads import MP3, errors, form, png, post, zipped

KEY = {"Authorization": DEFAULT_API_KEY}
RULE = (
    "POST /suno-upload takes a multipart/form-data body with one audio file of at most 2 MB (2097152 bytes): "
    "MP3, WAV, OGG, FLAC or M4A"
)
AUDIO_PART = b'Content-Disposition: form-data; name="audio"; filename="voice.mp3"\r\n\r\n' + MP3
TASK = bundled_schemas().validator("task.json")


@pytest.fixture(scope="module")
def state() -> MockState:
    return MockState.from_fixtures()


@pytest.fixture(scope="module")
def url(state: MockState) -> Iterator[str]:
    with ServerThread(create_app(state)) as server:
        yield server.url


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=10) as http:
        yield http


def test_an_uploaded_mp3_is_a_finished_suno_upload_task_whose_audio_the_mock_serves(
    url: str, client: httpx.Client
) -> None:
    answer = client.post("/suno-upload", headers=KEY, files={"audio": ("voice.mp3", MP3, "audio/mpeg")})
    task = answer.json()
    assert (answer.status_code, task["task_type"], task["status"], len(task["songs"])) == (
        200,
        "suno-upload",
        "finished",
        2,
    )
    assert TASK.is_valid(task), task
    assert task["audio_url"].startswith(f"{url}/uploads/")
    assert task["audio_url"].endswith(".mp3")
    served = httpx.get(task["audio_url"])
    assert (served.status_code, served.headers["content-type"], served.content) == (200, "audio/mpeg", MP3)
    fetched = client.post("/fetch", headers=KEY, json={"task_id": task["task_id"]})
    assert (fetched.status_code, fetched.json()) == (200, task)
    many = client.post("/fetch-many", headers=KEY, json={"task_ids": [task["task_id"], "not-a-task"]})
    assert (many.status_code, many.json()) == (200, {"tasks": [task]})


def test_the_uploaded_song_is_extended_as_a_json_upload_is(client: httpx.Client) -> None:
    upload = client.post("/suno-upload", headers=KEY, files={"audio": ("voice.mp3", MP3)}).json()
    extended = client.post("/suno-extend", headers=KEY, json={"parent_task_id": upload["task_id"]})
    assert (extended.status_code, list(extended.json())) == (200, ["task_id"])


def test_the_form_s_text_fields_are_the_submission_s_other_fields(client: httpx.Client, state: MockState) -> None:
    kept = len(state.media)
    answer = client.post(
        "/suno-upload", headers=KEY, files={"audio": ("voice.mp3", MP3)}, data={"webhook_url": "not a url"}
    )
    assert answer.status_code == 400
    assert "webhook_url" in answer.json()["errors"][0]["msg"]
    # A refused submission keeps no file: nothing would ever name it.
    assert len(state.media) == kept


def test_apiframe_sdk_s_json_audio_url_is_still_taken(client: httpx.Client) -> None:
    audio = "https://cdn.example.invalid/voice.mp3"
    answer = client.post("/suno-upload", headers=KEY, json={"audio_url": audio})
    assert (answer.status_code, answer.json()["audio_url"]) == (200, audio)


def test_a_body_that_is_neither_json_nor_a_form_names_both(client: httpx.Client) -> None:
    answer = client.post("/suno-upload", headers={**KEY, "Content-Type": "text/plain"}, content=b"voice.mp3")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["msg"].endswith(
        "send a JSON object with audio_url, or a multipart/form-data body with one audio file."
    )


def test_the_key_is_checked_before_the_form(client: httpx.Client) -> None:
    answer = client.post("/suno-upload", files={"audio": ("voice.mp3", MP3)})
    assert (answer.status_code, answer.json()) == (401, {})


def audio_is(what: str) -> str:
    return f"audio is {what}: {RULE}."


SNIFFED = "(by its first bytes, whatever its name)"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"file": ("voice.mp3", MP3)}, audio_is("missing")),
        ({"audio": ("voice.mp3", b"")}, audio_is("empty")),
        ({"audio": ("voice.mp3", zipped())}, audio_is(f"a ZIP archive {SNIFFED}")),
        ({"audio": ("voice.mp3", png())}, audio_is(f"PNG, which is not audio {SNIFFED}")),
        ({"audio": ("big.mp3", MP3 + b"\x00" * MAX_UPLOAD_BYTES)}, audio_is(f"{len(MP3) + MAX_UPLOAD_BYTES} bytes")),
        ([("audio", ("a.mp3", MP3)), ("audio", ("b.mp3", MP3))], audio_is("given 2 times")),
    ],
    ids=["no audio", "empty", "a zip named .mp3", "a picture", "over 2 MB", "two files"],
)
def test_a_form_without_one_audio_file_is_a_400_that_stores_no_task(
    client: httpx.Client, state: MockState, files: object, message: str
) -> None:
    before = (len(state.store.tasks), len(state.media))
    answer = client.post("/suno-upload", headers=KEY, files=files)  # type: ignore[arg-type]
    assert (answer.status_code, answer.json()) == (400, errors(message))
    assert (len(state.store.tasks), len(state.media)) == before


@pytest.mark.parametrize(
    ("raw", "status", "message"),
    [
        (
            post("/suno-upload", form(b'Content-Disposition: form-data; filename="a.mp3"\r\n\r\n' + MP3)),
            400,
            "The multipart body cannot be read: a part has no name: its Content-Disposition must say form-data; "
            f'name="..."; {RULE}.',
        ),
        (
            post("/suno-upload", form(*[b'Content-Disposition: form-data; name="x"\r\n\r\n1'] * 1000, AUDIO_PART)),
            400,
            f"The multipart body cannot be read: it has more than 8 parts; {RULE}.",
        ),
        (
            post("/suno-upload", b"x" * 64, length=50 * 1024 * 1024),
            413,
            f"The request body is larger than {MAX_FORM_BYTES} bytes: {RULE}.",
        ),
        (
            post("/suno-upload", form(AUDIO_PART)[:-40]),
            400,
            "The multipart body cannot be read: it ends before its closing boundary (--b0undary--): it was cut "
            f"short, or its Content-Length is wrong; {RULE}.",
        ),
    ],
    ids=["a part without a name", "a thousand parts", "50 MB declared", "cut short"],
)
def test_hostile_forms_get_the_upload_routes_400_or_413(url: str, raw: bytes, status: int, message: str) -> None:
    assert parse(exchange(url, raw))[::2] == (status, errors(message))


def test_a_content_length_shorter_than_the_form_is_a_400_never_a_5xx(url: str) -> None:
    body = form(AUDIO_PART)
    assert parse(exchange(url, post("/suno-upload", body, length=len(body) // 2)))[::2] == (
        400,
        errors("Invalid HTTP request received: the bytes sent are not a valid HTTP/1.1 request."),
    )


def test_fifty_megabytes_sent_whole_are_cut_off_with_a_413(client: httpx.Client) -> None:
    answer = client.post("/suno-upload", headers=KEY, files={"audio": ("huge.mp3", MP3 + b"\x00" * (50 * 1024 * 1024))})
    assert answer.status_code == 413


def test_openapi_documents_both_forms(client: httpx.Client) -> None:
    content = client.get("/openapi.json").json()["paths"]["/suno-upload"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json", "multipart/form-data"]
    assert content["multipart/form-data"]["schema"]["required"] == ["audio"]
