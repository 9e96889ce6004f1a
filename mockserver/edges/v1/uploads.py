"""Media upload: POST /upload and POST /upload-audio take one multipart file; GET /uploads/<name> serves it back.

A submit endpoint that takes a file as a form (POST /suno-upload) reads and keeps it with the same pieces.

The vendor answers with a CDN URL; the mock's URL points at itself, so an app can hand it on (as a
parent image, a Suno upload's audio) and fetch it offline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...engine.files import Files, new_file_id
from ...engine.media import Format, Media, format_names, sniff
from ...errors import BadRequest, NotFound, PayloadTooLarge
from ...http.bodies import read_body
from ...http.deadlines import Deadlines
from ...http.forms import FormError, Part, form_boundary, is_form, read_form
from ...http.replies import json_response
from ...state import MockState
from .endpoints import FormFile
from .keys import keyed

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""The largest file an upload takes: "Maximum 2MB!" (Upload Image page)."""
MAX_FORM_BYTES = 2 * MAX_UPLOAD_BYTES
"""The largest form read to say what is wrong with it; past it, 413 without reading on."""
MAX_PARTS = 8
"""The most parts a form may have: one file is asked for, a few more fields are forgiven."""
SERVED_PATH = "/uploads"


@dataclass(frozen=True, slots=True)
class UploadRoute:
    """One upload route: its path, the form field that holds the file, what it takes and how it answers."""

    path: str
    field: str
    media: Media
    answer_key: str
    """The field of the answer (or of the submission) that holds the URL of the kept file."""

    @property
    def answer_schema(self) -> str:
        """The schema file of the 200 body."""
        return f"upload-{self.media.value}-response.json"

    @property
    def rule(self) -> str:
        """What the route takes, in words."""
        return (
            f"POST {self.path} takes a multipart/form-data body with one {self.field} file of at most "
            f"{MAX_UPLOAD_BYTES // 2**20} MB ({MAX_UPLOAD_BYTES} bytes): {format_names(self.media)}"
        )


def form_route(path: str, form: FormFile) -> UploadRoute:
    """Return the upload rule of a submit endpoint at `path` that takes `form` besides JSON."""
    return UploadRoute(path, form.field, Media(form.media), form.into)


UPLOAD_ROUTES = (
    UploadRoute("/upload", "image", Media.IMAGE, "imageURL"),
    UploadRoute("/upload-audio", "audio", Media.AUDIO, "audioURL"),
)
"""The Upload Image page's route, and the Upload Audio route that apiframe-sdk calls (field and answer from it)."""


def _sent_boundary(body: bytes) -> bytes | None:
    """Return the boundary a body's first line opens a multipart form with, if it does."""
    first, _, _ = body.partition(b"\r\n")
    return first[2:] if first.startswith(b"--") and 2 < len(first) <= 72 else None


def _boundary(kind: str, body: bytes, route: UploadRoute, lenient: bool) -> bytes:
    """Return the boundary to read `body` by, or raise BadRequest if it is no form (or says it is none)."""
    shown = kind[:80] or "none"
    if is_form(kind):
        boundary = form_boundary(kind)
        if boundary is None:
            raise BadRequest(f"The Content-Type names no boundary ({shown}): {route.rule}.")
        return boundary
    boundary = _sent_boundary(body)
    if boundary is None:
        raise BadRequest(f"The request body is not multipart/form-data (Content-Type: {shown}): {route.rule}.")
    if not lenient:
        # apiframe-sdk 1.0.0 keeps its session's JSON Content-Type on the form it uploads.
        raise BadRequest(
            f"The request body is a multipart form, but its Content-Type says {shown}, as apiframe-sdk 1.0.0's "
            "media upload sends it: send Content-Type: multipart/form-data with its boundary (apiframe-mock "
            f"serve --sdk-aliases takes the form as it is sent); {route.rule}."
        )
    return boundary


def the_file(parts: list[Part], route: UploadRoute) -> bytes:
    """Return the bytes of the one file `route` takes among `parts`, or raise BadRequest saying what is wrong."""
    found = [part for part in parts if part.name == route.field]
    if not found:
        raise BadRequest(f"{route.field} is missing: {route.rule}.")
    if len(found) > 1:
        raise BadRequest(f"{route.field} is given {len(found)} times: {route.rule}.")
    if found[0].filename is None:
        raise BadRequest(f"{route.field} is a text field, not a file (it has no filename): {route.rule}.")
    return found[0].data


async def read_parts(
    request: Request, route: UploadRoute, timeout_s: float, deadlines: Deadlines, lenient: bool = False
) -> list[Part]:
    """Return the parts of the form `request` sends to `route`, or raise saying what is wrong with it.

    With `lenient`, a form whose Content-Type does not say so is read by the boundary its first line opens.
    """
    try:
        body = await read_body(request, timeout_s, deadlines, MAX_FORM_BYTES)
    except PayloadTooLarge:
        raise PayloadTooLarge(f"The request body is larger than {MAX_FORM_BYTES} bytes: {route.rule}.") from None
    boundary = _boundary(request.headers.get("content-type", ""), body, route, lenient)
    try:
        return read_form(body, boundary, MAX_PARTS)
    except FormError as exc:
        raise BadRequest(f"The multipart body cannot be read: {exc}; {route.rule}.") from None


def check_file(data: bytes, route: UploadRoute) -> Format:
    """Return the format of an uploaded file, or raise BadRequest if it is empty, too large or not what is taken."""
    if not data:
        raise BadRequest(f"{route.field} is empty: {route.rule}.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise BadRequest(f"{route.field} is {len(data)} bytes: {route.rule}.")
    found = sniff(data, route.media)
    if isinstance(found, str):
        raise BadRequest(f"{route.field} is {found} (by its first bytes, whatever its name): {route.rule}.")
    return found


def file_to_keep(files: Files, request: Request, data: bytes, route: UploadRoute) -> tuple[str, Callable[[], object]]:
    """Check the file `route` was sent; return the URL the mock will serve it at, and what keeps it in `files`.

    A submission keeps its file only once the rest of it is found valid, yet needs the URL before.
    """
    found = check_file(data, route)
    name = new_file_id(found.extension)
    url = f"{str(request.base_url).rstrip('/')}{SERVED_PATH}/{name}"
    return url, partial(files.put, data, found.media_type, file_id=name)


def keep_file(files: Files, request: Request, data: bytes, route: UploadRoute) -> str:
    """Keep the file `route` was sent in `files`, once checked, and return the URL the mock serves it at."""
    url, keep = file_to_keep(files, request, data, route)
    keep()
    return url


def build_upload_routes(state: MockState, deadlines: Deadlines) -> list[Route]:
    """Return the upload routes, keeping files in `state.media`, and the route that serves them back."""

    def route(upload: UploadRoute) -> Route:
        async def answer(request: Request) -> Response:
            parts = await read_parts(request, upload, state.body_timeout_s, deadlines, state.sdk_aliases)
            url = keep_file(state.media, request, the_file(parts, upload), upload)
            return json_response({upload.answer_key: url})

        return Route(upload.path, answer, methods=["POST"], middleware=keyed(state))

    async def served(request: Request) -> Response:
        name = request.path_params["name"]
        kept = state.media.get(name)
        if kept is None:
            raise NotFound(f"{SERVED_PATH}/{name[:80]} is no file this mock was sent (or it was forgotten since).")
        return Response(kept.content, media_type=kept.content_type)

    return [*(route(upload) for upload in UPLOAD_ROUTES), Route(f"{SERVED_PATH}/{{name}}", served, methods=["GET"])]
