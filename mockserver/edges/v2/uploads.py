"""POST /v2/uploads: one file, recognised by its first bytes, kept by the mock and served from the URL it answers."""

from __future__ import annotations

import time
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import InvalidFields, NotFound, PayloadTooLarge
from ...http.bodies import read_body
from ...http.deadlines import Deadlines
from ...state import MockState
from ...wire import JSON_MEDIA_TYPE, JSONObject, encode_json
from .checks import INVALID
from .convert import timestamp
from .forms import parse_form

MB = 1024 * 1024
MAX_BYTES = {"image": 25 * MB, "audio": 25 * MB, "video": 50 * MB}
"""The largest file of each kind v2 takes (vendor document)."""
MAX_FILE_BYTES = max(MAX_BYTES.values())
"""The largest file of any kind, which bounds how much of a body is read."""
FORM_OVERHEAD = 64 * 1024
"""Room for the form's boundaries and headers around the largest file."""
LIFETIME = timedelta(hours=1)
"""How long an upload is said to live: the vendor's files live 1 to 2 hours."""
FILES_PATH = "/mock-cdn"
"""Where the mock serves uploaded files, outside /v2 as the vendor's CDN is outside its API."""

_SIGNATURES: list[tuple[int, bytes, str, str]] = [
    (0, b"\x89PNG\r\n\x1a\n", "image", "image/png"),
    (0, b"\xff\xd8\xff", "image", "image/jpeg"),
    (0, b"GIF8", "image", "image/gif"),
    (8, b"WEBP", "image", "image/webp"),
    (8, b"WAVE", "audio", "audio/wav"),
    (0, b"OggS", "audio", "audio/ogg"),
    (0, b"ID3", "audio", "audio/mpeg"),
    (0, b"\xff\xfb", "audio", "audio/mpeg"),
    (8, b"M4A ", "audio", "audio/mp4"),
    (0, b"\x1aE\xdf\xa3", "video", "video/webm"),
    (8, b"qt  ", "video", "video/quicktime"),
    (4, b"ftyp", "video", "video/mp4"),
]
"""The first bytes of each file type v2 takes, where they stand, and what they make the file."""


def sniff(content: bytes) -> tuple[str, str] | None:
    """Return the kind and media type of `content` by its first bytes (the declared type is ignored), or None."""
    for offset, signature, kind, media_type in _SIGNATURES:
        if content[offset : offset + len(signature)] == signature:
            return kind, media_type
    return None


def build_upload_routes(state: MockState, deadlines: Deadlines) -> list[Route]:
    """Return POST /v2/uploads and the GET route that serves what was uploaded."""

    async def upload(request: Request) -> Response:
        try:
            body = await read_body(request, state.body_timeout_s, deadlines, MAX_FILE_BYTES + FORM_OVERHEAD)
        except PayloadTooLarge:
            raise InvalidFields(INVALID, {"file": [f"Too large: at most {MAX_FILE_BYTES} bytes"]}) from None
        files = [part for part in parse_form(body, request.headers.get("content-type")) if part.name == "file"]
        if len(files) != 1:
            raise InvalidFields(INVALID, {"file": ["Required: send exactly one file field"]})
        content = files[0].data
        found = sniff(content)
        if found is None:
            raise InvalidFields(
                INVALID, {"file": ["Unsupported file type: PNG, JPEG, WebP, GIF, MP4, WebM, MOV, MP3, WAV, OGG, M4A"]}
            )
        kind, media_type = found
        if len(content) > MAX_BYTES[kind]:
            raise InvalidFields(INVALID, {"file": [f"Too large: a {kind} file may be at most {MAX_BYTES[kind]} bytes"]})
        stored = state.store.files.put(content, media_type)
        answer: JSONObject = {
            "id": stored.file_id,
            "url": f"{str(request.base_url).rstrip('/')}{FILES_PATH}/{stored.file_id}",
            "kind": kind,
            "contentType": media_type,
            "byteSize": len(content),
            "expiresAt": timestamp(time.time() + LIFETIME.total_seconds()),
        }
        return Response(encode_json(answer), 201, media_type=JSON_MEDIA_TYPE)

    async def serve_file(request: Request) -> Response:
        stored = state.store.files.get(request.path_params["file_id"])
        if stored is None:
            raise NotFound("No uploaded file has this id: uploads are kept while the mock runs, until a reset.")
        return Response(stored.content, media_type=stored.content_type)

    return [
        Route("/v2/uploads", upload, methods=["POST"]),
        Route(f"{FILES_PATH}/{{file_id}}", serve_file, methods=["GET"]),
    ]
