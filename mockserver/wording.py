"""Counting in the words a person reads: ``1 task``, ``2 tasks``."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str = "") -> str:
    """Return `count` and `noun`, the noun in the plural (`plural`, else noun + ``s``) unless the count is one."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
