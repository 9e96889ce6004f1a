"""Where the mock's own routes live, apart from the API's: the control API and the OpenAPI document."""

from __future__ import annotations

CONTROL_PREFIX = "/__mock__"
"""The path prefix of the control API (and the dashboard), whose requests the journal leaves out."""
OPENAPI_PATH = "/openapi.json"
"""Where the mock describes itself: its own route, not Apiframe's, so the journal leaves it out too."""


def own_path(path: str) -> bool:
    """Say whether `path` is one of the mock's own routes rather than the API's."""
    return path.startswith(CONTROL_PREFIX) or path == OPENAPI_PATH
