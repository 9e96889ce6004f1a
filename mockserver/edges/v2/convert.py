"""The internal task record and v2's Job JSON, each into the other.

The record keeps what the engine knows (status, percentage, message, its family's result fields)
and what was asked (model, input, credit_cost, created_at); the Job shows them in v2's words.
`to_job` then `to_record` gives back the record a v2 job is stored as: the round trip the tests hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from ...engine.factory import family_of
from ...engine.lifecycle import NUMBER_PROGRESS
from ...engine.task import Task
from ...wire import JSONObject

STATUSES = {"pending": "QUEUED", "processing": "PROCESSING", "finished": "COMPLETED", "failed": "FAILED"}
"""Each engine status that has a v2 twin, and that twin; the other running statuses are PROCESSING."""
_RECORD_STATUS = {job: record for record, job in STATUSES.items()}
_TRACK = {
    "song_id": "id",
    "audio_url": "audioUrl",
    "image_url": "imageUrl",
    "video_url": "videoUrl",
    "lyrics": "lyrics",
}


def job_status(status: str) -> str:
    """Return the v2 status of an engine status."""
    return STATUSES.get(status, "PROCESSING")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def timestamp(seconds: float) -> str:
    """Return `seconds` since the epoch as v2 writes a time: ISO 8601 in UTC, to the millisecond."""
    moment = _EPOCH + timedelta(milliseconds=round(seconds * 1000))
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def seconds_of(stamp: str) -> float:
    """Return the seconds since the epoch of a time `timestamp` wrote, to the millisecond."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return round((moment - _EPOCH) / timedelta(milliseconds=1)) / 1000


def job_result(record: Task) -> Any:
    """Return the `result` of a finished record, in its modality's v2 shape."""
    family = family_of(record.task_type)
    fields = record.result
    if family in ("imagine", "variations"):
        return {"images": fields["image_urls"], "gridUrl": fields["original_image_url"]}
    if family == "imagine-video":
        return {"videos": fields["video_urls"]}
    if family in ("suno", "udio"):
        return {
            "tracks": [{_TRACK[key]: value for key, value in song.items() if key in _TRACK} for song in fields["songs"]]
        }
    if "video_url" in fields:
        return {"videoUrl": fields["video_url"]}
    return {"images": [fields["image_url"]]}


def _result_fields(result: Any, task_type: str) -> Mapping[str, Any]:
    family = family_of(task_type)
    if family in ("imagine", "variations"):
        return {"image_urls": result["images"], "original_image_url": result["gridUrl"]}
    if family == "imagine-video":
        return {"video_urls": result["videos"]}
    if family in ("suno", "udio"):
        back = {wire: name for name, wire in _TRACK.items()}
        return {"songs": [{back[key]: value for key, value in track.items()} for track in result["tracks"]]}
    if "videoUrl" in result:
        return {"video_url": result["videoUrl"]}
    return {"image_url": result["images"][0]}


def _progress(record: Task, status: str) -> int | None:
    if status == "COMPLETED":
        return 100
    if status == "QUEUED":
        return 0
    return int(record.percentage) if record.percentage is not None else None


def job_error(record: Task) -> Any:
    """Return what a failed record says went wrong: its message, else an `error` a fixture gave it."""
    return record.message if record.message is not None else record.result.get("error")


def to_job(
    record: Task, completed_at: float | None = None, webhook_status: str | None = None, listed: bool = False
) -> JSONObject:
    """Return the v2 Job of `record` as it stands; `listed` leaves out `input`, as list items do."""
    status = job_status(record.status)
    ended = status in ("COMPLETED", "FAILED")
    created = float(record.created_at or 0.0)
    job: JSONObject = {
        "id": record.task_id,
        "status": status,
        "model": record.model if record.model is not None else record.task_type,
        "progress": _progress(record, status),
        "result": job_result(record) if status == "COMPLETED" else None,
        "error": job_error(record) if status == "FAILED" else None,
        "creditCost": record.credit_cost,
        "webhookStatus": webhook_status,
        "createdAt": timestamp(created),
        "completedAt": timestamp(completed_at if completed_at is not None else created) if ended else None,
        "expired": False,
    }
    if not listed:
        job["input"] = record.input
    return job


def percentage(progress: int, task_type: str) -> int | str:
    """Return a job's `progress` as a record of `task_type` keeps it: a number, or its family's string."""
    return progress if family_of(task_type) in NUMBER_PROGRESS else str(progress)


def to_record(job: JSONObject, task_type: str) -> Task:
    """Return the record that `job` shows, its engine task type being `task_type`."""
    status = _RECORD_STATUS[job["status"]]
    progress = job["progress"]
    return Task(
        job["id"],
        task_type,
        status,
        percentage=percentage(progress, task_type) if status == "processing" and progress is not None else None,
        message=job["error"] if status == "failed" else None,
        model=job["model"],
        input=job.get("input"),
        created_at=seconds_of(job["createdAt"]),
        credit_cost=job["creditCost"],
        result=MappingProxyType(dict(_result_fields(job["result"], task_type))) if status == "finished" else _NONE,
    )


_NONE: Mapping[str, Any] = MappingProxyType({})
