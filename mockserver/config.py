"""Fault plans from the command line: a TOML file (`--config`) and `--fault` flags."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import FaultSpecError, UsageError
from .faults import FaultPlan

FAULT_FLAG_FORM = "ROUTE:KIND[:key=value,...], e.g. fetch-many:error:probability=0.1"


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def parse_fault_flag(flag: str) -> dict[str, Any]:
    """Turn ``fetch-many:rate_limit:next=2,retry_after=5`` into a fault spec, or raise UsageError."""
    route, _, rest = flag.partition(":")
    kind, _, options = rest.partition(":")
    if not route or not kind:
        raise UsageError(f"--fault {flag!r} is not of the form {FAULT_FLAG_FORM}")
    spec: dict[str, Any] = {"route": route, "kind": kind}
    for option in filter(None, options.split(",")):
        key, equals, value = option.partition("=")
        if not equals or not key:
            raise UsageError(f"--fault {flag!r}: option {option!r} is not key=value; the form is {FAULT_FLAG_FORM}")
        spec[key] = _value(value)
    return spec


def load_fault_plan(config: Path | None, flags: Sequence[str] = (), seed: int | None = None) -> FaultPlan:
    """Combine the config file's faults, then the flags' faults, with `seed` overriding the file's seed."""
    document: dict[str, Any] = {}
    source = "--fault"
    if config is not None:
        source = str(config)
        try:
            document = tomllib.loads(config.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"{config}: cannot read the config file ({exc.strerror})") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{config}: not valid TOML: {exc}") from None
    document["faults"] = [*document.get("faults", []), *(parse_fault_flag(flag) for flag in flags)]
    if seed is not None:
        document["seed"] = seed
    try:
        return FaultPlan.from_json(document)
    except FaultSpecError as exc:
        raise UsageError(f"{source}: {exc}") from None
