"""JSON Schemas compiled into plain Python predicates: a fast first pass before jsonschema.

jsonschema walks the schema afresh for every instance, which makes loading 100,000 fixture tasks take
minutes. A compiled predicate answers "valid?" in microseconds for the keywords the bundled schemas use.
It is only ever a fast path: callers ask jsonschema whenever it says no (for the message and the final
word), and a schema using any keyword it does not implement exactly is not compiled at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

if TYPE_CHECKING:
    # referencing exports Resolver only from its private module, though its public methods return one.
    from referencing._core import Resolved, Resolver

Predicate = Callable[[Any], bool]

# Keywords jsonschema asserts that are not implemented here; meeting one means "do not compile".
_ASSERTING = frozenset(Draft202012Validator.VALIDATORS) - {"format"}
_IMPLEMENTED = frozenset(
    {"$ref", "type", "properties", "required", "additionalProperties", "const", "enum", "pattern", "minLength"}
    | {"maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "items", "minItems", "maxItems"}
    | {"allOf", "anyOf", "oneOf", "not", "if"}
)
_TYPES: dict[str, Predicate] = {
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "integer": lambda x: (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer()),
    "null": lambda x: x is None,
    "number": lambda x: isinstance(x, int | float) and not isinstance(x, bool),
    "object": lambda x: isinstance(x, dict),
    "string": lambda x: isinstance(x, str),
}
_is_number = _TYPES["number"]


_MAX_CHOSEN = 1024


def _always(x: Any) -> bool:
    return True


class Unsupported(Exception):
    """The schema uses a keyword or value this compiler does not reproduce exactly."""


def compile_predicate(schema: Any, registry: Registry[Any]) -> Predicate | None:
    """Return a predicate true exactly when `schema` (resolved in `registry`) accepts, or None if it cannot."""
    resolver = registry.resolver_with_root(DRAFT202012.create_resource(schema))
    try:
        return _Compiler().compile(schema, resolver)
    except Unsupported:
        return None


class _Compiler:
    """Compiles one schema, sharing the predicates of `$ref` targets (and so tolerating cycles)."""

    def __init__(self) -> None:
        self._refs: dict[int, list[Predicate]] = {}

    def compile(self, schema: Any, resolver: Resolver[Any]) -> Predicate:
        if schema is True:
            return _always
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise Unsupported(f"a schema that is {type(schema).__name__}")
        unknown = (_ASSERTING - _IMPLEMENTED).intersection(schema)
        if unknown or (("else" in schema or "then" in schema) and "if" not in schema):
            raise Unsupported(", ".join(sorted(unknown)) or "then/else without if")
        # A nested $id moves the base against which references are resolved, as jsonschema does.
        resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
        keywords = _IMPLEMENTED.intersection(schema)
        if "properties" in keywords:
            keywords -= {"additionalProperties"}  # both are checked by one predicate
        return _all([self._keyword(schema, keyword, resolver) for keyword in sorted(keywords)])

    def _keyword(self, schema: dict[str, Any], keyword: str, resolver: Resolver[Any]) -> Predicate:
        value = schema[keyword]
        if keyword == "$ref":
            return self._ref(value, resolver)
        if keyword == "type":
            names = [value] if isinstance(value, str) else value
            if not set(names) <= _TYPES.keys():
                raise Unsupported(f"type {value!r}")
            kinds = [_TYPES[name] for name in names]
            return kinds[0] if len(kinds) == 1 else lambda x: any(kind(x) for kind in kinds)
        if keyword in ("properties", "additionalProperties"):
            return self._properties(schema, resolver)
        if keyword == "required":
            required = frozenset(value)
            return lambda x: not isinstance(x, dict) or x.keys() >= required
        if keyword in ("const", "enum"):
            return _member(value if keyword == "enum" else [value])
        if keyword == "pattern":
            search = re.compile(value).search
            return lambda x: not isinstance(x, str) or search(x) is not None
        if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
            return _size(keyword, value)
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            return _bound(keyword, value)
        if keyword == "items":
            each = self.compile(value, resolver)
            return lambda x: not isinstance(x, list) or all(each(item) for item in x)
        if keyword == "if":
            return self._condition(schema, resolver)
        if keyword == "allOf":
            return self._all_of(value, resolver)
        if keyword == "not":
            inverse = self.compile(value, resolver)
            return lambda x: not inverse(x)
        parts = [self.compile(part, resolver) for part in value]
        if keyword == "anyOf":
            return lambda x: any(part(x) for part in parts)
        return lambda x: sum(1 for part in parts if part(x)) == 1  # oneOf

    def _ref(self, reference: str, resolver: Resolver[Any]) -> Predicate:
        resolved = _lookup(resolver, reference)
        key = id(resolved.contents)
        cell = self._refs.get(key)
        if cell is None:
            cell = self._refs[key] = []
            cell.append(self.compile(resolved.contents, resolved.resolver))
        elif not cell:
            # A reference to a schema still being compiled: look the predicate up when it is called.
            return lambda x: cell[0](x)
        return cell[0]

    def _properties(self, schema: dict[str, Any], resolver: Resolver[Any]) -> Predicate:
        known = {name: self.compile(sub, resolver) for name, sub in schema.get("properties", {}).items()}
        pairs = tuple(known.items())
        extra = self.compile(schema["additionalProperties"], resolver) if "additionalProperties" in schema else None

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for name, sub in pairs:
                if name in x and not sub(x[name]):
                    return False
            return extra is None or all(extra(value) for name, value in x.items() if name not in known)

        return check

    def _all_of(self, schemas: list[Any], resolver: Resolver[Any]) -> Predicate:
        # A run of if/then on the value of one property (the task.json dispatch on task_type) is decided
        # once per distinct value instead of once per branch per instance.
        groups: dict[str, list[tuple[Predicate, Predicate, Predicate]]] = {}
        rest: list[Predicate] = []
        for schema in schemas:
            keyed = self._keyed_condition(schema, resolver)
            if keyed is None:
                rest.append(self.compile(schema, resolver))
                continue
            name, on_value = keyed
            then = self.compile(schema.get("then", True), resolver)
            otherwise = self.compile(schema.get("else", True), resolver)
            groups.setdefault(name, []).append((on_value, then, otherwise))
        rest.extend(_dispatch(name, branches) for name, branches in groups.items())
        return _all(rest)

    def _keyed_condition(self, schema: Any, resolver: Resolver[Any]) -> tuple[str, Predicate] | None:
        """Return (name, test of its value) when `schema` is exactly an if/then on one required property."""
        if not isinstance(schema, dict) or set(schema) - {"if", "then", "else"} or "if" not in schema:
            return None
        condition, where = schema["if"], resolver.in_subresource(DRAFT202012.create_resource(schema))
        while isinstance(condition, dict) and set(condition) == {"$ref"}:
            resolved = _lookup(where, condition["$ref"])
            condition, where = resolved.contents, resolved.resolver
        if not isinstance(condition, dict) or set(condition) != {"properties", "required"}:
            return None
        properties, required = condition["properties"], condition["required"]
        if not isinstance(properties, dict) or len(properties) != 1 or list(properties) != required:
            return None
        [(name, rule)] = properties.items()
        where = where.in_subresource(DRAFT202012.create_resource(condition))
        return name, self.compile(rule, where)

    def _condition(self, schema: dict[str, Any], resolver: Resolver[Any]) -> Predicate:
        condition = self.compile(schema["if"], resolver)
        then = self.compile(schema.get("then", True), resolver)
        otherwise = self.compile(schema.get("else", True), resolver)
        return lambda x: then(x) if condition(x) else otherwise(x)


def _all(checks: list[Predicate]) -> Predicate:
    frozen = tuple(check for check in checks if check is not _always)
    if len(frozen) <= 1:
        return frozen[0] if frozen else _always

    def check(x: Any) -> bool:
        for each in frozen:  # noqa: SIM110 - a loop is faster than all() over a generator, and this runs per field
            if not each(x):
                return False
        return True

    return check


def _lookup(resolver: Resolver[Any], reference: str) -> Resolved[Any]:
    try:
        return resolver.lookup(reference)
    except Unresolvable:
        raise Unsupported(f"the unresolvable reference {reference!r}") from None


def _dispatch(name: str, branches: list[tuple[Predicate, Predicate, Predicate]]) -> Predicate:
    """Check if/then branches whose conditions are "`name` is present and its value passes a test"."""
    # Conditions hold vacuously on a non-object and fail on an object without `name`.
    on_other = _all([then for _, then, _ in branches])
    on_missing = _all([otherwise for _, _, otherwise in branches])
    chosen: dict[str, Predicate] = {}

    def choose(value: Any) -> Predicate:
        return _all([then if test(value) else otherwise for test, then, otherwise in branches])

    def check(x: Any) -> bool:
        if not isinstance(x, dict):
            return on_other(x)
        if name not in x:
            return on_missing(x)
        value = x[name]
        if not isinstance(value, str):
            return choose(value)(x)
        rule = chosen.get(value)
        if rule is None:
            rule = choose(value)
            # Bounded, so that a folder of ever-new values cannot grow it without end.
            if len(chosen) < _MAX_CHOSEN:
                chosen[value] = rule
        return rule(x)

    return check


def _member(values: list[Any]) -> Predicate:
    # jsonschema's equality tells True from 1 and compares containers deeply; strings and null need neither.
    if not all(value is None or isinstance(value, str) for value in values):
        raise Unsupported("const or enum values other than strings and null")
    strings = frozenset(value for value in values if value is not None)
    allows_null = None in values
    return lambda x: (x is None and allows_null) or (isinstance(x, str) and x in strings)


def _size(keyword: str, limit: int) -> Predicate:
    kind = str if keyword.endswith("Length") else list
    if keyword.startswith("min"):
        return lambda x: not isinstance(x, kind) or len(x) >= limit
    return lambda x: not isinstance(x, kind) or len(x) <= limit


def _bound(keyword: str, limit: float) -> Predicate:
    compare: Callable[[Any], bool] = {
        "minimum": lambda x: x >= limit,
        "maximum": lambda x: x <= limit,
        "exclusiveMinimum": lambda x: x > limit,
        "exclusiveMaximum": lambda x: x < limit,
    }[keyword]
    return lambda x: not _is_number(x) or compare(x)
