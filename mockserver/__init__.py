"""apiframe-mock: a faithful local mock and contract checker for Apiframe's task-status API."""

from __future__ import annotations

from .app import create_app as create_app
from .auth import AuthScheme as AuthScheme
from .auth import KeyCheck as KeyCheck
from .errors import ApiframeMockError as ApiframeMockError
from .errors import BadRequest as BadRequest
from .errors import FixtureError as FixtureError
from .errors import HTTPError as HTTPError
from .errors import UsageError as UsageError
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
from .state import DEFAULT_API_KEY as DEFAULT_API_KEY
from .state import MockState as MockState
from .store import TaskStore as TaskStore

__all__ = [
    "DEFAULT_API_KEY",
    "MAX_TASK_IDS",
    "MIN_TASK_IDS",
    "ApiframeMockError",
    "AuthScheme",
    "BadRequest",
    "FixtureError",
    "FixtureSet",
    "HTTPError",
    "Journal",
    "KeyCheck",
    "MockState",
    "RecordedRequest",
    "SchemaSet",
    "ServerThread",
    "TaskStore",
    "UsageError",
    "bundled_schemas",
    "create_app",
    "load_fixtures",
    "load_schemas",
]
