"""apiframe-mock: a faithful local mock and contract checker for Apiframe's v1 API."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import MockApp as MockApp
    from .app import create_app as create_app
    from .auth import AuthScheme as AuthScheme
    from .auth import KeyCheck as KeyCheck
    from .calibration import Calibration as Calibration
    from .calibration import load_calibration as load_calibration
    from .edges.v1.limits import MAX_TASK_IDS as MAX_TASK_IDS
    from .edges.v1.limits import MIN_TASK_IDS as MIN_TASK_IDS
    from .engine.factory import TASK_STATUSES as TASK_STATUSES
    from .engine.factory import TASK_TYPES as TASK_TYPES
    from .engine.factory import build_task as build_task
    from .engine.fixtures import FixtureSet as FixtureSet
    from .engine.fixtures import load_fixtures as load_fixtures
    from .engine.journal import Journal as Journal
    from .engine.journal import RecordedRequest as RecordedRequest
    from .engine.lifecycle import Submissions as Submissions
    from .engine.store import TaskStore as TaskStore
    from .engine.task import Task as Task
    from .engine.webhooks import Delivery as Delivery
    from .errors import ApiframeMockError as ApiframeMockError
    from .errors import BadRequest as BadRequest
    from .errors import FixtureError as FixtureError
    from .errors import HTTPError as HTTPError
    from .errors import MarkerError as MarkerError
    from .errors import SubmissionsSpecError as SubmissionsSpecError
    from .errors import TaskSpecError as TaskSpecError
    from .errors import UsageError as UsageError
    from .http.inbox import ReceivedWebhook as ReceivedWebhook
    from .schemas import SchemaSet as SchemaSet
    from .schemas import bundled_schemas as bundled_schemas
    from .schemas import load_schemas as load_schemas
    from .server import ServerThread as ServerThread
    from .state import DEFAULT_API_KEY as DEFAULT_API_KEY
    from .state import MockState as MockState
    from .testing.handle import ApiframeMock as ApiframeMock
    from .testing.options import MockOptions as MockOptions
    from .testing.server import MockServer as MockServer
    from .testing.strategies import tasks as tasks

# Each public name is imported from its module when first used. pytest imports the plugin, and so this
# package, in every run of a project that has apiframe-mock installed; importing Starlette, uvicorn
# and the schemas then would add 200 ms to runs that never ask for the mock.
_HOMES = {
    "DEFAULT_API_KEY": "state",
    "MAX_TASK_IDS": "edges.v1.limits",
    "MIN_TASK_IDS": "edges.v1.limits",
    "TASK_STATUSES": "engine.factory",
    "TASK_TYPES": "engine.factory",
    "ApiframeMock": "testing.handle",
    "ApiframeMockError": "errors",
    "AuthScheme": "auth",
    "BadRequest": "errors",
    "Calibration": "calibration",
    "Delivery": "engine.webhooks",
    "FixtureError": "errors",
    "FixtureSet": "engine.fixtures",
    "HTTPError": "errors",
    "Journal": "engine.journal",
    "KeyCheck": "auth",
    "MarkerError": "errors",
    "MockApp": "app",
    "MockOptions": "testing.options",
    "MockServer": "testing.server",
    "MockState": "state",
    "ReceivedWebhook": "http.inbox",
    "RecordedRequest": "engine.journal",
    "SchemaSet": "schemas",
    "ServerThread": "server",
    "Submissions": "engine.lifecycle",
    "SubmissionsSpecError": "errors",
    "Task": "engine.task",
    "TaskSpecError": "errors",
    "TaskStore": "engine.store",
    "UsageError": "errors",
    "build_task": "engine.factory",
    "bundled_schemas": "schemas",
    "create_app": "app",
    "load_calibration": "calibration",
    "load_fixtures": "engine.fixtures",
    "load_schemas": "schemas",
    "tasks": "testing.strategies",
}

__all__ = list(_HOMES)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the module's names, the public ones not yet imported included."""
    return sorted({*globals(), *__all__})
