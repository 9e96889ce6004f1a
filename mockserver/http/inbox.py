"""A webhook receiver inside the mock, for tests: a route that keeps what it is sent in an inbox."""

from __future__ import annotations

import hmac
import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..engine.webhooks import SIGNATURE_HEADER, sign, signing_key
from ..limits import MAX_BODY_BYTES
from ..wire import JSON_MEDIA_TYPE
from .replies import json_response

INBOX_MAX_ENTRIES = 10_000
"""An inbox keeps this many webhooks, the newest."""


@dataclass(frozen=True, slots=True)
class ReceivedWebhook:
    """One webhook as it arrived: headers (names in lower case), raw body, and the body decoded (None if not JSON)."""

    headers: dict[str, str]
    body: bytes
    json: Any

    def signed_with(self, api_key: str) -> bool:
        """Say whether its X-Webhook-Signature is the HMAC-SHA256 of its body keyed as `api_key` signs (v2's)."""
        sent = self.headers.get(SIGNATURE_HEADER.lower())
        return sent is not None and hmac.compare_digest(sent, sign(self.body, signing_key(api_key)))


class Inbox:
    """The webhooks received, oldest first; safe to read from one thread while a server thread adds."""

    def __init__(self, max_entries: int = INBOX_MAX_ENTRIES) -> None:
        self._arrived = threading.Condition()
        self._entries: deque[ReceivedWebhook] = deque(maxlen=max_entries)

    def add(self, webhook: ReceivedWebhook) -> None:
        """Keep `webhook`, dropping the oldest past the bound."""
        with self._arrived:
            self._entries.append(webhook)
            self._arrived.notify_all()

    def received(self) -> list[ReceivedWebhook]:
        """Return a copy of the webhooks kept, oldest first."""
        with self._arrived:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every webhook kept."""
        with self._arrived:
            self._entries.clear()

    def wait_for(self, count: int, timeout_s: float) -> bool:
        """Block until the inbox holds `count` webhooks or more, at most `timeout_s` seconds; say whether it does."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self._entries) >= count, timeout_s)


def _decoded(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def receiver_route(inbox: Inbox, path: str) -> Route:
    """Return a route that accepts POST at `path`, keeps the webhook in `inbox` and answers 200 ``{}``."""

    async def receive(request: Request) -> Response:
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                too_large = f"The webhook body is larger than {MAX_BODY_BYTES} bytes, the most the receiver keeps."
                # Answered here, not by an app's handlers: the route also serves in a bare Starlette app.
                return json_response({"errors": [{"msg": too_large}]}, 413)
            chunks.append(chunk)
        body = b"".join(chunks)
        inbox.add(ReceivedWebhook(dict(request.headers.items()), body, _decoded(body)))
        return Response(b"{}", media_type=JSON_MEDIA_TYPE)

    return Route(path, receive, methods=["POST"])
