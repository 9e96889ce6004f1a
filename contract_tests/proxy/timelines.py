"""`snapshot --from FILE`: a proxy's recording turned into fixtures, each task with the timeline it was seen to follow.

Every sighting of a task in a 200 answer of /fetch-many or /fetch is a point on its way; sightings that
show the same status and percentage are one step, and each step lasts, in seconds, as long as the task
was seen to stay there. The task's fields are its last sighting's, so `serve --fixtures` replays what
production did, from the first sighting to the last. A task the schemas refuse, or whose timeline the
mock would not take, is written as ``<name>.json.invalid``, as `snapshot` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.engine.timeline import Timeline
from mockserver.errors import TaskSpecError
from mockserver.schemas import bundled_schemas, first_error

from ..report import write_json
from ..snapshot import INVALID_SUFFIX, Snapshot, Written, file_name

STEP_FIELDS = ("status", "percentage")
"""What makes one step differ from the next."""


class RecordingError(ValueError):
    """A recording that cannot be read: the message names the file and the line."""


@dataclass(slots=True)
class Seen:
    """One task across a recording: its last sighting, and each step with when it was first seen."""

    task: dict[str, Any]
    steps: list[tuple[float, dict[str, Any]]] = field(default_factory=list)

    def see(self, at: float, task: dict[str, Any]) -> None:
        """Record a sighting of the task at `at` (seconds)."""
        self.task = task
        step = {name: task[name] for name in STEP_FIELDS if name in task}
        if not self.steps or self.steps[-1][1] != step:
            self.steps.append((at, step))

    def timeline(self) -> dict[str, Any]:
        """Return the timeline seen: by seconds, each step lasting until the next was first seen."""
        steps = []
        for (at, step), (later, _) in zip(self.steps, [*self.steps[1:], (0.0, {})], strict=True):
            steps.append({**step, "after": round(later - at, 3)} if later else dict(step))
        return {"by": "seconds", "steps": steps}


def sightings(path: Path) -> Iterator[tuple[float, dict[str, Any]]]:
    """Yield (time, task) for each task a recorded 200 answer of /fetch-many or /fetch shows, in order."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                exchange = json.loads(line)
                at, path_asked = float(exchange["at"]), exchange["request"]["path"].split("?", 1)[0]
                answer = exchange["answer"]
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise RecordingError(f"{path}, line {number}: not an exchange of a proxy recording ({exc})") from None
            body = answer.get("body") if answer.get("status") == 200 else None
            shown = body.get("tasks") if path_asked == "/fetch-many" and isinstance(body, dict) else [body]
            for task in shown if path_asked in ("/fetch-many", "/fetch") and isinstance(shown, list) else ():
                if isinstance(task, dict) and isinstance(task.get("task_id"), str):
                    yield at, task


def snapshot_from(recording: Path, out: Path) -> Snapshot:
    """Write each task of `recording` to `out` with the timeline it was seen to follow; return what was written."""
    seen: dict[str, Seen] = {}
    for at, task in sightings(recording):
        seen.setdefault(task["task_id"], Seen(task)).see(at, task)
    out.mkdir(parents=True, exist_ok=True)
    check = bundled_schemas().validator("task.json")
    snapshot = Snapshot()
    for task_id, one in seen.items():
        fixture = {**one.task, "timeline": one.timeline()} if len(one.steps) > 1 else one.task
        problem = first_error(check, one.task)
        if problem is None and fixture is not one.task:
            try:
                Timeline.from_json(fixture["timeline"])
            except TaskSpecError as exc:
                problem = f"timeline: {exc}"
        path = out / (file_name(one.task) + ("" if problem is None else INVALID_SUFFIX))
        write_json(path, fixture)
        snapshot.written.append(Written(path, task_id, problem))
    return snapshot
