"""Whole numbers as requests and flags write them, read so that no text makes `int()` raise.

`str.isdigit` takes digits `int()` refuses ("²", byte 0xB2 read as Latin-1), and `int()` refuses a
string of over 4,300 digits: a query, a header or a flag reaches neither through `whole_number`.
"""

from __future__ import annotations

HUGE = 10**18
"""What a longer number counts as: more than any limit a request or a flag is held to."""
_DIGITS = 18


def whole_number(text: str | bytes) -> int | None:
    """Return the whole number `text` writes in ASCII digits (no sign, no space), at most `HUGE`; else None."""
    written = text.decode("latin-1") if isinstance(text, bytes) else text
    if not (written.isascii() and written.isdigit()):
        return None
    significant = written.lstrip("0")
    return int(significant or "0") if len(significant) <= _DIGITS else HUGE
