"""A calibration file makes the mock answer the points the docs leave open as production does."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mockserver import ApiframeMock, Calibration, MarkerError, MockOptions, load_calibration

CALIBRATED = "tests/data/calibration.toml"


def test_the_defaults_are_the_mocks_guesses_and_the_file_changes_them() -> None:
    assert Calibration().values() == {
        "auth.bearer_any_case": True,
        "fetch.unknown_id_status": 400,
        "fetch_many.extra_keys_ignored": True,
    }
    assert load_calibration(Path(CALIBRATED)) == Calibration(
        bearer_any_case=False, unknown_id_status=404, extra_keys_ignored=False
    )


@pytest.mark.apiframe_mock(config=CALIBRATED)
def test_the_plugins_marker_serves_the_calibration(apiframe_mock: ApiframeMock) -> None:
    """Given the marker's config, then `bearer` in lower case is refused, Bearer taken, an unknown id is a 404,
    and keys beside `task_ids` are refused."""
    url, key = apiframe_mock.url, apiframe_mock.api_key

    lower = httpx.get(f"{url}/account", headers={"Authorization": f"bearer {key}"})
    bearer = httpx.get(f"{url}/account", headers={"Authorization": f"Bearer {key}"})
    unknown = httpx.post(f"{url}/fetch", json={"task_id": "no-such-task"}, headers={"Authorization": key})
    ids = {"task_ids": ["a", "b"]}
    extra = httpx.post(f"{url}/fetch-many", json={**ids, "webhook_url": "x"}, headers={"Authorization": key})
    alone = httpx.post(f"{url}/fetch-many", json=ids, headers={"Authorization": key})

    assert (lower.status_code, lower.json()) == (401, {})
    assert bearer.status_code == 200
    assert unknown.status_code == 404
    assert unknown.json() == {
        "errors": [{"msg": 'task_id "no-such-task" matches no task: it must be the id of an existing task.'}]
    }
    assert (extra.status_code, extra.json()) == (
        400,
        {"errors": [{"msg": 'the body has "webhook_url" beside task_ids: it takes task_ids alone.'}]},
    )
    assert (alone.status_code, alone.json()) == (200, {"tasks": []})


def test_without_a_calibration_the_mock_answers_its_guesses(apiframe_mock: ApiframeMock) -> None:
    url, key = apiframe_mock.url, apiframe_mock.api_key

    lower = httpx.get(f"{url}/account", headers={"Authorization": f"bearer {key}"})
    unknown = httpx.post(f"{url}/fetch", json={"task_id": "no-such-task"}, headers={"Authorization": key})
    extra = httpx.post(f"{url}/fetch-many", json={"task_ids": ["a", "b"], "x": 1}, headers={"Authorization": key})

    assert (lower.status_code, unknown.status_code, extra.status_code) == (200, 400, 200)


def test_a_bad_file_in_the_marker_names_the_file_line_and_setting(tmp_path: Path) -> None:
    path = tmp_path / "calibration.toml"
    path.write_text("[fetch]\nunknown_id_status = 'missing'\n", encoding="utf-8")

    with pytest.raises(MarkerError) as raised:
        MockOptions.parse({"config": str(path)}, Path())

    assert str(raised.value) == (
        f"apiframe_mock marker: config: {path}, line 2: fetch.unknown_id_status = 'missing' is not a whole number"
    )


def test_a_marker_config_that_is_no_path_names_what_it_takes() -> None:
    with pytest.raises(MarkerError, match=r"^apiframe_mock marker: config=7 must be the path of a calibration file$"):
        MockOptions.parse({"config": 7}, Path())
