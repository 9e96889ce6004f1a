"""Connecting a submitted task to its webhook: each step it comes to is sent, in order, as it comes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import BadRequest
from ..timeline import Advance, StepListener, Timeline
from ..webhooks import SECRET_HEADER, TargetPolicy, WebhookDispatcher
from ..wire import JSONObject

HORIZON_S = 86_400.0
"""Steps further off than a day get no timer: a stalled step lasts for ever, and a mock rarely runs that long."""
TIMER_SLACK_S = 0.01
"""Event loops run a timer up to a clock tick early; a step woken before it begins would go unsent."""


@dataclass(frozen=True, slots=True)
class Hook:
    """Where a submission asked for its webhooks to go, and the secret they carry."""

    url: str
    secret: str | None


def hook_of(body: JSONObject, targets: TargetPolicy) -> Hook | None:
    """Return the webhook a (schema-valid) submission `body` asks for, None if none, or raise BadRequest."""
    url = body.get("webhook_url")
    if url is None:
        return None
    refusal = targets.refusal(url)
    if refusal is not None:
        raise BadRequest(refusal)
    secret = body.get("webhook_secret")
    if secret is not None and any(char in secret for char in "\r\n\0"):
        raise BadRequest(
            f"webhook_secret holds a line break or NUL: it goes back as the {SECRET_HEADER} header, "
            "which cannot carry one; send a secret without them."
        )
    return Hook(url, secret)


def sender(hook: Hook, task_id: str, dispatcher: WebhookDispatcher) -> StepListener:
    """Return a step listener that posts each step of task `task_id` to `hook`."""

    def send(view: JSONObject) -> None:
        dispatcher.send(task_id, hook.url, hook.secret, view)

    return send


def wake_at_steps(timeline: Timeline, refresh: Callable[[], None]) -> None:
    """Call `refresh` as each step of a timeline that moves by seconds begins, so its webhooks go out on time."""
    if timeline.by is not Advance.SECONDS:
        return
    loop = asyncio.get_running_loop()
    for start in timeline.starts[1:]:
        if start <= HORIZON_S:
            loop.call_later(start + TIMER_SLACK_S, refresh)
