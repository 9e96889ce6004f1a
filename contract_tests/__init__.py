"""The contract suite: holds any server that claims to be Apiframe's task-status API to CONTRACT.md.

Run it with ``pytest contract_tests`` in a checkout, or ``apiframe-mock contract`` from an installed
package; without ``--base-url`` it starts the bundled mock and tests that.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

SUITE_DIR = Path(__file__).resolve().parent
"""The folder of the suite, as pytest is pointed at it."""


def run_suite(args: Sequence[str] = ()) -> int:
    """Run the suite with pytest's command-line `args`; return its exit status (0 no drift, 1 drift)."""
    import pytest

    # Its own ini (next to this file) holds the suite's settings, wherever it is run from.
    return int(pytest.main([str(SUITE_DIR), "-c", str(SUITE_DIR / "pytest.ini"), "--rootdir", str(SUITE_DIR), *args]))
