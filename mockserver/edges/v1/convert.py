"""The internal task record and v1's task JSON, each into the other, and the encoded renders v1 keeps.

v1's task object is flat and speaks the engine's own field names (``task_id``, ``percentage``, the
family's result fields), so its conversion is the record's flat view: `to_v1` then `to_record`
gives back the record, the round trip the tests hold over every fixture and every task type.
It lives here, beside v2's, so that a change to v1's shape touches v1 only.

`encoded` keeps each task's encoding in the store's `TaskStore.encodings`: a fixed task keeps its
(frozen) record until it changes, and a task on a timeline shows one record per step, so an encoding
is reused while its record is the one the store hands out; a fetch of many then only joins bytes.
Kept with the tasks, an encoding goes when its task is removed or the store is reset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...engine.store import Encodings
from ...engine.task import Task
from ...wire import JSONObject, encode_json


def to_record(task: Mapping[str, Any]) -> Task:
    """Return the record of v1's task JSON `task` (a valid task)."""
    return Task.from_fields(task)


def to_v1(record: Task) -> JSONObject:
    """Return v1's task JSON of `record`."""
    return record.fields()


def encoded(record: Task, kept: Encodings) -> bytes:
    """Return v1's encoded JSON of `record`, encoding it only if `kept` holds no encoding of this very record."""
    found = kept.get(record.task_id)
    if found is not None and found[0] is record:
        return found[1]
    encoding = encode_json(record.fields())
    kept[record.task_id] = (record, encoding)
    return encoding


def encoded_all(records: Iterable[Task], kept: Encodings) -> list[bytes]:
    """Return the encodings of `records`, in order (see `encoded`)."""
    parts: list[bytes] = []
    for record in records:
        found = kept.get(record.task_id)
        parts.append(found[1] if found is not None and found[0] is record else encoded(record, kept))
    return parts
