"""Fuzzing a real mock: raw bytes, header sets, paths, methods and JSON values, then Schemathesis on /openapi.json.

Given any request, when the mock answers, then it is never a 5xx, always JSON in the shape its
schemas document; and after all of it, the mock still answers a normal fetch-many correctly.
`make test` runs a few hundred requests; `make fuzz` (APIFRAME_MOCK_FUZZ=long) over 10,000.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import schemathesis
from hypothesis import given, note
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from mockserver import DEFAULT_API_KEY, MAX_TASK_IDS, MIN_TASK_IDS, load_fixtures
from mockserver.dashboard.page import CONTENT_SECURITY_POLICY, UI_PATH
from mockserver.limits import MAX_BODY_BYTES

from .fuzz_inputs import (
    FORM_SUBMIT_PATHS,
    KEY,
    KNOWN_IDS,
    SUBMIT_PATHS,
    UPLOAD_PATHS,
    WITH_KEY,
    WITH_TOKEN,
    RawRequest,
    bodies,
    content_types,
    forms,
    is_field_value,
    json_strings,
    json_values,
    raw_streams,
    requests,
    task_ids_json,
)
from .fuzzing import (
    CONTROL_TOKEN,
    LONG_RUN_MINIMUM,
    SIZE,
    STRICT_JSON,
    Answer,
    Target,
    check_answer,
    fuzz_settings,
    running_target,
)

# Answered with the Apiframe key; each refuses any other Authorization with 401 before anything else.
KEYED = {
    (b"POST", "/fetch-many"),
    (b"POST", "/fetch"),
    (b"GET", "/account"),
    (b"HEAD", "/account"),
    *((b"POST", path) for path in (*SUBMIT_PATHS, *UPLOAD_PATHS)),
}
NOT_HTTP = "the bytes sent are not a valid HTTP/1.1 request"


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    """One mock with its control API on, fuzzed by every test in this module in turn."""
    with running_target() as running:
        yield running


def accepts_key(sent: bytes | None) -> bool:
    """Say whether an Authorization value carries the key, bare or after ``Bearer`` in any case."""
    return sent is not None and (sent == KEY or (sent[:7].lower() == b"bearer " and sent[7:] == KEY))


@fuzz_settings("raw")
@given(request=requests)
def test_any_request_on_any_route_is_answered_in_json(target: Target, request: RawRequest) -> None:
    note(f"sent: {request.encode()!r}")
    answer = target.exchange(request.encode(), head=request.head)
    body = check_answer(answer, request.route, head=request.head)
    # A HEAD answer has no body to say why it is a 400; on these routes only bad HTTP gets one.
    refused_as_http = answer.status == 400 and (body is None or NOT_HTTP in body["errors"][0]["msg"])
    if (request.method, request.route) in KEYED and not refused_as_http:
        assert (answer.status == 401) is not accepts_key(request.authorization), answer


@fuzz_settings("raw")
@given(raw=raw_streams)
def test_bytes_that_are_not_http_are_refused_in_json(target: Target, raw: bytes) -> None:
    note(f"sent: {raw!r}")
    # A mangled request may still be a HEAD, whose answer has no body.
    head = raw.lstrip(b"\r\n").startswith(b"HEAD ")
    answer = target.exchange(raw, head=head)
    check_answer(answer, "", head=head)


def decoded_task_ids(body: bytes) -> list[str] | None:
    """Return the ids a fetch-many body names, or None if it is not a valid request; written apart from the mock."""
    try:
        payload = STRICT_JSON.decode(body.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    task_ids = payload.get("task_ids") if isinstance(payload, dict) else None
    if not isinstance(task_ids, list) or not MIN_TASK_IDS <= len(task_ids) <= MAX_TASK_IDS:
        return None
    return task_ids if all(isinstance(task_id, str) for task_id in task_ids) else None


@fuzz_settings("raw")
@given(
    body=st.one_of(task_ids_json.map(lambda text: text.encode()), bodies),
    content_type=st.one_of(st.none(), content_types.filter(is_field_value)),
)
def test_fetch_many_answers_exactly_the_known_tasks_or_400(target: Target, body: bytes, content_type: bytes) -> None:
    headers = WITH_KEY + (((b"Content-Type", content_type),) if content_type is not None else ())
    answer = target.exchange(RawRequest(b"POST", b"/fetch-many", headers, body).encode())
    decoded = check_answer(answer, "/fetch-many")
    task_ids = decoded_task_ids(body)
    if answer.status == 413:
        assert len(body) > MAX_BODY_BYTES
    elif task_ids is None:
        assert answer.status == 400, decoded
    else:
        assert answer.status == 200, decoded
        known = set(KNOWN_IDS)
        assert [task["task_id"] for task in decoded["tasks"]] == [task_id for task_id in task_ids if task_id in known]


@fuzz_settings("raw")
@given(path=st.sampled_from(SUBMIT_PATHS), body=bodies, fields=st.dictionaries(json_strings, json_values, max_size=4))
def test_a_submission_is_a_new_task_or_a_400_that_stores_nothing(
    target: Target, path: str, body: bytes, fields: dict[str, str]
) -> None:
    # A valid base with hostile fields on top reaches past the first checks; a hostile body alone tests the parser.
    base = {"prompt": "x", "image_url": "https://a.invalid/1.png", "parent_task_id": KNOWN_IDS[0], "index": "1"}
    merged = (
        "{"
        + ",".join(
            [f"{json.dumps(key)}:{json.dumps(value)}" for key, value in base.items()]
            + [f"{key}:{value}" for key, value in fields.items()]
        )
        + "}"
    )
    for sent in (body, merged.encode()):
        before = len(target.state.store.tasks)
        answer = target.exchange(RawRequest(b"POST", path.encode(), WITH_KEY, sent).encode())
        decoded = check_answer(answer, path)
        assert answer.status in (200, 400, 413), decoded
        stored = len(target.state.store.tasks) - before
        assert stored == (1 if answer.status == 200 else 0), (answer.status, decoded)


@fuzz_settings("raw")
@given(path=st.sampled_from(UPLOAD_PATHS + FORM_SUBMIT_PATHS), form=forms())
def test_a_hostile_form_is_a_file_kept_or_a_400_that_keeps_nothing(
    target: Target, path: str, form: tuple[bytes, bytes]
) -> None:
    content_type, body = form
    before = len(target.state.store.tasks)
    headers = (*WITH_KEY, (b"Content-Type", content_type))
    answer = target.exchange(RawRequest(b"POST", path.encode(), headers, body).encode())
    decoded = check_answer(answer, path)
    assert answer.status in (200, 400), decoded
    if path in FORM_SUBMIT_PATHS:
        assert len(target.state.store.tasks) - before == (1 if answer.status == 200 else 0), decoded


@fuzz_settings("raw")
@given(
    route=st.sampled_from([b"/fetch-many", b"/fetch"]), body=bodies, content_type=content_types.filter(is_field_value)
)
def test_the_journal_answers_in_json_whatever_it_recorded(
    target: Target, route: bytes, body: bytes, content_type: bytes
) -> None:
    target.journal.clear()
    target.exchange(
        RawRequest(b"POST", route, ((b"Authorization", KEY), (b"Content-Type", content_type)), body).encode()
    )
    answer = target.exchange(RawRequest(b"GET", b"/__mock__/journal", WITH_TOKEN).encode())
    assert answer.status == 200
    assert len(check_answer(answer, "/__mock__/journal")["requests"]) == 1


@fuzz_settings("raw")
@given(value=json_values)
def test_a_task_the_control_api_accepts_is_served_in_json(target: Target, value: str) -> None:
    task = json.dumps({**load_fixtures().tasks[0], "task_id": "fuzz-made"})
    created = target.exchange(
        RawRequest(b"POST", b"/__mock__/tasks", WITH_TOKEN, f'{task[:-1]},"x":{value}}}'.encode()).encode()
    )
    check_answer(created, "/__mock__/tasks")
    if created.status == 201:
        fetched = target.exchange(RawRequest(b"POST", b"/fetch", WITH_KEY, b'{"task_id": "fuzz-made"}').encode())
        assert check_answer(fetched, "/fetch")["task_id"] == "fuzz-made"
        assert target.exchange(RawRequest(b"DELETE", b"/__mock__/tasks/fuzz-made", WITH_TOKEN).encode()).status == 200


@pytest.fixture(scope="module")
def schema(target: Target) -> schemathesis.BaseSchema:
    loaded = schemathesis.openapi.from_url(f"{target.url}/openapi.json")
    # The document names the live server; every call must go to the mock on loopback.
    loaded.config.update(base_url=target.url)
    return loaded


def credentials(case: Case[Any]) -> dict[str, str]:
    if case.path.startswith("/v2/"):
        return {"X-API-Key": DEFAULT_API_KEY}
    return {"Authorization": f"Bearer {CONTROL_TOKEN}" if case.path.startswith("/__mock__") else DEFAULT_API_KEY}


def as_answer(status: int, headers: Mapping[str, list[str]], content: bytes) -> Answer:
    return Answer(status, tuple((name.lower(), value) for name, values in headers.items() for value in values), content)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_schemathesis_finds_no_answer_off_the_documented_schemas(
    target: Target, schema: schemathesis.BaseSchema, mode: GenerationMode
) -> None:
    seen_before = target.seen()

    # Schema-valid bodies may still be refused: /fetch of an unknown id is a 400, as the vendor
    # answers, and the control API documents its bodies only as objects.
    @fuzz_settings("schema")
    @given(case=schema.as_strategy(generation_mode=mode))
    def check(case: Case[Any]) -> None:
        headers = credentials(case)
        response = case.call(headers=headers)
        target.disarm()
        if case.path.startswith(UI_PATH):
            # The dashboard's page and files are the one answer that is not JSON: they hold no data.
            assert (response.status_code, response.headers["content-security-policy"]) == (
                200,
                [CONTENT_SECURITY_POLICY],
            )
        else:
            check_answer(as_answer(response.status_code, response.headers, response.content), case.path)
        case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])

    check()
    target.by_schemathesis += target.seen() - seen_before
    target.sent += target.seen() - seen_before


def test_the_mock_still_answers_correctly_after_the_fuzzing(target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    wanted = [KNOWN_IDS[3], "no-such-task", KNOWN_IDS[0]]
    reset = RawRequest(b"POST", b"/__mock__/reset", WITH_TOKEN)
    assert target.exchange(reset.encode()).status == 200
    request = RawRequest(b"POST", b"/fetch-many", WITH_KEY, json.dumps({"task_ids": wanted}).encode())
    answer = target.exchange(request.encode())
    body: Any = check_answer(answer, "/fetch-many")
    assert answer.status == 200
    assert [task["task_id"] for task in body["tasks"]] == [KNOWN_IDS[3], KNOWN_IDS[0]]
    with capsys.disabled():
        elapsed = time.perf_counter() - target.started
        print(f"\nfuzz ({SIZE}): {target.sent} requests ({target.by_schemathesis} by Schemathesis) in {elapsed:.1f} s")
    if SIZE == "long":
        assert target.sent >= LONG_RUN_MINIMUM
