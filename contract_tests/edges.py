"""The edges of every input the suite sends, in one place, for the explicit examples every run sends.

An id is any string (the docs type it so and limit nothing else), matched exactly: each edge below
names no task, so fetch-many leaves it out and /fetch refuses it. A key is judged as HTTP sends it:
the blanks around a header value are not part of it (RFC 9110), and the `Bearer` scheme is
case-insensitive (RFC 9110, "Authentication Scheme"). Bodies are the shapes CONTRACT.md names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from hypothesis import example

from .exchange import KEY
from .pool import IdPool

LONG_ID = 10_000
"""The length of the longest id the suite sends: far past any id a server hands out."""
SAMPLE_UUID = "6f1d0c3a-8ab4-4d86-aa90-88df900cb233"
"""A lower-case UUID no account holds, standing for a real id when none is known."""
ID_EDGES: dict[str, Callable[[str], str]] = {
    "empty": lambda real: "",
    "blanks only": lambda real: "   ",
    "blanks around a real id": lambda real: f" {real} ",
    f"{LONG_ID:,} characters": lambda real: (real * (LONG_ID // max(len(real), 1) + 1))[:LONG_ID],
    "non-ASCII and emoji": lambda real: f"tâche-{real}-\U0001f600",
    "control characters": lambda real: f"\x00\x07\x1b{real}\n\t\x7f",
    "digits only": lambda real: "0000000000042",
    "a real UUID in upper case": lambda real: (real if real.upper() != real else SAMPLE_UUID).upper(),
}
"""Each edge of an id, built from a real id (a known one, else `SAMPLE_UUID`): none names a task."""
FETCH_ID_EDGES = ("empty", "blanks around a real id", "control characters", "a real UUID in upper case")
"""The edges /fetch is also sent: the ones a server could match loosely; fetch-many gets every edge."""

WRONG_KEYS: dict[str, str | None] = {
    "missing": None,
    "empty": "",
    "blanks only": "   ",
    "wrong": "not-the-key",
    "key with a suffix": KEY + "x",
    "Bearer with a wrong key": "Bearer not-the-key",
}
"""Authorization values that must get 401, by name (None sends no header)."""
BARE_KEY = KEY
"""The bare key, as the docs send it (AUTH-BARE)."""
BLANKS_KEY = f"  {KEY}  "
"""The key with blanks around it, which HTTP drops (AUTH-BLANKS, a guess)."""
BEARER_KEY = f"Bearer {KEY}"
"""The key as the official clients send it (AUTH-BEARER)."""
LOWER_BEARER_KEY = f"bearer {KEY}"
"""The key with the scheme in lower case (AUTH-BEARER-CASE, a guess)."""

NOT_STRINGS: tuple[object, ...] = (7, 1.5, None, True, {}, [])
"""A value of each JSON type but string: as an item of task_ids, or as /fetch's task_id, it gets 400."""
NOT_OBJECTS: dict[str, bytes] = {
    "empty": b"",
    "an array": b'["a", "b"]',
    "a string": b'"task_ids"',
    "null": b"null",
    "a number": b"42",
    "malformed JSON": b'{"task_ids": ["a", "b"]',
    "not UTF-8": b'{"task_ids": ["\xe9t\xe9", "b"]}',
}
"""Bodies that are not a JSON object, by name: each gets 400 on /fetch-many and on /fetch."""
FETCH_NOT_OBJECTS = ("empty", "an array", "malformed JSON", "not UTF-8")
"""The bodies /fetch is also sent: one of each way a body fails to parse; fetch-many gets every one."""
WRONG_KEYS_ELSEWHERE = ("missing", "wrong")
"""The wrong keys /fetch and /account are also sent; /fetch-many gets every one of `WRONG_KEYS`."""

Test = TypeVar("Test", bound=Callable[..., Any])


def edge_id(name: str, pool: IdPool) -> str:
    """Return the id at the edge `name`, built from the first known id (or `SAMPLE_UUID`)."""
    return ID_EDGES[name](pool.known[0] if pool.known else SAMPLE_UUID)


def explicit(argument: str, values: Iterable[object], **fixed: object) -> Callable[[Test], Test]:
    """Return a decorator giving a Hypothesis test one explicit example per value: `argument=value` and `fixed`."""

    def decorate(test: Test) -> Test:
        for value in reversed(list(values)):
            test = example(**{argument: value}, **fixed)(test)
        return test

    return decorate
