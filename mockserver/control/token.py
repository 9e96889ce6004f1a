"""The control token a command serves with: the one given, else the environment's, else one made up."""

from __future__ import annotations

import os
import secrets

from ..errors import UsageError

CONTROL_TOKEN_ENV = "APIFRAME_MOCK_CONTROL_TOKEN"
"""Where a command looks for the control token when --control-token is not given."""


def control_token(given: str | None) -> tuple[str, str]:
    """Return the control token (`given`, else from the environment, else generated) and words saying how to use it.

    `serve --control` and `proxy` take their token the same way; an empty one is a UsageError naming where it
    came from, as an empty API key's is.
    """
    from_flag = given is not None
    source = "--control-token" if from_flag else f"${CONTROL_TOKEN_ENV}"
    token = given if from_flag else os.environ.get(CONTROL_TOKEN_ENV)
    if token is None:
        token = secrets.token_urlsafe(24)
        return token, f"with 'Authorization: Bearer {token}'"
    if not token:
        unset = "" if from_flag else ", or unset it to have one generated"
        raise UsageError(f"the control token from {source} is empty; give a non-empty token{unset}")
    return token, f"(token from the flag or ${CONTROL_TOKEN_ENV})"
