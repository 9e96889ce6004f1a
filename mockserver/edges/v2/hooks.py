"""v2's webhooks: `webhookUrl` and `webhookEvents` on a job, worded as the vendor's bodies and signed with the key.

Each body goes with `X-Webhook-Event` and `X-Webhook-Signature: sha256=<hex>`, an HMAC-SHA256 of the
exact bytes sent keyed with the SHA-256 of the API key the job was created with: what the official
SDK's `verifyWebhook` checks. Delivery, retries, the allow-list and the records are the engine's, as for v1.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ...engine.task import Task
from ...engine.webhooks import Delivery, Hook, register_form, signing_key
from ...errors import InvalidFields
from ...state import MockState
from ...wire import JSONObject
from .checks import INVALID
from .convert import job_error, job_result, job_status, timestamp

FORM = "v2"
DEFAULT_EVENTS = ("completed", "failed")
"""The events a job with a `webhookUrl` and no `webhookEvents` is told of (vendor docs)."""
EVENTS = {"PROCESSING": "progress", "COMPLETED": "completed", "FAILED": "failed"}
"""The event each status is told as; a queued job tells nothing."""


def word(view: Task, events: Sequence[str]) -> tuple[str, JSONObject] | None:
    """Return the event and the body v2 sends for a step of a job, or None if the hook did not ask for it."""
    status = job_status(view.status)
    event = EVENTS.get(status)
    if event is None or event not in events:
        return None
    body: JSONObject = {"event": event, "jobId": view.task_id, "status": status}
    model = view.model if view.model is not None else view.task_type
    if event == "progress":
        percentage = view.percentage
        return event, {**body, "progress": int(percentage) if percentage is not None else None, "model": model}
    if event == "failed":
        return event, {**body, "error": job_error(view), "model": model}
    return event, {
        **body,
        "progress": 100,
        "result": job_result(view),
        "model": model,
        "creditCost": view.credit_cost,
        "completedAt": timestamp(time.time()),
    }


register_form(FORM, word)


def hook_of(body: JSONObject, state: MockState, key: str) -> Hook | None:
    """Return the hook a (schema-valid) job body asks for, signed with `key`; None without a webhookUrl."""
    url = body.get("webhookUrl")
    if url is None:
        return None
    refusal = state.webhook_targets.refusal(url)
    if refusal is not None:
        raise InvalidFields(INVALID, {"webhookUrl": [refusal]})
    events = tuple(body.get("webhookEvents", DEFAULT_EVENTS))
    return Hook(url, form=FORM, events=events, signing=signing_key(key))


def has_hook(record: Task) -> bool:
    """Say whether a stored job was created with a `webhookUrl`, so that its webhookStatus can change."""
    return bool((record.input or {}).get("webhookUrl"))


def webhook_status(deliveries: Sequence[Delivery], job_id: str) -> str:
    """Return a job's webhookStatus from the delivery records: delivered, failed, or pending until one is made."""
    mine = [delivery for delivery in deliveries if delivery.task_id == job_id]
    if not mine:
        return "pending"
    return "delivered" if mine[-1].ok else "failed"
