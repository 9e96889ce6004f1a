"""Magic values: words in a submission that make its task fail, stall or take longer, as sandbox card numbers do."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import BadRequest

MAGIC = re.compile(r"\[mock:([^\]:]*)(?::([^\]]*))?\]")
"""A magic value: ``[mock:WORD]`` or ``[mock:WORD: VALUE]``, anywhere in a string field of the body."""
MAGIC_FORMS = "[mock:fail], [mock:fail: <message>], [mock:stall], [mock:slow] or [mock:slow: <polls or seconds>]"
FOREVER = 1e9
"""Polls or seconds that stand for ever: how long a stalled step lasts, and more than a slow one may."""
SLOW_FACTOR = 10
"""How many times longer each step lasts under a bare ``[mock:slow]``."""
FAIL_MESSAGE = "The task failed: the request asked for it with [mock:fail]."


@dataclass(frozen=True, slots=True)
class Magic:
    """What the magic values of one submission ask for."""

    fail: str | None = None
    """The failure message the task ends with, or None to finish."""
    stall: bool = False
    every: float | None = None
    """The polls or seconds each step lasts, or None for the usual pace (times `stretch`)."""
    stretch: float = 1


def read_magic(body: Mapping[str, Any]) -> Magic:
    """Return what the magic values in the top-level string fields of `body` ask for, or raise BadRequest."""
    fail: str | None = None
    stall = False
    every: float | None = None
    stretch = 1
    for name, value in body.items():
        if not isinstance(value, str) or "[mock:" not in value:
            continue
        for match in MAGIC.finditer(value):
            word, given = match.group(1).strip(), match.group(2)
            detail = given.strip() if given is not None else ""
            if word == "fail":
                fail = detail or FAIL_MESSAGE
            elif word == "stall" and given is None:
                stall = True
            elif word == "slow" and given is None:
                stretch = SLOW_FACTOR
            elif word == "slow":
                every = _every(name, detail)
            else:
                raise BadRequest(f"{name} holds {match.group(0)!r}, which the mock does not know: use {MAGIC_FORMS}.")
    return Magic(fail, stall, every, stretch)


def _every(name: str, detail: str) -> float:
    try:
        value = float(detail)
    except ValueError:
        value = 0.0
    if not 0 < value < FOREVER:
        raise BadRequest(
            f"{name} holds [mock:slow: {detail}]: give the polls or seconds each step lasts, a number above 0 "
            f"and below {FOREVER:g} (for ever is [mock:stall])."
        )
    return value
