"""Counts read as a person writes them: one task, two tasks."""

from __future__ import annotations

from mockserver.wording import counted


def test_one_of_a_thing_is_singular_and_any_other_count_plural() -> None:
    assert [counted(number, "task") for number in (0, 1, 2)] == ["0 tasks", "1 task", "2 tasks"]
    assert counted(2, "entry", "entries") == "2 entries"
