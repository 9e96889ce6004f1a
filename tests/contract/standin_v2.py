"""A stand-in for production's v2, written from the vendor's document and not from the mock: one server per test.

It keeps every documented v2 rule and every guess of the mock, holds a few jobs of its own, moves the
jobs it is asked to (a step per read) and can break one rule at a time (`Behaviour.breaks`, one of
`BREAKS`, or ``refusals-charged``, which misses a guess), or have one bad moment (a 429, a 500, a dropped
connection) at its n-th request.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.types import Receive, Scope, Send

from mockserver import ServerThread
from mockserver.schemas import bundled_schemas

from .standin import read_body, send_answer, strike
from .suite import SuiteRun, run_suite

KEY = "afk_stand-in-v2-key-5c1e"
PRICES = {"image": 4, "video": 40, "music": 10}
CURSOR_TAIL = "+/=="
"""Ends every cursor, as base64 ones may end: a client must send it back encoded for the page to follow on."""
ROUTES = {"/v2/images/generate": "image", "/v2/videos/generate": "video", "/v2/music/generate": "music"}
_FOLDERS = {"image": "images-generate", "video": "videos-generate", "music": "music-generate"}
_IDS = uuid.UUID("6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b")
_SEEDED = (("flux-1.1-pro", "image", "COMPLETED"), ("kling-2.1", "video", "PROCESSING"), ("suno", "music", "FAILED"))
_STEPS = (("QUEUED", 0), ("PROCESSING", 30), ("PROCESSING", 60), ("COMPLETED", 100))
BREAKS = {
    "me-shape": "V2-ME",
    "401-as-403": "V2-AUTH-401",
    "models-keyed": "V2-MODELS-PUBLIC",
    "details-not-by-path": "V2-INVALID-BODY",
    "bad-id-404": "V2-JOB-ID",
    "unknown-job-400": "V2-JOB-UNKNOWN",
    "accepted-lowercase": "V2-SUBMIT-OK",
    "job-without-cost": "V2-JOB-SCHEMA",
    "reads-behind-list": "V2-JOB-FORWARD",
    "limit-unchecked": "V2-LIST-LIMIT",
    "oldest-first": "V2-LIST-PAGES",
    "long-key-taken": "V2-IDEMPOTENCY-LONG",
    "unknown-path-200": "V2-UNKNOWN-PATH",
    "me-as-text": "V2-CONTENT-TYPE",
    "null-body-500": "V2-NO-5XX",
}
"""Each way the stand-in can break a rule, and the rule."""


@dataclass
class Behaviour:
    """How the stand-in answers: faithful by default."""

    breaks: str = ""
    moving: bool = False
    """Whether every read of a job moves it a step on (a running production)."""
    html_404: bool = False
    """Whether an unknown path answers an HTML 404, as an Express server does by default (a guess missed)."""
    other_guesses: bool = False
    """Whether jobs differ from every guess of the mock on them: another price, expired, no `completedAt` when
    FAILED, a `webhookStatus` without a webhook."""
    strike: str = ""
    strike_at: int = 12


@dataclass
class StandInV2:
    """The ASGI app: jobs by id (oldest first), the team's credits, the behaviour, and a count of requests."""

    behaviour: Behaviour = field(default_factory=Behaviour)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: dict[str, int] = field(default_factory=dict)
    credits: int = 1000
    requests: int = 0

    def __post_init__(self) -> None:
        for number, (model, modality, status) in enumerate(_SEEDED):
            job_id = str(uuid.uuid5(_IDS, str(number)))
            self.jobs[job_id] = _job(job_id, model, modality, f"2026-07-0{number + 1}T10:00:00.000Z", status)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        self.requests += 1
        behaviour = self.behaviour
        if behaviour.strike and self.requests == behaviour.strike_at:
            await strike(scope, send, behaviour.strike, {"error": "busy"})
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        query = {name: values[-1] for name, values in parse_qs(scope["query_string"].decode()).items()}
        status, answer = self.answer(scope["method"], scope["path"], query, headers, body)
        if behaviour.breaks == "me-as-text" and scope["path"] == "/v2/me":
            await send_answer(send, status, answer, media="text/plain")
        elif status == 404 and behaviour.html_404 and not scope["path"].startswith("/v2/jobs/"):
            await send_answer(send, 404, "<h1>Cannot GET</h1>", media="text/html")
        else:
            await send_answer(send, status, answer)

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], raw: bytes
    ) -> tuple[int, object]:
        """Return the status and JSON answer to one request."""
        breaks = self.behaviour.breaks
        if path == "/v2/models" and (breaks != "models-keyed" or headers.get("x-api-key") == KEY):
            return 200, {"models": [{"id": "flux-1.1-pro", "label": "FLUX 1.1 Pro", "modality": "image"}]}
        key = headers.get("x-api-key")
        if key != KEY:
            return (403 if breaks == "401-as-403" and key else 401), {"error": "Invalid API key"}
        if method == "GET" and path == "/v2/me":
            credits: object = str(self.credits) if breaks == "me-shape" else self.credits
            team = {"id": str(_IDS), "name": "stand-in", "credits": credits, "plan": "pro", "customerId": None}
            user = {"id": str(_IDS), "email": "someone@example.com", "role": "OWNER"}
            return 200, {"user": user, "team": team, "apiKey": {"id": str(_IDS), "name": "ci", "prefix": KEY[:8]}}
        if method == "GET" and path == "/v2/jobs":
            return self.page(query)
        if method == "GET" and path.startswith("/v2/jobs/"):
            return self.read(path.removeprefix("/v2/jobs/"))
        if method == "POST" and path in ROUTES:
            return self.create(path, headers, raw)
        if breaks == "unknown-path-200":
            return 200, {}
        return 404, {"error": f"Route {method} {path} not found"}

    def read(self, asked: str) -> tuple[int, object]:
        """Return one job as it stands, moving it a step on if it is moving."""
        try:
            job_id = str(uuid.UUID(asked))
        except ValueError:
            return (404 if self.behaviour.breaks == "bad-id-404" else 400), {"error": "id must be a UUID"}
        if job_id not in self.jobs:
            return (400 if self.behaviour.breaks == "unknown-job-400" else 404), {"error": "Job not found"}
        job = self.step(job_id)
        if self.behaviour.other_guesses and job["status"] in ("COMPLETED", "FAILED"):
            stamp = job["completedAt"] if job["status"] == "COMPLETED" else None
            job = {**job, "creditCost": 6, "expired": True, "completedAt": stamp, "webhookStatus": "failed"}
        if self.behaviour.breaks == "job-without-cost":
            job = {name: value for name, value in job.items() if name != "creditCost"}
        if self.behaviour.breaks == "reads-behind-list" and job["status"] in ("COMPLETED", "FAILED"):
            job = {**job, "status": "PROCESSING", "progress": 90, "completedAt": None, "result": None}
        return 200, job

    def step(self, job_id: str) -> dict[str, Any]:
        """Move a job created here (or any job, when moving) one step on; return it."""
        if job_id in self.steps or self.behaviour.moving:
            job = self.jobs[job_id]
            now = (job["status"], job["progress"])
            at = min(self.steps.get(job_id, _STEPS.index(now) if now in _STEPS else 0) + 1, len(_STEPS) - 1)
            self.steps[job_id] = at
            if job["status"] not in ("COMPLETED", "FAILED"):
                status, progress = _STEPS[at]
                job.update(status=status, progress=progress)
                if status == "COMPLETED":
                    job.update(completedAt="2026-07-10T10:00:00.000Z", result={"images": ["https://cdn.invalid/a.png"]})
        return self.jobs[job_id]

    def page(self, query: dict[str, str]) -> tuple[int, object]:
        """Return a page of jobs newest first by (createdAt, id), after the cursor."""
        limit_text = query.get("limit", "20")
        limit = int(limit_text) if limit_text.isdigit() else 0
        if not 1 <= limit <= 100:
            if self.behaviour.breaks != "limit-unchecked":
                return 400, {"error": "limit must be a whole number from 1 to 100"}
            limit = 20
        ordered = sorted(self.jobs.values(), key=lambda job: (job["createdAt"], job["id"]))
        if self.behaviour.breaks != "oldest-first":
            ordered.reverse()
        ids = [job["id"] for job in ordered]
        after = query.get("cursor", "").removesuffix(CURSOR_TAIL)
        start = ids.index(after) + 1 if after in ids else 0
        shown = ordered[start : start + limit]
        more = start + limit < len(ordered)
        listed = [{name: value for name, value in job.items() if name != "input"} for job in shown]
        cursor = shown[-1]["id"] + CURSOR_TAIL if more and shown else None
        return 200, {"jobs": listed, "nextCursor": cursor, "hasMore": more}

    def create(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, object]:
        """Validate a generate body and queue its job, charging the team its modality's price."""
        if len(headers.get("idempotency-key", "")) > 255 and self.behaviour.breaks != "long-key-taken":
            return 400, {"error": "Validation failed", "details": {"Idempotency-Key": ["at most 255 characters"]}}
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if body is None and self.behaviour.breaks == "null-body-500":
            return 500, {"error": "Internal server error"}
        details = _details(body, ROUTES[path])
        if details:
            if self.behaviour.breaks == "refusals-charged":
                self.credits -= 1
            if self.behaviour.breaks == "details-not-by-path":
                details = {"body": [text for texts in details.values() for text in texts]}
            return 400, {"error": "Validation failed", "details": details}
        job_id = str(uuid.uuid4())
        stamp = f"2026-08-{len(self.jobs):02d}T10:00:00.000Z"
        self.jobs[job_id] = _job(job_id, body["model"], ROUTES[path], stamp, "QUEUED", body)
        self.steps[job_id] = 0
        self.credits -= PRICES[ROUTES[path]]
        return 202, {"jobId": job_id, "status": "queued" if self.behaviour.breaks == "accepted-lowercase" else "QUEUED"}


def _details(body: object, modality: str) -> dict[str, list[str]]:
    """Return the problems of a generate body by JSON path, as the document's ValidationError keys them."""
    if not isinstance(body, dict):
        return {"(body)": ["Expected an object"]}
    schemas = bundled_schemas()
    name = f"v2/requests/{_FOLDERS[modality]}/{body.get('model')}.json"
    if name not in schemas.documents:
        return {"model": ["Unknown model"]}
    details: dict[str, list[str]] = {}
    for error in schemas.validator(name).iter_errors(body):
        where = ".".join(str(part) for part in error.absolute_path)
        if error.validator == "required":
            where = ".".join([where, error.message.split("'")[1]]).strip(".")
        details.setdefault(where or "(body)", []).append(error.message)
    return details


def _job(
    job_id: str, model: str, modality: str, created: str, status: str, sent: dict[str, Any] | None = None
) -> dict[str, Any]:
    ended = status in ("COMPLETED", "FAILED")
    return {
        "id": job_id,
        "status": status,
        "model": model,
        "progress": {"QUEUED": 0, "PROCESSING": 30, "COMPLETED": 100}.get(status),
        "result": {"images": ["https://cdn.invalid/a.png"]} if status == "COMPLETED" else None,
        "error": "the model failed" if status == "FAILED" else None,
        "creditCost": PRICES[modality],
        "webhookStatus": None,
        "createdAt": created,
        "completedAt": created if ended else None,
        "expired": False,
        "input": sent or {"model": model, "prompt": "a seeded job"},
    }


def serve_v2_stand_in(behaviour: Behaviour) -> ServerThread:
    """Return a server (not started) for a v2 stand-in behaving as `behaviour` says."""
    return ServerThread(StandInV2(behaviour))


def run_on_stand_in(behaviour: Behaviour, tmp_path: Path) -> SuiteRun:
    """Serve a v2 stand-in behaving as `behaviour` says, and run the suite's v2 rules against it."""
    with serve_v2_stand_in(behaviour) as server:
        return run_suite(server.url, tmp_path, "--api", "v2", key=KEY, known="", profile="live")
