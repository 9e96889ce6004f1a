"""Fault plans and submission settings from the command line: a TOML file (`--config`) and flags."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..calibration import META_TABLE, TABLES, line_of, read_toml
from ..edges.v1 import load_endpoints
from ..engine.faults import FaultPlan
from ..engine.lifecycle import COMMAND_LINE_PACE, Submissions
from ..errors import FaultSpecError, SubmissionsSpecError, UsageError

FAULT_FLAG_FORM = "ROUTE:KIND[:key=value,...], e.g. fetch-many:error:probability=0.1"
CONFIG_KEYS = ("seed", "faults", "submissions", META_TABLE, *TABLES)
"""The top-level keys of a --config file: faults, the pace of submissions, and a calibration's settings."""
SUBMISSIONS_FLAG_FORM = "[ENDPOINT:]key=value,..., e.g. by=polls,every=1 or upscale-1x:every=5"


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _options(flag: str, name: str, options: str, form: str) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    for option in filter(None, options.split(",")):
        key, equals, value = option.partition("=")
        if not equals or not key:
            raise UsageError(f"{name} {flag!r}: option {option!r} is not key=value; the form is {form}")
        spec[key] = _value(value)
    return spec


def parse_fault_flag(flag: str) -> dict[str, Any]:
    """Turn ``fetch-many:rate_limit:next=2,retry_after=5`` into a fault spec, or raise UsageError."""
    route, _, rest = flag.partition(":")
    kind, _, options = rest.partition(":")
    if not route or not kind:
        raise UsageError(f"--fault {flag!r} is not of the form {FAULT_FLAG_FORM}")
    return {"route": route, "kind": kind, **_options(flag, "--fault", options, FAULT_FLAG_FORM)}


def _read_config(config: Path | None) -> dict[str, Any]:
    if config is None:
        return {}
    document, text = read_toml(config)
    unknown = sorted(set(document) - set(CONFIG_KEYS))
    if unknown:
        line = (
            line_of(text, unknown[0], "") if isinstance(document[unknown[0]], dict) else line_of(text, "", unknown[0])
        )
        raise UsageError(
            f"{config}, line {line}: unknown key {unknown[0]!r}; the config file takes {', '.join(CONFIG_KEYS)}"
        )
    return document


def load_fault_plan(config: Path | None, flags: Sequence[str] = (), seed: int | None = None) -> FaultPlan:
    """Combine the config file's faults, then the flags' faults, with `seed` overriding the file's seed."""
    document = {key: value for key, value in _read_config(config).items() if key in ("seed", "faults")}
    source = str(config) if config is not None else "--fault"
    document["faults"] = [*document.get("faults", []), *(parse_fault_flag(flag) for flag in flags)]
    if seed is not None:
        document["seed"] = seed
    try:
        return FaultPlan.from_json(document)
    except FaultSpecError as exc:
        raise UsageError(f"{source}: {exc}") from None


def load_submissions(config: Path | None, flags: Sequence[str] = ()) -> Submissions:
    """Combine the config file's ``[submissions]`` table, then the `--submissions` flags, on the command line's pace."""
    document: dict[str, Any] = dict(_read_config(config).get("submissions", {}))
    endpoints: dict[str, Any] = dict(document.get("endpoints", {}))
    for flag in flags:
        endpoint, colon, options = flag.rpartition(":") if ":" in flag else ("", "", flag)
        settings = _options(flag, "--submissions", options, SUBMISSIONS_FLAG_FORM)
        if colon:
            endpoints[endpoint] = {**endpoints.get(endpoint, {}), **settings}
        else:
            document.update(settings)
    if endpoints:
        document["endpoints"] = endpoints
    source = str(config) if config is not None and not flags else "--submissions"
    try:
        return Submissions.from_json(document, load_endpoints(), COMMAND_LINE_PACE)
    except SubmissionsSpecError as exc:
        raise UsageError(f"{source}: {exc}") from None
