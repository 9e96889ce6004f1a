"""The rules of v1 (api.apiframe.pro) on keys and /fetch-many's requests: one id each, with its source and why."""

from __future__ import annotations

from .rule import Rule, Source
from .rules_v1_tasks import V1_TASK_RULES

_DOC = Source.DOCUMENTED
_ASSUMED = Source.ASSUMED
_GUESS = Source.GUESS

V1_REQUEST_RULES: tuple[Rule, ...] = (
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
        "The key is checked before the body: a wrong key with a bad body gets 401, not 400, the mock guesses",
        _GUESS,
        "Undocumented: each page shows a 401 for a bad key and a 400 for a bad body, never both at once. Express "
        "apps often authenticate in middleware that runs before the route's validators, but no official client "
        "relies on the order: `apiframe` (main.py) returns whatever body comes back, and `apiframe-sdk` "
        "(http_client.py) raises AuthenticationError on a 401 and ApiframeError on a 400, whichever is first. "
        "Production judging the body first (a client error other than 401, 403 or 429) is a guess missed; any "
        "other answer is drift. No setting: the mock judges the key before it reads the body.",
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
        "A body that is not a JSON object (array, string, number, null, malformed, empty, not UTF-8) gets 400, the "
        "mock guesses",
        _GUESS,
        "The docs only show JSON objects, and 400 is the only documented client error, so the mock answers 400. "
        "No official client sends anything else (`apiframe` and `apiframe-sdk` both send a dict as JSON), so "
        "nothing relies on the answer: another status is a guess missed; a 5xx, or 401, 403 or 429, is drift.",
    ),
    Rule(
        "BODY-EXTRA-KEYS",
        "Keys beside `task_ids` are ignored: the answer is 200, the mock guesses",
        _GUESS,
        "The docs list one body field and forbid nothing else; express-validator ignores unvalidated keys. "
        "No official client sends another key to /fetch-many (`apiframe`'s fetch_many and `apiframe-sdk`'s "
        "get_many send `task_ids` alone), so nothing relies on it: a refusal is a guess missed; a 5xx, or 401, "
        "403 or 429, is drift.",
        setting="fetch_many.extra_keys_ignored",
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
        "No task comes back more often than it was asked for, the mock guesses",
        _GUESS,
        "Undocumented; one answer per ask is the most a client can expect, but no official client counts them: "
        "`apiframe` returns the list as it comes and `apiframe-sdk` renames fields in each entry, so a task "
        "answered twice is a guess missed, not drift.",
        needs_known_ids=True,
    ),
    Rule(
        "IDS-REPEAT",
        "A repeated id never makes the request fail, and is answered once or once per ask",
        _ASSUMED,
        "Undocumented; a poller that lists an id twice is not making a bad request. Both once and "
        "once per ask are allowed; never is not.",
    ),
)

V1_RULES: tuple[Rule, ...] = (*V1_REQUEST_RULES, *V1_TASK_RULES)
"""Every rule of v1, most basic first."""
