"""apiframe-mock: a faithful local mock and contract checker for Apiframe's task-status API."""

from __future__ import annotations

from .app import MockApp as MockApp
from .app import create_app as create_app
from .auth import AuthScheme as AuthScheme
from .auth import KeyCheck as KeyCheck
from .errors import ApiframeMockError as ApiframeMockError
from .errors import BadRequest as BadRequest
from .errors import FixtureError as FixtureError
from .errors import HTTPError as HTTPError
from .errors import MarkerError as MarkerError
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

__all__ = [
    "DEFAULT_API_KEY",
    "MAX_TASK_IDS",
    "MIN_TASK_IDS",
    "TASK_STATUSES",
    "TASK_TYPES",
    "ApiframeMock",
    "ApiframeMockError",
    "AuthScheme",
    "BadRequest",
    "FixtureError",
    "FixtureSet",
    "HTTPError",
    "Journal",
    "KeyCheck",
    "MarkerError",
    "MockApp",
    "MockOptions",
    "MockServer",
    "MockState",
    "RecordedRequest",
    "SchemaSet",
    "ServerThread",
    "TaskSpecError",
    "TaskStore",
    "UsageError",
    "build_task",
    "bundled_schemas",
    "create_app",
    "load_fixtures",
    "load_schemas",
    "tasks",
]
