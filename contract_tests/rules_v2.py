"""The rules of v2 (api.apiframe.ai/v2): each sourced in the vendor's OpenAPI document for v2, or assumed, or a guess.

"The document" below is the vendor's OpenAPI 3.1 document of v2, published with its official Node SDK;
its paths, schemas and parameters are named as it names them.
"""

from __future__ import annotations

from .rule import Rule, Source

_DOC = Source.DOCUMENTED
_ASSUMED = Source.ASSUMED
_GUESS = Source.GUESS

V2_RULES: tuple[Rule, ...] = (
    Rule(
        "V2-ME",
        "GET /v2/me with the key gets 200 with the `Me` shape: the user, the team (credits, plan) and the key",
        _DOC,
        "The document, `GET /v2/me`: its 200 is the `Me` schema, which `schemas/v2/me.json` is derived from.",
        version="v2",
    ),
    Rule(
        "V2-AUTH-401",
        'A request without `X-API-Key`, or with a key no team holds, gets 401 `{"error": "<text>"}`',
        _DOC,
        "The document: every route but /v2/models takes `ApiKeyAuth` (the `X-API-Key` header), and each one's 401 "
        "(missing or invalid key) is the `ErrorResponse` schema, an object with a string `error`.",
        version="v2",
    ),
    Rule(
        "V2-MODELS-PUBLIC",
        "GET /v2/models needs no key: without one it gets 200 with the model catalog",
        _DOC,
        "The document, `GET /v2/models`: no security requirement, described as public, its 200 the `ModelCatalog`.",
        version="v2",
    ),
    Rule(
        "V2-INVALID-BODY",
        'An invalid body to a generate route gets 400 `{"error", "details"}`, `details` naming the JSON path of each '
        "problem with a list of texts",
        _DOC,
        "The document: the 400 of every job-creating route is the `ValidationError` schema, whose `details` are the "
        "per-field errors keyed by JSON path. That a missing or empty `prompt` is keyed by a path ending in `prompt` "
        "(`prompt`, `$.prompt` or `/prompt`) is how that reads.",
        version="v2",
    ),
    Rule(
        "V2-REFUSAL-FREE",
        "A refused submission costs nothing: the team's credits from /v2/me are the same after a run of 400s",
        _GUESS,
        "The document charges credits to run a model (its 402 says the team has too few to run it) and says nothing "
        "of a refused body; no official client relies on what one costs. A guess, and a noisy one: the credits are "
        "read right before and right after the refusals, so another client of the team starting a job in between "
        "would show as a change.",
        version="v2",
    ),
    Rule(
        "V2-JOB-ID",
        'GET /v2/jobs/{id} with an id that is no UUID gets 400 `{"error": "<text>"}`',
        _DOC,
        "The document, `GET /v2/jobs/{id}`: `id` is a UUID, and its 400 (`ErrorResponse`) is for an id that is not.",
        version="v2",
    ),
    Rule(
        "V2-JOB-UNKNOWN",
        'GET /v2/jobs/{id} of a UUID no job of the caller has gets 404 `{"error": "<text>"}`',
        _DOC,
        "The document, `GET /v2/jobs/{id}`: its 404 (`ErrorResponse`) is for a job not found or another user's.",
        version="v2",
    ),
    Rule(
        "V2-SUBMIT-OK",
        'A valid POST /v2/images/generate gets 202 `{"jobId": "<uuid>", "status": "QUEUED"}`, and the job can be read',
        _DOC,
        "The document: every generate route's 202 is the `JobAccepted` schema (a `jobId` and `status` QUEUED), to "
        "be tracked with `GET /v2/jobs/{id}`. It costs credits: a live run sends one only with --allow-submissions.",
        version="v2",
    ),
    Rule(
        "V2-JOB-SCHEMA",
        "Every job read (GET /v2/jobs/{id}, 200) is valid against `schemas/v2/job.json`, with the id asked for",
        _DOC,
        "The document, `GET /v2/jobs/{id}`: its 200 is the `Job` schema (status in upper case among QUEUED, "
        "PROCESSING, COMPLETED, FAILED, CANCELLED; progress 0-100 or null; the timestamps, cost and webhook status).",
        version="v2",
    ),
    Rule(
        "V2-JOB-FORWARD",
        "A job followed across polls only moves forward: QUEUED, then PROCESSING, then COMPLETED or FAILED (or "
        "CANCELLED), never back, out of an end, or with its progress falling",
        _ASSUMED,
        "The document lists the statuses but not their order; the official SDK's `jobs.waitFor` polls until "
        "COMPLETED or FAILED and reports progress as it rises, so it relies on a job never going back.",
        version="v2",
    ),
    Rule(
        "V2-LIST-LIMIT",
        "GET /v2/jobs takes `limit` 1 to 100 (200 with the `JobList` shape); 0, 101 or a word gets 400 "
        '`{"error": "<text>"}`',
        _DOC,
        "The document, `GET /v2/jobs`: `limit` is an integer, minimum 1, maximum 100, default 20; its 400 "
        "(`ErrorResponse`) is for invalid query parameters or cursor; its 200 is the `JobList` schema.",
        version="v2",
    ),
    Rule(
        "V2-LIST-PAGES",
        "GET /v2/jobs pages by `nextCursor`, newest first (createdAt, then id, descending), and shows no job twice",
        _DOC,
        "The document, `GET /v2/jobs`: cursor pagination keyed on (createdAt desc, id desc), with `nextCursor` and "
        "`hasMore`. A page is read a few jobs at a time, so a run costs a few requests whatever the account holds.",
        version="v2",
    ),
    Rule(
        "V2-IDEMPOTENCY-LONG",
        "An `Idempotency-Key` of 256 characters gets 400, even with a valid body",
        _DOC,
        "The document: the `Idempotency-Key` header parameter has `maxLength` 255. A server that took the key would "
        "start a job, so a live run sends it only with --allow-submissions.",
        version="v2",
    ),
    Rule(
        "V2-UNKNOWN-PATH",
        'A path under /v2 that the document does not show gets 404 in v2\'s shape, `{"error": "<text>"}`: the mock '
        "guesses",
        _GUESS,
        "The document shows no answer for a path it does not list. The mock answers v2's own error shape; an "
        "Express server's default (an HTML 404) is production's choice, listed apart. Anything but a 404 is drift.",
        version="v2",
    ),
    Rule(
        "V2-CREDIT-COST",
        "A job's `creditCost` is the mock's flat price of its modality: image 4, video 40, music 10",
        _GUESS,
        "The document types `creditCost` as an integer or null and publishes no prices (the catalog gives each "
        "model a range); the mock charges one price per modality, which production may not.",
        version="v2",
    ),
    Rule(
        "V2-EXPIRED",
        "A job read has `expired` false: the mock never purges a job's files",
        _GUESS,
        "The document says `expired` turns true once a COMPLETED job's files are purged after a default 24 h; the "
        "vendor's docs also say 3 months and 90 days. The mock keeps them, so an older job of production's that is "
        "expired is a guess missed, not drift.",
        version="v2",
    ),
    Rule(
        "V2-COMPLETED-AT",
        "A job's `completedAt` is null until it ends, and a date-time once COMPLETED or FAILED",
        _GUESS,
        "The document types `completedAt` as a date-time or null and says no more; that a FAILED job has one too "
        "is the mock's guess.",
        version="v2",
    ),
    Rule(
        "V2-WEBHOOK-STATUS",
        "A job sent without `webhookUrl` has `webhookStatus` null",
        _GUESS,
        "The document's values are pending, delivered, failed and null (the vendor's older docs show `sent`); that "
        "null stands for no webhook at all is the mock's guess.",
        version="v2",
    ),
    Rule(
        "V2-CONTENT-TYPE",
        "Every v2 answer but a 404 is JSON: `Content-Type: application/json` (a charset allowed) and a JSON body",
        _ASSUMED,
        "The document gives every answer an `application/json` body; the header itself is assumed, as in v1's "
        "CONTENT-TYPE, and a 404 is V2-UNKNOWN-PATH's or V2-JOB-UNKNOWN's to judge.",
        version="v2",
    ),
    Rule(
        "V2-NO-5XX",
        "No v2 request gets a 5xx",
        _ASSUMED,
        "The document lists 502 and 503 only as upstream or queue outages to retry; a bad request is the client's "
        "fault and gets a 4xx. A 5xx that does not repeat when sent again is a flake, not drift.",
        version="v2",
    ),
)
"""Every rule of v2, most basic first."""
