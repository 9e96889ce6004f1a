"""What the v2 test modules share besides their fixtures (in conftest): the key as a v2 client sends it."""

from __future__ import annotations

from mockserver import DEFAULT_API_KEY

V2_KEY = "afk_" + DEFAULT_API_KEY
"""The default key in v2's form."""
KEY = {"X-API-Key": V2_KEY}
