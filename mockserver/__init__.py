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
    from .errors import ApiframeMockError as ApiframeMockError
    from .errors import BadRequest as BadRequest
    from .errors import FixtureError as FixtureError
    from .errors import HTTPError as HTTPError
    from .errors import MarkerError as MarkerError
    from .errors import SubmissionsSpecError as SubmissionsSpecError
    from .errors import TaskSpecError as TaskSpecError
    from .errors import UsageError as UsageError
    from .factory import TASK_STATUSES as TASK_STATUSES
    from .factory import TASK_TYPES as TASK_TYPES
    from .factory import build_task as build_task
    from .fixtures import FixtureSet as FixtureSet
    from .fixtures import load_fixtures as load_fixtures
    from .journal import Journal as Journal
    from .journal import RecordedRequest as RecordedRequest
    from .limits import MAX_TASK_IDS as MAX_TASK_IDS
    from .limits import MIN_TASK_IDS as MIN_TASK_IDS
    from .schemas import SchemaSet as SchemaSet
    from .schemas import bundled_schemas as bundled_schemas
    from .schemas import load_schemas as load_schemas
    from .server import ServerThread as ServerThread
    from .session import ApiframeMock as ApiframeMock
    from .session import MockOptions as MockOptions
    from .session import MockServer as MockServer
    from .state import DEFAULT_API_KEY as DEFAULT_API_KEY
    from .state import MockState as MockState
    from .store import TaskStore as TaskStore
    from .strategies import tasks as tasks
    from .submissions import Submissions as Submissions
    from .webhooks import Delivery as Delivery
    from .webhooks import ReceivedWebhook as ReceivedWebhook

# Each public name is imported from its module when first used. pytest imports the plugin, and so this
# package, in every run of a project that has apiframe-mock installed; importing Starlette, uvicorn
# and the schemas then would add 200 ms to runs that never ask for the mock.
_HOMES = {
    "DEFAULT_API_KEY": "state",
    "MAX_TASK_IDS": "limits",
    "MIN_TASK_IDS": "limits",
    "TASK_STATUSES": "factory",
    "TASK_TYPES": "factory",
    "ApiframeMock": "session",
    "ApiframeMockError": "errors",
    "AuthScheme": "auth",
    "BadRequest": "errors",
    "Calibration": "calibration",
    "Delivery": "webhooks",
    "FixtureError": "errors",
    "FixtureSet": "fixtures",
    "HTTPError": "errors",
    "Journal": "journal",
    "KeyCheck": "auth",
    "MarkerError": "errors",
    "MockApp": "app",
    "MockOptions": "session",
    "MockServer": "session",
    "MockState": "state",
    "ReceivedWebhook": "webhooks",
    "RecordedRequest": "journal",
    "SchemaSet": "schemas",
    "ServerThread": "server",
    "Submissions": "submissions",
    "SubmissionsSpecError": "errors",
    "TaskSpecError": "errors",
    "TaskStore": "store",
    "UsageError": "errors",
    "build_task": "factory",
    "bundled_schemas": "schemas",
    "create_app": "app",
    "load_calibration": "calibration",
    "load_fixtures": "fixtures",
    "load_schemas": "schemas",
    "tasks": "strategies",
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
