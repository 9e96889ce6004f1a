"""The contract suite's markers, registered here too: these tests import its modules to read them."""

from __future__ import annotations

import pytest

from contract_tests.rules import MARKERS


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
