"""The pytest plugin, registered through the ``pytest11`` entry point: the ``apiframe_mock`` fixture and marker.

Importing it starts nothing and imports little: pytest loads it in every run of a project that has
apiframe-mock installed, so the server, and the modules it needs, come when a test first asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .testing.handle import ApiframeMock
    from .testing.options import MockOptions
    from .testing.server import MockServer

MARKER = "apiframe_mock"
MARKER_OPTIONS = ("api_key", "auth_scheme", "fixtures", "faults", "submissions", "webhook_allow", "config")
"""The marker's options, named here so that registering the marker imports nothing; the fields of MockOptions."""


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``apiframe_mock`` marker, so that ``--strict-markers`` accepts it."""
    options = ", ".join(f"{option}=..." for option in MARKER_OPTIONS)
    config.addinivalue_line("markers", f"{MARKER}({options}): per-test options of the apiframe_mock fixture")


def marker_options(node: pytest.Item) -> MockOptions:
    """Merge the ``apiframe_mock`` markers on `node` (the closest wins, option by option) into options."""
    __tracebackhide__ = True
    from .errors import MarkerError
    from .testing.options import MockOptions

    merged: dict[str, object] = {}
    for marker in reversed(list(node.iter_markers(MARKER))):
        if marker.args:
            raise MarkerError(f"apiframe_mock marker: takes keyword options only, got {marker.args!r}")
        merged.update(marker.kwargs)
    return MockOptions.parse(merged, node.config.rootpath)


@pytest.fixture(scope="session")
def apiframe_mock_server() -> Iterator[MockServer]:
    """Start the session's Apiframe mock server (one per xdist worker) when a test first needs it."""
    from .testing.server import MockServer

    server = MockServer.start()
    yield server
    server.stop()


@pytest.fixture
def apiframe_mock(request: pytest.FixtureRequest, apiframe_mock_server: MockServer) -> ApiframeMock:
    """Give this test the Apiframe mock, reset: the default tasks and key, or the marker's options."""
    __tracebackhide__ = True
    from .testing.handle import ApiframeMock

    options = marker_options(request.node)
    apiframe_mock_server.reset(options)
    return ApiframeMock(apiframe_mock_server, options)
