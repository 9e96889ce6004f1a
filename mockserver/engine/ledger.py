"""The ledger: the credits the account's jobs have spent, and the keys that made a request idempotent.

Both must be agreed by every process serving one state: a credit is spent once, and a key claimed
once, whichever process took the request. This one keeps them in this process; a shared store
brings its own (the same interface, on Redis).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

CLAIM_TTL_S = 86_400.0
"""How long a claimed key answers with its first request's job: the 24 hours the v2 docs promise."""


@dataclass(frozen=True, slots=True)
class Claim:
    """What a key was first used for: a fingerprint of the request, and the task it created."""

    fingerprint: str
    task_id: str

    def encode(self) -> str:
        """Return the claim as one string, as a shared store keeps it."""
        return f"{self.fingerprint} {self.task_id}"

    @classmethod
    def decode(cls, raw: str) -> Claim:
        """Read a claim written by `encode`."""
        fingerprint, _, task_id = raw.partition(" ")
        return cls(fingerprint, task_id)


class Ledger:
    """Credits spent and keys claimed, in this process's memory."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._spent = 0
        self._claims: dict[str, tuple[float, Claim]] = {}

    async def spend(self, cost: int, credits: int) -> int | None:
        """Spend `cost` of the account's `credits` and return what is left; None, spending nothing, if too few."""
        if self._spent + cost > credits:
            return None
        self._spent += cost
        return credits - self._spent

    async def spent(self) -> int:
        """Return the credits spent so far."""
        return self._spent

    async def claim(self, key: str, claim: Claim) -> Claim | None:
        """Take `key` for `claim`, or return the claim that holds it (within `CLAIM_TTL_S` of being taken)."""
        now = self._clock()
        held = self._claims.get(key)
        if held is not None and now - held[0] < CLAIM_TTL_S:
            return held[1]
        self._claims[key] = (now, claim)
        return None

    async def release(self, key: str) -> None:
        """Free `key`, as when the request that claimed it was refused."""
        self._claims.pop(key, None)

    def clear(self) -> None:
        """Forget every credit spent and every key claimed, as a reset does."""
        self._spent = 0
        self._claims.clear()
