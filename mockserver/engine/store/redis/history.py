"""What happened, on Redis: the journal every process adds to, and every process's webhook delivery records."""

from __future__ import annotations

import contextlib

from redis.commands.core import AsyncScript

from ....errors import ServerError
from ...journal import JOURNAL_MAX_BYTES, JOURNAL_MAX_ENTRIES, JournalPage, RecordedRequest
from ...webhooks import DEFAULT_MAX_RECORDS, Delivery
from ..records import decode_delivery, decode_entry, encode_delivery, encode_entry
from ..scripts import JOURNAL_PUSH
from .keys import Keys
from .link import Link


class History:
    """The journal and the delivery records of a namespace, bounded as in memory."""

    def __init__(self, link: Link, keys: Keys) -> None:
        self._link = link
        self._keys = keys
        self._push: AsyncScript | None = None

    def open(self) -> None:
        """Register the journal's script with the async client."""
        self._push = self._link.connected().register_script(JOURNAL_PUSH)

    async def record(self, entry: RecordedRequest) -> None:
        """Add `entry` to the one journal every process shares; if Redis fails it, the entry is lost, not the answer."""
        encoded = encode_entry(entry)
        keys = self._keys
        push = self._push
        assert push is not None
        # The answer has started by now: a failure here could only turn it into a broken one.
        with contextlib.suppress(ServerError):
            await self._link.guard(
                lambda: push(
                    keys=[keys.journal, keys.journal_bytes, keys.journal_dropped],
                    args=[encoded, len(entry.body), JOURNAL_MAX_ENTRIES, JOURNAL_MAX_BYTES],
                )
            )

    async def requests(self, last: int | None = None) -> JournalPage:
        """Return the journal's entries (the newest `last`, if given), oldest first."""

        async def read() -> JournalPage:
            pipe = self._link.redis().pipeline(transaction=True)
            pipe.lrange(self._keys.journal, -last if last else 0, -1)
            pipe.get(self._keys.journal_dropped)
            pipe.llen(self._keys.journal)
            entries, dropped, total = await pipe.execute()
            shown = [] if last == 0 else [decode_entry(raw) for raw in entries]
            return JournalPage(shown, int(dropped or 0), int(total))

        return await self._link.guard(read)

    async def clear_requests(self) -> None:
        """Empty the journal."""
        keys = self._keys
        await self._link.guard(
            lambda: self._link.redis().delete(keys.journal, keys.journal_bytes, keys.journal_dropped)
        )

    def keep_delivery(self, delivery: Delivery) -> None:
        """Add a delivery record; called by the dispatcher in a thread of its own, so a slow Redis holds up none."""
        pipe = self._link.sync.pipeline(transaction=True)
        pipe.rpush(self._keys.deliveries, encode_delivery(delivery))
        pipe.ltrim(self._keys.deliveries, -DEFAULT_MAX_RECORDS, -1)
        pipe.execute()

    async def deliveries(self) -> list[Delivery]:
        """Return every process's delivery attempts, oldest first."""
        raw = await self._link.guard(lambda: self._link.redis().lrange(self._keys.deliveries, 0, -1))
        return [decode_delivery(item) for item in raw]

    async def clear_deliveries(self) -> None:
        """Forget the delivery records."""
        await self._link.guard(lambda: self._link.redis().delete(self._keys.deliveries))
