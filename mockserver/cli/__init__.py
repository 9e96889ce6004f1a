"""The command line: `apiframe-mock serve`, the contract suite's commands, and the config they read."""

from __future__ import annotations

from .main import LIVE_COMMANDS as LIVE_COMMANDS
from .main import SUITE_PACKAGES as SUITE_PACKAGES
from .main import build_parser as build_parser
from .main import main as main

__all__ = ["LIVE_COMMANDS", "SUITE_PACKAGES", "build_parser", "main"]
