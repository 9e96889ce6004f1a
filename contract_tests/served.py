"""The routes the mock serves, as ``METHOD /path``: a budgeted run asks a seeded sample of them without a key."""

from __future__ import annotations

import random

from mockserver.edges.v1.routes import ROUTES
from mockserver.edges.v1.uploads import UPLOAD_ROUTES

from .submissions import ENDPOINTS, OTHER_HOST, OTHER_HOST_PREFIX

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
