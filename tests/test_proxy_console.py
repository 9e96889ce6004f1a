"""The proxy's own routes under /__mock__/, never forwarded: its journal of exchanges and findings, and the dashboard.

Given production drifted on ACCOUNT, an app's GET /account through the proxy shows in the journal with
the rule, where CONTRACT.md has it from, and the exchange as curl; the key nowhere. The journal asks
for the control token as the mock's control API does, and the mock's dashboard shows the drift.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from contract_tests.proxy import Proxy, RelayServer, Watch
from contract_tests.proxy.journal import ExchangeJournal
from mockserver import DEFAULT_API_KEY, ServerThread
from mockserver.dashboard import UI_PATH

from .browser import playwright_api
from .conftest import CONTROL, TOKEN
from .proxy_upstream import Production

if TYPE_CHECKING:
    from playwright.sync_api import Browser

expect = playwright_api().expect

AT = 1_767_225_600.0
APP = {"Authorization": DEFAULT_API_KEY, "User-Agent": "app/1.0", "Accept": "*/*", "Accept-Encoding": "identity"}
REASON = "the account: (top level): 'credits' is a required property"


@pytest.fixture(scope="module")
def production() -> Iterator[tuple[Production, str]]:
    stand_in = Production()
    stand_in.drift = "ACCOUNT"
    with ServerThread(stand_in) as server:
        yield stand_in, server.url


@pytest.fixture(scope="module")
def proxy(production: tuple[Production, str]) -> Iterator[tuple[Proxy, str]]:
    """The proxy in front of production drifted on ACCOUNT, its journal's clock stopped at `AT`."""
    proxy = Proxy(production[1], Watch(), control_token=TOKEN, journal=ExchangeJournal(lambda: AT))
    with ServerThread(RelayServer(proxy)) as server:
        httpx.get(server.url + "/account", headers=APP)
        yield proxy, server.url


def test_the_journal_lists_each_exchange_with_its_findings_and_never_the_key(proxy: tuple[Proxy, str]) -> None:
    answer = httpx.get(proxy[1] + "/__mock__/journal", headers=CONTROL)
    assert answer.status_code == 200
    curl = (
        f'curl -sS -i -X GET {proxy[0].upstream}/account -H "authorization: ${{APIFRAME_API_KEY}}" '
        "-H 'user-agent: app/1.0' -H 'accept: */*' -H 'accept-encoding: identity'"
    )
    assert answer.json() == {
        "requests": [
            {
                "seq": 1,
                "method": "GET",
                "path": "/account",
                "status": 200,
                "at": AT,
                "headers": {
                    "authorization": "$APIFRAME_API_KEY",
                    "user-agent": "app/1.0",
                    "accept": "*/*",
                    "accept-encoding": "identity",
                },
                "json": None,
                "body": "",
                "findings": [
                    {"kind": "drift", "rule": "ACCOUNT", "source": "documented", "reason": REASON, "curl": curl}
                ],
            }
        ],
        "dropped": 0,
    }
    assert DEFAULT_API_KEY not in answer.text


def test_the_journal_asks_for_the_control_token_and_its_prefix_is_never_forwarded(
    proxy: tuple[Proxy, str], production: tuple[Production, str]
) -> None:
    before = production[0].requests
    assert (
        httpx.get(proxy[1] + "/__mock__/journal").status_code,
        httpx.get(proxy[1] + "/__mock__/journal").json(),
    ) == (
        401,
        {},
    )
    wrong = httpx.get(proxy[1] + "/__mock__/journal", headers={"Authorization": "Bearer not-the-token"})
    assert (wrong.status_code, wrong.json()) == (401, {})
    elsewhere = httpx.get(proxy[1] + "/__mock__/choices", headers=CONTROL)
    assert (elsewhere.status_code, elsewhere.json()) == (
        404,
        {
            "errors": [
                {
                    "msg": "the proxy serves no GET /__mock__/choices; under /__mock__ it serves "
                    "GET /__mock__/journal, GET /__mock__/ui"
                }
            ]
        },
    )
    refused = httpx.get(proxy[1] + "/__mock__/journal?last=x", headers=CONTROL)
    assert (refused.status_code, refused.json()) == (
        400,
        {"errors": [{"msg": "last is 'x': give a whole number of the newest entries to list."}]},
    )
    assert httpx.get(proxy[1] + UI_PATH).status_code == 200
    assert production[0].requests == before


def test_a_v2_key_is_no_more_in_the_journal_than_a_v1_key(production: tuple[Production, str]) -> None:
    v2_key = "afk_live_0123456789abcdef"
    with ServerThread(RelayServer(Proxy(production[1], Watch(), control_token=TOKEN))) as server:
        httpx.get(server.url + "/v2/me", headers={"X-API-Key": v2_key, "User-Agent": "app/2.0"})
        answer = httpx.get(server.url + "/__mock__/journal", headers=CONTROL)
    (entry,) = answer.json()["requests"]
    assert (entry["path"], entry["headers"]["x-api-key"], entry["findings"]) == ("/v2/me", "$APIFRAME_API_KEY", [])
    assert v2_key not in answer.text


def test_the_dashboard_shows_the_drift_in_the_journal_alone(browser: Browser, proxy: tuple[Proxy, str]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(proxy[1] + UI_PATH)
    page.fill("#token", TOKEN)
    page.click("#login-form button[type=submit]")
    row = page.locator('#journal tr[data-seq="1"]')
    expect(row.locator("td.status")).to_have_text("200 drift ACCOUNT (documented)")
    for hidden in ("#tasks-section", "#faults-section", "#webhooks-section", "#reset"):
        expect(page.locator(hidden)).to_be_hidden()
    row.locator("button").click()
    expect(page.locator("#journal tr.body pre")).to_contain_text(f"drift ACCOUNT (documented): {REASON}\ncurl -sS")
    assert DEFAULT_API_KEY not in page.content()
    context.close()
    assert problems == []


def test_a_last_no_whole_number_is_a_400_and_one_past_every_entry_lists_them_all(proxy: tuple[Proxy, str]) -> None:
    """Given last=² (a digit to Unicode, no number to int), then 400; given 5,000 nines, the whole journal."""
    journal = proxy[1] + "/__mock__/journal"
    refused = httpx.get(journal, params={"last": "²"}, headers=CONTROL)
    assert (refused.status_code, refused.json()) == (
        400,
        {"errors": [{"msg": "last is '²': give a whole number of the newest entries to list."}]},
    )
    whole = httpx.get(journal, headers=CONTROL).json()
    many = httpx.get(journal, params={"last": "9" * 5000}, headers=CONTROL)
    assert (many.status_code, many.json()) == (200, whole)
    newest = httpx.get(journal, params={"last": "0001"}, headers=CONTROL).json()
    assert newest["requests"] == whole["requests"][-1:]
