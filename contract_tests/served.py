"""The routes the mock serves, as ``METHOD /path``: a budgeted run asks a seeded sample of them without a key."""

from __future__ import annotations

import base64
import random

from mockserver.edges.v1.routes import FETCH_MANY_PATH, ROUTES
from mockserver.edges.v1.uploads import UPLOAD_ROUTES
from mockserver.engine.media import Media

from .exchange import JSON_HEADERS, Request, json_body
from .pool import IdPool
from .submissions import ENDPOINTS, OTHER_HOST, OTHER_HOST_PREFIX, body_for

LIVE_SAMPLE = 6
"""How many routes a budgeted run asks without a key: six requests, another sample each night (seed)."""
SERVED_ROUTES: tuple[str, ...] = (
    *(f"{method} {path}" for method, path, _ in ROUTES),
    *(f"POST {endpoint.path}" for endpoint in ENDPOINTS.values()),
    *(f"POST {upload.path}" for upload in UPLOAD_ROUTES),
)
"""Every route of the API the mock serves: the status routes, each submit endpoint and the uploads."""
UNSEEN_PATHS = frozenset({"/ai-photo-train", "/ideogram-remix", "/kling-tryon", "/upload-audio", "/upscale-highres"})
"""Paths no vendor page shows: the docs index names the page, the path comes from the official SDKs."""


def unseen_because(route: str) -> str:
    """Say why no vendor page shows `route` on the API's host, so that a 404 there is no drift; "" if one does."""
    path = route.split(" ")[1]
    if path.startswith(OTHER_HOST_PREFIX):
        return OTHER_HOST
    return "no vendor page shows its path (it comes from the official SDKs)" if path in UNSEEN_PATHS else ""


def is_unseen(route: str) -> bool:
    """Say whether no vendor page shows `route` on the API's host."""
    return bool(unseen_because(route))


def chosen_routes(every: bool, seed: str) -> list[str]:
    """Return the routes a run asks without a key: all of them if `every`, else a sample seeded by `seed`.

    The sample holds one route no page shows and the rest from those the pages show, so that both
    ROUTE-KEYLESS and ROUTE-UNSEEN get a verdict on every run.
    """
    if every:
        return list(SERVED_ROUTES)
    unseen = [route for route in SERVED_ROUTES if is_unseen(route)]
    shown = [route for route in SERVED_ROUTES if not is_unseen(route)]
    rng = random.Random(f"apiframe-contract-routes:{seed}")
    chosen = {*rng.sample(shown, LIVE_SAMPLE - 1), rng.choice(unseen)}
    return [route for route in SERVED_ROUTES if route in chosen]


_NO_TASKS = IdPool(()).unknown(2)
_FILES = {
    # A 1x1 PNG, and an MP3 of silent frames: the smallest files an upload takes.
    Media.IMAGE: (
        "pixel.png",
        "image/png",
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
        ),
    ),
    Media.AUDIO: ("silence.mp3", "audio/mpeg", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64),
}
_BOUNDARY = "apiframe-contract-keyless"
_UPLOADS = {upload.path: upload for upload in UPLOAD_ROUTES}
_SUBMITS = {endpoint.path: endpoint for endpoint in ENDPOINTS.values()}


def keyless_request(route: str) -> Request:
    """Return `route` asked without a key, with a body it would take with one: only the key can be refused.

    The body is one its schema takes; the task it names is no task, since whose tasks there are depends on
    the key, which no server can judge before it reads the key.
    """
    method, path = route.split(" ")
    if method == "GET":
        return Request(method, path)
    if path in _UPLOADS:
        upload = _UPLOADS[path]
        name, media, content = _FILES[upload.media]
        head = f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{upload.field}"; filename="{name}"\r\n'
        body = f"{head}Content-Type: {media}\r\n\r\n".encode() + content + f"\r\n--{_BOUNDARY}--\r\n".encode()
        return Request(method, path, (("Content-Type", f"multipart/form-data; boundary={_BOUNDARY}"),), body)
    if path in _SUBMITS:
        payload: object = body_for(_SUBMITS[path])
    else:
        payload = {"task_ids": _NO_TASKS} if path == FETCH_MANY_PATH else {"task_id": _NO_TASKS[0]}
    return Request(method, path, JSON_HEADERS, json_body(payload))
