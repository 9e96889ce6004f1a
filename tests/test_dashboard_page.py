"""The dashboard in headless Chromium against a real mock on 127.0.0.1: what a person sees and clicks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from mockserver import DEFAULT_API_KEY, MockState, ServerThread, create_app, load_fixtures
from mockserver.dashboard import UI_PATH

from .browser import playwright_api, screenshot_path
from .conftest import CONTROL, TOKEN

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Without Playwright the module skips, or fails under CI=true, saying what to install.
expect = playwright_api().expect

APIFRAME = {"Authorization": DEFAULT_API_KEY}
FIXTURES = len(load_fixtures().tasks)
PROCESSING_IMAGINE = "00eedec8-8ab4-5d86-aa90-88df900cb233"
FINISHED_SEED = "0d2744fe-0b10-5385-85eb-225348b200a4"
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
LIVE_S = 2
"""How soon what happens to the mock must show on the page."""


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with ServerThread(create_app(MockState.from_fixtures(), control_token=TOKEN)) as server:
        yield server.url


@pytest.fixture
def page(browser: Browser, mock_url: str) -> Iterator[Page]:
    """A fresh tab on the dashboard, not yet given the token; the mock is reset afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("dialog", lambda dialog: problems.append(f"a dialog: {dialog.message}"))
    opened.goto(mock_url + UI_PATH)
    yield opened
    context.close()
    httpx.post(mock_url + "/__mock__/reset", headers=CONTROL)
    assert problems == []


def sign_in(page: Page, token: str = TOKEN) -> None:
    page.fill("#token", token)
    page.click("#login-form button[type=submit]")


def signed_in(page: Page) -> Page:
    sign_in(page)
    expect(page.locator("#task-count")).to_have_text(f"{FIXTURES} of {FIXTURES}")
    return page


def task_row(page: Page, task_id: str) -> str:
    return f'#tasks tr[data-task-id="{task_id}"]'


def test_the_page_asks_for_the_token_and_refuses_a_wrong_one(page: Page) -> None:
    expect(page.locator("#login")).to_be_visible()
    expect(page.locator("#board")).to_be_hidden()
    sign_in(page, "not-the-token")
    expect(page.locator("#login-error")).to_have_text("401 {}: the control API refused this token")
    expect(page.locator("#board")).to_be_hidden()
    assert page.evaluate("() => sessionStorage.length") == 0


def test_the_token_stays_in_the_tab_never_in_a_url_a_cookie_or_the_page(page: Page) -> None:
    signed_in(page)
    assert page.evaluate("() => Object.values(sessionStorage)") == [TOKEN]
    assert page.context.cookies() == []
    assert TOKEN not in page.url
    assert TOKEN not in page.content()


def test_it_shows_the_fixture_tasks_with_their_type_status_and_origin(page: Page) -> None:
    signed_in(page)
    row = page.locator(task_row(page, PROCESSING_IMAGINE))
    expect(row.locator("td")).to_have_text(
        [PROCESSING_IMAGINE, "imagine", "processing", "40", "", "fixture", "Next stepFinishFailDelete"]
    )


def test_a_request_sent_from_outside_shows_in_the_journal_within_two_seconds(page: Page, mock_url: str) -> None:
    signed_in(page)
    httpx.post(mock_url + "/fetch", json={"task_id": FINISHED_SEED}, headers=APIFRAME)
    row = page.locator("#journal tbody tr").first
    expect(row.locator("td").nth(3)).to_have_text("/fetch", timeout=LIVE_S * 1000)
    expect(row.locator("td").nth(4)).to_have_text("200")


def test_a_click_advances_a_task_and_shows_its_new_status(page: Page) -> None:
    signed_in(page)
    row = page.locator(task_row(page, PROCESSING_IMAGINE))
    row.get_by_role("button", name="Next step").click()
    expect(row.locator("td.status")).to_have_text("finished", timeout=LIVE_S * 1000)


def test_a_submitted_task_shows_its_step_and_finishes_on_a_click(page: Page, mock_url: str) -> None:
    signed_in(page)
    task_id = httpx.post(mock_url + "/imagine", json={"prompt": "a lighthouse"}, headers=APIFRAME).json()["task_id"]
    row = page.locator(task_row(page, task_id))
    expect(row.locator("td.origin")).to_have_text("submitted", timeout=LIVE_S * 1000)
    expect(row.locator("td.step")).to_have_text("1 / 5")
    row.get_by_role("button", name="Finish").click()
    expect(row.locator("td.status")).to_have_text("finished")
    expect(row.locator("td.step")).to_have_text("5 / 5")


def test_a_v2_job_shows_beside_the_tasks_with_its_model(page: Page, mock_url: str) -> None:
    signed_in(page)
    body = {"model": "flux-1.1-pro", "prompt": "a lighthouse"}
    job_id = httpx.post(mock_url + "/v2/images/generate", json=body, headers={"X-API-Key": DEFAULT_API_KEY}).json()[
        "jobId"
    ]
    row = page.locator(task_row(page, job_id))
    expect(row.locator("td.type")).to_have_text("flux-1.1-pro (v2 job)", timeout=LIVE_S * 1000)
    expect(row.locator("td.origin")).to_have_text("submitted")
    row.get_by_role("button", name="Finish").click()
    expect(row.locator("td.status")).to_have_text("finished")


def test_fail_delete_and_add_act_through_the_control_api(page: Page) -> None:
    signed_in(page)
    row = page.locator(task_row(page, PROCESSING_IMAGINE))
    row.get_by_role("button", name="Fail").click()
    expect(row.locator("td.status")).to_have_text("failed")
    row.get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
    page.select_option("#add-type", "seed")
    page.select_option("#add-status", "processing")
    page.click("#add-task-form button[type=submit]")
    added = page.locator("#tasks tr", has=page.locator("td.origin", has_text="added"))
    expect(added.locator("td").nth(1)).to_have_text("seed")
    expect(added.locator("td.status")).to_have_text("processing")


def test_a_finished_task_offers_no_next_step_and_a_failed_one_no_fail(page: Page) -> None:
    signed_in(page)
    finished = page.locator(task_row(page, FINISHED_SEED))
    for name in ("Next step", "Finish"):
        expect(finished.get_by_role("button", name=name)).to_be_disabled()
        expect(finished.get_by_role("button", name=name)).to_have_attribute(
            "title", "finished: the end of its lifecycle, no next step"
        )
    expect(finished.get_by_role("button", name="Fail")).to_be_enabled()
    running = page.locator(task_row(page, PROCESSING_IMAGINE))
    expect(running.get_by_role("button", name="Next step")).to_be_enabled()
    running.get_by_role("button", name="Fail").click()
    expect(running.get_by_role("button", name="Fail")).to_be_disabled()
    expect(running.get_by_role("button", name="Next step")).to_be_disabled()
    expect(running.get_by_role("button", name="Delete")).to_be_enabled()


def test_an_action_the_control_api_refuses_shows_its_own_words_naming_the_one_fault_set(page: Page) -> None:
    signed_in(page)
    for options in ('{"status": 503}', '{"status": 200}'):
        page.select_option("#fault-route", "fetch")
        page.select_option("#fault-kind", "error")
        page.fill("#fault-options", options)
        page.click("#fault-form button[type=submit]")
    expect(page.locator("#action-error")).to_have_text(
        "400: faults are not valid: the new fault: status: 200 is less than the minimum of 500; "
        'send {"seed": <integer>, "faults": [<fault>, ...]} as schemas/mock/faults.json describes.'
    )
    expect(page.locator("#faults td.left")).to_have_text(["every call"])


def test_new_tasks_show_first_and_the_sort_can_be_chosen(page: Page, mock_url: str) -> None:
    signed_in(page)
    added = httpx.post(mock_url + "/__mock__/add-task", json={"task_type": "seed"}, headers=CONTROL).json()["task"]
    first = page.locator("#tasks tbody tr").first
    expect(first).to_have_attribute("data-task-id", added["task_id"], timeout=LIVE_S * 1000)
    expect(page.locator("#sort-tasks")).to_have_value("newest")
    page.select_option("#sort-tasks", "type")
    types = page.locator("#tasks tbody tr td:nth-child(2)")
    expect(types.first).to_have_text(min(types.all_inner_texts()))
    assert types.all_inner_texts() == sorted(types.all_inner_texts())
    page.select_option("#sort-tasks", "oldest")
    expect(page.locator("#tasks tbody tr").last).to_have_attribute("data-task-id", added["task_id"])


def test_filters_keep_the_tasks_of_a_status_and_type_and_the_requests_of_a_path(page: Page, mock_url: str) -> None:
    signed_in(page)
    page.select_option("#filter-status", "failed")
    statuses = page.locator("#tasks td.status")
    expect(statuses.first).to_have_text("failed")
    assert set(statuses.all_inner_texts()) == {"failed"}
    page.select_option("#filter-type", "imagine")
    expect(page.locator("#tasks tbody tr")).to_have_count(1)
    httpx.get(mock_url + "/account", headers=APIFRAME)
    httpx.post(mock_url + "/fetch", json={"task_id": FINISHED_SEED}, headers=APIFRAME)
    page.fill("#filter-path", "/acc")
    expect(page.locator("#journal td.path")).to_have_text(["/account"], timeout=LIVE_S * 1000)


def test_a_fault_set_on_the_page_shows_what_is_left_as_it_strikes(page: Page, mock_url: str) -> None:
    signed_in(page)
    page.select_option("#fault-route", "fetch")
    page.select_option("#fault-kind", "error")
    page.fill("#fault-next", "1")
    page.click("#fault-form button[type=submit]")
    left = page.locator("#faults td.left")
    expect(left).to_have_text(["1 more call"])
    struck = httpx.post(mock_url + "/fetch", json={"task_id": FINISHED_SEED}, headers=APIFRAME)
    assert struck.status_code == 500
    expect(left).to_have_text(["0 more calls"], timeout=LIVE_S * 1000)
    expect(page.locator("#journal tbody tr").first.locator("td.status")).to_have_text("500")
    page.click("#clear-faults")
    expect(left).to_have_count(0)


def test_a_hostile_journal_entry_is_shown_as_text_and_stays_inert(page: Page, mock_url: str) -> None:
    signed_in(page)
    headers = {**APIFRAME, "X-Note": HOSTILE}
    httpx.post(mock_url + "/fetch", content=json.dumps({"task_id": HOSTILE}), headers=headers)
    row = page.locator("#journal tbody tr").first
    expect(row.locator("td.status")).to_have_text("400", timeout=LIVE_S * 1000)
    row.get_by_role("button", name="show").click()
    body = page.locator("#journal tr.body pre")
    expect(body).to_contain_text(json.dumps({"task_id": HOSTILE}, indent=2)[2:-2])
    expect(body).to_contain_text(f"x-note: {HOSTILE}")
    expect(body).to_contain_text("authorization: <redacted>")
    assert page.locator("img, #journal script").count() == 0
    assert "pwned" not in page.title()


def test_reset_restores_the_tasks_the_mock_started_with(page: Page) -> None:
    signed_in(page)
    page.locator(task_row(page, PROCESSING_IMAGINE)).get_by_role("button", name="Delete").click()
    expect(page.locator("#task-count")).to_have_text(f"{FIXTURES - 1} of {FIXTURES - 1}")
    page.click("#reset")
    expect(page.locator("#task-count")).to_have_text(f"{FIXTURES} of {FIXTURES}")


def test_forgetting_the_token_asks_for_it_again(page: Page) -> None:
    signed_in(page)
    page.click("#sign-out")
    expect(page.locator("#login")).to_be_visible()
    assert page.evaluate("() => sessionStorage.length") == 0


def test_screenshot_of_the_dashboard(page: Page, mock_url: str, tmp_path: Path) -> None:
    signed_in(page)
    task_id = httpx.post(mock_url + "/imagine", json={"prompt": "a lighthouse"}, headers=APIFRAME).json()["task_id"]
    httpx.post(mock_url + "/fetch-many", json={"task_ids": [task_id, PROCESSING_IMAGINE]}, headers=APIFRAME)
    httpx.put(
        mock_url + "/__mock__/faults",
        json={"faults": [{"route": "fetch", "kind": "error", "next": 2}]},
        headers=CONTROL,
    )
    httpx.post(mock_url + "/fetch", json={"task_id": FINISHED_SEED}, headers=APIFRAME)
    page.select_option("#filter-type", "imagine")
    expect(page.locator("#journal tbody tr")).to_have_count(3, timeout=LIVE_S * 1000)
    shot = screenshot_path(tmp_path, "dashboard.png")
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
