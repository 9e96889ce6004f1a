"""The requests a differential run sends to both servers: the bounds and nasty cases, then generated ones.

Each case names the CONTRACT.md rule its status is judged by and the status that rule expects, so a
difference in status can say which side broke the rule. The limits come from the request schema and
the generated bodies from the suite's strategies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from .edges import BLANKS_KEY, FETCH_ID_EDGES, ID_EDGES, LOWER_BEARER_KEY, WRONG_KEYS, edge_id
from .exchange import BEARER_KEY, JSON_HEADERS, KEY, Request, json_body
from .pool import IdPool
from .rules import RULES_BY_ID
from .strategies import FAR_BEYOND, ITEM_TYPE, MAX_IDS, MIN_IDS, extra_keys, id_lists, not_json, picks, values_not_of
from .submissions import accepts, body_for, chosen_endpoints, missing_bodies, parent_for, with_value

WRONG_KEY = "not-the-key"
WRONG_VALUES: tuple[object, ...] = (7, None, ["a"], {})
"""Values for a submission's first field, the first its schema refuses standing for a wrong type."""
FETCH_CAP = 10
"""The most known ids fetched one by one with /fetch: a live budget is small."""


@dataclass(frozen=True, slots=True)
class Case:
    """One request, the rule its status is judged by, that rule's status, and the ids its body asks for."""

    name: str
    request: Request
    rule: str
    expected: int
    asked: tuple[str, ...] = ()
    submission: bool = False
    """Whether the case is a valid submission, which starts a task and costs credits."""

    def __post_init__(self) -> None:
        if self.rule not in RULES_BY_ID:
            raise ValueError(f"case {self.name!r} names unknown rule {self.rule!r}")

    @property
    def endpoint(self) -> str:
        """Return ``METHOD /path``."""
        return f"{self.request.method} {self.request.path}"


def _post(path: str, payload: object, auth: str | None = KEY) -> Request:
    headers = JSON_HEADERS if auth is None else (("Authorization", auth), *JSON_HEADERS)
    return Request("POST", path, headers, json_body(payload))


def _raw(body: bytes) -> Request:
    return Request("POST", "/fetch-many", (("Authorization", KEY), *JSON_HEADERS), body)


def _many(
    name: str, ids: list[Any], rule: str, expected: int, auth: str | None = KEY, extra: dict[str, Any] | None = None
) -> Case:
    asked = tuple(item for item in ids if isinstance(item, str))
    return Case(name, _post("/fetch-many", {"task_ids": ids, **(extra or {})}, auth), rule, expected, asked)


def explicit_cases(pool: IdPool) -> Iterator[Case]:
    """Yield the cases no run may miss: auth variants, bounds, item types, body shapes, ids, /fetch, /account."""
    two = pool.distinct(MIN_IDS)
    yield _many("auth: bare key", two, "AUTH-BARE", 200)
    yield _many("auth: Bearer key", two, "AUTH-BEARER", 200, BEARER_KEY)
    yield _many("auth: bearer in lower case", two, "AUTH-BEARER-CASE", 200, LOWER_BEARER_KEY)
    yield _many("auth: blanks around the key", two, "AUTH-BLANKS", 200, BLANKS_KEY)
    for label, auth in WRONG_KEYS.items():
        yield _many(f"auth: a key refused ({label})", two, "AUTH-401", 401, auth)
    yield Case("auth: wrong key on /fetch", _post("/fetch", {"task_id": two[0]}, WRONG_KEY), "AUTH-401", 401, (two[0],))
    yield Case(
        "auth: wrong key on /account", Request("GET", "/account", (("Authorization", WRONG_KEY),)), "AUTH-401", 401
    )
    yield Case("auth: wrong key, bad body", _post("/fetch-many", {"task_ids": 7}, WRONG_KEY), "AUTH-FIRST", 401)
    for count, rule, expected in (
        (0, "BOUNDS-TOO-FEW", 400),
        (MIN_IDS - 1, "BOUNDS-TOO-FEW", 400),
        (MIN_IDS, "BOUNDS-ACCEPTED", 200),
        (MAX_IDS, "BOUNDS-ACCEPTED", 200),
        (MAX_IDS + 1, "BOUNDS-TOO-MANY", 400),
        (FAR_BEYOND, "BOUNDS-TOO-MANY", 400),
    ):
        yield _many(f"bounds: {count} ids", pool.distinct(count), rule, expected)
    items: tuple[object, ...] = (7, 1.5, None, True, {}, [])
    for item in items:
        yield _many(f"item types: {item!r}", [two[0], item], "ITEM-TYPES", 400)
    for label, body in (
        ("no task_ids", {}),
        ("task_ids a string", {"task_ids": two[0]}),
        ("task_ids null", {"task_ids": None}),
    ):
        yield Case(f"body: {label}", _post("/fetch-many", body), "BODY-TASK-IDS", 400)
    for label, raw in (
        ("an array", json_body(two)),
        ("a string", json_body("task_ids")),
        ("null", b"null"),
        ("malformed JSON", b'{"task_ids": ['),
        ("empty", b""),
        ("not UTF-8", b'{"task_ids": ["\xff\xfe"]}'),
    ):
        yield Case(f"body: {label}", _raw(raw), "BODY-NOT-OBJECT", 400)
    yield _many("body: an extra key", two, "BODY-EXTRA-KEYS", 200, extra={"extra_key": "ignored"})
    yield _many("ids: unknown only", pool.unknown(MIN_IDS), "IDS-UNKNOWN", 200)
    if pool.known:
        yield _many("ids: known and unknown", [pool.known[0], *pool.unknown(1)], "IDS-UNKNOWN", 200)
        yield _many("ids: repeated", [pool.known[0], pool.known[0], *pool.distinct(MIN_IDS)[1:]], "IDS-REPEAT", 200)
        for start in range(0, len(pool.known), MAX_IDS):
            chunk = list(pool.known[start : start + MAX_IDS])
            chunk += pool.unknown(MIN_IDS - len(chunk)) if len(chunk) < MIN_IDS else []
            yield _many(f"ids: known, from #{start}", chunk, "IDS-KNOWN", 200)
        for task_id in pool.known[:FETCH_CAP]:
            yield Case(
                f"/fetch: known id {task_id}", _post("/fetch", {"task_id": task_id}), "FETCH-TASK", 200, (task_id,)
            )
    for edge in ID_EDGES:
        task_id = edge_id(edge, pool)
        yield _many(f"ids: an id at an edge ({edge})", [task_id, *pool.unknown(1)], "IDS-UNKNOWN", 200)
    for edge in FETCH_ID_EDGES:
        task_id = edge_id(edge, pool)
        request = _post("/fetch", {"task_id": task_id})
        yield Case(f"/fetch: an id at an edge ({edge})", request, "FETCH-UNKNOWN", 400, (task_id,))
    unknown = pool.unknown(1)[0]
    yield Case("/fetch: unknown id", _post("/fetch", {"task_id": unknown}), "FETCH-UNKNOWN", 400, (unknown,))
    yield Case("/fetch: no task_id", _post("/fetch", {}), "FETCH-BODY", 400)
    yield Case("/fetch: task_id a number", _post("/fetch", {"task_id": 7}), "FETCH-BODY", 400)
    yield Case("/account", Request("GET", "/account", (("Authorization", KEY),)), "ACCOUNT", 200)


def submission_refusals(every: bool = True) -> Iterator[Case]:
    """Yield, per endpoint (all, else the live sample), a submission without a key, a required field, a right type."""
    for endpoint in chosen_endpoints(every):
        path = endpoint.path
        yield Case(f"submit: no key on {path}", _post(path, body_for(endpoint), None), "SUBMIT-AUTH", 401)
        missing, body = next(missing_bodies(endpoint))
        yield Case(f"submit: {path} without {missing}", _post(path, body), "SUBMIT-REQUIRED", 400)
        wrong = (with_value(endpoint, 0, value) for value in WRONG_VALUES)
        name, body = next((name, body) for name, body in wrong if not accepts(endpoint, body))
        yield Case(f"submit: {path} with {name} {body[name]!r}", _post(path, body), "SUBMIT-TYPES", 400)


def valid_submissions(tasks: list[dict[str, Any]], allowed: int | None) -> list[Case]:
    """Return a valid submission to each endpoint whose parent (if any) is among `tasks`, at most `allowed` of them."""
    cases = []
    for endpoint in chosen_endpoints(every=True):
        parent = parent_for(endpoint, tasks)
        if endpoint.parent is None or parent is not None:
            request = _post(endpoint.path, body_for(endpoint, parent))
            asked = (parent,) if parent is not None else ()
            cases.append(Case(f"submit: valid on {endpoint.path}", request, "SUBMIT-OK", 200, asked, submission=True))
    return cases[:allowed]


def generated_cases(pool: IdPool, count: int, seed: int) -> list[Case]:
    """Return `count` cases drawn from the suite's strategies; the same seed gives the same cases."""
    if count <= 0:
        return []
    kinds: list[st.SearchStrategy[Case]] = [
        id_lists(MIN_IDS, MAX_IDS).map(lambda ids: _many("generated: unknown ids", ids, "IDS-UNKNOWN", 200)),
        values_not_of(ITEM_TYPE).map(
            lambda item: _many("generated: item type", [*pool.distinct(1), item], "ITEM-TYPES", 400)
        ),
        not_json().map(lambda raw: Case("generated: not JSON", _raw(raw), "BODY-NOT-OBJECT", 400)),
        extra_keys().map(
            lambda extra: _many("generated: extra keys", pool.distinct(MIN_IDS), "BODY-EXTRA-KEYS", 200, extra=extra)
        ),
    ]
    if pool.known:
        kinds.append(picks().map(lambda indices: _many("generated: known ids", pool.pick(indices), "IDS-KNOWN", 200)))
    drawn: list[Case] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(kinds))
    def draw(case: Case) -> None:
        drawn.append(case)

    draw()
    return drawn[:count]
