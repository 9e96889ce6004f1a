"""The command-line parser of the suite's own commands (`diff`, `snapshot`, `proxy`).

A bad flag is one line naming the command's help, and the usage status `contract` has (pytest's 4), so
that the four commands fail alike; it lives apart so that each command's module can use it without
importing another's.
"""

from __future__ import annotations

from typing import NoReturn

from mockserver.arguments import PROG, OneLineErrorParser

from .exits import USAGE_EXIT


class LiveCommandParser(OneLineErrorParser):
    """The parser of `diff`, `snapshot` and `proxy`: a bad flag exits with the usage status `contract` has."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_EXIT, f"{PROG}: error: {message} (see {self.prog} --help)\n")
