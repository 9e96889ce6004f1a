"""/v2/assets: register a media URL as a provider asset (for Seedance inputs), and read it back."""

from __future__ import annotations

import time
import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import InvalidFields, NotFound
from ...http.bodies import parse_object, read_body
from ...http.deadlines import Deadlines
from ...http.replies import json_response
from ...schemas import bundled_schemas
from ...state import MockState
from .checks import INVALID, details_of
from .convert import timestamp

KIND = "asset"
REQUEST_SCHEMA = "v2/asset-request.json"
ASSET_PREFIX = "asset-"
"""How the mock's asset ids start: the provider's ids are opaque strings, not UUIDs."""


def build_asset_routes(state: MockState, deadlines: Deadlines) -> list[Route]:
    """Return POST /v2/assets/create and GET /v2/assets/{assetId} over `state`."""
    schemas = bundled_schemas()

    async def create(request: Request) -> Response:
        body = parse_object(await read_body(request, state.body_timeout_s, deadlines), "send {url, type}")
        details = details_of(body, REQUEST_SCHEMA, schemas)
        if details:
            raise InvalidFields(INVALID, details)
        asset_id = ASSET_PREFIX + uuid.uuid4().hex
        asset = {"id": asset_id, "url": body["url"], "type": body["type"], "status": "Active"}
        state.store.documents.put(KIND, asset_id, {**asset, "createdAt": timestamp(time.time())})
        return json_response({"assetId": asset_id}, 201)

    async def read(request: Request) -> Response:
        asset = state.store.documents.get(KIND, request.path_params["asset_id"])
        if asset is None:
            raise NotFound("Asset not found")
        return json_response(asset)

    return [
        Route("/v2/assets/create", create, methods=["POST"]),
        Route("/v2/assets/{asset_id}", read, methods=["GET"]),
    ]
