"""The pytest plugin with submissions: tasks move by polls, a receiver on the mock, webhooks recorded, moved by hand."""

from __future__ import annotations

import pytest

from .test_plugin import write_tests

FLOW = """
    import pytest
    from apiframe import Apiframe


    def test_a_submitted_task_finishes_by_polls_and_its_webhooks_reach_the_mock(apiframe_mock):
        with Apiframe(api_key=apiframe_mock.api_key, base_url=apiframe_mock.url) as client:
            task = client.midjourney.imagine(
                {"prompt": "a lighthouse", "webhook_url": apiframe_mock.webhook_url, "webhook_secret": "s"}
            )
            progress = []
            done = client.tasks.wait_for(task["task_id"], interval=0, on_progress=progress.append)
        assert (done["status"], len(done["image_urls"]), progress) == ("completed", 4, [25, 50, 75])
        received = apiframe_mock.received_webhooks
        statuses = [hook.json["status"] for hook in received]
        assert statuses == ["pending", "processing", "processing", "processing", "finished"]
        assert {hook.headers["x-webhook-secret"] for hook in received} == {"s"}
        assert [delivery.status for delivery in apiframe_mock.webhooks] == [200] * 5
        assert apiframe_mock.webhooks[0].headers["x-webhook-secret"] == "<redacted>"


    def test_advance_moves_a_submitted_task_without_polling(apiframe_mock):
        with Apiframe(api_key=apiframe_mock.api_key, base_url=apiframe_mock.url) as client:
            task = client.midjourney.imagine({"prompt": "a lighthouse [mock:stall]"})
            assert apiframe_mock.advance(task["task_id"])["status"] == "processing"
            assert apiframe_mock.advance(task["task_id"], to="end")["status"] == "finished"
            assert client.tasks.get(task["task_id"])["status"] == "completed"


    def test_advance_names_what_is_wrong(apiframe_mock):
        from mockserver import TaskSpecError

        with pytest.raises(TaskSpecError, match="no stored task has task_id 'nope'"):
            apiframe_mock.advance("nope")
        task = apiframe_mock.add_task("seed", "finished")
        with pytest.raises(TaskSpecError, match="is finished, the end of its lifecycle: it has no next step"):
            apiframe_mock.advance(task["task_id"])
        with pytest.raises(TaskSpecError, match="to='later' is not one of 'next', 'end'"):
            apiframe_mock.advance(task["task_id"], to="later")


    @pytest.mark.apiframe_mock(submissions={"every": 2, "endpoints": {"upscale-1x": {"every": 1}}})
    def test_the_marker_sets_the_pace(apiframe_mock):
        with Apiframe(api_key=apiframe_mock.api_key, base_url=apiframe_mock.url) as client:
            task = client.midjourney.imagine({"prompt": "a lighthouse"})
            seen = [client.tasks.get(task["task_id"])["status"] for _ in range(3)]
        assert seen == ["pending", "pending", "processing"]


    def test_the_next_test_starts_with_no_webhooks_and_the_default_pace(apiframe_mock):
        assert apiframe_mock.webhooks == []
        assert apiframe_mock.received_webhooks == []
        with Apiframe(api_key=apiframe_mock.api_key, base_url=apiframe_mock.url) as client:
            task = client.midjourney.imagine({"prompt": "a lighthouse"})
            assert [client.tasks.get(task["task_id"])["status"] for _ in range(2)] == ["pending", "processing"]


    @pytest.mark.apiframe_mock(webhook_allow="hooks.example.invalid")
    def test_webhook_allow_widens_the_targets(apiframe_mock):
        with Apiframe(api_key=apiframe_mock.api_key, base_url=apiframe_mock.url) as client:
            client.midjourney.imagine({"prompt": "x", "webhook_url": "http://hooks.example.invalid/hook"})
"""


def test_a_users_tests_drive_submissions_and_webhooks(pytester: pytest.Pytester) -> None:
    write_tests(pytester, FLOW)
    pytester.runpytest("--strict-markers", "-W", "error", "-p", "no:randomly").assert_outcomes(passed=6)


BAD = """
    import pytest

    @pytest.mark.apiframe_mock(submissions={"by": "days"})
    def test_pace(apiframe_mock):
        pass

    @pytest.mark.apiframe_mock(webhook_allow=[3])
    def test_allow(apiframe_mock):
        pass
"""


def test_bad_submission_options_error_the_test_naming_what_is_allowed(pytester: pytest.Pytester) -> None:
    write_tests(pytester, BAD)
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "E *MarkerError: apiframe_mock marker: submissions are not valid: by: 'days' is not one of *; "
            "give {'by': 'polls' or 'seconds', 'every': N, ...}",
            "E *MarkerError: apiframe_mock marker: webhook_allow=?3? must be a host name, a list of them, or 'any'",
        ]
    )
