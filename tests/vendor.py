"""Where the tests find the vendor's v2 material, which the repository does not carry: its OpenAPI document
and its official Node client, built.

Each is named by an environment variable, or else found in ``../shared/`` beside the checkout (a clone
placed beside the shared folder, as CI places it). A test that needs one skips without it, saying
where it looked, and fails under CI=true, which must have it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .redis_server import require

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED = REPOSITORY.parent / "shared"
OPENAPI_ENV = "APIFRAME_V2_OPENAPI"
SDK_ENV = "APIFRAME_SDK_NODE"


def _need(path: Path, what: str, env: str) -> Path:
    if not path.exists():
        missing = f"{what} is not at {path}: set ${env} to where it is"
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    return path


def v2_openapi() -> Path:
    """Return the path of the vendor's v2 OpenAPI document, or skip (fail under CI)."""
    default = SHARED / "apiframe-docs" / "v2" / "openapi.json"
    return _need(Path(os.environ.get(OPENAPI_ENV, default)), "the vendor's v2 OpenAPI document", OPENAPI_ENV)


def sdk_node() -> tuple[str, Path]:
    """Return node's path and the folder of the official v2 Node client, or skip (fail under CI)."""
    node = require("node", "node is not installed: `make parts` installs it (Debian's nodejs)")
    default = SHARED / "clients" / "apiframe-sdk-node"
    folder = _need(Path(os.environ.get(SDK_ENV, default)), "the official v2 Node client", SDK_ENV)
    return node, _need(folder / "dist" / "index.js", "the built v2 Node client (dist/index.js)", SDK_ENV).parent.parent
