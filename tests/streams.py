"""A child process's output read line by line as it comes, so a test can wait for words instead of sleeping."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import IO


class Lines:
    """The lines a text stream has given so far, read on a thread of their own until it closes."""

    def __init__(self, stream: IO[str] | None) -> None:
        assert stream is not None
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        with stream:
            for line in stream:
                with self._changed:
                    self.lines.append(line.rstrip("\n"))
                    self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait_for(self, seen: Callable[[list[str]], bool], timeout: float) -> bool:
        """Wait at most `timeout` seconds until `seen` holds of the lines so far; say whether it does."""
        with self._changed:
            return self._changed.wait_for(lambda: seen(self.lines), timeout)

    def until_closed(self, timeout: float) -> list[str]:
        """Return every line, once the stream has closed (or after `timeout` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed, timeout)
            return list(self.lines)
