"""A user's path: the built wheel, installed into a fresh venv, serves from any folder."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import httpx
import pytest

from mockserver import DEFAULT_API_KEY

from .processes import started

ROOT = Path(__file__).resolve().parent.parent


def check(*command: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, cwd=cwd, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and the sdist as README says, with `make dist`; return the folder holding them."""
    folder = tmp_path_factory.mktemp("wheel") / "dist"
    # This interpreter's build, and no install step: the checkout's .venv may not be where the tests run.
    check(
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.installed",
        "dist",
        f"DIST={folder}",
        f"BIN={Path(sys.executable).parent}",
        cwd=ROOT,
    )
    return folder


def test_make_dist_builds_the_wheel_and_an_sdist_that_holds_the_sources(dist: Path) -> None:
    (wheel,) = dist.glob("apiframe_mock-*-py3-none-any.whl")
    (sdist,) = dist.glob("apiframe_mock-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"README.md", "Makefile", "pyproject.toml", "schemas/task.json", "mockserver/cli/main.py"} <= names
    assert wheel.name.split("-")[1] == sdist.name.removesuffix(".tar.gz").split("-")[1]


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the wheel `make dist` built into a new venv; return the venv's bin folder."""
    work = tmp_path_factory.mktemp("venv")
    (wheel,) = dist.glob("apiframe_mock-*.whl")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    check(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel)
    return bin_dir


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder outside the checkout."""
    return tmp_path


def test_the_wheel_carries_the_schemas_and_fixtures(installed: Path, elsewhere: Path) -> None:
    code = "from mockserver.paths import data_dir; print(data_dir('schemas')); print(data_dir('fixtures'))"
    schemas, fixtures = check(installed / "python", "-c", code, cwd=elsewhere).split()
    assert "site-packages" in schemas
    assert (Path(schemas) / "task.json").is_file()
    assert "site-packages" in fixtures
    assert len(list((Path(fixtures) / "tasks").glob("*.json"))) >= 40


def test_the_installed_package_tells_type_checkers_it_is_typed(installed: Path, elsewhere: Path) -> None:
    code = "import mockserver, pathlib; print(pathlib.Path(mockserver.__file__).with_name('py.typed').is_file())"
    assert check(installed / "python", "-c", code, cwd=elsewhere).strip() == "True"


def test_the_installed_command_serves_from_any_folder(installed: Path, elsewhere: Path) -> None:
    with started([installed / "apiframe-mock", "serve", "--port", "0"], cwd=elsewhere) as serve:
        fixture = json.loads((ROOT / "fixtures" / "tasks" / "imagine-finished.json").read_text())
        response = httpx.post(
            f"{serve.url}/fetch-many",
            json={"task_ids": [fixture["task_id"], "unknown"]},
            headers={"Authorization": DEFAULT_API_KEY},
        )
    assert (response.status_code, response.json()) == (200, {"tasks": [fixture]})


def test_the_installed_command_serves_the_dashboard_with_no_network(installed: Path, elsewhere: Path) -> None:
    command: list[str | Path] = [
        installed / "apiframe-mock",
        "serve",
        "--port",
        "0",
        "--control",
        "--control-token",
        "t",
    ]
    with started(command, cwd=elsewhere) as serve:
        files = ("", "/dashboard.js", "/dashboard.css", "/favicon.svg")
        answers = [httpx.get(f"{serve.url}/__mock__/ui{name}") for name in files]
    assert [answer.status_code for answer in answers] == [200] * len(files)
    assert "dashboard.js" in answers[0].text
    # Nothing is fetched from another origin: the page, its script and its style name no URL.
    assert not any("http://" in answer.text or "https://" in answer.text for answer in answers[:3])


USER_TEST = """
import json
import urllib.request

from mockserver.testing.strategies import tasks
from hypothesis import given


def fetch_many(url, key, ids):
    request = urllib.request.Request(
        f"{url}/fetch-many", data=json.dumps({"task_ids": ids}).encode(),
        headers={"Authorization": key, "Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_my_poller_sees_a_finished_task(apiframe_mock):
    task = apiframe_mock.add_task("suno", status="finished")
    answer = fetch_many(apiframe_mock.url, apiframe_mock.api_key, [task["task_id"], "unknown"])
    assert answer == {"tasks": [task]}
    assert [entry.path for entry in apiframe_mock.requests] == ["/fetch-many"]


@given(tasks(task_type="kling-video"))
def test_my_parser_reads_any_kling_task(task):
    assert task["task_type"] == "kling-video"
"""


def test_a_users_project_uses_the_plugin_from_the_installed_wheel(installed: Path, elsewhere: Path) -> None:
    (elsewhere / "test_my_app.py").write_text(USER_TEST)
    result = subprocess.run(
        [installed / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_the_contract_suite_installs_under_a_name_of_its_own(installed: Path, elsewhere: Path) -> None:
    """Given a user's own `contract_tests` package, then the wheel's suite is `apiframe_contract` and both work."""
    mine = elsewhere / "contract_tests"
    mine.mkdir()
    (mine / "__init__.py").write_text("WHOSE = 'mine'\n")
    site = check(installed / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    code = (
        "import apiframe_contract, contract_tests; "
        "print(apiframe_contract.SUITE_DIR.name, (apiframe_contract.SUITE_DIR / 'CONTRACT.md').is_file()); "
        "print(contract_tests.WHOSE)"
    )

    assert check(installed / "python", "-c", code, cwd=elsewhere).split() == ["apiframe_contract", "True", "mine"]
    assert (Path(site) / "apiframe_contract" / "pytest.ini").is_file()
    assert not (Path(site) / "contract_tests").exists()
    contract = [str(installed / "python"), "-m", "mockserver", "contract", "-q"]
    contract += ["--hypothesis-profile", "contract-quick"]
    result = subprocess.run(contract, capture_output=True, text=True, cwd=elsewhere, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 drifted, 0 not checked" in result.stdout
