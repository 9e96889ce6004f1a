"""Media upload: one multipart file in, a URL on the mock out, the bytes served back; anything else a clear 4xx."""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
import zlib
from collections.abc import Iterator

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, MockState, ServerThread, bundled_schemas, create_app
from mockserver.edges.v1.uploads import MAX_FORM_BYTES, MAX_UPLOAD_BYTES

from .test_hostile import exchange, parse

KEY = {"Authorization": DEFAULT_API_KEY}
IMAGE_RULE = (
    "POST /upload takes a multipart/form-data body with one image file of at most 2 MB (2097152 bytes): "
    "PNG, JPEG, GIF or WebP"
)
AUDIO_RULE = (
    "POST /upload-audio takes a multipart/form-data body with one audio file of at most 2 MB (2097152 bytes): "
    "MP3, WAV, OGG, FLAC or M4A"
)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64


def png(width: int = 1, height: int = 1) -> bytes:
    """Return a real PNG of `width` x `height` black pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x00" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with ServerThread(create_app(MockState.from_fixtures())) as server:
        yield server.url


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=10) as http:
        yield http


def errors(message: str) -> dict[str, list[dict[str, str]]]:
    return {"errors": [{"msg": message}]}


def test_an_uploaded_png_is_answered_with_a_url_the_mock_serves_byte_for_byte(url: str, client: httpx.Client) -> None:
    picture = png(3, 2)
    answer = client.post("/upload", headers=KEY, files={"image": ("cat.png", picture, "image/png")})
    assert (answer.status_code, list(answer.json())) == (200, ["imageURL"])
    assert bundled_schemas().validator("upload-image-response.json").is_valid(answer.json())
    image_url = answer.json()["imageURL"]
    assert image_url.startswith(f"{url}/uploads/")
    assert image_url.endswith(".png")
    served = httpx.get(image_url)
    assert (served.status_code, served.headers["content-type"], served.content) == (200, "image/png", picture)


def test_an_uploaded_mp3_is_answered_with_an_audio_url(client: httpx.Client) -> None:
    answer = client.post("/upload-audio", headers=KEY, files={"audio": ("voice.mp3", MP3)})
    assert list(answer.json()) == ["audioURL"]
    assert bundled_schemas().validator("upload-audio-response.json").is_valid(answer.json())
    served = client.get(answer.json()["audioURL"])
    assert (served.headers["content-type"], served.content) == ("audio/mpeg", MP3)


def test_the_key_is_checked_before_the_form(client: httpx.Client) -> None:
    answer = client.post("/upload", files={"image": ("cat.png", png())})
    assert (answer.status_code, answer.json()) == (401, {})
    answer = client.post("/upload-audio", headers={"Authorization": "wrong"}, content=b"not a form")
    assert (answer.status_code, answer.json()) == (401, {})


def zipped() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr("cat.png", png())
    return archive.getvalue()


def image_is(what: str) -> str:
    return f"image is {what}: {IMAGE_RULE}."


SNIFFED = "(by its first bytes, whatever its name)"


@pytest.mark.parametrize(
    ("files", "data", "message"),
    [
        ({"file": ("cat.png", png())}, None, image_is("missing")),
        (
            {"other": ("a.png", png())},
            {"image": "https://a.invalid/cat.png"},
            image_is("a text field, not a file (it has no filename)"),
        ),
        ({"image": ("cat.png", b"")}, None, image_is("empty")),
        ({"image": ("cat.png", zipped())}, None, image_is(f"a ZIP archive {SNIFFED}")),
        ({"image": ("cat.png", b"<svg/>")}, None, image_is(f"no format the mock knows {SNIFFED}")),
        ({"image": ("cat.png", MP3)}, None, image_is(f"MP3, which is not image {SNIFFED}")),
        (
            {"image": ("big.png", png() + b"\x00" * MAX_UPLOAD_BYTES)},
            None,
            image_is(f"{len(png()) + MAX_UPLOAD_BYTES} bytes"),
        ),
        ([("image", ("a.png", png())), ("image", ("b.png", png()))], None, image_is("given 2 times")),
    ],
)
def test_a_form_without_one_image_the_api_takes_is_a_400_naming_what_is_wrong(
    client: httpx.Client, files: object, data: dict[str, str] | None, message: str
) -> None:
    answer = client.post("/upload", headers=KEY, files=files, data=data)  # type: ignore[arg-type]
    assert (answer.status_code, answer.json()) == (400, errors(message))


def test_a_body_that_is_no_form_is_a_400(client: httpx.Client) -> None:
    answer = client.post("/upload", headers=KEY, json={"image": "cat.png"})
    assert answer.json() == errors(
        f"The request body is not multipart/form-data (Content-Type: application/json): {IMAGE_RULE}."
    )


def test_an_audio_upload_of_a_picture_is_a_400(client: httpx.Client) -> None:
    answer = client.post("/upload-audio", headers=KEY, files={"audio": ("song.mp3", png())})
    assert answer.json() == errors(
        f"audio is PNG, which is not audio (by its first bytes, whatever its name): {AUDIO_RULE}."
    )


def test_an_audio_upload_of_a_quicktime_video_is_a_400_naming_it(client: httpx.Client) -> None:
    video = b"\0\0\0\x14ftypqt  " + b"\0" * 64
    answer = client.post("/upload-audio", headers=KEY, files={"audio": ("song.m4a", video)})
    assert answer.json() == errors(
        f"audio is MOV, which is not audio (by its first bytes, whatever its name): {AUDIO_RULE}."
    )


def test_an_m4a_recorded_under_a_generic_mpeg_4_brand_is_taken_as_m4a(client: httpx.Client) -> None:
    # Phones record .m4a as "ftypmp42" or "ftypisom", the brands a video may carry too.
    recording = b"\0\0\0\x18ftypmp42" + b"\0" * 64
    answer = client.post("/upload-audio", headers=KEY, files={"audio": ("memo.m4a", recording)})
    assert answer.status_code == 200
    assert answer.json()["audioURL"].endswith(".m4a")
    served = client.get(answer.json()["audioURL"])
    assert (served.status_code, served.headers["content-type"], served.content) == (200, "audio/mp4", recording)


def form(*parts: bytes, boundary: str = "b0undary") -> bytes:
    return b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()


def post(path: str, body: bytes, length: int | None = None, boundary: str = "b0undary") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: mock\r\nAuthorization: {DEFAULT_API_KEY}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\n\r\n"
    ).encode() + body


IMAGE_PART = b'Content-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n' + png()


@pytest.mark.parametrize(
    ("raw", "status", "message"),
    [
        (
            post("/upload", form(b'Content-Disposition: form-data; filename="a.png"\r\n\r\n' + png())),
            400,
            "The multipart body cannot be read: a part has no name: its Content-Disposition must say form-data; "
            f'name="..."; {IMAGE_RULE}.',
        ),
        (
            post("/upload", form(*[b'Content-Disposition: form-data; name="x"\r\n\r\n1'] * 1000, IMAGE_PART)),
            400,
            f"The multipart body cannot be read: it has more than 8 parts; {IMAGE_RULE}.",
        ),
        (
            post("/upload", b"x" * 64, length=50 * 1024 * 1024),
            413,
            f"The request body is larger than {MAX_FORM_BYTES} bytes: {IMAGE_RULE}.",
        ),
        (
            post("/upload", form(IMAGE_PART)).replace(b"; boundary=b0undary", b""),
            400,
            f"The Content-Type names no boundary (multipart/form-data): {IMAGE_RULE}.",
        ),
        (
            post("/upload", form(IMAGE_PART, boundary="b" * 300), boundary="b" * 300),
            400,
            "The multipart body cannot be read: its boundary is 300 bytes long: a boundary has at most 256; "
            f"{IMAGE_RULE}.",
        ),
        (
            post("/upload", form(b"no colon here\r\n\r\nx", IMAGE_PART)),
            400,
            "The multipart body cannot be read: it is not a well-formed multipart body (Found invalid character 32 "
            f"in header at 14); {IMAGE_RULE}.",
        ),
    ],
    ids=[
        "a part without a name",
        "a thousand parts",
        "50 MB declared",
        "no boundary",
        "a 300-byte boundary",
        "a header without a colon",
    ],
)
def test_hostile_forms_get_a_clear_400_or_413(url: str, raw: bytes, status: int, message: str) -> None:
    assert parse(exchange(url, raw))[::2] == (status, errors(message))


def test_a_content_length_shorter_than_the_form_is_a_400_never_a_5xx(url: str) -> None:
    body = form(IMAGE_PART)
    assert parse(exchange(url, post("/upload", body, length=len(body) // 2)))[::2] == (
        400,
        errors("Invalid HTTP request received: the bytes sent are not a valid HTTP/1.1 request."),
    )


@pytest.mark.parametrize(
    "body",
    [form(IMAGE_PART)[:-40], form(IMAGE_PART).replace(b"\r\n--b0undary--", b"--b0undary--")],
    ids=["cut short", "closed inside its last part"],
)
def test_a_form_cut_short_is_a_400_saying_so(url: str, body: bytes) -> None:
    assert parse(exchange(url, post("/upload", body)))[::2] == (
        400,
        errors(
            "The multipart body cannot be read: it ends before its closing boundary (--b0undary--): it was cut "
            f"short, or its Content-Length is wrong; {IMAGE_RULE}."
        ),
    )


def test_fifty_megabytes_sent_whole_are_cut_off_with_a_413(client: httpx.Client) -> None:
    answer = client.post("/upload", headers=KEY, files={"image": ("huge.png", png() + b"\x00" * (50 * 1024 * 1024))})
    assert answer.status_code == 413


def test_a_name_the_mock_never_served_is_a_404(client: httpx.Client) -> None:
    answer = client.get(f"/uploads/{uuid.uuid4()}.png")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["msg"].endswith("is no file this mock was sent (or it was forgotten since).")
