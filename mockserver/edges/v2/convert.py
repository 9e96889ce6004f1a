"""The internal task record and v2's Job JSON, each into the other.

The record keeps what the engine knows (status, percentage, message, its family's result fields)
and what was asked (model, input, credit_cost, created_at); the Job shows them in v2's words.
`to_job` then `to_record` gives back the record a v2 job is stored as: the round trip the tests hold.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ...engine.factory import family_of
from ...engine.lifecycle import NUMBER_PROGRESS
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


def job_result(record: JSONObject) -> Any:
    """Return the `result` of a finished record, in its modality's v2 shape."""
    family = family_of(record["task_type"])
    if family in ("imagine", "variations"):
        return {"images": record["image_urls"], "gridUrl": record["original_image_url"]}
    if family == "imagine-video":
        return {"videos": record["video_urls"]}
    if family in ("suno", "udio"):
        return {
            "tracks": [{_TRACK[key]: value for key, value in song.items() if key in _TRACK} for song in record["songs"]]
        }
    if "video_url" in record:
        return {"videoUrl": record["video_url"]}
    return {"images": [record["image_url"]]}


def _result_fields(result: Any, task_type: str) -> JSONObject:
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


def _progress(record: JSONObject, status: str) -> int | None:
    if status == "COMPLETED":
        return 100
    if status == "QUEUED":
        return 0
    percentage = record.get("percentage")
    return int(percentage) if percentage is not None else None


def to_job(
    record: JSONObject, completed_at: float | None = None, webhook_status: str | None = None, listed: bool = False
) -> JSONObject:
    """Return the v2 Job of `record` as it stands; `listed` leaves out `input`, as list items do."""
    status = job_status(record["status"])
    ended = status in ("COMPLETED", "FAILED")
    created = float(record.get("created_at", 0.0))
    job: JSONObject = {
        "id": record["task_id"],
        "status": status,
        "model": record.get("model", record["task_type"]),
        "progress": _progress(record, status),
        "result": job_result(record) if status == "COMPLETED" else None,
        "error": record.get("message", record.get("error")) if status == "FAILED" else None,
        "creditCost": record.get("credit_cost"),
        "webhookStatus": webhook_status,
        "createdAt": timestamp(created),
        "completedAt": timestamp(completed_at if completed_at is not None else created) if ended else None,
        "expired": False,
    }
    if not listed:
        job["input"] = record.get("input")
    return job


def percentage(progress: int, task_type: str) -> int | str:
    """Return a job's `progress` as a record of `task_type` keeps it: a number, or its family's string."""
    return progress if family_of(task_type) in NUMBER_PROGRESS else str(progress)


def to_record(job: JSONObject, task_type: str) -> JSONObject:
    """Return the record that `job` shows, its engine task type being `task_type`."""
    status = _RECORD_STATUS[job["status"]]
    record: JSONObject = {"task_id": job["id"], "task_type": task_type, "status": status, "model": job["model"]}
    if job.get("input") is not None:
        record["input"] = job["input"]
    if job["creditCost"] is not None:
        record["credit_cost"] = job["creditCost"]
    record["created_at"] = seconds_of(job["createdAt"])
    if status == "processing" and job["progress"] is not None:
        record["percentage"] = percentage(job["progress"], task_type)
    if status == "finished":
        record.update(_result_fields(job["result"], task_type))
    if status == "failed":
        record["message"] = job["error"]
    return record
