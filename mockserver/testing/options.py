"""The per-test options of the mock, given as keyword options of the ``apiframe_mock`` marker, each checked.

Kept apart from `plugin.py` so that these names can be exported without importing pytest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..auth import AuthScheme
from ..calibration import Calibration, load_calibration
from ..edges.v1 import load_endpoints
from ..engine.faults import FaultPlan
from ..engine.lifecycle import PLUGIN_PACE, Submissions
from ..engine.webhooks import ALLOW_ANY
from ..errors import FaultSpecError, MarkerError, SubmissionsSpecError, UsageError
from ..state import DEFAULT_API_KEY
from ..wire import JSONObject


def _api_key(value: object, root: Path) -> str:
    __tracebackhide__ = True
    if not isinstance(value, str) or not value:
        raise MarkerError(f"apiframe_mock marker: api_key={value!r} must be a non-empty string")
    return value


def _auth_scheme(value: object, root: Path) -> AuthScheme:
    __tracebackhide__ = True
    if value not in tuple(AuthScheme):
        allowed = ", ".join(repr(scheme.value) for scheme in AuthScheme)
        raise MarkerError(f"apiframe_mock marker: auth_scheme={value!r} is not one of {allowed}")
    return AuthScheme(str(value))


def _faults(value: object, root: Path) -> JSONObject:
    __tracebackhide__ = True
    plan = {"faults": list(value)} if isinstance(value, list | tuple) else value
    try:
        FaultPlan.from_json(plan)
    except FaultSpecError as exc:
        shapes = "a list of faults or {'seed': ..., 'faults': [...]}"
        raise MarkerError(f"apiframe_mock marker: {exc}; give {shapes}") from None
    assert isinstance(plan, dict)
    return plan


def _submissions(value: object, root: Path) -> Submissions:
    __tracebackhide__ = True
    try:
        return Submissions.from_json(value, load_endpoints(), PLUGIN_PACE)
    except SubmissionsSpecError as exc:
        raise MarkerError(
            f"apiframe_mock marker: {exc}; give {{'by': 'polls' or 'seconds', 'every': N, ...}}"
        ) from None


def _webhook_allow(value: object, root: Path) -> tuple[str, ...]:
    __tracebackhide__ = True
    hosts = (value,) if isinstance(value, str) else value
    if not isinstance(hosts, list | tuple) or not all(isinstance(host, str) and host for host in hosts):
        raise MarkerError(
            f"apiframe_mock marker: webhook_allow={value!r} must be a host name, a list of them, or {ALLOW_ANY!r}"
        )
    return tuple(hosts)


def _fixtures(value: object, root: Path) -> Path:
    __tracebackhide__ = True
    if not isinstance(value, str | os.PathLike):
        raise MarkerError(f"apiframe_mock marker: fixtures={value!r} must be a folder path (str or Path)")
    folder = root / Path(value)
    if not folder.is_dir():
        # Named as the test gave it: a relative path is the rootdir's, which the test may not have in mind.
        raise MarkerError(
            f"apiframe_mock marker: fixtures={os.fspath(value)!r} is not a folder (relative to the rootdir {root})"
        )
    return folder


def _config(value: object, root: Path) -> Calibration:
    __tracebackhide__ = True
    if not isinstance(value, str | os.PathLike):
        raise MarkerError(f"apiframe_mock marker: config={value!r} must be the path of a calibration file")
    try:
        return load_calibration(root / Path(value))
    except UsageError as exc:
        raise MarkerError(f"apiframe_mock marker: config: {exc}") from None


@dataclass(frozen=True, slots=True)
class MockOptions:
    """Per-test settings of the mock, given as keyword options of the ``apiframe_mock`` marker."""

    api_key: str = field(default=DEFAULT_API_KEY, metadata={"convert": _api_key})
    auth_scheme: AuthScheme = field(default=AuthScheme.BEARER_TOO, metadata={"convert": _auth_scheme})
    fixtures: Path | None = field(default=None, metadata={"convert": _fixtures})
    faults: JSONObject | None = field(default=None, metadata={"convert": _faults})
    submissions: Submissions = field(default_factory=Submissions, metadata={"convert": _submissions})
    webhook_allow: tuple[str, ...] = field(default=(), metadata={"convert": _webhook_allow})
    config: Calibration = field(default_factory=Calibration, metadata={"convert": _config})
    """The calibration file's settings: the mock answers the points the docs leave open as production does."""

    @classmethod
    def parse(cls, options: Mapping[str, object], root: Path) -> MockOptions:
        """Check the marker's `options` (relative paths are under `root`), or raise MarkerError naming the bad one."""
        __tracebackhide__ = True
        known = {option.name: option.metadata["convert"] for option in fields(cls)}
        checked: dict[str, Any] = {}
        for name, value in options.items():
            if name not in known:
                raise MarkerError(f"apiframe_mock marker: unknown option {name!r}; the options are {', '.join(known)}")
            checked[name] = known[name](value, root)
        return cls(**checked)
