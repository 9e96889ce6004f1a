"""The API versions the mock speaks, each an edge over the one engine: its routes, checks, errors and OpenAPI.

edge  Edge, what the app needs of a version: routes, error bodies, fault route names, what it serves
v1    Apiframe's v1 API: /fetch-many, /fetch, /account and the submit endpoints, at the root

The app serves every edge of `EDGES`; nothing below the edges (the engine, the store) knows them.
"""

from __future__ import annotations

from .edge import Edge, Served
from .v1.edge import V1

EDGES: tuple[Edge, ...] = (V1,)
"""Every edge the mock serves, the one with the longest prefix first."""


def edge_for(path: str) -> Edge:
    """Return the edge whose prefix `path` is under: the one that words its errors."""
    return next((edge for edge in EDGES if edge.owns(path)), EDGES[-1])


def fault_routes() -> dict[str, str]:
    """Return the qualified route name of every path faults can strike, over all edges."""
    return {path: name for edge in EDGES for path, name in edge.fault_routes.items()}


def served(own: list[str]) -> str:
    """Say, for a 404 or 405, what the edges serve and the mock's `own` routes besides."""
    listed = [route for edge in EDGES for route in edge.listed] + own
    more = [edge.more for edge in EDGES if edge.more]
    return f"The mock serves {', '.join(listed)}, and {', and '.join(more)}."


__all__ = ["EDGES", "Edge", "Served", "edge_for", "fault_routes", "served"]
