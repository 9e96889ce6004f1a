"""What the fuzzing found, each pinned by one exact test: answers that were not JSON, or never came."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from .fuzz_inputs import KEY, KNOWN_IDS, WITH_KEY, WITH_TOKEN, RawRequest
from .fuzzing import Target, check_answer, running_target

TASK_RULE = "send a task object (task_id, task_type, status and its fields), optionally with a timeline"
FAULTS_RULE = 'send {"seed": <integer>, "faults": [<fault>, ...]} as schemas/mock/faults.json describes'


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    """A mock with its control API on, as the fuzz tests run it."""
    with running_target() as running:
        yield running


@pytest.mark.parametrize(
    "raw", [b'{"task_ids": [NaN, "b"]}', b'{"task_ids": [-Infinity, "b"]}', b'{"task_ids": [1e999]}']
)
def test_the_journal_shows_a_body_with_no_json_number_as_its_text(target: Target, raw: bytes) -> None:
    # Found by the fuzzing: the journal decoded these to NaN or infinity, then answered with
    # NaN or Infinity, which no JSON parser reads.
    target.journal.clear()
    target.exchange(RawRequest(b"POST", b"/fetch-many", WITH_KEY, raw).encode())
    answer = target.exchange(RawRequest(b"GET", b"/__mock__/journal", WITH_TOKEN).encode())
    (entry,) = check_answer(answer, "/__mock__/journal")["requests"]
    assert (entry["json"], entry["body"]) == (None, raw.decode())


def test_a_trailing_slash_is_an_unknown_path_answered_in_json(target: Target) -> None:
    # Found by the fuzzing: Starlette answered with a bodiless 307 to a Location built from the Host header.
    answer = target.exchange(RawRequest(b"POST", b"/fetch-many/", WITH_KEY, b"{}").encode())
    assert (answer.status, check_answer(answer, "/fetch-many/")) == (
        404,
        {
            "errors": [
                {
                    "msg": "No route for POST /fetch-many/: unknown path. The mock serves POST /fetch-many, "
                    "POST /fetch, GET /account, GET /openapi.json, "
                    "and the submit endpoints such as POST /imagine that /openapi.json lists."
                }
            ]
        },
    )


@pytest.mark.parametrize(
    "upgrade",
    [
        ((b"Connection", b"Upgrade"), (b"Upgrade", b"websocket"), (b"Sec-WebSocket-Key", b"dGhlIHNhbXBsZSBub25jZQ==")),
        ((b"Connection", b"Upgrade"), (b"Upgrade", b"websocket")),
    ],
    ids=["handshake", "handshake-without-key"],
)
def test_a_websocket_upgrade_is_answered_as_plain_http(
    target: Target, upgrade: tuple[tuple[bytes, bytes], ...]
) -> None:
    # Found by the fuzzing: uvicorn answered the handshake itself, in plain text (403, or 400 without its key).
    answer = target.exchange(RawRequest(b"GET", b"/account", ((b"Authorization", KEY), *upgrade)).encode())
    assert (answer.status, check_answer(answer, "/account")) == (200, target.state.store.account)


def test_a_websocket_upgrade_with_a_body_is_answered(target: Target) -> None:
    # Found by the fuzzing: uvicorn never answered this one. The server stops reading at an Upgrade,
    # so the body goes unread and the mock refuses the request as empty, in JSON, at once.
    upgrade = ((b"Authorization", KEY), (b"Connection", b"Upgrade"), (b"Upgrade", b"websocket"))
    body = json.dumps({"task_ids": list(KNOWN_IDS[:2])}).encode()
    answer = target.exchange(RawRequest(b"POST", b"/fetch-many", upgrade, body).encode())
    assert answer.status == 400
    assert check_answer(answer, "/fetch-many")["errors"][0]["msg"].startswith("The request body is empty")


# Each body holds one number past the largest float, in a place the control API would keep it.
OVERSIZED = [
    (b"POST", b"/__mock__/tasks", b'{"task_id": "t", "task_type": "imagine", "status": "staged", "x": 1e999}'),
    (b"PATCH", b"/__mock__/tasks/" + KNOWN_IDS[0].encode(), b'{"timeline": {"every": 1E400, "steps": []}}'),
    (b"PUT", b"/__mock__/faults", b'{"seed": 1, "faults": [{"kind": "latency", "ms": -1e999}]}'),
]


@pytest.mark.parametrize(
    ("sent", "number", "rule"),
    list(zip(OVERSIZED, ["1e999", "1E400", "-1e999"], [TASK_RULE, TASK_RULE, FAULTS_RULE], strict=True)),
    ids=["task", "timeline", "faults"],
)
def test_the_control_api_refuses_a_number_past_the_largest_float(
    target: Target, sent: tuple[bytes, bytes, bytes], number: str, rule: str
) -> None:
    # Found by the fuzzing: such a number was read as infinity, kept, and then answered as Infinity,
    # which no JSON parser reads, by the control API and by /fetch and /fetch-many of that task.
    method, path, body = sent
    answer = target.exchange(RawRequest(method, path, WITH_TOKEN, body).encode())
    problem = f"The request body is not usable JSON ({number} is past the largest number JSON can carry)"
    assert (answer.status, check_answer(answer, path.decode())) == (
        400,
        {"errors": [{"msg": f"{problem}: send a JSON object; {rule}."}]},
    )
    assert not target.state.store.faults


@pytest.mark.parametrize("path", [b"/imagine", b"/describe", b"/ideogram-imagine"])
def test_a_lone_surrogate_in_a_submission_is_a_string_like_any_other(target: Target, path: bytes) -> None:
    # Found by the fuzzing: jsonschema-rs cannot take a lone surrogate (a JSON "\udfff"), and the mock answered 500.
    body = b'{"prompt": "\\udfff", "image_url": "\\udfff"}'
    answer = target.exchange(RawRequest(b"POST", path, WITH_KEY, body).encode())
    decoded = check_answer(answer, path.decode())
    assert answer.status == 200, decoded
