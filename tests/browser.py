"""Headless Chromium for the browser tests: Debian's `chromium`, driven by Playwright, never a downloaded browser.

A browser test lacking its browser or Playwright skips with the reason on a person's machine, and
fails under CI=true, where `make install` must have put both in place.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags that keep Chromium off the network and its sandbox, which needs privileges a container lacks."""
SCREENSHOTS_ENV = "APIFRAME_MOCK_SCREENSHOTS"
"""Set to a folder (``make screenshots`` sets docs/) to keep the tests' screenshots there."""


def chromium_path() -> Path | None:
    """Return Debian's Chromium binary, or None when it is not installed."""
    found = shutil.which("chromium")
    return Path(found) if found else None


def missing_part() -> str | None:
    """Say what the browser tests lack, with how to install it, or None when they can run."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright's Python package is missing: pip install -e '.[dev]' (make install) installs it"
    if chromium_path() is None:
        return "no chromium on PATH: apt-get install chromium (make install does, where apt-get exists)"
    return None


def _lacking(missing: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser tests cannot run under CI: {missing}")
    pytest.skip(missing, allow_module_level=True)


def playwright_api() -> ModuleType:
    """Return ``playwright.sync_api`` for a test module's top; without it, skip the module (fail under CI=true)."""
    if importlib.util.find_spec("playwright") is None:
        _lacking(missing_part() or "")
    return importlib.import_module("playwright.sync_api")


@contextmanager
def launched() -> Iterator[Browser]:
    """Start headless Chromium with a fresh profile; skip (fail under CI=true) when it cannot run here."""
    missing = missing_part()
    if missing is not None:
        _lacking(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh temporary --user-data-dir and adds --headless itself.
        browser = playwright.chromium.launch(executable_path=str(chromium_path()), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_path(tmp_path: Path, name: str) -> Path:
    """Return where a screenshot named `name` goes: the folder of `SCREENSHOTS_ENV` if set, else `tmp_path`."""
    folder = os.environ.get(SCREENSHOTS_ENV)
    return (Path(folder) if folder else tmp_path) / name
