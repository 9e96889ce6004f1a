"""README.md's examples run as shown: each block is run against a real mock, or marked as not runnable."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from mockserver import TASK_STATUSES
from tests.readme import README, Example, examples, normalise, shell, steps, write_files

ALL = examples()
RUN = [example for example in ALL if example.kind in ("session", "script", "pytest")]
PROJECT_MODULES = {"mockserver", "contract_tests"}
_INSTALL = re.compile(r"`pip install ([^`]+)`")


def following(example: Example) -> Example | None:
    later = [other for other in ALL if other.line > example.line]
    return later[0] if later else None


def test_every_block_is_run_or_marked_as_not_runnable() -> None:
    unmarked = [example.line for example in ALL if example.kind == "unmarked"]
    assert unmarked == [], (
        "mark each of these README blocks <!-- readme: skip: REASON -->, "
        "<!-- readme: file PATH --> or <!-- readme: output -->"
    )
    assert all(example.argument for example in ALL if example.kind in ("skip", "file"))
    outputs = [example for example in ALL if example.kind == "output"]
    assert all(any(o.kind == "script" and following(o) == output for o in ALL) for output in outputs)


@pytest.mark.parametrize("example", RUN, ids=[f"line-{example.line}-{example.kind}" for example in RUN])
def test_the_example_runs_as_shown(example: Example, tmp_path: Path) -> None:
    write_files(tmp_path, ALL)
    if example.kind == "pytest":
        (tmp_path / "pytest.ini").write_text("[pytest]\n")
        (tmp_path / "test_example.py").write_text(example.text)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", "test_example.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return
    with shell(tmp_path, example) as runner:
        if example.kind == "script":
            printed = runner.run(example.text)
            assert runner.status == 0, printed
            output = following(example)
            if output is not None and output.kind == "output":
                assert normalise(printed) == normalise(output.text)
            return
        for step in steps(example.text):
            assert (step.command, normalise(runner.run(step.command))) == (step.command, normalise(step.shown))


def imported_modules(source: str) -> set[str]:
    found = re.findall(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", source, flags=re.MULTILINE)
    return set(found) - set(sys.stdlib_module_names) - PROJECT_MODULES


def test_a_python_example_that_needs_a_package_beyond_apiframe_mock_says_how_to_install_it() -> None:
    requirements = importlib.metadata.requires("apiframe-mock") or []
    ours = {re.split(r"[\s\[<>=;!~]", line)[0].lower() for line in requirements if "extra ==" not in line}
    distributions = importlib.metadata.packages_distributions()
    for example in (example for example in ALL if example.kind == "pytest"):
        for module in sorted(imported_modules(example.text)):
            needed = [name.lower() for name in distributions.get(module, [module])]
            if set(needed) & ours:
                continue
            installed = {name.lower() for words in _INSTALL.findall(example.prose) for name in words.split()}
            said = set(needed) & installed
            assert said, f"README line {example.line}: `import {module}` needs `pip install {needed[0]}` before it"


def test_the_readme_names_every_status_and_a_bundled_fixture_shows_each(
    fixture_tasks: tuple[dict[str, Any], ...],
) -> None:
    listed = re.search(r"every status \(([^)]*(?:\([^)]*\)[^)]*)*)\)", README.read_text(encoding="utf-8"))
    assert listed is not None
    named = {item.split()[0] for item in listed.group(1).replace("\n", " ").split(", ")}
    assert named == set(TASK_STATUSES)
    assert {task["status"] for task in fixture_tasks} == set(TASK_STATUSES)


def test_every_make_target_declared_has_a_recipe_and_a_row_in_the_readme() -> None:
    makefile = (README.parent / "Makefile").read_text(encoding="utf-8")
    declared = set(re.search(r"^\.PHONY: (.*)$", makefile, flags=re.MULTILINE).group(1).split())  # type: ignore[union-attr]
    with_rules = set(re.findall(r"^([a-z]+):", makefile, flags=re.MULTILINE))
    documented = set(re.findall(r"^\| `make (\w+)` \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert declared - with_rules == set()
    assert documented == declared


def test_every_install_of_apiframe_mock_the_readme_gives_works_without_a_package_index() -> None:
    text = README.read_text(encoding="utf-8")
    installs = re.findall(r"pip install (\S.*?)(?:\s+#|`|$)", text, flags=re.MULTILINE)
    ours = [
        spec.strip("'\"") for spec in installs if "apiframe-mock" in spec or "apiframe_mock" in spec or spec == "-e ."
    ]
    wheel = f"dist/apiframe_mock-{importlib.metadata.version('apiframe-mock')}-py3-none-any.whl"
    # From a clone, from a Git URL with an extra, and the wheel `make dist` builds: never by name from an index.
    assert "-e ." in ours
    assert wheel in ours
    git = [Requirement(spec) for spec in ours if "@ git+" in spec]
    assert [(req.name, req.extras, req.url.startswith("git+https://")) for req in git] == [  # type: ignore[union-attr]
        ("apiframe-mock", {"redis"}, True)
    ]
    assert all(spec in ("-e .", "dist/apiframe_mock-*.whl", wheel) or "@ git+" in spec for spec in ours), ours
    assert "`make dist`" in text
    assert "published on PyPI" in text


def test_an_example_asserting_the_sdks_words_says_so_and_one_shows_the_apis_own() -> None:
    pytest_examples = [example for example in ALL if example.kind == "pytest"]
    sdk_words = [
        example for example in pytest_examples if '"completed"' in example.text or '["progress"]' in example.text
    ]
    assert sdk_words
    for example in sdk_words:
        assert '"completed"' in example.prose, f"README line {example.line}: say the SDK renames the API's words"
        assert '"finished"' in example.prose, f"README line {example.line}: name the API's word beside the SDK's"
    raw = [
        example
        for example in pytest_examples
        if "apiframe" not in imported_modules(example.text) and '"percentage"' in example.text
    ]
    assert any('"finished"' in example.text and '"40"' in example.text for example in raw)
