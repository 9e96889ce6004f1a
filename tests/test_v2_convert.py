"""The internal record and v2's Job JSON convert into each other without loss, for every model and status."""

from __future__ import annotations

import pytest

from mockserver.edges.v2 import to_job, to_record
from mockserver.edges.v2.convert import seconds_of, timestamp
from mockserver.edges.v2.models import job_routes, models
from mockserver.engine.factory import build_task, family_of
from mockserver.engine.lifecycle import running_steps
from mockserver.engine.task import Task

CREATED = 1_780_000_000.123
VARIANTS = [variant for route in job_routes().values() for variant in route.variants.values()]


def record_of(task_type: str, status: str, model: str) -> Task:
    """Return a job's record of `task_type` in `status`, as the v2 edge stores and the engine shows it."""
    fields: dict[str, object] = {"model": model, "input": {"model": model, "prompt": "x"}, "credit_cost": 4}
    if status == "processing":
        fields["percentage"] = running_steps(family_of(task_type))[1]["percentage"]
    if status == "failed":
        fields["message"] = "out of ink"
    return Task.from_fields(build_task(task_type, status, created_at=CREATED, **fields))


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda variant: f"{variant.route}:{variant.name}")
@pytest.mark.parametrize("status", ["pending", "processing", "finished", "failed"])
def test_a_record_becomes_a_job_and_back_unchanged(variant: object, status: str) -> None:
    task_type = variant.task_type_for({"direction": "up"})  # type: ignore[attr-defined]
    record = record_of(task_type, status, variant.name)  # type: ignore[attr-defined]
    job = to_job(record)
    assert to_record(job, task_type) == record


def test_a_job_shows_v2s_names_and_statuses() -> None:
    record = record_of("imagine", "finished", "midjourney")
    job = to_job(record, completed_at=CREATED + 8)
    assert job == {
        "id": record.task_id,
        "status": "COMPLETED",
        "model": "midjourney",
        "progress": 100,
        "result": {"images": record.result["image_urls"], "gridUrl": record.result["original_image_url"]},
        "error": None,
        "creditCost": 4,
        "webhookStatus": None,
        "createdAt": "2026-05-28T20:26:40.123Z",
        "completedAt": "2026-05-28T20:26:48.123Z",
        "expired": False,
        "input": {"model": "midjourney", "prompt": "x"},
    }
    assert "input" not in to_job(record, listed=True)


def test_times_go_to_the_millisecond_and_back() -> None:
    assert seconds_of(timestamp(CREATED)) == CREATED


def test_every_model_of_the_document_is_served() -> None:
    # 51 image, 41 video and 7 music models generate; the edit, upscale and background routes have their own.
    generate = {path: len(route.variants) for path, route in job_routes().items() if path.endswith("/generate")}
    assert generate == {"/v2/images/generate": 51, "/v2/music/generate": 7, "/v2/videos/generate": 41}
    assert len(models()) == sum(len(route.variants) for route in job_routes().values() if route.field == "model")


def test_a_record_without_input_or_cost_becomes_a_job_and_back() -> None:
    record = Task.from_fields(build_task("luma", "finished", model="luma-ray-2", created_at=CREATED))
    job = to_job(record)
    assert (job["input"], job["creditCost"]) == (None, None)
    assert to_record(job, "luma") == record
