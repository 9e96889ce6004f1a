"""The contract suite's markers, registered here too: these tests import its modules to read them."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rule(id): the CONTRACT.md rule a contract test checks")
    config.addinivalue_line("markers", "after_all: a contract test that runs after every other")
