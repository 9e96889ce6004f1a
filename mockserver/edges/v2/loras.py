"""/v2/loras: train a LoRA from 15 to 30 images (2 credits), list, read and archive them.

A LoRA moves PENDING -> TRAINING -> READY at the pace submissions move at (by reads of it, or by
seconds), as the vendor's trainer would; an archived one is hidden from the list unless asked for.
"""

from __future__ import annotations

import time
import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...engine.media import either, identify
from ...engine.paging import page
from ...engine.timeline import Advance
from ...errors import InvalidFields, NotFound, PayloadTooLarge
from ...http.bodies import read_body
from ...http.deadlines import Deadlines
from ...http.forms import Part, text_fields
from ...http.replies import json_response
from ...numbers import whole_number
from ...state import MockState
from ...wire import JSONObject
from .account import account_ids, spend_credits
from .checks import INVALID, check_paging
from .convert import timestamp
from .forms import files_named, parse_form
from .uploads import MB

KIND = "lora"
MIN_IMAGES, MAX_IMAGES = 15, 30
MAX_IMAGE_BYTES, MAX_TOTAL_BYTES = 10 * MB, 100 * MB
"""The training images a LoRA takes: how many, how large each, and all together (vendor document)."""
LORA_FORMATS = ("JPEG", "PNG", "WebP")
"""The image formats a LoRA trains from (vendor document)."""
TRAINING_CREDITS = 2
STEPS = ("PENDING", "TRAINING", "READY")
DEFAULTS = {"subjectKind": "person", "steps": "1000", "loraRank": "16"}
DEFAULT_LIMIT = 24
"""The page size of GET /v2/loras when none is given (vendor document)."""
_NUMBERS = {"steps": (500, 3000), "loraRank": (8, 64)}
_CHOICES = {"subjectKind": ("person", "style", "object"), "gender": ("female", "male", "non-binary")}


def _check(fields: dict[str, str], images: list[Part]) -> dict[str, list[str]]:
    details: dict[str, list[str]] = {}
    if not 1 <= len(fields.get("name", "")) <= 60:
        details["name"] = ["Required: 1 to 60 characters"]
    if not MIN_IMAGES <= len(images) <= MAX_IMAGES:
        details["images"] = [f"Must be {MIN_IMAGES} to {MAX_IMAGES} images, not {len(images)}"]
    for index, image in enumerate(images):
        found = identify(image.data)
        if found is None or found.name not in LORA_FORMATS or len(image.data) > MAX_IMAGE_BYTES:
            details[f"images.{index}"] = [f"Must be a {either(LORA_FORMATS)} image of at most {MAX_IMAGE_BYTES} bytes"]
    for name, (low, high) in _NUMBERS.items():
        value = fields.get(name)
        number = whole_number(value) if value is not None else None
        if value is not None and not (number is not None and low <= number <= high):
            details[name] = [f"Must be a whole number from {low} to {high}"]
    for name, allowed in _CHOICES.items():
        if name in fields and fields[name] not in allowed:
            details[name] = [f"Must be one of {', '.join(allowed)}"]
    if fields.get("subjectKind", DEFAULTS["subjectKind"]) == "person":
        for name in ("gender", "ethnicity"):
            if name not in fields:
                details[name] = ["Required when subjectKind is person"]
    return details


def _status(state: MockState, document: JSONObject) -> str:
    if document["archived"]:
        return "ARCHIVED"
    pace = state.store.submissions.pace_of("v2:loras")
    moved = document["reads"] if pace.by is Advance.POLLS else time.time() - document["created_at"]
    return STEPS[min(int(moved // pace.every), len(STEPS) - 1)]


def _render(state: MockState, document: JSONObject) -> JSONObject:
    status = _status(state, document)
    created = document["created_at"]
    return {
        **document["lora"],
        "status": status,
        "isReady": status == "READY",
        "hasWeights": status == "READY",
        "createdAt": timestamp(created),
        "startedAt": timestamp(created) if status != "PENDING" else None,
        "completedAt": timestamp(created) if status == "READY" else None,
    }


async def _create(state: MockState, fields: dict[str, str], images: list[Part]) -> JSONObject:
    details = _check(fields, images)
    if details:
        raise InvalidFields(INVALID, details)
    await spend_credits(state, TRAINING_CREDITS)
    lora_id = str(uuid.uuid4())
    user, team = account_ids(state)
    values = {**DEFAULTS, **fields}
    lora = {
        "id": lora_id,
        "userId": user,
        "teamId": team,
        "name": values["name"],
        "subjectKind": values["subjectKind"],
        "gender": values.get("gender"),
        "ethnicity": values.get("ethnicity"),
        "age": values.get("age"),
        "imageCount": len(images),
        "steps": int(values["steps"]),
        "loraRank": int(values["loraRank"]),
        "error": None,
        "triggerWord": f"lora_{lora_id[:8]}",
    }
    document = {"lora": lora, "created_at": time.time(), "reads": 0, "archived": False, "task_id": lora_id}
    state.store.documents.put(KIND, lora_id, document)
    return {"id": lora_id, "status": "PENDING", "imageCount": len(images)}


def build_lora_routes(state: MockState, deadlines: Deadlines) -> list[Route]:
    """Return POST and GET /v2/loras, and GET and DELETE /v2/loras/{id}, over `state`."""

    async def create(request: Request) -> Response:
        try:
            body = await read_body(request, state.body_timeout_s, deadlines, MAX_TOTAL_BYTES)
        except PayloadTooLarge:
            raise InvalidFields(INVALID, {"images": [f"Too large: at most {MAX_TOTAL_BYTES} bytes in all"]}) from None
        parts = parse_form(body, request.headers.get("content-type"))
        answer = await _create(state, text_fields(parts), files_named(parts, "images"))
        return json_response(answer, 202)

    def found(request: Request) -> JSONObject:
        document = state.store.documents.get(KIND, request.path_params["id"])
        if document is None:
            raise NotFound("LoRA not found")
        return document

    async def read(request: Request) -> Response:
        document = found(request)
        shown = _render(state, document)
        document["reads"] += 1
        return json_response(shown)

    async def archive(request: Request) -> Response:
        found(request)["archived"] = True
        return Response(status_code=204)

    async def listing(request: Request) -> Response:
        details: dict[str, list[str]] = {}
        limit, after = check_paging(request.query_params, DEFAULT_LIMIT, details)
        if details:
            raise InvalidFields(INVALID, details)
        archived = request.query_params.get("includeArchived") == "true"
        documents = [doc for doc in state.store.documents.all(KIND) if archived or not doc["archived"]]
        shown = page(documents, limit, after)
        body = {"items": [_render(state, doc) for doc in shown.tasks], "nextCursor": shown.next_cursor}
        return json_response(body)

    return [
        Route("/v2/loras", create, methods=["POST"]),
        Route("/v2/loras", listing, methods=["GET"]),
        Route("/v2/loras/{id}", read, methods=["GET"]),
        Route("/v2/loras/{id}", archive, methods=["DELETE"]),
    ]
