"""Webhook forms: how a hook's steps are worded and signed, for hooks that ask for more than the bare task.

A form is registered by name by whoever knows a wire shape (an edge); the engine only looks it up by
the name a hook carries, so that it never learns the shapes themselves. A form turns a step of a task
into the event it is and the body to send, or None when the hook did not ask to hear of that step.
A hook with a signing key gets an HMAC-SHA256 of the exact body sent, keyed with that key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence

from ...wire import JSONObject
from ..task import Task
from .targets import Hook

Form = Callable[[Task, Sequence[str]], tuple[str, JSONObject] | None]
"""Given a step of a task and the events a hook asked for: the event and the body to send, or None."""
EVENT_HEADER = "X-Webhook-Event"
SIGNATURE_HEADER = "X-Webhook-Signature"

_FORMS: dict[str, Form] = {}


def register_form(name: str, form: Form) -> None:
    """Make `form` the one hooks naming `name` are sent in."""
    _FORMS[name] = form


def signing_key(secret: str) -> str:
    """Return the key a signature is made with from `secret` (an API key): its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def sign(body: bytes, key: str) -> str:
    """Return the signature header's value for `body`: ``sha256=`` and the HMAC-SHA256 keyed with `key`'s bytes."""
    return "sha256=" + hmac.new(bytes.fromhex(key), body, hashlib.sha256).hexdigest()


def worded(hook: Hook, view: Task) -> tuple[str, JSONObject] | None:
    """Return the event and body `hook`'s form makes of `view`, None if it skips it; its flat fields without a form."""
    if hook.form is None:
        return "", view.fields()
    return _FORMS[hook.form](view, hook.events)
