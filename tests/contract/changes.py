"""Small changes to the mock's requests and answers, each a way a real server could differ from it."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp

from contract_tests.submissions import SUBMIT_PATHS
from mockserver import DEFAULT_API_KEY, MAX_TASK_IDS, MIN_TASK_IDS, AuthScheme, MockState, create_app

from .wrapper import After, Before, Reply, Seen, reply_json

BAD_REQUEST = {"errors": [{"msg": "Invalid request"}]}


def on_fetch_many_200(change: Callable[[Seen, list[Any]], Any]) -> After:
    """Return an `after` that gives each 200 of /fetch-many the body `change(request, tasks)`."""

    def after(seen: Seen, reply: Reply) -> Reply:
        if seen.path != "/fetch-many" or reply.status != 200:
            return reply
        return reply.with_json(change(seen, reply.json()["tasks"]))

    return after


def on_status(status: int, change: Callable[[Seen, Reply], Reply]) -> After:
    """Return an `after` that applies `change` to every answer with `status`."""
    return lambda seen, reply: change(seen, reply) if reply.status == status else reply


def task_ids_of(seen: Seen) -> list[Any] | None:
    """Return the request's task_ids when it is a list, else None."""
    body = seen.json()
    ids = body.get("task_ids") if isinstance(body, dict) else None
    return ids if isinstance(ids, list) else None


def when_ids(test: Callable[[list[Any]], bool], change: Callable[[Seen, list[Any]], Seen | Reply]) -> Before:
    """Return a `before` that applies `change` to /fetch-many requests whose task_ids pass `test`."""

    def before(seen: Seen) -> Seen | Reply:
        ids = task_ids_of(seen) if seen.path == "/fetch-many" else None
        return change(seen, ids) if ids is not None and test(ids) else seen

    return before


def all_strings(ids: list[Any]) -> bool:
    """Say whether every id is a string."""
    return all(isinstance(task_id, str) for task_id in ids)


def bearer_refused() -> ASGIApp:
    """Return the mock accepting only the bare key."""
    return create_app(MockState.from_fixtures(auth_scheme=AuthScheme.BARE))


def body_before_key(seen: Seen) -> Seen | Reply:
    """Judge the body of /fetch-many before the key: a bad body gets 400 whatever the key."""
    ids = task_ids_of(seen)
    valid = ids is not None and MIN_TASK_IDS <= len(ids) <= MAX_TASK_IDS and all_strings(ids)
    return seen if seen.path != "/fetch-many" or valid else reply_json(400, BAD_REQUEST)


def any_key_works(seen: Seen) -> Seen | Reply:
    """Accept any non-empty key, by putting the right one in its place."""
    return seen.with_header("authorization", DEFAULT_API_KEY) if seen.headers.get("authorization") else seen


def as_text(ids: list[Any]) -> list[str]:
    """Turn every item into a string, as a lenient server would."""
    return [task_id if isinstance(task_id, str) else json.dumps(task_id) for task_id in ids]


def malformed_json_is_500(seen: Seen, reply: Reply) -> Reply:
    """Answer 500 {} where the body was not JSON."""
    return reply_json(500, {}) if reply.status == 400 and seen.path == "/fetch-many" and seen.json() is None else reply


def not_an_object_is_422(seen: Seen, reply: Reply) -> Reply:
    """Refuse a /fetch-many body that is no JSON object with 422, as a framework's JSON parser may."""
    refused = seen.path == "/fetch-many" and reply.status == 400 and not isinstance(seen.json(), dict)
    return reply_json(422, BAD_REQUEST) if refused else reply


def extra_keys_refused(seen: Seen, reply: Reply) -> Reply:
    """Refuse a 200 of /fetch-many whose body had keys beside task_ids."""
    body = seen.json()
    extra = isinstance(body, dict) and set(body) - {"task_ids"}
    return reply_json(400, BAD_REQUEST) if extra and seen.path == "/fetch-many" and reply.status == 200 else reply


def missing_ids_are_empty(seen: Seen, reply: Reply) -> Reply:
    """Answer an object without task_ids with an empty task list, not 400."""
    body = seen.json()
    missing = isinstance(body, dict) and "task_ids" not in body and seen.path == "/fetch-many"
    return reply_json(200, {"tasks": []}) if missing and reply.status == 400 else reply


def unknown_as_null(seen: Seen, tasks: list[Any]) -> Any:
    """Give one entry per id asked: the task, or null for an unknown id."""
    found = {task["task_id"]: task for task in tasks}
    return {"tasks": [found.get(task_id) for task_id in task_ids_of(seen) or []]}


def unknown_refused(seen: Seen, reply: Reply) -> Reply:
    """Refuse a /fetch-many naming any unknown id."""
    if seen.path != "/fetch-many" or reply.status != 200:
        return reply
    returned = {task["task_id"] for task in reply.json()["tasks"]}
    return reply if set(task_ids_of(seen) or []) <= returned else reply_json(400, BAD_REQUEST)


def invent_task(seen: Seen, tasks: list[Any]) -> Any:
    """Add a valid task nobody asked for."""
    invented = {"task_id": "invented-task", "task_type": "seed", "status": "finished", "seed": "42"}
    return {"tasks": [*tasks, invented]}


def rewrite_tasks(change: Callable[[dict[str, Any]], dict[str, Any]]) -> After:
    """Return an `after` that rewrites each task of each 200 of /fetch-many."""
    return on_fetch_many_200(lambda seen, tasks: {"tasks": [change(dict(task)) for task in tasks]})


def completed(task: dict[str, Any]) -> dict[str, Any]:
    """Say `completed` where the docs say `finished`."""
    return {**task, "status": "completed"} if task["status"] == "finished" else task


def fractional(task: dict[str, Any]) -> dict[str, Any]:
    """Give progress with a fraction."""
    if "percentage" not in task:
        return task
    value = task["percentage"]
    return {**task, "percentage": f"{value}.5" if isinstance(value, str) else value + 0.5}


def without_results(task: dict[str, Any]) -> dict[str, Any]:
    """Drop the result URLs of a finished task."""
    if task["status"] != "finished":
        return task
    return {name: value for name, value in task.items() if not name.endswith(("_url", "_urls"))}


def on_fetch(change: Callable[[Seen, Reply], Reply]) -> After:
    """Return an `after` that applies `change` to answers of POST /fetch."""
    return lambda seen, reply: change(seen, reply) if seen.path == "/fetch" else reply


def with_extras(task: dict[str, Any]) -> dict[str, Any]:
    """Add fields the docs do not show, as a newer API might."""
    return {**task, "created_at": "2026-01-01T00:00:00Z", "actions": [], "x-debug": {"node": 3}}


def shuffled(seen: Seen, tasks: list[Any]) -> Any:
    """Answer the tasks in an order of the server's own."""
    order = list(tasks)
    random.Random(len(order)).shuffle(order)
    return {"tasks": order[::-1]}


def express_validator(seen: Seen, reply: Reply) -> Reply:
    """Answer 400 as express-validator does: more keys per item, its own texts, two items."""
    item = {"type": "field", "value": None, "msg": "Invalid value", "path": "task_ids", "location": "body"}
    return reply.with_json({"errors": [item, {**item, "msg": "task_ids must be an array of 2 to 20 strings"}]})


def each_twice(seen: Seen, tasks: list[Any]) -> Any:
    """Answer each task asked for twice, however often it was asked: a task asked once comes back twice."""
    unique = list({task["task_id"]: task for task in tasks}.values())
    return {"tasks": unique + unique}


def once_per_id(seen: Seen, tasks: list[Any]) -> Any:
    """Answer a repeated id once."""
    return {"tasks": list({task["task_id"]: task for task in tasks}.values())}


def header(name: str, value: str) -> After:
    """Return an `after` that sets header `name` on every answer."""
    return lambda seen, reply: reply.with_header(name, value)


def chain(*afters: After) -> After:
    """Return an `after` that applies each of `afters` in turn."""

    def after(seen: Seen, reply: Reply) -> Reply:
        for change in afters:
            reply = change(seen, reply)
        return reply

    return after


def pad_one_id(seen: Seen, ids: list[Any]) -> Seen | Reply:
    """Accept a single id by adding an unknown one beside it."""
    return seen.with_json({"task_ids": [*ids, "pad"]}) if len(ids) == MIN_TASK_IDS - 1 and all_strings(ids) else seen


def refuse_twenty(seen: Seen, ids: list[Any]) -> Seen | Reply:
    """Refuse the maximum count, as an off-by-one check would."""
    return reply_json(400, BAD_REQUEST) if len(ids) == MAX_TASK_IDS else seen


def cut_twenty_one(seen: Seen, ids: list[Any]) -> Seen | Reply:
    """Accept one id more than the maximum, dropping it."""
    return seen.with_json({"task_ids": ids[:MAX_TASK_IDS]}) if len(ids) == MAX_TASK_IDS + 1 else seen


def coerce_items(seen: Seen, ids: list[Any]) -> Seen | Reply:
    """Accept items that are not strings, as their JSON text."""
    return seen.with_json({"task_ids": as_text(ids)})


def dedupe(seen: Seen, ids: list[Any]) -> Seen | Reply:
    """Drop repeated ids before the bounds are checked."""
    return seen.with_json({"task_ids": list(dict.fromkeys(ids))})


def always(ids: list[Any]) -> bool:
    """Match every list of ids."""
    return True


def html_errors(seen: Seen, reply: Reply) -> Reply:
    """Label every error as HTML, its body unchanged."""
    return reply.with_header("content-type", "text/html") if reply.status >= 400 else reply


def errors_not_a_list(seen: Seen, reply: Reply) -> Reply:
    """Give the first error item where the list belongs."""
    return reply.with_json({"errors": reply.json()["errors"][0]})


def errors_without_msg(seen: Seen, reply: Reply) -> Reply:
    """Name the message `message`, not `msg`."""
    return reply.with_json({"errors": [{"message": "bad request"}]})


def drop_failed(seen: Seen, tasks: list[Any]) -> Any:
    """Leave failed tasks out."""
    return {"tasks": [task for task in tasks if task["status"] != "failed"]}


def twice(seen: Seen, tasks: list[Any]) -> Any:
    """Answer every task twice."""
    return {"tasks": tasks + tasks}


def renamed_envelope(seen: Seen, tasks: list[Any]) -> Any:
    """Name the array `results`."""
    return {"results": tasks}


def fetch_wrapped(seen: Seen, reply: Reply) -> Reply:
    """Wrap the task of /fetch in an object."""
    return reply.with_json({"task": reply.json()}) if reply.status == 200 else reply


def fetch_unknown_found(seen: Seen, reply: Reply) -> Reply:
    """Answer /fetch of an unknown id with 200 and an empty object, as if it named a task."""
    body = seen.json()
    named = isinstance(body, dict) and isinstance(body.get("task_id"), str)
    return reply.with_json({}, 200) if reply.status == 400 and named else reply


def account_without_credits(seen: Seen, reply: Reply) -> Reply:
    """Leave `credits` out of the account."""
    if seen.path != "/account" or reply.status != 200:
        return reply
    return reply.with_json({name: value for name, value in reply.json().items() if name != "credits"})


def with_401_body(seen: Seen, reply: Reply) -> Reply:
    """Say why the key was refused."""
    return reply.with_json({"message": "Invalid API Key"})


def forbidden(seen: Seen, reply: Reply) -> Reply:
    """Refuse a key with 403."""
    return reply.with_json({}, 403)


EXTRA_HEADERS = chain(
    header("x-request-id", "req-123"),
    header("x-ratelimit-remaining", "99"),
    header("cache-control", "no-store"),
    header("server", "nginx"),
)
CHARSET = header("content-type", "application/json; charset=utf-8")
EXTRA_FIELDS = chain(
    rewrite_tasks(with_extras), on_fetch_many_200(lambda seen, tasks: {"tasks": tasks, "request_id": "r-1"})
)


def _keyed(seen: Seen) -> bool:
    """Say whether the request carries the mock's key, bare or as Bearer."""
    return seen.headers.get("authorization", "").removeprefix("Bearer ") == DEFAULT_API_KEY


def prompt_optional(seen: Seen) -> Seen | Reply:
    """Start an /imagine without a prompt, as a server with a default prompt would."""
    body = seen.json()
    if seen.path == "/imagine" and _keyed(seen) and isinstance(body, dict) and "prompt" not in body:
        return reply_json(200, {"task_id": "started-without-a-prompt"})
    return seen


def keyless_submission_400(seen: Seen) -> Seen | Reply:
    """Judge a submission without a key as a bad request, not an unauthorised one."""
    keyless = seen.path in SUBMIT_PATHS and "authorization" not in seen.headers
    return reply_json(400, BAD_REQUEST) if keyless else seen


def prompt_coerced(seen: Seen) -> Seen | Reply:
    """Take any prompt of /imagine as its JSON text."""
    body = seen.json()
    if seen.path == "/imagine" and isinstance(body, dict) and "prompt" in body and not isinstance(body["prompt"], str):
        return seen.with_json({**body, "prompt": json.dumps(body["prompt"])})
    return seen


def unknown_parent_accepted(seen: Seen, reply: Reply) -> Reply:
    """Start an upscale whose parent task is unknown."""
    unknown = seen.path == "/upscale-1x" and reply.status == 400 and b"matches no task" in reply.body
    return reply_json(200, {"task_id": "upscale-of-nothing"}) if unknown else reply


def task_id_a_number(seen: Seen, reply: Reply) -> Reply:
    """Answer a submission's task_id as a number, as an older revision of the docs printed it."""
    if seen.path not in SUBMIT_PATHS or reply.status != 200:
        return reply
    return reply.with_json({**reply.json(), "task_id": 1234567890123})


def progress_falls(seen: Seen, reply: Reply) -> Reply:
    """Count a running task's percentage down instead of up, on /fetch."""
    task = reply.json() if seen.path == "/fetch" and reply.status == 200 else None
    if not isinstance(task, dict) or task.get("status") != "processing" or not isinstance(task.get("percentage"), str):
        return reply
    return reply.with_json({**task, "percentage": str(100 - int(task["percentage"]))})
