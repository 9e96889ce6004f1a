"""The store: where a mock's state is kept, behind one interface.

base      Store, the interface: attributes every process reads without a round trip, and the
changes and counts every process must agree on, as async methods; what every store does alike
is done there once, over a few hooks; Seed, what a state starts from
tasks     TaskStore, the tasks as one process sees them: records, fixed or moving along a timeline, and
          Encodings, what an edge encoded them to
memory    MemoryStore, everything in this process (the default)
redis/    RedisStore, everything on Redis, shared by every process and host (imported when asked for)
records   how tasks, journal entries and delivery records go into a shared store
scripts   the Lua scripts that count atomically on Redis
progress  advance_task, moving a stored task on by hand, and has_next_step, whether it can be
urls      naming a store by its URL without its password
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ...errors import UsageError
from .base import Seed, Store
from .memory import MemoryStore
from .progress import advance_task, has_next_step
from .tasks import Encodings, TaskStore
from .urls import STORE_SCHEMES, redacted

STORE_FORM = "redis://[:PASSWORD@]HOST:PORT/DB or rediss://..."


def shared_store(url: str, prefix: str, reset: bool, seed: Store) -> tuple[Store, bool]:
    """Open the shared store at `url` under `prefix`, loading `seed` into it if it is empty (or `reset`).

    Return the store and whether it loaded the seed (rather than joined a state already there); raise
    UsageError for a URL it cannot use, StoreUnavailable when the store cannot be reached.
    """
    parts = urlsplit(url)
    if parts.scheme not in STORE_SCHEMES or not parts.hostname:
        raise UsageError(f"--store {redacted(url)!r} is not a store the mock knows: give {STORE_FORM}")
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        raise UsageError(f"--store {redacted(url)!r} has a port that is not one: give {STORE_FORM}") from None
    try:
        # Imported here: only a shared store needs the Redis client.
        from .redis import RedisStore
    except ImportError:
        # Named by the client's own package: apiframe-mock itself may not be on the index pip reads.
        raise UsageError(
            "--store needs the Redis client, which apiframe-mock's [redis] extra installs: pip install 'redis[hiredis]'"
        ) from None

    store = RedisStore(url, prefix, seed)
    return store, store.prepare(reset)


__all__ = [
    "STORE_FORM",
    "Encodings",
    "MemoryStore",
    "Seed",
    "Store",
    "TaskStore",
    "advance_task",
    "has_next_step",
    "redacted",
    "shared_store",
]
