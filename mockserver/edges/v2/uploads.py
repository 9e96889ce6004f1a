"""POST /v2/uploads: one file, recognised by its first bytes, kept by the mock and served from the URL it answers."""

from __future__ import annotations

import time
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...engine.media import identify
from ...errors import InvalidFields, NotFound, PayloadTooLarge
from ...http.bodies import read_body
from ...http.deadlines import Deadlines
from ...http.replies import json_response
from ...state import MockState
from ...wire import JSONObject
from .checks import INVALID
from .convert import timestamp
from .forms import files_named, parse_form

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

TAKEN = ("PNG", "JPEG", "WebP", "GIF", "MP4", "WebM", "MOV", "MP3", "WAV", "OGG", "M4A")
"""The formats v2 takes (vendor document), told by their first bytes, in the order its error lists them."""


def build_upload_routes(state: MockState, deadlines: Deadlines) -> list[Route]:
    """Return POST /v2/uploads and the GET route that serves what was uploaded."""

    async def upload(request: Request) -> Response:
        try:
            body = await read_body(request, state.body_timeout_s, deadlines, MAX_FILE_BYTES + FORM_OVERHEAD)
        except PayloadTooLarge:
            raise InvalidFields(INVALID, {"file": [f"Too large: at most {MAX_FILE_BYTES} bytes"]}) from None
        files = files_named(parse_form(body, request.headers.get("content-type")), "file")
        if len(files) != 1:
            raise InvalidFields(INVALID, {"file": ["Required: send exactly one file field"]})
        content = files[0].data
        found = identify(content)
        if found is None or found.name not in TAKEN:
            raise InvalidFields(INVALID, {"file": [f"Unsupported file type: {', '.join(TAKEN)}"]})
        kind, media_type = found.media.value, found.media_type
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
        return json_response(answer, 201)

    async def serve_file(request: Request) -> Response:
        stored = state.store.files.get(request.path_params["file_id"])
        if stored is None:
            raise NotFound("No uploaded file has this id: uploads are kept while the mock runs, until a reset.")
        return Response(stored.content, media_type=stored.content_type)

    return [
        Route("/v2/uploads", upload, methods=["POST"]),
        Route(f"{FILES_PATH}/{{file_id}}", serve_file, methods=["GET"]),
    ]
