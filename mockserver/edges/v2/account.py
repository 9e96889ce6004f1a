"""GET /v2/me (the key's user, team and credits left) and GET /v2/models (the model catalog, public)."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import InvalidFields, PaymentRequired
from ...http.replies import json_response
from ...state import MockState
from ...wire import JSONObject
from .checks import INVALID
from .errors import NO_CREDITS
from .models import MODALITY, models

_NAMESPACE = uuid.UUID("6f1d3c52-7d2e-4c55-9a57-0c5b0f0e2a11")
"""Ids the mock derives for the user, team and key, the same on every run and host."""
KEY_PREFIX_CHARS = 8
"""How much of the key /v2/me shows, as the vendor shows a key's prefix."""


def _id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


def _email(state: MockState) -> str:
    return str(state.store.account.get("email", "mock-user@example.com"))


def account_ids(state: MockState) -> tuple[str, str]:
    """Return the ids of the account's user and of its team."""
    email = _email(state)
    return _id(f"user:{email}"), _id(f"team:{email}")


async def credits_left(state: MockState) -> int:
    """Return the account's credits less those its jobs spent (never below 0)."""
    return max(int(state.store.account.get("credits", 0)) - await state.store.ledger.spent(), 0)


async def spend_credits(state: MockState, cost: int) -> None:
    """Spend `cost` of the account's credits, or raise PaymentRequired (spending nothing) saying how many are left."""
    if await state.store.ledger.spend(cost, int(state.store.account.get("credits", 0))) is None:
        raise PaymentRequired(NO_CREDITS, cost, await credits_left(state))


async def me(state: MockState) -> JSONObject:
    """Return the /v2/me answer: the account's user and team, its credits less those its jobs spent."""
    account = state.store.account
    user, team = account_ids(state)
    return {
        "user": {"id": user, "email": _email(state), "role": "OWNER"},
        "team": {
            "id": team,
            "name": "apiframe-mock",
            "credits": await credits_left(state),
            "plan": str(account.get("plan", "pro")),
            "customerId": None,
        },
        "apiKey": {"id": _id("key"), "name": "apiframe-mock", "prefix": state.keys.v2_key[:KEY_PREFIX_CHARS]},
    }


def catalog(modality: str | None) -> JSONObject:
    """Return the /v2/models answer: each model (of `modality`, if given) with the credits a job of it costs."""
    entries = [
        {
            "id": name,
            "label": name,
            "modality": variant.modality,
            "pricingMode": "flat",
            "costMin": variant.credit_cost,
            "costMax": variant.credit_cost,
        }
        for name, variant in sorted(models().items())
        if modality in (None, variant.modality)
    ]
    return {"models": entries}


def build_account_routes(state: MockState) -> list[Route]:
    """Return GET /v2/me and GET /v2/models over `state`."""

    async def get_me(request: Request) -> Response:
        return json_response(await me(state))

    async def get_models(request: Request) -> Response:
        modality = request.query_params.get("modality")
        if modality is not None and modality not in MODALITY.values():
            raise InvalidFields(INVALID, {"modality": [f"Must be one of {', '.join(MODALITY.values())}"]})
        return json_response(catalog(modality))

    return [Route("/v2/me", get_me, methods=["GET"]), Route("/v2/models", get_models, methods=["GET"])]
