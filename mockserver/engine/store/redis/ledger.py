"""The ledger on Redis: credits spent and idempotency keys claimed, counted once whichever process took the call."""

from __future__ import annotations

import time
from collections.abc import Callable

from ...ledger import CLAIM_TTL_S, Claim, Ledger
from .keys import Keys
from .link import Link

SPEND = """
-- KEYS: spent; ARGV: cost, the account's credits
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost, credits = tonumber(ARGV[1]), tonumber(ARGV[2])
if spent + cost > credits then return -1 end
redis.call('INCRBY', KEYS[1], cost)
return credits - spent - cost
"""
"""Spend the cost if the credits cover it, atomically: what is left, or -1 without spending."""
CLAIM = """
-- KEYS: claims; ARGV: key, claim, now, lifetime
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  local at, claim = string.match(held, '^(%S+) (.*)$')
  if tonumber(ARGV[3]) - tonumber(at) < tonumber(ARGV[4]) then return claim end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. ' ' .. ARGV[2])
return false
"""
"""Take a key for a claim unless a claim younger than the lifetime holds it: the holding claim, or nil."""


class RedisLedger(Ledger):
    """Credits spent and keys claimed, under the store's prefix on Redis, shared by every process."""

    def __init__(self, link: Link, keys: Keys, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self._link = link
        self.spent_key = keys.ledger_spent
        self.claims_key = keys.ledger_claims

    async def spend(self, cost: int, credits: int) -> int | None:
        """Spend `cost` of the account's `credits` and return what is left; None, spending nothing, if too few."""
        client = self._link.redis()
        left = await self._link.guard(lambda: client.eval(SPEND, 1, self.spent_key, cost, credits))
        return None if int(left) < 0 else int(left)

    async def spent(self) -> int:
        """Return the credits spent so far, by every process."""
        client = self._link.redis()
        return int(await self._link.guard(lambda: client.get(self.spent_key)) or 0)

    async def claim(self, key: str, claim: Claim) -> Claim | None:
        """Take `key` for `claim`, or return the claim that holds it (within `CLAIM_TTL_S` of being taken)."""
        client = self._link.redis()
        now = self._clock()
        held = await self._link.guard(
            lambda: client.eval(CLAIM, 1, self.claims_key, key, claim.encode(), repr(now), repr(CLAIM_TTL_S))
        )
        if held is None:
            return None
        return Claim.decode(held.decode() if isinstance(held, bytes) else str(held))

    async def release(self, key: str) -> None:
        """Free `key`, as when the request that claimed it was refused."""
        client = self._link.redis()
        await self._link.guard(lambda: client.hdel(self.claims_key, key))

    def clear(self) -> None:
        """Nothing here: the store's reset deletes the ledger's keys on Redis, in one transaction with the rest."""
