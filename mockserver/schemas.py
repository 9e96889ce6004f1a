"""The JSON Schemas of `schemas/`: loaded once, registered by `$id`, compiled into validators."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .paths import default_schemas_dir

SCHEMA_BASE = "https://apiframe-mock.invalid/schemas/"


@dataclass(frozen=True, slots=True)
class SchemaSet:
    """Every schema file by its path under `schemas/` (``task.json``, ``tasks/imagine.json``)."""

    documents: dict[str, dict[str, Any]]
    registry: Registry[Any] = field(repr=False)
    _fast: dict[str, Callable[[object], bool]] = field(default_factory=dict, repr=False, compare=False)
    _full: dict[str, Draft202012Validator] = field(default_factory=dict, repr=False, compare=False)

    def validator(self, name: str) -> Draft202012Validator:
        """Return a validator for the schema file `name`, resolving references between files (made once)."""
        # Every refused request and every task the control API stores asks for one: made once, not per call.
        full = self._full.get(name)
        if full is None:
            full = self._full[name] = Draft202012Validator(self.documents[name], registry=self.registry)
        return full

    def predicate(self, name: str) -> Callable[[object], bool]:
        """Return a fast yes/no test of validity against the schema file `name` (jsonschema-rs, compiled once)."""
        check = self._fast.get(name)
        if check is None:
            resources = [
                (document.get("$id", SCHEMA_BASE + path), document) for path, document in self.documents.items()
            ]
            registry = jsonschema_rs.Registry(resources)
            fast = jsonschema_rs.validator_for(self.documents[name], registry=registry).is_valid
            slow = self.validator(name).is_valid

            def check(instance: object) -> bool:
                try:
                    return fast(instance)
                except UnicodeEncodeError:
                    # jsonschema-rs takes strings as UTF-8, which a lone surrogate (a JSON "\ud800") has no form in.
                    return slow(instance)

            self._fast[name] = check
        return check

    def family_of(self, task_type: str) -> str | None:
        """Return the family whose schema governs `task_type` (``upscale#2`` is ``upscale``), or None."""
        matchers = self.documents["task.json"]["$defs"]["type"]
        for family, matcher in matchers.items():
            rule = matcher.get("properties", {}).get("task_type", {}) if isinstance(matcher, dict) else {}
            if rule.get("const") == task_type or ("pattern" in rule and re.search(rule["pattern"], task_type)):
                return str(family)
        return None

    def task_families(self) -> dict[str, list[str]]:
        """Map each task family (``imagine``, ``upscale``...) to its example task_type values."""
        return {
            name.removeprefix("tasks/").removesuffix(".json"): list(doc.get("x-task-types", []))
            for name, doc in self.documents.items()
            if name.startswith("tasks/")
        }


def load_schemas(directory: Path) -> SchemaSet:
    """Read every ``*.json`` schema under `directory` and register it by its `$id`."""
    documents: dict[str, dict[str, Any]] = {}
    resources: list[tuple[str, Resource[Any]]] = []
    for path in sorted(directory.rglob("*.json")):
        name = path.relative_to(directory).as_posix()
        document = json.loads(path.read_text(encoding="utf-8"))
        documents[name] = document
        resources.append((document.get("$id", SCHEMA_BASE + name), DRAFT202012.create_resource(document)))
    return SchemaSet(documents=documents, registry=Registry().with_resources(resources))


@cache
def bundled_schemas() -> SchemaSet:
    """Return the schemas shipped with the package, loaded once per process."""
    return load_schemas(default_schemas_dir())


def describe_error(error: ValidationError) -> str:
    """Say which field broke which rule, e.g. ``image_urls[0]: 3 is not of type 'string'``."""
    location = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    return f"{location.lstrip('.') or '(top level)'}: {_missing_fields(error) or error.message}"


def _missing_fields(error: ValidationError) -> str | None:
    # "{...} is not valid under any of the given schemas" hides that each branch only asks for a field.
    branches = error.validator_value if error.validator == "anyOf" else None
    if not isinstance(branches, list) or not all(set(branch) == {"required"} for branch in branches):
        return None
    names = [repr(name) for branch in branches for name in branch["required"]]
    return f"one of {', '.join(names)} is required"


def first_error(validator: Draft202012Validator, instance: object) -> str | None:
    """Return the most relevant validation error of `instance` as text, or None when it is valid."""
    if validator.is_valid(instance):
        return None
    error = best_match(validator.iter_errors(instance))
    return describe_error(error) if error is not None else None


def ensure_valid(name: str, value: object, error: Callable[[str], Exception], problem: str) -> dict[str, Any]:
    """Return `value` if it is an object valid against the bundled schema `name`, else raise `error`.

    The error reads ``<problem>: <field>: <rule broken>``, e.g. ``faults are not valid: seed: ...``.
    """
    detail = first_error(bundled_schemas().validator(name), value)
    if detail is not None:
        raise error(f"{problem}: {detail}")
    assert isinstance(value, dict)
    return value
