"""Normalising answers for comparison, with what may legitimately differ read from the schemas.

A value is walked beside the schema that governs it. What the schema pins down is compared by value:
an `enum` or `const` (``status``) and the fields that pick a family schema (``task_type``, read from
``task.json``'s ``$defs/type``). Everything else is compared by its JSON type and by whether it keeps
its schema: free text, numbers, URLs (the ``common.json`` ``url`` def), progress (``percentage``,
whose forms are the branches of its ``anyOf``), and fields no schema names (timestamps and other
extras). The field a task is asked for by (``fetch-request.json`` requires it) is an id: it becomes
its place in the request. An array whose items carry that id is a set keyed by id, since the docs
leave the order of tasks, and answering a repeated id once or once per ask, free.

Every leaf becomes a string: ``json.dumps`` of the value where the value counts, else a ``<kind>``
token; no JSON text starts with ``<``, so the two never collide.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urldefrag, urljoin

from jsonschema import Draft202012Validator

from mockserver.schemas import SchemaSet, bundled_schemas

Norm = str | list["Norm"] | dict[str, "Norm"]
"""A normalised JSON value: a leaf token, or a list or object of them."""

NOT_TASKS = "<entries that are not tasks>"
"""The key under which the items of an id-keyed array that carry no id are gathered."""

_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"))


def json_type(value: object) -> str:
    """Return the JSON type name of a decoded value (``object`` for a dict, ``null`` for None)."""
    if value is None:
        return "null"
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "object")


@dataclass(frozen=True, slots=True)
class Node:
    """A place in a schema: the `$id` of its document and a JSON pointer into it."""

    document: str
    pointer: str = ""

    @property
    def uri(self) -> str:
        """Return the absolute reference to this place."""
        return f"{self.document}#{self.pointer}"

    def child(self, *parts: str | int) -> Node:
        """Return the place `parts` below this one."""
        return Node(self.document, self.pointer + "".join(f"/{part}" for part in parts))


class Contract:
    """The schemas, and the facts about them the normaliser needs, read once."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        documents = schemas.documents
        self.id_key: str = documents["fetch-request.json"]["required"][0]
        matchers = documents["task.json"]["$defs"]["type"].values()
        names = {name for matcher in matchers if isinstance(matcher, dict) for name in matcher.get("properties", {})}
        self.discriminators = frozenset(names)
        self.url: dict[str, Any] = documents["common.json"]["$defs"]["url"]
        self._by_id = {doc["$id"]: doc for doc in documents.values() if "$id" in doc}
        self._validators: dict[str, Draft202012Validator] = {}
        self._verdicts: dict[tuple[str, str], bool] = {}

    def node(self, name: str) -> Node:
        """Return the root of the schema file `name` (``task.json``)."""
        return Node(self.schemas.documents[name]["$id"])

    def schema(self, node: Node) -> Any:
        """Return the schema at `node`."""
        value: Any = self._by_id[node.document]
        for part in filter(None, node.pointer.split("/")):
            value = value[int(part)] if isinstance(value, list) else value[part]
        return value

    def follow(self, node: Node) -> Node:
        """Return where `node`'s `$ref` leads (repeatedly), or `node` itself."""
        schema = self.schema(node)
        while isinstance(schema, dict) and "$ref" in schema:
            target, fragment = urldefrag(urljoin(node.document, schema["$ref"]))
            node = Node(target, fragment)
            schema = self.schema(node)
        return node

    def is_valid(self, value: object, node: Node) -> bool:
        """Say whether `value` keeps the schema at `node`."""
        # The same tasks come back in every case: remembering verdicts saves jsonschema's $ref resolution.
        key = (node.uri, json.dumps(value, sort_keys=True))
        verdict = self._verdicts.get(key)
        if verdict is None:
            validator = self._validators.get(node.uri)
            if validator is None:
                validator = Draft202012Validator({"$ref": node.uri}, registry=self.schemas.registry)
                self._validators[node.uri] = validator
            verdict = self._verdicts[key] = validator.is_valid(value)
        return verdict

    def keyed_by_id(self, node: Node | None) -> bool:
        """Say whether the schema at `node` requires the id, so that arrays of it are sets keyed by id."""
        schema = self.schema(self.follow(node)) if node is not None else None
        return isinstance(schema, dict) and self.id_key in schema.get("required", [])

    def properties(self, value: dict[str, Any], node: Node) -> dict[str, Node]:
        """Return the schema of each property `value` may have under `node`: its own, its allOf's, its `then`s."""
        node = self.follow(node)
        schema = self.schema(node)
        found: dict[str, Node] = {}
        if not isinstance(schema, dict):
            return found
        for name in schema.get("properties", {}):
            found.setdefault(name, node.child("properties", name))
        for index, _ in enumerate(schema.get("allOf", [])):
            found.update(
                {k: v for k, v in self.properties(value, node.child("allOf", index)).items() if k not in found}
            )
        if "if" in schema and "then" in schema and self.is_valid(value, node.child("if")):
            found.update({k: v for k, v in self.properties(value, node.child("then")).items() if k not in found})
        return found


@cache
def bundled_contract() -> Contract:
    """Return the contract of the bundled schemas, read once per process."""
    return Contract(bundled_schemas())


def normalise(value: object, node: Node | None, asked: Sequence[str] = (), contract: Contract | None = None) -> Norm:
    """Return `value` normalised under the schema at `node` (None: no schema governs it).

    `asked` is the list of ids the request asked for; an id becomes ``<id asked #n>``, its first place there.
    """
    return _Walker(contract or bundled_contract(), list(asked)).walk(value, node)


@dataclass(slots=True)
class _Walker:
    contract: Contract
    asked: list[str]

    def walk(self, value: object, node: Node | None) -> Norm:
        if node is not None:
            node = self.contract.follow(node)
        schema = self.contract.schema(node) if node is not None else {}
        if not isinstance(schema, dict):
            schema = {}
        if "enum" in schema or "const" in schema:
            return json.dumps(value)
        for combinator in ("anyOf", "oneOf"):
            if combinator in schema and node is not None:
                branches = [node.child(combinator, index) for index in range(len(schema[combinator]))]
                match = next((branch for branch in branches if self.contract.is_valid(value, branch)), None)
                return self.walk(value, match) if match is not None else f"<{json_type(value)} outside the schema>"
        if isinstance(value, dict):
            return self.walk_object(value, node)
        if isinstance(value, list):
            items = node.child("items") if node is not None and "items" in schema else None
            return self.walk_array(value, items)
        if node is not None and not self.contract.is_valid(value, node):
            return f"<{json_type(value)} outside the schema>"
        if node is not None and schema == self.contract.url:
            return "<url>"
        # An integer where the schema says number is a number: the schema draws no line between them.
        return f"<{schema['type'] if isinstance(schema.get('type'), str) else json_type(value)}>"

    def walk_object(self, value: dict[str, Any], node: Node | None) -> Norm:
        properties = self.contract.properties(value, node) if node is not None else {}
        result: dict[str, Norm] = {}
        for key, item in value.items():
            if key == self.contract.id_key and isinstance(item, str):
                result[key] = self.id_token(item)
            elif key in self.contract.discriminators:
                result[key] = json.dumps(item)
            else:
                result[key] = self.walk(item, properties.get(key))
        return result

    def walk_array(self, value: list[Any], items: Node | None) -> Norm:
        walked = [self.walk(item, items) for item in value]
        id_key = self.contract.id_key
        if not self.contract.keyed_by_id(items):
            return walked
        keyed: dict[str, Norm] = {}
        others: set[str] = set()
        for item, norm in zip(value, walked, strict=True):
            if isinstance(item, dict) and isinstance(norm, dict) and isinstance(item.get(id_key), str):
                keyed.setdefault(self.id_token(item[id_key]), norm)
            else:
                others.add(norm if isinstance(norm, str) else json.dumps(norm, sort_keys=True))
        if others:
            keyed[NOT_TASKS] = list[Norm](sorted(others))
        return keyed

    def id_token(self, task_id: str) -> str:
        return f"<id asked #{self.asked.index(task_id)}>" if task_id in self.asked else "<id not asked>"
