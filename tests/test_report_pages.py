"""`contract --html-report` and `diff --html-report`: one self-contained page each, read as written and in a browser."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from contract_tests.pages import diff_page as diff_page_of
from contract_tests.pages.markup import Html, element, prose
from contract_tests.rules import RULES_BY_ID
from contract_tests.rules_v1 import V1_RULES
from mockserver import MockState, ServerThread, create_app, load_fixtures
from mockserver.cli import main
from tests.contract.changes import on_status
from tests.contract.suite import run_suite
from tests.contract.wrapper import Reply, Seen, Wrapped

from .browser import screenshot_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CANARY = "canary-key-for-pages-5e1d"
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
KNOWN = ",".join(task["task_id"] for task in load_fixtures().tasks[:4])


def hostile_401(seen: Seen, reply: Reply) -> Reply:
    """Refuse a key with a body that would run if a page put it in as markup."""
    return reply.with_json({"message": HOSTILE})


@pytest.fixture(scope="module")
def drifted_url() -> Iterator[str]:
    state = MockState.from_fixtures(api_key=CANARY)
    with ServerThread(Wrapped(create_app(state), after=on_status(401, hostile_401))) as server:
        yield server.url


@pytest.fixture(scope="module")
def contract_page(drifted_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("contract")
    page = folder / "contract.html"
    run = run_suite(drifted_url, folder, "--html-report", str(page), key=CANARY, known=KNOWN)
    assert run.status == 1, run.output
    return page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def diff_page(drifted_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    page = tmp_path_factory.mktemp("diff") / "diff.html"
    args = [
        "diff",
        "--base-url",
        drifted_url,
        "--api-key",
        CANARY,
        "--task-ids",
        KNOWN,
        "--seed",
        "7",
        "--examples",
        "2",
    ]
    assert main([*args, "--html-report", str(page)]) == 1
    return page.read_text(encoding="utf-8")


def test_data_put_into_an_element_is_escaped_and_markup_built_here_is_not() -> None:
    inner = element("b", "x")
    assert element("p", HOSTILE, inner, None, class_='a"b') == Html(
        '<p class="a&quot;b">&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;&lt;img src=x '
        "onerror=&quot;document.title=&#x27;pwned&#x27;&quot;&gt;<b>x</b></p>"
    )


@pytest.mark.parametrize("which", ["contract", "diff"])
def test_a_page_names_the_drifted_rule_with_its_evidence_request_and_answer(
    which: str, request: pytest.FixtureRequest
) -> None:
    page: str = request.getfixturevalue(f"{which}_page")
    assert re.search(r'<tr class="(drifted|drift)" id="rule-AUTH-401">', page)
    assert '<span class="badge documented">documented</span>' in page
    assert prose(RULES_BY_ID["AUTH-401"].evidence) in page
    assert "curl -sS -i -X " in page
    assert "&lt;script&gt;document.title" in page


def test_a_rules_backticks_are_code_and_the_rest_is_escaped() -> None:
    assert prose('send `{"task_ids": [...]}` or <b>') == Html(
        "send <code>{&quot;task_ids&quot;: [...]}</code> or &lt;b&gt;"
    )


@pytest.mark.parametrize("which", ["contract", "diff"])
def test_no_raw_backtick_shows_outside_the_requests_and_answers(which: str, request: pytest.FixtureRequest) -> None:
    page: str = request.getfixturevalue(f"{which}_page")
    text = re.sub(r"<pre\b.*?</pre>", "", page, flags=re.DOTALL)
    assert "`" not in text
    assert "<code>Authorization" in page


@pytest.mark.parametrize(("which", "replay"), [("contract", "--hypothesis-seed="), ("diff", "--seed 7")])
def test_a_page_gives_the_seed_and_how_to_replay(which: str, replay: str, request: pytest.FixtureRequest) -> None:
    page: str = request.getfixturevalue(f"{which}_page")
    assert re.search(r'<pre class="replay">apiframe-mock \w+ --base-url http://127\.0\.0\.1:\d+ ', page)
    assert replay in page


@pytest.mark.parametrize("which", ["contract", "diff"])
def test_a_page_is_self_contained_and_holds_no_key_and_no_live_markup(
    which: str, request: pytest.FixtureRequest
) -> None:
    page: str = request.getfixturevalue(f"{which}_page")
    assert CANARY not in page
    assert "<script" not in page
    assert not re.search(r"<(img|link|iframe)\b|\bsrc=\"|\bhref=\"", page)
    assert '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;;' in page


@pytest.mark.parametrize("which", ["contract", "diff"])
def test_in_a_browser_the_page_loads_nothing_runs_nothing_and_colours_the_verdicts(
    which: str, request: pytest.FixtureRequest, browser: Browser, tmp_path: Path
) -> None:
    page: str = request.getfixturevalue(f"{which}_page")
    opened = _open(browser, page, tmp_path / f"{which}.html")
    try:
        drifted = opened.locator("#rule-AUTH-401 td.verdict")
        assert drifted.evaluate("cell => getComputedStyle(cell).color") == "rgb(179, 38, 30)"
        assert "pwned" not in opened.title()
        assert json.dumps(HOSTILE) in opened.locator("pre.answer").first.inner_text()
        held = opened.locator("tr.held, tr.same").first.locator("td.verdict")
        assert held.evaluate("cell => getComputedStyle(cell).color") == "rgb(31, 122, 61)"
    finally:
        opened.close()


@pytest.mark.parametrize("which", ["contract", "diff"])
def test_a_rule_id_never_wraps_at_its_hyphens_in_a_narrow_window(
    which: str, request: pytest.FixtureRequest, browser: Browser, tmp_path: Path
) -> None:
    page: str = request.getfixturevalue(f"{which}_page")
    opened = _open(browser, page, tmp_path / f"{which}.html", width=420)
    try:
        ids = opened.locator("#verdicts code.rule-id")
        assert ids.count() == len(V1_RULES)  # the runs of these pages are of v1
        lines = ids.evaluate_all("codes => codes.map(code => code.getClientRects().length)")
    finally:
        opened.close()
    assert set(lines) == {1}


def test_screenshot_of_a_drift_report(contract_page: str, browser: Browser, tmp_path: Path) -> None:
    opened = _open(browser, contract_page, tmp_path / "contract.html", width=1100)
    shot = screenshot_path(tmp_path, "drift-report.png")
    try:
        opened.screenshot(path=str(shot))
    finally:
        opened.close()
    assert shot.stat().st_size > 10_000


def _open(browser: Browser, page: str, path: Path, width: int = 1200) -> Page:
    """Open the `page` written at `path`, failing if it asks for anything beyond its own file or runs a dialog."""
    path.write_text(page, encoding="utf-8")
    opened = browser.new_page(viewport={"width": width, "height": 800})
    asked: list[str] = []
    opened.on("request", lambda sent: asked.append(sent.url))
    opened.on("dialog", lambda dialog: pytest.fail(f"the page opened a dialog: {dialog.message}"))
    opened.goto(path.as_uri())
    assert asked == [path.as_uri()]
    return opened


def _escaped(text: str) -> str:
    return str(element("x", text)).removeprefix("<x>").removesuffix("</x>")


def test_a_diff_without_differences_says_no_drift_and_every_rule_answered_the_same() -> None:
    report = {
        "target": "http://127.0.0.1:9",
        "seed": 3,
        "complete": True,
        "cases_run": 140,
        "cases_left": [],
        "stopped": "",
        "tasks_loaded": 5,
        "ids_missing": [],
        "live_requests": 142,
        "seconds": 0.5,
        "differences": [],
    }
    page = diff_page_of(report)
    assert "<h1>apiframe-mock diff: no drift</h1>" in page
    assert page.count('<td class="verdict same">same</td>') == len(V1_RULES)
    assert "apiframe-mock diff: incomplete, no drift so far" in diff_page_of({**report, "complete": False})


def test_the_contract_page_names_each_rules_api(contract_page: str) -> None:
    """Given a run of v1, then each rule's row names its API version."""
    assert contract_page.count("<td>v1</td>") == len(V1_RULES)
