"""Apiframe's v2 API as an edge over the engine: jobs, X-API-Key, idempotency and credits, under /v2.

models    the job-creating routes and each model's (or action's) request schema, from schemas/v2/requests/
checks    a body against its model's schema, every wrong field named by its JSON path
convert   the internal record <-> v2's Job JSON
auth      X-API-Key: 401 missing or unknown, 403 switched off
actions   the parent job of a Midjourney or Suno action, and the 409 of an action it cannot take
create    the job-creating POSTs: Idempotency-Key, credits, the job queued on the engine
jobs      GET /v2/jobs/{id} and GET /v2/jobs (filters, cursor paging)
account   GET /v2/me and GET /v2/models
forms     multipart/form-data bodies, read by mockserver.http.forms and refused in v2's shape
uploads   POST /v2/uploads, and the files it keeps served back
loras     /v2/loras: LoRA training, listed, read and archived
assets    /v2/assets: provider assets registered and read
errors    v2's error bodies
hooks     v2's webhook form: its events, bodies and signature
factory   a job's record built by hand, for the plugin
edge      the Edge record the app serves
"""

from __future__ import annotations

from .convert import to_job, to_record
from .edge import V2
from .factory import build_job

__all__ = ["V2", "build_job", "to_job", "to_record"]
