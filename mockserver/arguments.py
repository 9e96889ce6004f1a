"""The command's name and the argument parser every subcommand uses, whose errors are one line."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import re
import sys
import textwrap
from collections.abc import Iterator
from typing import Any, NoReturn, TextIO, cast

from .numbers import whole_number

PROG = "apiframe-mock"
_UNRECOGNIZED = "unrecognized arguments: "
# pytest's own words for a usage error, at the start of a line (after a colour code on a terminal).
_PYTEST_ERROR = re.compile(r"^((?:\x1b\[[\d;]*m)?)ERROR: ", flags=re.MULTILINE)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, never wrapping a line inside a word such as ``fetch-many``."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))


MAX_PORT = 65535


def port_number(text: str) -> int:
    """Return the port `text` names (0 picks a free one), or raise the argparse error saying what is allowed."""
    port = whole_number(text)
    if port is None or port > MAX_PORT:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: give a whole number from 0 to {MAX_PORT}")
    return port


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line that names the help to read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        # Every error of the command starts the same way, whichever subcommand's parser found it.
        self.exit(2, f"{PROG}: error: {message}{self._suggestion(message)} (see {self.prog} --help)\n")

    def _suggestion(self, message: str) -> str:
        """Say which option a mistyped one most likely meant, as a spelling checker would."""
        if not message.startswith(_UNRECOGNIZED):
            return ""
        known = [flag for parser in self._parsers() for flag in parser._option_string_actions]
        for given in message.removeprefix(_UNRECOGNIZED).split():
            close = difflib.get_close_matches(given.split("=", 1)[0], known, n=1, cutoff=0.6)
            if given.startswith("--") and close:
                return f"; did you mean {close[0]}?"
        return ""

    def _parsers(self) -> list[argparse.ArgumentParser]:
        # Flags after a subcommand reach the top-level parser unrecognised: its subcommands' flags are candidates.
        found: list[argparse.ArgumentParser] = [self]
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                found += action.choices.values()
        return found


class _OneVoice:
    """A text stream that passes everything on to `stream`, saying pytest's ``ERROR:`` in this command's words."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write `text`, an error of pytest's reworded."""
        self._stream.write(_PYTEST_ERROR.sub(rf"\1{PROG}: error: ", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        # Everything else (flush, isatty, fileno...) is the stream's own: nothing is opened or closed here.
        return getattr(self._stream, name)


@contextlib.contextmanager
def one_voice() -> Iterator[None]:
    """Within, an error pytest prints to stderr starts as every error of this command does."""
    with contextlib.redirect_stderr(cast(TextIO, _OneVoice(sys.stderr))):
        yield
