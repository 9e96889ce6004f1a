"""The command's name and the argument parser every subcommand uses, whose errors are one line."""

from __future__ import annotations

import argparse
from typing import NoReturn

PROG = "apiframe-mock"


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line that names the help to read."""

    def error(self, message: str) -> NoReturn:
        # Every error of the command starts the same way, whichever subcommand's parser found it.
        self.exit(2, f"{PROG}: error: {message} (see {self.prog} --help)\n")
