"""The rules of v1 (api.apiframe.pro) on tasks, /fetch, /account, submissions and routes, and every answer's."""

from __future__ import annotations

from .rule import Rule, Source

_DOC = Source.DOCUMENTED
_ASSUMED = Source.ASSUMED
_GUESS = Source.GUESS

V1_TASK_RULES: tuple[Rule, ...] = (
    Rule(
        "TASK-SCHEMA",
        "Every task is valid against `schemas/task.json` and the schema of its family",
        _DOC,
        'Fetch page: "the fields depend on the original request type"; the per-type pages show '
        "the shapes the schemas encode. That a failed task carries `message` or `error` is assumed.",
        needs_known_ids=True,
    ),
    Rule(
        "TASK-STATUS",
        "Every task has a `status` from the documented set",
        _DOC,
        "Statuses page: pending, staged, starting, processing, finished, failed, retry/retrying.",
        needs_known_ids=True,
    ),
    Rule(
        "TASK-PERCENTAGE",
        "A task's `percentage`, when present, is a whole number 0-100, as a string or an integer",
        _DOC,
        'Task pages show `"percentage": "40"` (MJ, Luma, Kling, Runway) and `"percentage": 56` (Suno). '
        "That it is always a whole number is assumed from every example being one.",
        needs_known_ids=True,
    ),
    Rule(
        "TASK-FORWARD",
        "A task read again is where it was or further on: its status never goes back, its percentage never falls, "
        "its `task_type` never changes, and once finished its results stay",
        _ASSUMED,
        "Statuses page: pending, staged, starting, processing, finished, failed, retry/retrying, in the order a "
        "task goes through them; that it never goes back, and that a finished task keeps its results, is assumed: "
        "a poller stops at the first finished answer it sees. A task that moved on between two reads is no drift.",
        needs_known_ids=True,
    ),
    Rule(
        "FETCH-TASK",
        "POST /fetch of a known id gets 200 with that task object at the top level",
        _DOC,
        "Fetch page: the 200 tab is the task object itself, not wrapped.",
        needs_known_ids=True,
    ),
    Rule(
        "FETCH-BODY",
        "POST /fetch without a string `task_id` (a body that is not a JSON object included) gets 400",
        _DOC,
        'Fetch page: "task_id*" is a required string; the 400 tab is "// Bad request". That a body that is not '
        "a JSON object gets it is assumed, as in BODY-NOT-OBJECT.",
    ),
    Rule(
        "FETCH-UNKNOWN",
        "POST /fetch of an unknown id (any string, matched exactly) gets a client error: 400, the mock guesses",
        _GUESS,
        "Undocumented; the documented codes of /fetch are 200, 400, 401 and 500, and 400 is the only "
        "client error among them, so the mock answers 400. A client only needs to learn that the task is not "
        "there, so another client error (404) is production's choice to make; 401, 403, 429, a 2xx or a 5xx are "
        "drift. The ids at the edges of IDS-UNKNOWN name no task here either.",
        setting="fetch.unknown_id_status",
    ),
    Rule(
        "ACCOUNT",
        "GET /account gets 200 with `email`, `credits`, `plan` and `total_images`",
        _DOC,
        "Account Info page: the 200 tab shows those four fields.",
    ),
    Rule(
        "SUBMIT-AUTH",
        "A missing or wrong key, with a valid body, gets 401 with the body exactly `{}` on every submit endpoint",
        _DOC,
        'Every submit page (Imagine, Upscale 1x, Suno, Ideogram, ...) has a 401 tab: "// Invalid API Key {}". '
        "The body carries every required field, so only the key is judged; whether the key is judged before a "
        "body missing one is AUTH-FIRST's guess, checked on the submit endpoints too.",
    ),
    Rule(
        "ROUTE-KEYLESS",
        "Every route the mock serves that a vendor page shows on this host answers a request without a key with "
        "401 and the body exactly `{}`",
        _DOC,
        'Every endpoint page (status, submit and upload routes alike) has a 401 tab: "// Invalid API Key {}". '
        "The request carries a body the route takes (a file for an upload), so only the key is judged, whatever "
        "AUTH-FIRST finds. "
        "A 404 there means the route moved or went. It costs nothing, so a budgeted run tries a seeded sample "
        "of the routes, another sample each night.",
    ),
    Rule(
        "ROUTE-UNSEEN",
        "A route no vendor page shows on this host (its path known from the official SDKs, or a Pro route) is "
        "there: asked without a key, it answers 401 and the body exactly `{}`",
        _GUESS,
        "The docs index names the pages of /ai-photo-train, /ideogram-remix, /kling-tryon, /upload-audio and "
        "/upscale-highres, but their paths come from the SDKs; the Pro pages put /pro/* on another host "
        "(api.apiframe.ai). A 404 is production's choice, listed apart; an answer that is there is held to "
        "AUTH-401's documented 401 `{}`. A budgeted run tries one of them.",
    ),
    Rule(
        "SUBMIT-REQUIRED",
        "A submission without a field its page marks required (or without every one of its alternatives) gets 400",
        _DOC,
        'Each submit page marks its required fields with "*" (Imagine: "prompt*"; Upscale 1x: "parent_task_id*", '
        '"index*") and has a 400 tab: `{"errors": [{ msg: "Invalid request" }]}`. Suno\'s prompt is "Only needed '
        'if the lyrics field is not submitted", so a body with neither lacks a required field.',
    ),
    Rule(
        "SUBMIT-TYPES",
        "A submission with a field of the wrong type, or outside its documented values, gets 400, the mock guesses",
        _GUESS,
        'The pages type every field and list the values of some (Upscale 1x: index "Can be 1, 2, 3 or 4"), but '
        "not what a wrong one gets; 400 is the only documented client error, so the mock answers 400. No official "
        "client relies on the refusal: `apiframe-sdk` (http_client.py) turns an integer `index` into a string "
        "before it sends, and `apiframe` (main.py) sends what its caller passes and returns whatever comes back. "
        "Production taking or coercing such a value, or refusing it with another status, is a guess missed; a "
        "5xx, or 401, 403 or 429, is drift.",
    ),
    Rule(
        "SUBMIT-PARENT",
        "A submission whose `parent_task_id` (or, on /seed, `task_id`) names no task gets a client error: 400, "
        "the mock guesses",
        _GUESS,
        'Undocumented; the pages say the parent is a previous task (Upscale 1x: "one of the 4 generated images by '
        'the Imagine endpoint"). A task of nothing cannot be made, so a client must be refused; 400 is the only '
        "documented client error, so the mock answers 400, but which client error is production's choice, as in "
        "FETCH-UNKNOWN: another (404) is a guess missed; 401, 403, 429, a 2xx or a 5xx are drift.",
    ),
    Rule(
        "SUBMIT-OK",
        'A valid submission gets 200 `{"task_id": "<string>"}`; a synchronous endpoint answers the finished task',
        _DOC,
        'Imagine page: "// Success, the task has been submitted {"task_id": "29e983ca-..."}", likewise every '
        'asynchronous page; Ideogram Imagine: "// Success, the image has been generated" with the task object, '
        '`"status": "finished"`.',
    ),
    Rule(
        "SUBMIT-FETCHABLE",
        "A submitted task can be fetched by its `task_id`, and every step of it is a valid task that only moves "
        "forward",
        _DOC,
        "Imagine page: \"This endpoint doesn't generate images instantly, you can use the Fetch endpoint to fetch "
        'the result"; the result and "If the job is not completed" shapes are the task schemas. That its status '
        "never goes back (pending, staged, starting, processing, then finished or failed) and its percentage never "
        "falls is assumed.",
    ),
    Rule(
        "CONTENT-TYPE",
        "Every answer but a 404 is JSON: `Content-Type: application/json` (a charset parameter allowed) and a "
        "JSON body",
        _ASSUMED,
        "Every response tab shows a JSON body and every client parses one; the header itself is not documented. "
        "No page shows a 404, so its body is left free: a path a server does not serve is its framework's to answer.",
    ),
    Rule(
        "NO-5XX",
        "No input gets a 5xx",
        _ASSUMED,
        'The docs list 500 only as "A server error occured"; a bad request is the client\'s fault and gets 4xx.',
    ),
)
