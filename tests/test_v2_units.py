"""The v2 pieces that need no server: wording a rule a newer document may bring, paging cursors, kept files."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from mockserver.edges.v2.checks import _problems
from mockserver.engine.files import Files
from mockserver.engine.paging import decode_cursor, encode_cursor


def test_a_rule_the_checks_have_no_words_for_is_told_in_the_validators_own() -> None:
    (error,) = Draft202012Validator({"properties": {"mode": {"const": "fast"}}}).iter_errors({"mode": "slow"})
    assert _problems(error) == [("mode", "'fast' was expected")]


def test_a_cursor_is_opaque_and_anything_else_is_refused() -> None:
    assert decode_cursor(encode_cursor((1.5, "job"))) == (1.5, "job")
    for cursor in ("!!!", "WzEsMl0", encode_cursor((1.0, "x")).upper(), "bnVsbA"):
        assert decode_cursor(cursor) is None


def test_kept_files_drop_the_oldest_past_their_bound() -> None:
    files = Files(max_bytes=10)
    first = files.put(b"123456", "image/png")
    second = files.put(b"7890ab", "image/png")
    assert (files.get(first.file_id), files.get(second.file_id)) == (None, second)
