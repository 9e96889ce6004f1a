"""The routes the mock serves, as ``METHOD /path``: a budgeted run asks a seeded sample of them without a key."""

from __future__ import annotations

import random

from mockserver.edges.v1.routes import ROUTES
from mockserver.edges.v1.uploads import UPLOAD_ROUTES

from .submissions import ENDPOINTS

LIVE_SAMPLE = 6
"""How many routes a budgeted run asks without a key: six requests, another sample each night (seed)."""
SERVED_ROUTES: tuple[str, ...] = (
    *(f"{method} {path}" for method, path, _ in ROUTES),
    *(f"POST {endpoint.path}" for endpoint in ENDPOINTS.values()),
    *(f"POST {upload.path}" for upload in UPLOAD_ROUTES),
)
"""Every route of the API the mock serves: the status routes, each submit endpoint and the uploads."""


def chosen_routes(every: bool, seed: str) -> list[str]:
    """Return the routes a run asks without a key: all of them if `every`, else a sample seeded by `seed`."""
    if every:
        return list(SERVED_ROUTES)
    chosen = set(random.Random(f"apiframe-contract-routes:{seed}").sample(range(len(SERVED_ROUTES)), LIVE_SAMPLE))
    return [route for index, route in enumerate(SERVED_ROUTES) if index in chosen]
