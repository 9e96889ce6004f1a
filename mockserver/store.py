"""The in-memory task store, keeping each task's JSON encoded once so fetch-many only joins bytes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .wire import JSONObject, encode_json


class TaskStore:
    """Task objects by task_id, each with its encoded form ready to send."""

    __slots__ = ("_encoded", "_tasks")

    def __init__(self, tasks: Iterable[JSONObject] = ()) -> None:
        self._tasks: dict[str, JSONObject] = {}
        self._encoded: dict[str, bytes] = {}
        for task in tasks:
            self.put(task)

    def put(self, task: JSONObject) -> None:
        """Add `task`, or replace the stored task with the same task_id."""
        task_id = task["task_id"]
        self._tasks[task_id] = task
        self._encoded[task_id] = encode_json(task)

    def get(self, task_id: str) -> JSONObject | None:
        """Return the task with `task_id`, or None."""
        return self._tasks.get(task_id)

    def remove(self, task_id: str) -> None:
        """Forget the task with `task_id`, if there is one."""
        self._tasks.pop(task_id, None)
        self._encoded.pop(task_id, None)

    def replace_all(self, tasks: Iterable[JSONObject]) -> None:
        """Hold exactly `tasks` from now on."""
        self._tasks.clear()
        self._encoded.clear()
        for task in tasks:
            self.put(task)

    def encoded(self, task_id: str) -> bytes | None:
        """Return the encoded JSON of the task with `task_id`, or None."""
        return self._encoded.get(task_id)

    def fetch_many_body(self, task_ids: Iterable[str]) -> bytes:
        """Encode ``{"tasks": [...]}``: the known ids in request order, once per ask; unknown ids left out."""
        encoded = self._encoded
        found = [encoded[task_id] for task_id in task_ids if task_id in encoded]
        return b'{"tasks":[' + b",".join(found) + b"]}"

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[JSONObject]:
        return iter(list(self._tasks.values()))
