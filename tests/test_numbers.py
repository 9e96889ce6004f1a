"""Whole numbers read from requests and flags: ASCII digits only, and no length of them makes int() raise."""

from __future__ import annotations

import pytest

from mockserver.numbers import HUGE, whole_number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0", 0),
        ("42", 42),
        (b"42", 42),
        ("007", 7),
        ("0" * 40 + "12", 12),
        ("9" * 18, 10**18 - 1),
        ("9" * 19, HUGE),
        ("9" * 5000, HUGE),
        (b"9" * 5000, HUGE),
        ("", None),
        ("²", None),
        (b"\xb2", None),
        ("٣", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
    ],
)
def test_a_whole_number_is_ascii_digits_and_a_long_one_counts_as_huge(text: str | bytes, number: int | None) -> None:
    assert whole_number(text) == number
