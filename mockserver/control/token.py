"""The control token a command serves with: the one given, else the environment's, else one made up."""

from __future__ import annotations

import os
import secrets

from ..errors import UsageError

CONTROL_TOKEN_ENV = "APIFRAME_MOCK_CONTROL_TOKEN"
"""Where a command looks for the control token when --control-token is not given."""


def control_token(given: str | None) -> tuple[str, str]:
    """Return the control token (`given`, else from the environment, else generated) and words saying how to use it.

    `serve --control` and `proxy` take their token the same way; an empty one is a UsageError.
    """
    given = given if given is not None else os.environ.get(CONTROL_TOKEN_ENV)
    if given is not None and not given:
        raise UsageError("the control token is empty; give a non-empty --control-token")
    if given:
        return given, f"(token from the flag or ${CONTROL_TOKEN_ENV})"
    token = secrets.token_urlsafe(24)
    return token, f"with 'Authorization: Bearer {token}'"
