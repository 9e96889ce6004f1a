"""`apiframe-mock proxy` between the official clients and a stand-in for production: transparent, and judging.

Given production faithful, moving or flaky, the clients' traffic through the proxy shows no drift; given
production drifted on one rule, that rule and no other is flagged. The upstream counts exactly the
requests the clients sent, and the answers come back byte for byte.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from apiframe import Apiframe
from apiframe.exceptions import ApiframeError
from apiframe_python import ApiframeClient

from contract_tests.exchange import Exchange
from contract_tests.proxy import Proxy, RelayServer, Watch
from contract_tests.proxy.record import Recorder
from contract_tests.proxy.verdicts import results, write_reports
from contract_tests.proxy.watch import Findings
from mockserver import DEFAULT_API_KEY, ServerThread, load_fixtures
from mockserver.wording import counted

from .proxy_upstream import DRIFTS, Production

FIXTURE_IDS = [task["task_id"] for task in load_fixtures().tasks]
ONE_ID = f"the app sent {counted(1, 'id')} to /fetch-many; it takes 2 to 20"
TAKEN_DOWN_WITH = {"CONTENT-TYPE": {"ERROR-SHAPE"}}
"""A drift that also breaks another rule, in the same answer: a 400 that is no JSON has no error shape either."""


@pytest.fixture(scope="module")
def production() -> Iterator[tuple[Production, str]]:
    stand_in = Production()
    with ServerThread(stand_in) as server:
        yield stand_in, server.url


@pytest.fixture(scope="module")
def proxy_server(production: tuple[Production, str]) -> Iterator[tuple[Proxy, str]]:
    proxy = Proxy(production[1], Watch())
    with ServerThread(RelayServer(proxy)) as server:
        yield proxy, server.url


@pytest.fixture
def proxy(proxy_server: tuple[Proxy, str], production: tuple[Production, str]) -> Iterator[tuple[Proxy, str]]:
    """The proxy with a fresh watch, in front of production as it is."""
    stand_in = production[0]
    proxy_server[0].watch = Watch()
    stand_in.requests = 0
    yield proxy_server
    proxy_server[0].quiet_headers = proxy_server[0].enforce = False
    proxy_server[0].observer = None
    stand_in.drift, stand_in.strikes, stand_in.long_answer = None, [], None


def attempt(calls: list[Callable[[], object]]) -> int:
    """Make each call as an app would, a drifted answer's error included; return how many requests were sent."""
    for call in calls:
        with contextlib.suppress(ApiframeError, ValueError, requests.RequestException):
            call()
    return len(calls)


def legacy_flow(url: str, ids: list[str]) -> int:
    """The PyPI `apiframe` client: poll two tasks, one eight times, the account, a bad request, a wrong key, imagine."""
    client, wrong = ApiframeClient(DEFAULT_API_KEY), ApiframeClient("wrong-key")
    client.base_url = wrong.base_url = url
    calls: list[Callable[[], object]] = [lambda: client.fetch_many(ids[:2]), lambda: client.fetch_many(FIXTURE_IDS[:3])]
    calls += [lambda: client.fetch(ids[0])] * 8
    calls += [client.account, lambda: client.fetch_many(ids[:1]), lambda: wrong.fetch_many(ids[:2])]
    calls += [lambda: client.imagine("a lighthouse at dusk")]
    return attempt(calls)


def sdk_flow(url: str, ids: list[str]) -> int:
    """The PyPI `apiframe-sdk` client: the same polling through its `tasks` service."""
    with Apiframe(api_key=DEFAULT_API_KEY, base_url=url) as client, Apiframe(api_key="wrong", base_url=url) as wrong:
        calls: list[Callable[[], object]] = [lambda: client.tasks.get_many(ids[1:3])]
        calls += [lambda: client.tasks.get(ids[1])] * 8
        calls += [client.tasks.get_account_info, lambda: wrong.tasks.get_many(ids[:2])]
        calls += [lambda: client.midjourney.imagine({"prompt": "a lighthouse at dusk"})]
        return attempt(calls)


def both_flows(url: str, ids: list[str]) -> int:
    return legacy_flow(url, ids) + sdk_flow(url, ids)


def test_faithful_and_moving_production_shows_no_drift(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    stand_in = production[0]
    sent = both_flows(proxy[1], stand_in.forward)
    watch = proxy[0].watch
    assert (watch.breaches, watch.flakes, watch.not_covered) == ({}, [], {})
    assert [note.reason for note in watch.app_problems] == [ONE_ID]
    assert stand_in.requests == watch.exchanges == sent == 26
    assert {"TASK-FORWARD", "TASK-SCHEMA", "OK-SHAPE", "ACCOUNT", "AUTH-401", "ERROR-SHAPE"} <= watch.checked
    assert results(watch, "upstream").exit_status == 0


@pytest.mark.parametrize("rule", [*DRIFTS, "TASK-FORWARD"])
def test_each_drift_the_traffic_shows_is_flagged_alone(
    proxy: tuple[Proxy, str], production: tuple[Production, str], rule: str
) -> None:
    stand_in = production[0]
    stand_in.drift = None if rule == "TASK-FORWARD" else rule
    sent = both_flows(proxy[1], stand_in.backward if rule == "TASK-FORWARD" else stand_in.forward)
    watch = proxy[0].watch
    assert set(watch.breaches) == {rule, *TAKEN_DOWN_WITH.get(rule, ())}
    assert stand_in.requests == watch.exchanges == sent
    assert results(watch, "upstream").exit_status == 1


def test_a_429_and_a_5xx_that_does_not_repeat_are_flakes_not_drift(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    stand_in = production[0]
    stand_in.strikes = [503, 429]
    sent = both_flows(proxy[1], stand_in.forward)
    watch = proxy[0].watch
    assert watch.breaches == {}
    assert [note.reason for note in watch.flakes] == [
        "the upstream answered 503 once; the same request again would tell a flake from drift",
        "the upstream answered 429 (rate limited)",
    ]
    assert stand_in.requests == watch.exchanges == sent
    assert results(watch, "upstream").exit_status == 7


def test_the_drift_header_names_the_rules_unless_quiet_and_enforce_answers_502(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    production[0].drift = "ACCOUNT"
    headers = {"Authorization": DEFAULT_API_KEY}
    drifted = httpx.get(proxy[1] + "/account", headers=headers)
    assert (drifted.status_code, drifted.headers["x-apiframe-mock-drift"]) == (200, "ACCOUNT")
    assert "credits" not in drifted.json()
    proxy[0].quiet_headers = True
    assert "x-apiframe-mock-drift" not in httpx.get(proxy[1] + "/account", headers=headers).headers
    proxy[0].enforce = True
    refused = httpx.get(proxy[1] + "/account", headers=headers)
    assert refused.status_code == 502
    assert refused.json() == {"errors": [{"msg": "the upstream's answer drifted from the contract: ACCOUNT"}]}
    assert production[0].requests == 3


def raw_requests() -> list[tuple[str, str, dict[str, str], bytes]]:
    """Ordinary and hostile requests, each sent as exact bytes."""
    key = {"Authorization": DEFAULT_API_KEY, "Content-Type": "application/json"}
    return [
        ("POST", "/fetch-many", key, json.dumps({"task_ids": FIXTURE_IDS[:4]}).encode()),
        ("POST", "/fetch", key, json.dumps({"task_id": FIXTURE_IDS[0]}).encode()),
        ("GET", "/account?verbose=1&x=%00", key, b""),
        ("POST", "/fetch-many", key, b"{not json"),
        ("POST", "/fetch-many", key, b"\xff\xfe" * 40_000),
        ("POST", "/fetch-many", key, json.dumps({"task_ids": ["x"] * 21}).encode()),
        ("DELETE", "/fetch", {}, b""),
        ("GET", "/nowhere/%2e%2e/etc", {"X-Odd": "a" * 4000}, b""),
        ("PATCH", "/imagine", {"Authorization": "Bearer " + DEFAULT_API_KEY}, b"[]"),
    ]


def test_answers_come_back_byte_for_byte_and_hostile_requests_get_the_upstreams_answer(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    for method, path, headers, body in raw_requests():
        straight = httpx.request(method, production[1] + path, headers=headers, content=body)
        through = httpx.request(method, proxy[1] + path, headers=headers, content=body)
        assert (through.status_code, through.content) == (straight.status_code, straight.content), path
        assert [h for h in through.headers.raw if h[0] != b"date"] == [
            h for h in straight.headers.raw if h[0] != b"date"
        ]
    assert production[0].requests == 2 * len(raw_requests())
    assert proxy[0].watch.exchanges == len(raw_requests())


def test_a_body_sent_in_chunks_and_a_head_get_what_they_get_straight(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    body = json.dumps({"task_ids": FIXTURE_IDS[:3]}).encode()
    key = {"Authorization": DEFAULT_API_KEY}
    answers = []
    for url in (production[1], proxy[1]):
        chunked = httpx.post(url + "/fetch-many", headers=key, content=iter([body[:7], body[7:20], body[20:]]))
        head = httpx.head(url + "/account", headers=key)
        answers.append((chunked.status_code, chunked.content, head.status_code, head.headers["content-length"]))
    assert answers[0] == answers[1]
    assert answers[1][:1] == (200,)
    assert proxy[0].watch.exchanges == 2


def test_an_answer_too_long_to_judge_is_streamed_on_unjudged(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    long = json.dumps({"tasks": [], "padding": "x" * (3 << 20)}).encode()
    production[0].long_answer = long
    answer = httpx.post(proxy[1] + "/fetch-many", headers={"Authorization": DEFAULT_API_KEY}, content=b"x" * (1 << 20))
    assert (answer.status_code, answer.content, answer.headers["content-length"]) == (200, long, str(len(long)))
    assert "x-apiframe-mock-drift" not in answer.headers
    assert (proxy[0].watch.exchanges, proxy[0].watch.too_long) == (0, 1)


class BrokenWatch(Watch):
    """A judge with a bug in it."""

    def judge(self, exchange: Exchange, key: str = "") -> Findings:
        raise RuntimeError("a bug in the judge")


def test_a_fault_of_the_judge_never_costs_the_app_its_answer(
    proxy: tuple[Proxy, str], production: tuple[Production, str], capfd: pytest.CaptureFixture[str]
) -> None:
    proxy[0].watch = BrokenWatch()
    answer = httpx.get(proxy[1] + "/account", headers={"Authorization": DEFAULT_API_KEY})
    assert (answer.status_code, answer.json()["credits"]) == (200, 1250)
    assert proxy[0].watch.counts == {"judge error": 1}
    assert capfd.readouterr().err == (
        "apiframe-mock proxy: could not judge GET /account: RuntimeError: a bug in the judge\n"
    )


def test_the_clients_get_the_same_answers_through_the_proxy(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    answers: list[list[Any]] = []
    for url in (production[1], proxy[1]):
        client = ApiframeClient(DEFAULT_API_KEY)
        client.base_url = url
        with Apiframe(api_key=DEFAULT_API_KEY, base_url=url) as sdk:
            answers.append([client.fetch_many(FIXTURE_IDS[:5]), client.account(), sdk.tasks.get(FIXTURE_IDS[0])])
    assert answers[0] == answers[1]


def test_an_upstream_that_gives_no_answer_gets_a_502_in_the_mocks_shape(proxy: tuple[Proxy, str]) -> None:
    upstream = proxy[0].upstream
    proxy[0].upstream = "http://127.0.0.1:9"
    try:
        answer = httpx.get(proxy[1] + "/account", headers={"Authorization": DEFAULT_API_KEY})
    finally:
        proxy[0].upstream = upstream
    assert answer.status_code == 502
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {
        "errors": [
            {
                "msg": "the upstream http://127.0.0.1:9 gave no answer (cannot connect to 127.0.0.1:9: "
                "Connection refused): is it up, and is --upstream right?"
            }
        ]
    }
    assert [note.reason.split(":")[0] for note in proxy[0].watch.flakes] == ["no answer from the upstream"]


def test_the_key_and_the_webhook_secret_are_in_nothing_written(proxy: tuple[Proxy, str], tmp_path: Path) -> None:
    recorder = Recorder.open(tmp_path / "traffic.ndjson")
    proxy[0].observer = recorder.write
    secret = "s3cret-hook-value"
    both_flows(proxy[1], FIXTURE_IDS)
    body = {"prompt": "a lighthouse", "webhook_url": "http://127.0.0.1:9/hook", "webhook_secret": secret}
    httpx.post(proxy[1] + "/imagine", headers={"Authorization": DEFAULT_API_KEY}, json=body)
    recorder.close()
    paths = {kind: tmp_path / f"report.{kind}" for kind in ("summary", "json", "html", "junit")}
    written = write_reports(results(proxy[0].watch, "upstream"), proxy[0].watch, dict(paths))
    assert written == list(paths.values())
    (problem,) = json.loads(paths["json"].read_text(encoding="utf-8"))["app_problems"]
    assert problem["reason"] == ONE_ID
    assert '-H "authorization: ${APIFRAME_API_KEY}"' in problem["curl"]
    assert problem["curl"].endswith(f'--data-binary \'{{"task_ids": ["{FIXTURE_IDS[0]}"]}}\'')
    for path in [*written, tmp_path / "traffic.ndjson"]:
        text = path.read_text(encoding="utf-8")
        assert DEFAULT_API_KEY not in text, path.name
        assert secret not in text, path.name
    lines = (tmp_path / "traffic.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == proxy[0].watch.exchanges == 27
    assert '"$APIFRAME_API_KEY"' in lines[0]
    assert '\\"webhook_secret\\": \\"<redacted>\\"' in lines[-1]
