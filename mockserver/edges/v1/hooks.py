"""Where a submission asks for its task's webhooks to go, checked against the targets the mock may call."""

from __future__ import annotations

from ...engine.webhooks import SECRET_HEADER, Hook, TargetPolicy
from ...errors import BadRequest
from ...wire import JSONObject


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
