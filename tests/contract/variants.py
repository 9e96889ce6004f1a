"""Variants of the mock: drifted ones that each break one rule, and faithful ones that use a freedom the docs leave."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp

from mockserver import create_app

from .changes import (
    CHARSET,
    EXTRA_FIELDS,
    EXTRA_HEADERS,
    account_without_credits,
    all_strings,
    always,
    any_key_works,
    bearer_refused,
    body_before_key,
    chain,
    coerce_items,
    completed,
    cut_twenty_one,
    dedupe,
    drop_failed,
    each_twice,
    errors_not_a_list,
    errors_without_msg,
    express_validator,
    extra_keys_refused,
    fetch_unknown_found,
    fetch_wrapped,
    forbidden,
    fractional,
    html_errors,
    invent_task,
    keyless_submission_400,
    malformed_json_is_500,
    missing_ids_are_empty,
    not_an_object_is_422,
    on_fetch,
    on_fetch_many_200,
    on_status,
    once_per_id,
    pad_one_id,
    progress_falls,
    prompt_coerced,
    prompt_optional,
    refuse_twenty,
    renamed_envelope,
    rewrite_tasks,
    shuffled,
    task_id_a_number,
    twice,
    unknown_as_null,
    unknown_parent_accepted,
    unknown_refused,
    when_ids,
    with_401_body,
    without_results,
)
from .wrapper import After, Before, Wrapped


@dataclass(frozen=True)
class Variant:
    """A server to run the suite against, and what the report must say about it."""

    name: str
    build: Callable[[], ASGIApp]
    drifted: frozenset[str] = frozenset()
    """The rules it breaks: each must be reported drifted."""
    tolerated: frozenset[str] = frozenset()
    """Rules it may break as well, because the broken rule takes them down with it."""
    missed: frozenset[str] = frozenset()
    """The guesses of the mock it does otherwise: each must be listed as a guess missed, and nothing drift."""


def wrap(before: Before | None = None, after: After | None = None) -> Callable[[], ASGIApp]:
    """Return a builder of the faithful mock with `before` and `after` applied."""

    def build() -> ASGIApp:
        app = create_app()
        return app if before is None and after is None else Wrapped(app, before, after)

    return build


def drifted(name: str, build: Callable[[], ASGIApp], rule: str, *tolerated: str) -> Variant:
    """Return a variant that must be reported drifted on `rule` (and may be on `tolerated`)."""
    return Variant(name, build, frozenset({rule}), frozenset(tolerated))


DRIFTED_AUTH = [
    drifted(
        "401 with a body",
        wrap(after=on_status(401, with_401_body)),
        "AUTH-401",
        "SUBMIT-AUTH",
        "ROUTE-KEYLESS",
        "ROUTE-UNSEEN",
    ),
    drifted(
        "403 instead of 401",
        wrap(after=on_status(401, forbidden)),
        "AUTH-401",
        "SUBMIT-AUTH",
        "ROUTE-KEYLESS",
        "ROUTE-UNSEEN",
    ),
    drifted("any key accepted", wrap(before=any_key_works), "AUTH-401", "SUBMIT-AUTH"),
    drifted("Bearer refused", bearer_refused, "AUTH-BEARER"),
]
DRIFTED_REQUESTS = [
    drifted("one id accepted", wrap(before=when_ids(always, pad_one_id)), "BOUNDS-TOO-FEW"),
    drifted(
        "twenty ids refused",
        wrap(before=when_ids(always, refuse_twenty)),
        "BOUNDS-ACCEPTED",
        *("IDS-KNOWN", "IDS-UNKNOWN", "IDS-REPEAT"),
    ),
    drifted("twenty-one ids accepted", wrap(before=when_ids(all_strings, cut_twenty_one)), "BOUNDS-TOO-MANY"),
    drifted(
        "non-string items accepted", wrap(before=when_ids(lambda ids: not all_strings(ids), coerce_items)), "ITEM-TYPES"
    ),
    # BODY-NOT-OBJECT is a guess, but no input may get a 5xx: both report it.
    drifted("500 on malformed JSON", wrap(after=malformed_json_is_500), "NO-5XX", "BODY-NOT-OBJECT"),
    drifted("missing task_ids is an empty list", wrap(after=missing_ids_are_empty), "BODY-TASK-IDS"),
    drifted("errors not a list", wrap(after=on_status(400, errors_not_a_list)), "ERROR-SHAPE"),
    drifted("errors without msg", wrap(after=on_status(400, errors_without_msg)), "ERROR-SHAPE"),
    drifted("text/html on errors", wrap(after=html_errors), "CONTENT-TYPE"),
]
DRIFTED_ANSWERS = [
    drifted("unknown ids as null entries", wrap(after=on_fetch_many_200(unknown_as_null)), "IDS-UNKNOWN"),
    drifted("unknown ids refused", wrap(after=unknown_refused), "IDS-UNKNOWN", "IDS-KNOWN"),
    drifted("failed tasks dropped", wrap(after=on_fetch_many_200(drop_failed)), "IDS-KNOWN", "IDS-REPEAT"),
    drifted("a task invented", wrap(after=on_fetch_many_200(invent_task)), "IDS-NOT-ASKED"),
    drifted("duplicates dropped before counting", wrap(before=when_ids(all_strings, dedupe)), "IDS-REPEAT"),
    drifted("completed instead of finished", wrap(after=rewrite_tasks(completed)), "TASK-STATUS"),
    drifted("fractional percentage", wrap(after=rewrite_tasks(fractional)), "TASK-PERCENTAGE"),
    # Only fetch-many drops them: read by /fetch too, a finished task's results come and go (TASK-FORWARD).
    drifted("finished without results", wrap(after=rewrite_tasks(without_results)), "TASK-SCHEMA", "TASK-FORWARD"),
    drifted(
        "tasks renamed results", wrap(after=on_fetch_many_200(renamed_envelope)), "OK-SHAPE", "IDS-KNOWN", "IDS-REPEAT"
    ),
    drifted("fetch wraps the task", wrap(after=on_fetch(fetch_wrapped)), "FETCH-TASK", "SUBMIT-FETCHABLE"),
    drifted("fetch of an unknown id answered 200", wrap(after=on_fetch(fetch_unknown_found)), "FETCH-UNKNOWN"),
    drifted("account without credits", wrap(after=account_without_credits), "ACCOUNT"),
]
DRIFTED_SUBMISSIONS = [
    drifted(
        "a submission without a key is a bad request",
        wrap(before=keyless_submission_400),
        "SUBMIT-AUTH",
        "ROUTE-KEYLESS",
        "ROUTE-UNSEEN",
    ),
    drifted("imagine without a prompt accepted", wrap(before=prompt_optional), "SUBMIT-REQUIRED"),
    drifted("an upscale of an unknown task accepted", wrap(after=unknown_parent_accepted), "SUBMIT-PARENT"),
    drifted("task_id a number", wrap(after=task_id_a_number), "SUBMIT-OK"),
    # The ledger sees the submitted task move back too, wherever it is fetched.
    drifted("progress counted down", wrap(after=progress_falls), "SUBMIT-FETCHABLE", "TASK-FORWARD"),
]


def missed(name: str, build: Callable[[], ASGIApp], *guesses: str) -> Variant:
    """Return a variant that does otherwise than the mock guessed on `guesses`: listed apart, never drift."""
    return Variant(name, build, missed=frozenset(guesses))


GUESSES_MISSED = [
    missed("body judged before the key", wrap(before=body_before_key), "AUTH-FIRST"),
    missed("a body that is no object refused with 422", wrap(after=not_an_object_is_422), "BODY-NOT-OBJECT"),
    missed("extra body keys refused", wrap(after=extra_keys_refused), "BODY-EXTRA-KEYS"),
    missed("every task twice", wrap(after=on_fetch_many_200(twice)), "IDS-COUNT"),
    missed("a task asked once answered twice", wrap(after=on_fetch_many_200(each_twice)), "IDS-COUNT"),
    missed("a prompt that is no string coerced", wrap(before=prompt_coerced), "SUBMIT-TYPES"),
]
FAITHFUL = [
    Variant("the mock itself", wrap()),
    Variant("tasks in another order", wrap(after=on_fetch_many_200(shuffled))),
    Variant("extra fields on tasks and the envelope", wrap(after=EXTRA_FIELDS)),
    Variant("extra response headers", wrap(after=EXTRA_HEADERS)),
    Variant("a charset on the content type", wrap(after=CHARSET)),
    Variant("express-validator 400 items", wrap(after=on_status(400, express_validator))),
    Variant("a repeated id answered once", wrap(after=on_fetch_many_200(once_per_id))),
    Variant(
        "every freedom at once",
        wrap(
            after=chain(
                on_fetch_many_200(once_per_id),
                on_fetch_many_200(shuffled),
                EXTRA_FIELDS,
                EXTRA_HEADERS,
                CHARSET,
                on_status(400, express_validator),
            )
        ),
    ),
]
