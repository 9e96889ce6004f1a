"""What a rule of the contract is: an id, where it comes from, why, and the API version it holds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Source(StrEnum):
    """Where a rule comes from."""

    DOCUMENTED = "documented"
    """The vendor's docs state it; `evidence` quotes them."""
    ASSUMED = "assumed"
    """The docs are silent, but an official client or a documented example relies on it; `evidence` says how."""
    GUESS = "guess"
    """The docs are silent and nothing relies on it: the mock's guess, and production doing otherwise is no drift."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of CONTRACT.md, checked by the tests marked ``@pytest.mark.rule(id)``."""

    id: str
    title: str
    source: Source
    evidence: str
    needs_known_ids: bool = False
    setting: str = ""
    """For a guess: the calibration setting (``table.name``) that makes the mock do what production does."""
    version: str = "v1"
    """The API version the rule holds: ``v1`` (api.apiframe.pro) or ``v2`` (api.apiframe.ai/v2)."""
