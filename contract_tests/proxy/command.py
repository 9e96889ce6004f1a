"""The `apiframe-mock proxy` command: its flags, the server, and the reports written when it is stopped.

SIGINT or SIGTERM stops it (the exchanges under way are finished first); then it prints what it found and
writes the reports asked for, and exits as `contract` does: 0 nothing found, 1 drift, 7 only flakes.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from mockserver.arguments import PROG, port_number
from mockserver.control.token import CONTROL_TOKEN_ENV, control_token
from mockserver.dashboard import UI_PATH
from mockserver.errors import UsageError
from mockserver.server import bind_socket

from ..exchange import Exchange
from ..exits import USAGE_EXIT
from ..parsing import LiveCommandParser
from ..target import url_problem
from .console import JOURNAL_PATH
from .forward import Proxy
from .har import HarRecorder
from .record import Recorder
from .serving import RelayServer
from .verdicts import lines, results, write_reports
from .watch import Findings, Watch

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of `proxy`."""
    parser = LiveCommandParser(
        prog=f"{PROG} proxy",
        description="forward every request to the upstream unchanged, and judge each answer by CONTRACT.md.",
    )
    parser.add_argument(
        "--upstream",
        required=True,
        help="the server to forward to, e.g. https://api.apiframe.pro (a path in it goes before every request's)",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--control-token",
        help=f"the token of the journal and dashboard (default: ${CONTROL_TOKEN_ENV}, else one generated and printed)",
    )
    parser.add_argument("--quiet-headers", action="store_true", help="add no x-apiframe-mock-drift header")
    parser.add_argument("--enforce", action="store_true", help="answer a drifted answer with a 502 instead")
    parser.add_argument("--record", type=Path, help="write every exchange as NDJSON here (the key redacted)")
    parser.add_argument("--har", type=Path, help="write every exchange as a HAR 1.2 log here (the key redacted)")
    for flag, what in (
        ("--summary", "the verdict per rule as Markdown"),
        ("--json-report", "the verdict per rule as JSON"),
        ("--html-report", "the verdict per rule as one HTML page"),
        ("--junitxml", "one JUnit test case per rule"),
    ):
        parser.add_argument(flag, type=Path, help=f"on exit, write {what} to this path")
    return parser


def upstream_of(text: str) -> str:
    """Return the upstream URL without a trailing slash, or raise UsageError saying what is allowed."""
    problem = url_problem(text, "--upstream")
    if problem is not None:
        raise UsageError(problem)
    return text.rstrip("/")


def main(argv: Sequence[str]) -> int:
    """Run `proxy` with `argv` (its flags); return the exit status once it is stopped."""
    args = build_parser().parse_args(argv)
    try:
        upstream = upstream_of(args.upstream)
        token, token_use = control_token(args.control_token)
        sock = bind_socket(args.host, args.port)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return USAGE_EXIT
    recorders: list[Recorder | HarRecorder] = []
    for flag, path, kind in (("--record", args.record, Recorder), ("--har", args.har, HarRecorder)):
        try:
            recorders += [kind.open(path)] if path is not None else []
        except OSError as exc:
            sock.close()
            print(f"{PROG}: error: cannot write {flag} {path}: {exc.strerror or exc}", file=sys.stderr)
            return USAGE_EXIT
    watch = Watch()

    def record(exchange: Exchange, findings: Findings) -> None:
        for recorder in recorders:
            recorder.write(exchange, findings)

    proxy = Proxy(upstream, watch, args.quiet_headers, args.enforce, record, token)
    host, port = sock.getsockname()[:2]
    print(f"{PROG} proxy: http://{host}:{port} -> {upstream} (Ctrl-C to stop and report)", flush=True)
    print(f"{PROG} proxy: dashboard at http://{host}:{port}{UI_PATH}, journal {JOURNAL_PATH} {token_use}", flush=True)
    try:
        RelayServer(proxy).run([sock])
        # The server's handlers are gone with its loop: a signal now must not cut the reports short.
        for stopping in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stopping, signal.SIG_IGN)
    finally:
        sock.close()
        for recorder in recorders:
            recorder.close()
    result = results(watch, upstream)
    for line in lines(result, watch):
        print(line)
    paths = {"summary": args.summary, "json": args.json_report, "html": args.html_report, "junit": args.junitxml}
    for path in write_reports(result, watch, paths):
        print(f"report written to {path}")
    return result.exit_status
