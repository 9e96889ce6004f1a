"""`apiframe-mock contract`: pointed by flags or the environment, one clear line when it cannot run."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import contract_tests
from contract_tests.rules_v1 import V1_RULES as RULES
from mockserver.cli.main import SUITE_PACKAGES
from mockserver.server import bind_socket

ROOT = Path(__file__).resolve().parents[2]


def contract(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mockserver", "contract", "-q", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False)


def test_a_server_that_cannot_be_reached_is_one_line_and_exit_8() -> None:
    sock = bind_socket()  # bound, never listening: nothing answers on its port
    port = sock.getsockname()[1]
    sock.close()
    done = contract("--base-url", f"http://127.0.0.1:{port}", env={**os.environ, "APIFRAME_API_KEY": "k"})
    assert done.returncode == 8
    assert f"cannot reach http://127.0.0.1:{port}" in done.stdout + done.stderr


def test_a_base_url_without_a_key_is_refused() -> None:
    env = {name: value for name, value in os.environ.items() if name != "APIFRAME_API_KEY"}
    done = contract("--base-url", "https://api.example.invalid", env=env)
    assert done.returncode == 4
    assert "no API key: give --api-key or set $APIFRAME_API_KEY" in done.stderr


def test_the_help_starts_with_the_suites_own_usage_and_options_and_says_where_pytests_are() -> None:
    done = contract("--help")
    assert done.returncode == 0
    assert done.stdout.startswith("usage: apiframe-mock contract [options] [pytest options]\n")
    options = [line.split()[0] for line in done.stdout.splitlines() if line.startswith("  --")]
    assert options == [
        "--base-url",
        "--api-key",
        "--task-ids",
        "--max-requests",
        "--rate",
        "--allow-submissions",
        "--strict",
        "--calibrate",
        "--calibrated",
        "--drift-report",
        "--html-report",
        "--summary",
        "--api",
        "--v2-base-url",
        "--v2-api-key",
    ]
    assert "the API version whose rules to check: v1, v2 or both (default: v1)" in " ".join(done.stdout.split())
    assert "pytest.main" not in done.stdout
    assert done.stdout.replace("\n", " ").endswith("python -m pytest --help lists them. ")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and install it, without its dependencies, into a venv that borrows this one's."""
    work = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    (wheel,) = work.glob("apiframe_mock-*.whl")
    venv.create(work / "venv")
    site = next((work / "venv" / "lib").glob("python*/site-packages"))
    # The dependencies come from this venv's folder as a plain path: its editable hook to the checkout stays off.
    borrowed = next(path for path in sys.path if path.endswith("site-packages") and Path(path).is_dir())
    (site / "borrowed.pth").write_text(borrowed + "\n", encoding="utf-8")
    install = [
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(work / "venv" / "bin" / "python"),
        "install",
        "--quiet",
        "--no-deps",
        str(wheel),
    ]
    subprocess.run(install, check=True, capture_output=True, timeout=300)
    return work / "venv" / "bin"


def test_the_installed_command_tests_the_bundled_mock_from_any_folder(installed: Path, tmp_path: Path) -> None:
    report = tmp_path / "drift.json"
    command = [
        str(installed / "apiframe-mock"),
        "contract",
        "-q",
        "--hypothesis-profile",
        "contract-quick",
        "--drift-report",
        str(report),
    ]
    env = {name: value for name, value in os.environ.items() if not name.startswith("APIFRAME_")}
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(RULES)} held, 0 drifted, 0 not checked" in done.stdout
    where = subprocess.run(
        [str(installed / "python"), "-c", "import apiframe_contract; print(apiframe_contract.SUITE_DIR)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert str(installed.parent) in where
    assert (Path(where.strip()) / "CONTRACT.md").is_file()
    assert report.is_file()


def test_run_suite_turns_plugin_autoload_off_for_its_own_run_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str | None, list[str]]] = []

    def fake_main(args: list[str]) -> int:
        seen.append((os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"), args))
        return 0

    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setattr(pytest, "main", fake_main)
    assert contract_tests.run_suite(["-q"]) == 0
    ((during, args),) = seen
    assert during == "1"
    assert args[-3:] == ["-p", "_hypothesis_pytestplugin", "-q"]
    assert "PYTEST_DISABLE_PLUGIN_AUTOLOAD" not in os.environ


def imported_modules(path: Path) -> set[str]:
    """Return every module the file at `path` imports, at any depth of its code, relative imports resolved."""
    package = path.parent.name
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = f"{package}.{node.module or ''}".rstrip(".") if node.level else node.module or ""
            found |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    return found


def test_the_command_line_and_the_checks_depend_one_way() -> None:
    """Given the command line and the checks' commands, then the checks never import the command line."""
    cli = imported_modules(ROOT / "mockserver" / "cli" / "main.py")
    commands = imported_modules(ROOT / "contract_tests" / "commands.py")

    assert not {name for name in cli if name.startswith(("contract_tests", "apiframe_contract"))}
    assert SUITE_PACKAGES == ("apiframe_contract", "contract_tests")
    assert not {name for name in commands if name.startswith("mockserver.cli")}


def test_task_ids_with_api_v2_are_refused_in_one_line_naming_the_api_that_uses_them() -> None:
    """Given --task-ids with --api v2, which reads no task, then one line naming --api v1 or both, and exit 4."""
    done = contract("--api", "v2", "--task-ids", "a,b")
    assert done.returncode == 4
    assert done.stderr.strip() == (
        "apiframe-mock: error: --task-ids names v1's tasks: it is for --api v1 or both, and --api v2 would ignore it"
    )
