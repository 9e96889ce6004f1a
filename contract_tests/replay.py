"""Replaying a difference against the mock alone: the regression case a differential run writes out.

`write_replays` turns each difference into a pytest test. The test starts a mock holding the tasks the
request named, sends the same request and expects the answer the live side gave, normalised as the
run compared it; a task the schemas refused is expected to load. Each test fails until the mock (or the
schema) does what the API does, and then guards it.
"""

from __future__ import annotations

import base64
import pprint
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mockserver import bundled_schemas
from mockserver.engine.fixtures import load_account
from mockserver.schemas import first_error

from .cases import Case
from .diff import LIFECYCLE, Difference, normalised_answer
from .exchange import Request
from .localmock import local_mock

_HEADER = '''"""Differences `apiframe-mock diff` found between the live API and the mock, as regression cases.

Each test fails until the mock does what the live API did; see the message of each for the rule.
"""

from typing import Any

from {package}.replay import load_problem, replay_on_mock
'''


def replay_on_mock(request: dict[str, Any], tasks: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Send the recorded `request` to a fresh mock holding `tasks`; return its normalised answer."""
    body = None if request["body_base64"] is None else base64.b64decode(request["body_base64"])
    headers = tuple((name, value) for name, value in request["headers"])
    sent = Request(request["method"], request["path"], headers, body)
    case = Case(request["name"], sent, request["rule"], request["expected"], tuple(request["asked"]))
    with local_mock(tasks, load_account()) as mock:
        exchange = mock.client.send(sent)
    return normalised_answer(case, exchange)


def load_problem(task: dict[str, Any]) -> str | None:
    """Say why the mock's schemas refuse `task`, or None when they take it."""
    return first_error(bundled_schemas().validator("task.json"), task)


def replay_source(differences: Sequence[Difference]) -> str:
    """Return a pytest module with one regression test per difference."""
    # Installed, the suite is `apiframe_contract`; in a checkout, its folder's name: the tests import it as it is.
    tests = [_HEADER.format(package=__package__)]
    names: set[str] = set()
    # How production moved a task between two reads is nothing a mock alone can replay.
    for difference in (difference for difference in differences if difference.aspect != LIFECYCLE):
        name = _test_name(difference, names)
        example = difference.example
        doc = f"{difference.rule.id} ({difference.rule.source.value}), {difference.moved} moved at {difference.where}"
        why = f"{difference.meaning}: live {difference.live}, mock {difference.mock}"
        lines = [f"\n\ndef {name}() -> None:", f"    {_docstring(doc)}"]
        if "request" in example:
            lines += [
                f"    request: dict[str, Any] = {_literal(example['request'], 4)}",
                f"    tasks: list[dict[str, Any]] = {_literal(example['tasks'], 4)}",
                f"    live: dict[str, Any] | None = {_literal(example['live_answer'], 4)}",
                f"    why = {_literal(why, 4)}",
                "    assert replay_on_mock(request, tasks) == live, why",
            ]
        else:
            lines += [
                f"    task: dict[str, Any] = {_literal(example['task'], 4)}",
                f"    why = {_literal(why, 4)}",
                "    assert load_problem(task) is None, why",
            ]
        tests.append("\n".join(lines) + "\n")
    return "".join(tests)


def write_replays(path: Path, differences: Sequence[Difference]) -> None:
    """Write the regression tests of `differences` to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(replay_source(differences), encoding="utf-8")


def _test_name(difference: Difference, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", f"test_{difference.rule.id}_{difference.where}".lower()).strip("_")
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    taken.add(name)
    return name


def _docstring(text: str) -> str:
    return '"""' + text.replace("\\", "\\\\").replace('"""', "'''") + '."""'


def _literal(value: object, indent: int) -> str:
    text = pprint.pformat(value, width=96, sort_dicts=False)
    return text.replace("\n", "\n" + " " * (indent + 4))
