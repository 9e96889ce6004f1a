"""What an edge is to the app: the routes of one API version, how it words errors, and what faults can strike."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from ..errors import HTTPError
from ..http.deadlines import Deadlines
from ..state import MockState


@dataclass(frozen=True, slots=True)
class Served:
    """An edge's routes over one state, and the POST endpoints that may skip Starlette's stack, by path."""

    routes: Sequence[BaseRoute]
    fast: Mapping[str, ASGIApp] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Edge:
    """One API version: its routes over the engine, its error bodies, and the names faults give its routes.

    A fault spec names a route by its edge's `qualifier` and the route's name (``v2:jobs``); the first
    edge, v1, has none, so the names a fault spec has always used keep their meaning.
    """

    name: str
    prefix: str
    """The paths the edge answers under (``""``: any path no other edge claims)."""
    serve: Callable[[MockState, Deadlines], Served]
    render: Callable[[HTTPError], bytes]
    """The body of an error in this version's shape."""
    fault_routes: Mapping[str, str]
    """The qualified route name of each path faults can strike."""
    listed: Sequence[str]
    """``METHOD /path`` of the routes a person should be told of when they ask for one that does not exist."""
    more: str = ""
    """What else the edge serves, in words, for the same message."""

    def owns(self, path: str) -> bool:
        """Say whether `path` is under this edge's prefix."""
        return path.startswith(self.prefix)
