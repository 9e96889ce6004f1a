"""The pytest plugin, as a user's test suite meets it: run with `pytester`, and used directly here."""

from __future__ import annotations

import textwrap

import httpx
import pytest
from apiframe import Apiframe

from mockserver import DEFAULT_API_KEY, ApiframeMock, TaskSpecError
from mockserver.engine.factory import FAILURE_MESSAGE


def write_tests(pytester: pytest.Pytester, source: str, name: str = "test_user") -> None:
    pytester.makepyfile(**{name: textwrap.dedent(source)})


CLIENTS = """
    import pytest
    from apiframe import Apiframe
    from apiframe.exceptions import AuthenticationError
    from apiframe_python import ApiframeClient


    def test_the_apiframe_client(apiframe_mock):
        done = apiframe_mock.add_task("imagine", "finished")
        running = apiframe_mock.add_task("flux-imagine", "processing")
        client = ApiframeClient(apiframe_mock.api_key)
        client.base_url = apiframe_mock.url
        assert client.fetch_many([done["task_id"], running["task_id"]]) == {"tasks": [done, running]}
        assert client.fetch(done["task_id"]) == done
        assert client.account()["plan"] == "pro"
        assert [(r.method, r.path) for r in apiframe_mock.requests] == [
            ("POST", "/fetch-many"), ("POST", "/fetch"), ("GET", "/account")
        ]
        assert apiframe_mock.requests[1].json == {"task_id": done["task_id"]}
        assert apiframe_mock.requests[1].headers["authorization"] == "<redacted>"


    def test_the_apiframe_sdk(apiframe_mock):
        task = apiframe_mock.add_task("kling-video", "processing")
        with Apiframe(api_key=apiframe_mock.api_key, base_url=apiframe_mock.url) as client:
            assert client.tasks.get(task["task_id"])["progress"] == 40
            apiframe_mock.set_status(task["task_id"], "finished")
            many = client.tasks.get_many([task["task_id"], task["task_id"]])
        assert [t["status"] for t in many["tasks"]] == ["completed", "completed"]
        assert many["tasks"][0]["video_url"].endswith(".mp4")
        assert apiframe_mock.requests[0].headers["authorization"] == "Bearer <redacted>"


    def test_the_apiframe_sdk_with_a_wrong_key(apiframe_mock):
        with Apiframe(api_key="wrong", base_url=apiframe_mock.url) as client:
            with pytest.raises(AuthenticationError):
                client.tasks.get_many(["a", "b"])
"""


def test_a_users_tests_pass_with_both_official_clients(pytester: pytest.Pytester) -> None:
    write_tests(pytester, CLIENTS)
    pytester.runpytest("--strict-markers", "-W", "error").assert_outcomes(passed=3)


ISOLATION = """
    import httpx
    import pytest


    def fetch(mock, task_id):
        return httpx.post(mock.url + "/fetch", json={"task_id": task_id}, headers={"Authorization": mock.api_key})


    def test_one_adds_a_task(apiframe_mock):
        apiframe_mock.add_task(task_id="mine")
        assert fetch(apiframe_mock, "mine").status_code == 200


    @pytest.mark.apiframe_mock(api_key="other-key", faults=[{"kind": "error"}])
    def test_two_changes_the_key_and_breaks_everything(apiframe_mock):
        assert fetch(apiframe_mock, "mine").status_code == 500


    def test_three_starts_clean(apiframe_mock):
        assert apiframe_mock.requests == []
        assert fetch(apiframe_mock, "mine").status_code == 400
        assert len(apiframe_mock.requests) == 1
"""


def test_each_test_starts_from_a_clean_mock(pytester: pytest.Pytester) -> None:
    write_tests(pytester, ISOLATION)
    pytester.runpytest().assert_outcomes(passed=3)


XDIST = """
    import os
    from pathlib import Path

    import pytest


    @pytest.mark.parametrize("n", range(8))
    def test_worker(apiframe_mock, n):
        task = apiframe_mock.add_task(task_id=f"t{n}")
        worker = os.environ["PYTEST_XDIST_WORKER"]
        (Path(__file__).parent / "seen" / f"{worker}-{n}.txt").write_text(apiframe_mock.url)
        assert task["task_id"] == f"t{n}"
"""


def test_each_xdist_worker_has_its_own_server(pytester: pytest.Pytester) -> None:
    write_tests(pytester, XDIST)
    (pytester.path / "seen").mkdir()
    pytester.runpytest_subprocess("-n", "2").assert_outcomes(passed=8)
    urls: dict[str, set[str]] = {}
    for path in (pytester.path / "seen").glob("gw*-*.txt"):
        urls.setdefault(path.name.split("-")[0], set()).add(path.read_text())
    assert sorted(urls) == ["gw0", "gw1"]
    assert all(len(seen) == 1 for seen in urls.values())
    assert urls["gw0"] != urls["gw1"]


BAD_CALLS = """
    def test_unknown_type(apiframe_mock):
        apiframe_mock.add_task("imagin")


    def test_unknown_status(apiframe_mock):
        apiframe_mock.add_task("imagine", "done")


    def test_wrong_field_type(apiframe_mock):
        apiframe_mock.add_task("imagine", "finished", image_urls="https://x.invalid/1.png")
"""


def test_a_bad_add_task_call_fails_naming_what_is_allowed(pytester: pytest.Pytester) -> None:
    write_tests(pytester, BAD_CALLS)
    result = pytester.runpytest()
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "E *mockserver.errors.TaskSpecError: unknown task_type 'imagin': use one of ai-photo-upload, *",
            "E *mockserver.errors.TaskSpecError: unknown status 'done': use one of pending, staged, starting, *",
            "E *mockserver.errors.TaskSpecError: add_task('imagine', 'finished') would store an invalid task: "
            "image_urls: 'https://x.invalid/1.png' is not of type 'array'",
        ],
        consecutive=False,
    )


def test_the_fixtures_and_marker_are_documented(pytester: pytest.Pytester) -> None:
    pytester.runpytest("--fixtures").stdout.fnmatch_lines(
        [
            "apiframe_mock_server ?session scope? -- *",
            "    Start the session's Apiframe mock server*",
            "apiframe_mock -- *",
            "    Give this test the Apiframe mock*",
        ]
    )
    pytester.runpytest("--markers").stdout.fnmatch_lines(
        [
            "@pytest.mark.apiframe_mock(api_key=..., auth_scheme=..., fixtures=..., faults=..., submissions=..., "
            "webhook_allow=..., config=...): *"
        ]
    )


BAD_MARKERS = """
    import pytest

    @pytest.mark.apiframe_mock(api_kee="x")
    def test_typo(apiframe_mock):
        pass

    @pytest.mark.apiframe_mock("x")
    def test_positional(apiframe_mock):
        pass

    @pytest.mark.apiframe_mock(api_key="")
    def test_empty_key(apiframe_mock):
        pass

    @pytest.mark.apiframe_mock(auth_scheme="basic")
    def test_scheme(apiframe_mock):
        pass

    @pytest.mark.apiframe_mock(fixtures=3)
    def test_fixtures_type(apiframe_mock):
        pass

    @pytest.mark.apiframe_mock(fixtures="nowhere")
    def test_fixtures_folder(apiframe_mock):
        pass

    @pytest.mark.apiframe_mock(faults=[{"kind": "explode"}])
    def test_faults(apiframe_mock):
        pass
"""


def test_a_bad_marker_option_errors_the_test_naming_what_is_allowed(pytester: pytest.Pytester) -> None:
    write_tests(pytester, BAD_MARKERS)
    result = pytester.runpytest()
    result.assert_outcomes(errors=7)
    marker_error = "E *mockserver.errors.MarkerError: apiframe_mock marker: "
    result.stdout.fnmatch_lines(
        [
            f"{marker_error}unknown option 'api_kee'; the options are api_key, auth_scheme, fixtures, faults, "
            "submissions, webhook_allow, config",
            f"{marker_error}takes keyword options only, got ('x',)",
            f"{marker_error}api_key='' must be a non-empty string",
            f"{marker_error}auth_scheme='basic' is not one of 'bare', 'bearer-too'",
            f"{marker_error}fixtures=3 must be a folder path (str or Path)",
            f"{marker_error}fixtures='nowhere' is not a folder (relative to the rootdir {pytester.path})",
            f"{marker_error}faults are not valid: faults?0?.kind: *; give a list of faults or *",
        ],
        consecutive=False,
    )
    # Each names what the test gave: none shows the plugin's own source.
    assert "mockserver/" not in result.stdout.str()


# The plugin is loaded in this project's own session too, so the fixture can be used directly.


def post(mock: ApiframeMock, path: str, payload: object, key: str | None = None) -> httpx.Response:
    return httpx.post(mock.url + path, json=payload, headers={"Authorization": key or mock.api_key})


def test_the_url_has_no_trailing_slash_and_the_default_key(apiframe_mock: ApiframeMock) -> None:
    assert apiframe_mock.url.startswith("http://127.0.0.1:")
    assert not apiframe_mock.url.endswith("/")
    assert apiframe_mock.api_key == DEFAULT_API_KEY


def test_the_default_fixtures_are_served(apiframe_mock: ApiframeMock, task_ids: list[str]) -> None:
    answer = post(apiframe_mock, "/fetch-many", {"task_ids": task_ids[:20]})
    assert [task["task_id"] for task in answer.json()["tasks"]] == task_ids[:20]


def test_add_task_returns_what_is_served(apiframe_mock: ApiframeMock) -> None:
    task = apiframe_mock.add_task("suno", "failed", message="quota")
    assert post(apiframe_mock, "/fetch", {"task_id": task["task_id"]}).json() == task
    assert task["message"] == "quota"


def test_set_status_moves_a_task_on_and_keeps_its_results(apiframe_mock: ApiframeMock) -> None:
    task = apiframe_mock.add_task("imagine", "processing", percentage="10")
    done = apiframe_mock.set_status(task["task_id"], "finished", sref="123")
    assert "percentage" not in done
    assert (done["status"], done["sref"], len(done["image_urls"])) == ("finished", "123", 4)
    assert post(apiframe_mock, "/fetch", {"task_id": task["task_id"]}).json() == done


def test_set_status_of_an_unknown_task_names_it(apiframe_mock: ApiframeMock) -> None:
    with pytest.raises(TaskSpecError, match="no stored task has task_id 'nope'"):
        apiframe_mock.set_status("nope", "finished")


def test_fail_fails_a_task_at_once_with_its_message(apiframe_mock: ApiframeMock) -> None:
    """Given a task on a timeline, when failed with a message, then it is served failed with that message."""
    task = apiframe_mock.add_task("imagine", timeline=["pending", "processing", "finished"])
    failed = apiframe_mock.fail(task["task_id"], "the GPU caught fire")
    assert (failed["status"], failed["message"]) == ("failed", "the GPU caught fire")
    assert post(apiframe_mock, "/fetch", {"task_id": task["task_id"]}).json() == failed
    assert apiframe_mock.fail(apiframe_mock.add_task()["task_id"])["message"] == FAILURE_MESSAGE
    with pytest.raises(TaskSpecError, match="fail: no stored task has task_id 'nope'"):
        apiframe_mock.fail("nope")


def test_mutating_a_returned_task_changes_nothing_served(apiframe_mock: ApiframeMock) -> None:
    task = apiframe_mock.add_task()
    task["status"] = "failed"
    assert post(apiframe_mock, "/fetch", {"task_id": task["task_id"]}).json()["status"] == "finished"


def test_changing_a_list_given_to_add_task_afterwards_changes_nothing_served(apiframe_mock: ApiframeMock) -> None:
    urls = [f"https://cdn.example.invalid/{n}.png" for n in range(4)]
    task = apiframe_mock.add_task("imagine", image_urls=urls)
    urls.append("https://cdn.example.invalid/late.png")
    assert post(apiframe_mock, "/fetch", {"task_id": task["task_id"]}).json() == task
    assert len(task["image_urls"]) == 4
    moved = apiframe_mock.set_status(task["task_id"], "finished", image_urls=urls)
    urls.clear()
    assert post(apiframe_mock, "/fetch", {"task_id": task["task_id"]}).json() == moved
    assert len(moved["image_urls"]) == 5


@pytest.mark.apiframe_mock(api_key="k-1", auth_scheme="bare")
def test_the_marker_sets_the_key_and_scheme(apiframe_mock: ApiframeMock) -> None:
    assert apiframe_mock.api_key == "k-1"
    assert httpx.get(apiframe_mock.url + "/account", headers={"Authorization": "k-1"}).status_code == 200
    assert httpx.get(apiframe_mock.url + "/account", headers={"Authorization": "Bearer k-1"}).status_code == 401


@pytest.mark.apiframe_mock(api_key="class-key", auth_scheme="bare")
class TestMarkersMerge:
    @pytest.mark.apiframe_mock(auth_scheme="bearer-too")
    def test_the_closest_marker_wins_option_by_option(self, apiframe_mock: ApiframeMock) -> None:
        assert (apiframe_mock.api_key, apiframe_mock.options.auth_scheme) == ("class-key", "bearer-too")


@pytest.mark.apiframe_mock(fixtures="tests/data/plugin-fixtures")
def test_the_marker_serves_another_fixtures_folder(apiframe_mock: ApiframeMock) -> None:
    default_fixture = "63739aaa-cbed-5fc9-93a7-ba04571f8d33"
    answer = post(apiframe_mock, "/fetch-many", {"task_ids": ["only-1", "only-2", default_fixture]})
    assert [task["task_id"] for task in answer.json()["tasks"]] == ["only-1", "only-2"]


@pytest.mark.apiframe_mock(faults={"seed": 1, "faults": [{"kind": "error", "status": 503, "next": 1}]})
def test_the_marker_injects_faults_afresh_each_test(apiframe_mock: ApiframeMock) -> None:
    statuses = [post(apiframe_mock, "/fetch-many", {"task_ids": ["a", "b"]}).status_code for _ in range(2)]
    assert statuses == [503, 200]


@pytest.mark.apiframe_mock(fixtures="tests/data/plugin-fixtures")
@pytest.mark.parametrize("run", [1, 2])
def test_timelines_start_again_in_each_test(apiframe_mock: ApiframeMock, run: int) -> None:
    statuses = [post(apiframe_mock, "/fetch", {"task_id": "only-3"}).json()["status"] for _ in range(3)]
    assert statuses == ["pending", "processing", "finished"]


def test_add_task_with_a_timeline_moves_on_each_poll(apiframe_mock: ApiframeMock) -> None:
    task = apiframe_mock.add_task(
        "luma", timeline=["pending", {"status": "processing", "percentage": "40"}, "finished"]
    )
    with Apiframe(api_key=apiframe_mock.api_key, base_url=apiframe_mock.url) as client:
        seen = [client.tasks.get(task["task_id"]) for _ in range(3)]
    assert [shown["status"] for shown in seen] == ["pending", "processing", "completed"]
    assert "video_url" not in seen[1]
    assert seen[2]["video_url"] == task["video_url"]


def test_add_task_with_a_timeline_that_cannot_be_valid_names_the_step(apiframe_mock: ApiframeMock) -> None:
    with pytest.raises(TaskSpecError, match=r"timeline step 1 \(processing\) would show an invalid task: percentage"):
        apiframe_mock.add_task("imagine", timeline=["pending", {"status": "processing", "percentage": "4.5"}])
