"""A request body streamed on as the app sends it, reading from the app held while the upstream is behind."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable

STREAMED = 256 << 10
"""The most bytes of a streamed request body held ahead of the upstream before reading pauses."""


class AppGone(Exception):
    """The app closed the connection: its request body is cut off, or its answer has no one to go to."""


class BodyStream:
    """A request body too long to be read whole first, or chunked: its pieces as the app sends them.

    `hold_reading(True)` is called while more than `STREAMED` bytes wait to be taken, `hold_reading(False)` once
    they are down to half of it.
    """

    def __init__(self, hold_reading: Callable[[bool], None]) -> None:
        self._hold_reading = hold_reading
        self._chunks: deque[bytes] = deque()
        self._held = 0
        self._done = False
        self._gone = False
        self._dropped = False
        self._waiter: asyncio.Future[None] | None = None

    def feed(self, chunk: bytes) -> None:
        """Take a piece of the body from the parser."""
        if self._dropped:
            return
        self._chunks.append(chunk)
        self._held += len(chunk)
        if self._held > STREAMED:
            self._hold_reading(True)
        self._wake()

    def end(self, gone: bool = False) -> None:
        """Mark the body whole, or cut off by the app leaving if `gone`."""
        self._done, self._gone = True, gone
        self._wake()

    def drop(self) -> None:
        """Drop what is left of the body, as it comes: its request was answered without it (no upstream)."""
        # Kept, it would pause reading for good once over `STREAMED`: the app, still sending, would never
        # read its answer, nor could its next request be taken.
        self._dropped = True
        self._chunks.clear()
        self._held = 0
        self._hold_reading(False)

    @property
    def dropped(self) -> bool:
        """Whether its request was answered without it, and the rest is dropped as it comes."""
        return self._dropped

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            if self._chunks:
                chunk = self._chunks.popleft()
                self._held -= len(chunk)
                if self._held <= STREAMED // 2:
                    self._hold_reading(False)
                yield chunk
            elif self._gone:
                raise AppGone
            elif self._done:
                return
            else:
                self._waiter = asyncio.get_running_loop().create_future()
                await self._waiter
