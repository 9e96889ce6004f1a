"""Drift reports as pages: one self-contained HTML file per run of `contract` or `diff`.

Each page is built from the data the command already reports as JSON (the per-rule verdicts of
`contract`, the differences of `diff`), so it says nothing the JSON does not; the rules' evidence comes
from `rules.py`. Every value is escaped as it is put in, and the page carries a Content-Security-Policy
that lets nothing but its own style sheet run or load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .contract import contract_page
from .diff import diff_page

__all__ = ["contract_page", "diff_page", "write_contract_page", "write_diff_page"]


def write_contract_page(path: Path, report: dict[str, Any]) -> None:
    """Write the page of a contract run's report (the document `--drift-report` writes) to `path`."""
    _write(path, contract_page(report))


def write_diff_page(path: Path, report: dict[str, Any]) -> None:
    """Write the page of a diff run's report (the document `--report` writes) to `path`."""
    _write(path, diff_page(report))


def _write(path: Path, page: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
