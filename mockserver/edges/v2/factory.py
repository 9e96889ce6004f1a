"""Building a v2 job's record by hand, for the plugin's `add_job`: a valid job of any model in any status."""

from __future__ import annotations

import time
from typing import Any

from ...engine.factory import build_task
from ...engine.task import Task
from ...errors import TaskSpecError
from ...wire import JSONObject
from .convert import STATUSES, percentage
from .models import models

_ENGINE_STATUS = {job: engine for engine, job in STATUSES.items()}
JOB_STATUSES = tuple(_ENGINE_STATUS)
"""The statuses a job can be added in."""


def build_job(
    model: str = "flux-1.1-pro",
    status: str = "COMPLETED",
    *,
    progress: int | None = None,
    error: str | None = None,
    input: JSONObject | None = None,
) -> Task:
    """Return the record of a valid job of `model` in `status`, with realistic results once COMPLETED.

    `progress` is what a PROCESSING job shows, `error` what a FAILED one says, `input` the request it
    answers (``{"model", "prompt"}`` by default).
    """
    __tracebackhide__ = True
    variant = models().get(model)
    if variant is None:
        raise TaskSpecError(f"unknown model {model!r}: use one of {', '.join(sorted(models()))}")
    if status not in _ENGINE_STATUS:
        raise TaskSpecError(f"unknown status {status!r}: use one of {', '.join(JOB_STATUSES)}")
    fields: dict[str, Any] = {
        "model": model,
        "input": input if input is not None else {"model": model, "prompt": "a lighthouse"},
        "credit_cost": variant.credit_cost,
        "created_at": round(time.time() * 1000) / 1000,
    }
    if progress is not None:
        fields["percentage"] = percentage(progress, variant.task_type)
    if error is not None:
        fields["message"] = error
    return Task.from_fields(build_task(variant.task_type, _ENGINE_STATUS[status], **fields))
