"""The v2 requests the suite sends at the edges of the contract: keys, bodies, ids and paths no job or route has."""

from __future__ import annotations

from typing import Any

from .exchange import Exchange
from .oracle import Drift

NO_JOB = "00000000-0000-4000-8000-00000000c0de"
"""A UUID no job has: the random part is all but zero."""
NOT_UUIDS = ("not-a-job-id", "12345")
UNKNOWN_PATH = "/v2/contract-no-such-route"
GENERATE = {
    "/v2/images/generate": "flux-1.1-pro",
    "/v2/videos/generate": "kling-2.1",
    "/v2/music/generate": "suno",
}
"""A generate route per modality, image first (the cheapest), and one model the document lists for it."""
IMAGE_ROUTE, IMAGE_MODEL = next(iter(GENERATE.items()))
PROMPT = "apiframe-mock contract suite: a lighthouse at dusk"
WRONG_KEYS: dict[str, str | None] = {
    "missing": None,
    "empty": "",
    "unknown": "afk_contract0000000000000000000000000000",
    "v1-style": "not-an-afk-key",
}
"""The X-API-Key values no team holds, by name; None sends no header."""
LONG_IDEMPOTENCY_KEY = "k" * 256
"""One character more than the document's `maxLength` 255 for `Idempotency-Key`."""


def valid_body(route: str = IMAGE_ROUTE) -> dict[str, Any]:
    """Return the smallest valid body of a generate route: its model and a prompt."""
    return {"model": GENERATE[route], "prompt": PROMPT}


INVALID_BODIES: dict[str, tuple[object, str | None]] = {
    "no model": ({"prompt": PROMPT}, "model"),
    "empty prompt": ({"model": IMAGE_MODEL, "prompt": ""}, "prompt"),
    "prompt not a string": ({"model": IMAGE_MODEL, "prompt": 5}, "prompt"),
    "no prompt": ({"model": IMAGE_MODEL}, "prompt"),
    "not an object": ([IMAGE_MODEL, PROMPT], None),
}
"""Bodies POST /v2/images/generate must refuse, each with the field its `details` must name (None: any)."""


def body_of(exchange: Exchange, what: str) -> dict[str, Any]:
    """Return the answer's JSON object, or raise Drift saying `what` it should have been."""
    answer = exchange.answer
    if answer is None:
        raise Drift(f"no answer: {exchange.problem}", exchange)
    if not isinstance(answer.body, dict):
        raise Drift(f"{what} is not a JSON object", exchange)
    return answer.body
