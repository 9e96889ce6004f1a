"""How the state goes into a shared store as bytes: task records, journal entries and delivery records."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

from ...wire import JSONObject, encode_json
from ..journal import RecordedRequest
from ..task import Task
from ..timeline import Timeline
from ..webhooks import Delivery, Hook


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """A stored task as every process reads it: its final fields, its timeline and where it stands on it."""

    task: Task
    timeline: Timeline | None = None
    started: float | None = None
    """When it was stored, in seconds since the epoch: the one clock every host shares."""
    floor: int = 0
    hook: Hook | None = None
    owner: str = ""
    """The process that sends its webhooks, one per task so they go in order."""
    submitted: bool = False

    def encode(self) -> bytes:
        """Return the record as JSON bytes."""
        document: JSONObject = {
            "task": self.task.to_json(),
            "started": self.started,
            "floor": self.floor,
            "owner": self.owner,
            "submitted": self.submitted,
        }
        if self.timeline is not None:
            document["timeline"] = self.timeline.to_json()
        if self.hook is not None:
            document["hook"] = self.hook.to_json()
        return encode_json(document)

    @classmethod
    def decode(cls, raw: bytes | str) -> TaskRecord:
        """Read a record written by `encode`."""
        document = json.loads(raw)
        timeline = document.get("timeline")
        hook = document.get("hook")
        task = document["task"]
        return cls(
            # A namespace written before the record had a form of its own holds the task's flat fields.
            Task.from_fields(task) if "task_id" in task else Task.from_json(task),
            # Checked against its schema when first stored; read back thousands at a time, it is trusted.
            Timeline.restore(timeline) if timeline is not None else None,
            document.get("started"),
            document.get("floor", 0),
            Hook.from_json(hook) if hook is not None else None,
            document.get("owner", ""),
            document.get("submitted", False),
        )


def encode_entry(entry: RecordedRequest) -> bytes:
    """Return a journal entry as its body's size, a newline, then JSON: a script reads the size to bound the journal."""
    document = {
        "method": entry.method,
        "path": entry.path,
        "headers": [[name.decode("latin-1"), value.decode("latin-1")] for name, value in entry.headers.raw],
        "body": base64.b64encode(entry.body).decode(),
        "status": entry.status,
        "at": entry.at,
    }
    return b"%d\n" % len(entry.body) + encode_json(document)


def decode_entry(raw: bytes | str) -> RecordedRequest:
    """Read a journal entry written by `encode_entry`."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    document: Any = json.loads(text.partition("\n")[2])
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in document["headers"]]
    body = base64.b64decode(document["body"])
    return RecordedRequest(
        document["method"],
        document["path"],
        Headers(raw=headers),
        body,
        document.get("status"),
        document.get("at", 0.0),
    )


def encode_delivery(delivery: Delivery) -> bytes:
    """Return a delivery record as JSON bytes (its secret already redacted)."""
    return encode_json(delivery.to_json())


def decode_delivery(raw: bytes | str) -> Delivery:
    """Read a delivery record written by `encode_delivery`."""
    return Delivery(**json.loads(raw))
