"""The one internal task record: what the engine keeps and works on, whichever API version made or reads it.

The store, timelines, lifecycle, magic values, faults, journal and webhook delivery see only this
record; each edge converts it to and from its own wire shape (`mockserver.edges.v1.convert`,
`mockserver.edges.v2.convert`). The fields the engine reads are typed; the rest of what a task
shows (its family's result fields, and any field a fixture adds) is an immutable mapping beside them.

Its field names (``task_id``, ``percentage``, ``image_urls``) are the engine's vocabulary, the one
`add_task(**fields)`, a timeline's steps and the fixture files speak; `fields` is the flat view in
those names and `with_fields` the record with some of them changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..wire import JSONObject

_NOTHING: Mapping[str, Any] = MappingProxyType({})
_TYPED: dict[str, type | tuple[type, ...]] = {
    "percentage": (int, str),
    "message": str,
    "model": str,
    "input": dict,
    "created_at": (int, float),
    "credit_cost": (int, float),
}
"""The optional typed fields, in the order `fields` shows them, and the JSON types each holds."""


@dataclass(frozen=True, slots=True)
class Task:
    """A task: what it is, where it stands, what was asked, and its results."""

    task_id: str
    task_type: str
    status: str
    percentage: int | str | None = None
    """Progress 0-100, a number or a digit string as its family's pages show it."""
    message: str | None = None
    """Why a failed task failed."""
    model: str | None = None
    input: JSONObject | None = None
    """The body it was submitted with, as v2 shows it."""
    created_at: float | None = None
    """When it was submitted, in seconds since the epoch; a fixture has none."""
    credit_cost: float | None = None
    # A factory, not a default: dataclasses refuse an unhashable default such as a mappingproxy.
    result: Mapping[str, Any] = field(default_factory=lambda: _NOTHING)
    """Every other field it shows: its family's result fields, and any a fixture or a test adds."""

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Task:
        """Return the record of the flat `fields` of a valid task; a typed name of another type stays in `result`."""
        # Called for every task loaded (100,000 in the bench): one copy, then a lookup per typed name.
        rest = dict(fields)
        task_id, task_type, status = rest.pop("task_id"), rest.pop("task_type"), rest.pop("status")
        typed: dict[str, Any] = {}
        for name, kind in _TYPED.items():
            if name in rest:
                value = rest[name]
                if isinstance(value, kind) and not isinstance(value, bool):
                    typed[name] = rest.pop(name)
                elif name == "percentage" and isinstance(value, float) and value.is_integer():
                    # 50.0 is the whole number the schema allows (JSON does not tell 50.0 from 50); a
                    # fraction is no valid task, refused before a record is made.
                    typed[name] = int(rest.pop(name))
        return cls(
            str(task_id), str(task_type), str(status), **typed, result=MappingProxyType(rest) if rest else _NOTHING
        )

    def fields(self) -> JSONObject:
        """Return the record as flat fields, those it does not have left out: what `from_fields` reads back."""
        return {
            "task_id": self.task_id,
            "task_type": self.task_type,
            "status": self.status,
            **self._typed(),
            **self.result,
        }

    def with_fields(self, fields: Mapping[str, Any]) -> Task:
        """Return this record with `fields` (flat, as `fields` names them) put over its own."""
        return Task.from_fields({**self.fields(), **fields}) if fields else self

    def to_json(self) -> JSONObject:
        """Return the record in the store's own neutral JSON form, which `from_json` reads back."""
        document: JSONObject = {"id": self.task_id, "type": self.task_type, "status": self.status, **self._typed()}
        if self.result:
            document["result"] = dict(self.result)
        return document

    def _typed(self) -> JSONObject:
        # The optional typed fields it has, in `_TYPED`'s order.
        return {name: value for name in _TYPED if (value := getattr(self, name)) is not None}

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Task:
        """Read a record `to_json` wrote."""
        result = document.get("result")
        return cls(
            document["id"],
            document["type"],
            document["status"],
            **{name: document[name] for name in _TYPED if name in document},
            result=MappingProxyType(result) if result else _NOTHING,
        )
