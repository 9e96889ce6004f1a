"""Webhooks: the mock POSTs a task to the URL its submitter gave, and keeps a record of every attempt.

    submit endpoint ── TargetPolicy.refusal(webhook_url) ──► a 400 naming ALLOW_FLAG, or go on
          │
          │ deliver(task_id, hook, step)              returns at once, from any thread;
          │                                           a hook's form words and signs the step
          ▼
    WebhookDispatcher ── its own thread and loop ──► client.post_json ──► the receiver
          │                in order per task,           DeliveryError: a failed attempt,
          │                retried with backoff         kept in its record, never raised out
          ▼
    deliveries(): one Delivery per attempt, secret redacted

The names below are the whole interface: nothing outside this package imports its modules.
"""

from __future__ import annotations

from ...errors import DeliveryError
from .dispatcher import DEFAULT_MAX_RECORDS, WebhookDispatcher
from .forms import EVENT_HEADER, SIGNATURE_HEADER, register_form, sign, signing_key
from .records import SECRET_HEADER, Delivery
from .targets import ALLOW_ANY, ALLOW_FLAG, Hook, TargetPolicy

__all__ = [
    "ALLOW_ANY",
    "ALLOW_FLAG",
    "DEFAULT_MAX_RECORDS",
    "EVENT_HEADER",
    "SECRET_HEADER",
    "SIGNATURE_HEADER",
    "Delivery",
    "DeliveryError",
    "Hook",
    "TargetPolicy",
    "WebhookDispatcher",
    "register_form",
    "sign",
    "signing_key",
]
