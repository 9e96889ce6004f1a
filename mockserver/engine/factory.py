"""Building valid task objects of any documented type and status, with realistic defaults.

The families, their task_type values and the statuses come from `schemas/`; this module only says
which result fields each family's finished task carries, and what a realistic value of each is.
"""

from __future__ import annotations

import uuid
import zlib
from enum import Enum
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from ..errors import TaskSpecError
from ..schemas import bundled_schemas, describe_error
from ..wire import JSONObject

CDN = "https://cdn.apiframe-mock.invalid"
FINISHED = "finished"
FAILED = "failed"
RUNNING_PERCENTAGE = "40"
FAILURE_MESSAGE = "The task failed (apiframe-mock's default failure message)."
RECORD_FIELDS = ("task_id", "task_type", "model", "input", "created_at", "credit_cost")
"""Fields that say what a task is, what was asked and when: shown at every step, not only at its end."""
STATUS_FIELDS = ("percentage", "message", "error")
"""Fields that belong to one status only, dropped when a task moves on."""


class Result(Enum):
    """The kind of value a result field of a finished task holds."""

    IMAGE = "one image URL"
    IMAGE_GRID = "four image URLs"
    VIDEO = "one video URL"
    VIDEOS = "four video URLs"
    PROMPTS = "a list of prompt strings"
    MARKDOWN = "a markdown string"
    SEED_DIGITS = "a string of digits"
    SEED_NUMBER = "a whole number"
    TEXT = "a sentence"
    TITLE = "a song title"
    LYRICS = "song lyrics"
    SONGS = "a list of songs"
    FULL_PERCENT = "the number 100"


_GRID = {"original_image_url": Result.IMAGE, "image_urls": Result.IMAGE_GRID}
_VIDEO_AT_100 = {"video_url": Result.VIDEO, "percentage": Result.FULL_PERCENT}

RESULT_FIELDS: dict[str, dict[str, Result]] = {
    "imagine": _GRID,
    "variations": _GRID,
    "blend": _GRID,
    "upscale": {"image_url": Result.IMAGE},
    "faceswap": {"image_url": Result.IMAGE},
    "describe": {"content": Result.PROMPTS, "image_url": Result.IMAGE},
    "shorten": {"content": Result.PROMPTS, "full_content": Result.MARKDOWN},
    "seed": {"seed": Result.SEED_DIGITS},
    "flux": {"original_image_url": Result.IMAGE, "image_url": Result.IMAGE},
    "ideogram": {"image_urls": Result.IMAGE_GRID, "seed": Result.SEED_NUMBER},
    "luma": {"video_url": Result.VIDEO},
    "kling": _VIDEO_AT_100,
    "runway": _VIDEO_AT_100,
    "suno": {"songs": Result.SONGS},
    "udio": {"songs": Result.SONGS},
    "imagine-video": {"video_urls": Result.VIDEOS},
    "nano-banana": {"image_urls": Result.IMAGE_GRID},
    "tryon": {"image_url": Result.IMAGE},
    "wan": _VIDEO_AT_100,
    "seedance": _VIDEO_AT_100,
    "lyrics": {"title": Result.TITLE, "lyrics": Result.LYRICS},
    "ai-photo": {"image_urls": Result.IMAGE_GRID},
}
"""The result fields of a finished task, by family (the docs' examples, per family)."""

TYPE_RESULT_FIELDS: dict[str, dict[str, Result]] = {
    "ideogram-describe": {"description": Result.TEXT},
    "ai-photo-train": {},
}
"""Task types whose finished result differs from the rest of their family (a training shows no result)."""

_TASK_SCHEMA = bundled_schemas().documents["task.json"]
TASK_STATUSES: tuple[str, ...] = tuple(_TASK_SCHEMA["properties"]["status"]["enum"])
"""Every documented status, as the schema lists them."""
TASK_TYPES: tuple[str, ...] = tuple(name for names in bundled_schemas().task_families().values() for name in names)
"""Every documented task_type, as the family schemas list them in ``x-task-types``."""


def family_of(task_type: object) -> str:
    """Return the family governing `task_type`, or raise TaskSpecError listing the documented types."""
    __tracebackhide__ = True
    family = bundled_schemas().family_of(task_type) if isinstance(task_type, str) else None
    if family is None:
        raise TaskSpecError(f"unknown task_type {task_type!r}: use one of {', '.join(TASK_TYPES)}")
    return family


def check_status(status: object) -> str:
    """Return `status` if it is documented, or raise TaskSpecError listing the statuses."""
    __tracebackhide__ = True
    if not isinstance(status, str) or status not in TASK_STATUSES:
        raise TaskSpecError(f"unknown status {status!r}: use one of {', '.join(TASK_STATUSES)}")
    return status


def result_fields(task_type: str) -> dict[str, Result]:
    """Return the result fields a finished task of `task_type` carries, with the kind of each."""
    own = TYPE_RESULT_FIELDS.get(task_type)
    return own if own is not None else RESULT_FIELDS[family_of(task_type)]


def new_task_id() -> str:
    """Return a fresh task id, a UUID as the current docs show."""
    return str(uuid.uuid4())


def default_value(kind: Result, task_id: str, name: str) -> Any:
    """Return a realistic value of `kind` for the field `name` of task `task_id`."""
    folder = f"{CDN}/{task_id}"
    number = zlib.crc32(task_id.encode())
    if kind is Result.IMAGE:
        return f"{folder}/{name.removesuffix('_url')}.png"
    if kind is Result.IMAGE_GRID:
        return [f"{folder}/{index}.png" for index in range(1, 5)]
    if kind is Result.VIDEO:
        return f"{folder}/video.mp4"
    if kind is Result.VIDEOS:
        return [f"{folder}/{index}.mp4" for index in range(1, 5)]
    if kind is Result.PROMPTS:
        return ["1️⃣ a lighthouse at dusk --ar 1:1", "2️⃣ a harbour in fog --ar 1:1"]
    if kind is Result.MARKDOWN:
        return "**lighthouse**: 0.61\n**dusk**: 0.33"
    if kind is Result.SEED_DIGITS:
        return str(number)
    if kind is Result.SEED_NUMBER:
        return number
    if kind is Result.TEXT:
        return "A lighthouse on a rocky shore at dusk."
    if kind is Result.TITLE:
        return "Lights on the Water"
    if kind is Result.LYRICS:
        return "[Verse]\nLights on the water\n[Chorus]\nHold the line till dawn"
    if kind is Result.SONGS:
        return [
            {
                "song_id": f"{number:08x}-{side}",
                "lyrics": "[Verse]\nLights on the water",
                "audio_url": f"{folder}/{side}.mp3",
                "image_url": f"{folder}/{side}.jpeg",
                "video_url": f"{folder}/{side}.mp4",
            }
            for side in "ab"
        ]
    return 100


def status_defaults(task_type: str, status: str, task_id: str) -> JSONObject:
    """Return the fields a task of `task_type` in `status` carries besides its id, type and status."""
    if status == FINISHED:
        return {name: default_value(kind, task_id, name) for name, kind in result_fields(task_type).items()}
    if status == "processing":
        return {"percentage": RUNNING_PERCENTAGE}
    if status == FAILED:
        return {"message": FAILURE_MESSAGE}
    return {}


def build_task(task_type: str = "imagine", status: str = FINISHED, **fields: Any) -> JSONObject:
    """Return a valid task of `task_type` in `status`, with realistic defaults that `fields` override."""
    __tracebackhide__ = True
    family_of(task_type)
    check_status(status)
    task_id = fields.pop("task_id") if "task_id" in fields else new_task_id()
    task = {"task_id": task_id, "task_type": task_type, "status": status}
    task.update(status_defaults(task_type, status, str(task_id)))
    task.update(fields)
    check_task(task, f"add_task({task_type!r}, {status!r})")
    return task


def move_task(task: JSONObject, status: str, **fields: Any) -> JSONObject:
    """Return `task` moved on to `status`: its status fields replaced, its other fields kept, `fields` on top."""
    __tracebackhide__ = True
    check_status(status)
    task_type, task_id = task["task_type"], task["task_id"]
    moved = {"task_id": task_id, "task_type": task_type, "status": status}
    moved.update(status_defaults(task_type, status, str(task_id)))
    # Results already there stay as they were (same URLs), unless the task leaves the finished state.
    dropped = {
        "task_id",
        "task_type",
        "status",
        *STATUS_FIELDS,
        *(result_fields(task_type) if status != FINISHED else ()),
    }
    moved.update({name: value for name, value in task.items() if name not in dropped})
    moved.update(fields)
    check_task(moved, f"set_status({task_id!r}, {status!r})")
    return moved


def check_task(task: JSONObject, call: str) -> None:
    """Raise TaskSpecError, naming `call`, the field and what is allowed, unless `task` is a valid task."""
    __tracebackhide__ = True
    # jsonschema takes milliseconds a task, which every submission would pay; it only explains a refusal.
    if bundled_schemas().predicate("task.json")(task):
        return
    validator = _task_validator()
    error = best_match(validator.iter_errors(task))
    assert error is not None
    raise TaskSpecError(f"{call} would store an invalid task: {_explain(error)}")


def _explain(error: ValidationError) -> str:
    # A field with several allowed forms (percentage: a digit string or an integer) is best explained by
    # the description of its anyOf, not by whichever branch came closest.
    node: ValidationError | None = error
    while node is not None:
        described = isinstance(node.schema, dict) and "description" in node.schema
        if node.validator in ("anyOf", "oneOf") and described and node.absolute_path == error.absolute_path:
            assert isinstance(node.schema, dict)
            where = describe_error(node).partition(": ")[0]
            return f"{where}: {node.instance!r} is not allowed; {node.schema['description']}"
        node = node.parent if isinstance(node.parent, ValidationError) else None
    return describe_error(error)


@cache
def _task_validator() -> Draft202012Validator:
    return bundled_schemas().validator("task.json")
