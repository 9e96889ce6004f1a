"""The internal task record and v1's task JSON, each into the other, and the encoded renders v1 keeps.

v1's task object is flat and speaks the engine's own field names (``task_id``, ``percentage``, the
family's result fields), so its conversion is the record's flat view: `to_v1` then `to_record`
gives back the record, the round trip the tests hold over every fixture and every task type.
It lives here, beside v2's, so that a change to v1's shape touches v1 only.

`Renders` is v1's cache of encodings: a fixed task keeps its (frozen) record until it changes, and
a task on a timeline shows one record per step, so an encoding is reused while its record is the
one the store hands out; a fetch of many then only joins bytes, as it did when the store kept them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...engine.task import Task
from ...wire import JSONObject, encode_json

RENDERS_KEPT = 1_000_000
"""How many tasks' encodings a `Renders` keeps before it starts afresh: more than any fixture set holds."""


def to_record(task: Mapping[str, Any]) -> Task:
    """Return the record of v1's task JSON `task` (a valid task)."""
    return Task.from_fields(task)


def to_v1(record: Task) -> JSONObject:
    """Return v1's task JSON of `record`."""
    return record.fields()


class Renders:
    """Each task's v1 encoding, kept for as long as the store hands out the same record for it."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: dict[str, tuple[Task, bytes]] = {}

    def encoded(self, record: Task) -> bytes:
        """Return v1's encoded JSON of `record`, encoding it only the first time this record is met."""
        kept = self._kept.get(record.task_id)
        if kept is not None and kept[0] is record:
            return kept[1]
        encoded = encode_json(record.fields())
        if len(self._kept) >= RENDERS_KEPT:
            self._kept.clear()
        self._kept[record.task_id] = (record, encoded)
        return encoded

    def encoded_all(self, records: Iterable[Task]) -> list[bytes]:
        """Return the encodings of `records`, in order (see `encoded`)."""
        kept, encoded = self._kept, self.encoded
        parts: list[bytes] = []
        for record in records:
            found = kept.get(record.task_id)
            parts.append(found[1] if found is not None and found[0] is record else encoded(record))
        return parts
