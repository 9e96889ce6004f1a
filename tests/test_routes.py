"""Account, the OpenAPI document, and JSON answers for unknown paths and methods."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from mockserver import DEFAULT_API_KEY, MockState, TaskStore, bundled_schemas, create_app
from mockserver.edges.v1 import load_endpoints
from mockserver.engine.task import Task
from mockserver.openapi import component_name

from .conftest import LANES, Api, lane_app, serving

ROUTES = (
    "The mock serves POST /fetch-many, POST /fetch, GET /account, GET /openapi.json, "
    "and the submit endpoints such as POST /imagine that /openapi.json lists."
)


def test_account_returns_the_fixture_account(api: Api) -> None:
    answer = api.send("GET", "/account", headers={"Authorization": DEFAULT_API_KEY})
    assert (answer.status, answer.content_type) == (200, "application/json")
    assert answer.body == {"email": "mock-user@example.com", "credits": 1250, "plan": "pro", "total_images": 4821}


@pytest.mark.parametrize(("method", "path"), [("GET", "/nope"), ("POST", "/fetch-many/extra"), ("DELETE", "/")])
def test_an_unknown_path_is_a_json_404(api: Api, method: str, path: str) -> None:
    answer = api.send(method, path)
    assert (answer.status, answer.content_type) == (404, "application/json")
    assert answer.body == {"errors": [{"msg": f"No route for {method} {path}: unknown path. {ROUTES}"}]}


@pytest.mark.parametrize(("method", "path"), [("GET", "/fetch-many"), ("PUT", "/fetch"), ("POST", "/account")])
def test_a_wrong_method_is_a_json_405_with_allow(api: Api, method: str, path: str) -> None:
    answer = api.send(method, path, headers={"Authorization": DEFAULT_API_KEY})
    assert (answer.status, answer.content_type) == (405, "application/json")
    assert answer.body == {"errors": [{"msg": f"No route for {method} {path}: unknown method. {ROUTES}"}]}
    assert answer.headers["allow"]


def test_openapi_is_3_1_and_built_from_the_schemas(api: Api) -> None:
    answer = api.send("GET", "/openapi.json")
    assert (answer.status, answer.content_type) == (200, "application/json")
    document = answer.body
    assert document["openapi"] == "3.1.0"
    submits = {endpoint.path: endpoint for endpoint in load_endpoints().values()}
    uploads = {"/upload", "/upload-audio", "/uploads/{name}"}
    v1_paths = {path for path in document["paths"] if not path.startswith("/v2/")}
    assert v1_paths == {"/fetch-many", "/fetch", "/account", *submits, *uploads}
    for path, endpoint in submits.items():
        operation = document["paths"][path]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert body == "#/components/schemas/" + component_name(endpoint.schema)
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert answer.endswith("/Task" if endpoint.sync else "/SubmitResponse")
    components = document["components"]["schemas"]
    limits = components["FetchManyRequest"]["properties"]["task_ids"]
    assert (limits["minItems"], limits["maxItems"]) == (2, 20)
    assert len(components) == len(bundled_schemas().documents)


def test_every_openapi_reference_points_inside_the_document(api: Api) -> None:
    document = api.send("GET", "/openapi.json").body
    references = [value for value in _walk(document) if isinstance(value, str) and value.startswith(("#", "http", "."))]
    assert references
    for reference in references:
        assert reference.startswith("#/components/schemas/"), reference
        node = document
        for part in reference.removeprefix("#/").split("/"):
            node = node[part]


def test_openapi_components_are_valid_2020_12_schemas(api: Api) -> None:
    for schema in api.send("GET", "/openapi.json").body["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def _walk(node: object) -> list[object]:
    if isinstance(node, dict):
        found: list[object] = [value for key, value in node.items() if key == "$ref"]
        return found + [item for value in node.values() for item in _walk(value)]
    if isinstance(node, list):
        return [item for value in node for item in _walk(value)]
    return []


def test_a_crash_inside_an_endpoint_is_a_json_500_empty_object() -> None:
    state = MockState.from_fixtures()
    state.store.account = {"credits": object()}  # cannot be encoded, so the endpoint fails
    with serving(create_app(state)) as crashing:
        answer = crashing.send("GET", "/account", headers={"Authorization": DEFAULT_API_KEY})
    assert (answer.status, answer.content_type, answer.body) == (500, "application/json", {})


class _BrokenStore(TaskStore):
    __slots__ = ()

    def poll_many(self, task_ids: object) -> list[Task]:
        raise RuntimeError("a bug in the store")


@pytest.mark.parametrize("lane", LANES)
def test_a_crash_inside_fetch_many_is_a_json_500_empty_object_on_either_lane(lane: str) -> None:
    state = MockState.from_fixtures()
    state.store.tasks = _BrokenStore()
    with serving(lane_app(state, lane)) as crashing:
        answer = crashing.post("/fetch-many", {"task_ids": ["a", "b"]})
    assert (answer.status, answer.content_type, answer.body) == (500, "application/json", {})
