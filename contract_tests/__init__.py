"""The contract suite: holds any server that claims to be Apiframe's API, v1 or v2 (``--api``), to CONTRACT.md.

Run it with ``pytest contract_tests`` in a checkout, or ``apiframe-mock contract`` from an installed
package; without ``--base-url`` it starts the bundled mock and tests that. Installed, its import name is
``apiframe_contract`` (the folder keeps its name in a checkout), so it never shadows a ``contract_tests`` of yours.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

SUITE_DIR = Path(__file__).resolve().parent
"""The folder of the suite, as pytest is pointed at it."""


def run_suite(args: Sequence[str] = ()) -> int:
    """Run the suite with pytest's command-line `args`; return its exit status (0 no drift, 1 drift)."""
    import os

    import pytest

    # The suite needs no plugin but Hypothesis's: others installed beside it (coverage, fuzzers) would
    # only slow it down or change it. Name any you want with -p.
    autoload = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
    chosen = autoload in os.environ
    plugins = [] if chosen else ["-p", "_hypothesis_pytestplugin"]
    # Its own ini (next to this file) holds the suite's settings, wherever it is run from.
    options = ["-c", str(SUITE_DIR / "pytest.ini"), "--rootdir", str(SUITE_DIR), *plugins]
    if not chosen:
        os.environ[autoload] = "1"
    try:
        return int(pytest.main([str(SUITE_DIR), *options, *args]))
    finally:
        # Only for this run: a caller that runs pytest again in the same process gets its plugins back.
        if not chosen:
            del os.environ[autoload]
