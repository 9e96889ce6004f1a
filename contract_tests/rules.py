"""The rules of the contract: one id each, whether the docs state it or the project assumes it, and why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Source(StrEnum):
    """Where a rule comes from."""

    DOCUMENTED = "documented"
    """The vendor's docs state it; `evidence` quotes them."""
    ASSUMED = "assumed"
    """The docs are silent, but an official client or a documented example relies on it; `evidence` says how."""
    GUESS = "guess"
    """The docs are silent and nothing relies on it: the mock's guess, and production doing otherwise is no drift."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of CONTRACT.md, checked by the tests marked ``@pytest.mark.rule(id)``."""

    id: str
    title: str
    source: Source
    evidence: str
    needs_known_ids: bool = False
    setting: str = ""
    """For a guess: the calibration setting (``table.name``) that makes the mock do what production does."""


_DOC = Source.DOCUMENTED
_ASSUMED = Source.ASSUMED
_GUESS = Source.GUESS

RULES: tuple[Rule, ...] = (
    Rule(
        "AUTH-BARE",
        "`Authorization: <key>`, the bare key, is accepted on every endpoint",
        _DOC,
        "Authentication page: put the key itself in the Authorization header; every sample sends "
        "`'Authorization': 'YOUR_API_KEY'`.",
    ),
    Rule(
        "AUTH-BLANKS",
        "Blanks around the key are not part of it: `Authorization:   <key>  ` is accepted",
        _GUESS,
        "RFC 9110 drops the blanks around a header value, and Node's parser does; no document says so of the "
        "API and no client sends them, so nothing relies on it. No setting: the mock's HTTP server drops them "
        "before the mock sees them, as Node's does.",
    ),
    Rule(
        "AUTH-BEARER",
        "`Authorization: Bearer <key>` is accepted too",
        _ASSUMED,
        "The official 1.x SDKs (npm @apiframe-ai/sdk, PyPI apiframe-sdk) send `Bearer <key>`; no public source "
        "says whether the server accepts it. Relied on: a server that refused it would fail both official clients.",
    ),
    Rule(
        "AUTH-BEARER-CASE",
        "`bearer <key>`, the scheme in lower case, is accepted too",
        _GUESS,
        "An authentication scheme is case-insensitive (RFC 9110), but no document says the API follows that "
        "and no official client sends anything but `Bearer`: nothing relies on it.",
        setting="auth.bearer_any_case",
    ),
    Rule(
        "AUTH-401",
        "A missing, empty or wrong key gets 401 with the body exactly `{}`",
        _DOC,
        'Every endpoint page has a 401 tab: "// Invalid API Key {}".',
    ),
    Rule(
        "AUTH-FIRST",
        "The key is checked before the body: a wrong key with a bad body gets 401, not 400",
        _ASSUMED,
        "Express apps authenticate in middleware that runs before the route's validators; "
        "a client with a wrong key must learn that first, whatever its body.",
    ),
    Rule(
        "BOUNDS-ACCEPTED",
        "`task_ids` with 2 to 20 string items is accepted (200)",
        _DOC,
        'Fetch Many page: "task_ids* [string] The task id of the tasks, min 2 and max 20".',
    ),
    Rule(
        "BOUNDS-TOO-FEW",
        "`task_ids` with fewer than 2 items gets 400",
        _DOC,
        'Fetch Many page: "min 2 and max 20"; the 400 tab is "// Bad request". That the limit '
        "answers with this 400 is how the page reads.",
    ),
    Rule(
        "BOUNDS-TOO-MANY",
        "`task_ids` with more than 20 items (21 and far beyond) gets 400",
        _DOC,
        'Fetch Many page: "min 2 and max 20"; the 400 tab is "// Bad request".',
    ),
    Rule(
        "ITEM-TYPES",
        "An item of `task_ids` that is not a string (number, null, bool, object, array) gets 400",
        _DOC,
        'Fetch Many page: "task_ids* [string]". That a non-string item gets the documented 400 '
        "(rather than being coerced) is assumed.",
    ),
    Rule(
        "BODY-TASK-IDS",
        "A body object without `task_ids`, or with `task_ids` not an array, gets 400",
        _DOC,
        'Fetch Many page: "task_ids*" is marked required and typed "[string]"; the 400 tab is '
        '"// Bad request". That each such body gets it is assumed.',
    ),
    Rule(
        "BODY-NOT-OBJECT",
        "A body that is not a JSON object (array, string, number, null, malformed, empty, not UTF-8) gets 400",
        _ASSUMED,
        "The docs only show JSON objects; a body with no `task_ids` object member is a bad request, "
        "and 400 is the only documented client error.",
    ),
    Rule(
        "BODY-EXTRA-KEYS",
        "Keys beside `task_ids` are ignored",
        _ASSUMED,
        "The docs list one body field and forbid nothing else; express-validator ignores unvalidated keys.",
    ),
    Rule(
        "ERROR-SHAPE",
        'Every 400 body is `{"errors": [{"msg": "<text>"}, ...]}`; extra keys per item and any text are allowed',
        _DOC,
        'Fetch Many page, 400 tab: `{"errors": [{ msg: "Invalid request" }]}`. Extra keys '
        "(express-validator's type, value, path, location) and the texts are left free.",
    ),
    Rule(
        "OK-SHAPE",
        "Every 200 body of /fetch-many is an object with a `tasks` array; extra envelope keys are allowed",
        _DOC,
        "Fetch Many page, 200 tab: `{ tasks: [ // An array of results/statuses ] }`.",
    ),
    Rule(
        "IDS-KNOWN",
        "Every known id asked for comes back as a task with that `task_id`",
        _DOC,
        'Fetch Many page: "Get the results/statuses of multiple tasks using their task_id."',
        needs_known_ids=True,
    ),
    Rule(
        "IDS-NOT-ASKED",
        "No task comes back that was not asked for",
        _DOC,
        'Fetch Many page: "Get the results/statuses of multiple tasks using their task_id." '
        "A task nobody asked for is not one of those.",
    ),
    Rule(
        "IDS-UNKNOWN",
        "Unknown ids are left out: the answer is 200 and no entry stands for them; an id is any string, matched "
        "exactly",
        _ASSUMED,
        "Undocumented. Apiframe-compatible services omit unknown ids; the mock does too, and a poller that matches "
        "answers to the ids it asked for relies on it. The page types an id as a "
        "string and limits nothing else, so the empty string, blanks, 10,000 characters, any characters, and a real "
        "id with blanks around it or in upper case are ids that name no task. Order and any entries for known ids "
        "are not judged here.",
    ),
    Rule(
        "IDS-COUNT",
        "No task comes back more often than it was asked for",
        _ASSUMED,
        "Undocumented; one answer per ask is the most a client can expect.",
        needs_known_ids=True,
    ),
    Rule(
        "IDS-REPEAT",
        "A repeated id never makes the request fail, and is answered once or once per ask",
        _ASSUMED,
        "Undocumented; a poller that lists an id twice is not making a bad request. Both once and "
        "once per ask are allowed; never is not.",
    ),
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
        "A missing or wrong key gets 401 with the body exactly `{}` on every submit endpoint, whatever the body",
        _DOC,
        'Every submit page (Imagine, Upscale 1x, Suno, Ideogram, ...) has a 401 tab: "// Invalid API Key {}". '
        "That the key is judged before a body missing its required fields is assumed, as in AUTH-FIRST.",
    ),
    Rule(
        "ROUTE-KEYLESS",
        "Every route the mock serves that a vendor page shows on this host answers a request without a key with "
        "401 and the body exactly `{}`",
        _DOC,
        'Every endpoint page (status, submit and upload routes alike) has a 401 tab: "// Invalid API Key {}". '
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
        "A submission with a field of the wrong type, or outside its documented values, gets 400",
        _ASSUMED,
        'The pages type every field and list the values of some (Upscale 1x: index "Can be 1, 2, 3 or 4"), but '
        "not what a wrong one gets. A server that coerced it would start a task the client did not describe, "
        "and 400 is the only documented client error.",
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

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULE_ORDER: dict[str, int] = {rule.id: index for index, rule in enumerate(RULES)}
"""Each rule's place in CONTRACT.md, most basic first: the order tests run and differences are listed in."""
MARKERS = (
    "rule(id): the CONTRACT.md rule this test checks",
    "after_all: runs after every other test, to judge what they saw",
    "sends(kind): what the test sends per example beyond one request, for the plan: "
    "'fetched', 'chunks', 'twice per chunk', 'missing', 'polls'",
)
"""The markers of the suite's tests, for pytest's --strict-markers."""
