"""The record of one webhook attempt: where it went, what it sent (secret hidden) and how it ended."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...wire import JSONObject
from ..journal import REDACTED

SECRET_HEADER = "x-webhook-secret"
"""The header that carries a task's webhook secret to its receiver."""


def redact_secret(headers: Mapping[str, str]) -> dict[str, str]:
    """Return a copy of `headers` with the value of `SECRET_HEADER` (in any case) replaced by ``<redacted>``."""
    return {name: REDACTED if name.lower() == SECRET_HEADER else value for name, value in headers.items()}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One attempt to POST a task to its webhook URL; `status` None means no answer came, and `error` says why."""

    task_id: str
    url: str
    headers: dict[str, str]
    body: Any
    attempt: int
    status: int | None
    error: str | None
    at: float
    duration_ms: float

    def __post_init__(self) -> None:
        # Redacted here, so that no record can hold the secret, whoever builds it.
        object.__setattr__(self, "headers", redact_secret(self.headers))

    @property
    def ok(self) -> bool:
        """Say whether the receiver answered with a 2xx status."""
        return self.status is not None and 200 <= self.status < 300

    def to_json(self) -> JSONObject:
        """Return the record as a JSON object, with the same names as its fields."""
        return {
            "task_id": self.task_id,
            "url": self.url,
            "headers": dict(self.headers),
            "body": self.body,
            "attempt": self.attempt,
            "status": self.status,
            "error": self.error,
            "at": self.at,
            "duration_ms": self.duration_ms,
        }
