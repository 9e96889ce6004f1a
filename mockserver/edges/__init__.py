"""The API versions the mock speaks, each an edge over the one engine: its routes, checks, errors and OpenAPI.

edge  Edge, what the app needs of a version: routes, error bodies, fault route names, what it serves
v1    Apiframe's v1 API: /fetch-many, /fetch, /account and the submit endpoints, at the root
v2    Apiframe's v2 API under /v2: jobs, X-API-Key, idempotency, credits

The app serves every edge of `EDGES`; nothing below the edges (the engine, the store) knows them.
"""

from __future__ import annotations

from .edge import Edge, Served
from .v1.edge import V1
from .v2.edge import V2

EDGES: tuple[Edge, ...] = (V2, V1)
"""Every edge the mock serves, the one with the longest prefix first."""


def edge_for(path: str) -> Edge:
    """Return the edge whose prefix `path` is under: the one that words its errors."""
    for edge in EDGES:  # a loop, not next() over a generator: the proxy asks this for every exchange
        if edge.owns(path):
            return edge
    return EDGES[-1]


def fault_routes() -> dict[str, str]:
    """Return the qualified route name of every path faults can strike, over all edges.

    A path that ends in ``/`` stands for every path under it (``/v2/jobs/`` for each job's own).
    """
    return {path: name for edge in EDGES for path, name in edge.fault_routes.items()}


_ROUTES = fault_routes()
_FOLDERS = sorted((path for path in _ROUTES if path.endswith("/")), key=len, reverse=True)


def fault_route(path: str) -> str | None:
    """Return the qualified route name faults know `path` by, or None if they cannot strike it."""
    name = _ROUTES.get(path)
    if name is None and _FOLDERS:
        name = next((_ROUTES[folder] for folder in _FOLDERS if path.startswith(folder)), None)
    return name


def served(path: str, own: list[str]) -> str:
    """Say, for a 404 or 405 on `path`, what the edge it is under serves, and the mock's `own` routes besides."""
    edge = edge_for(path)
    listed = [*edge.listed, *own]
    more = f", and {edge.more}" if edge.more else ""
    return f"The mock serves {', '.join(listed)}{more}."


__all__ = ["EDGES", "Edge", "Served", "edge_for", "fault_route", "fault_routes", "served"]
