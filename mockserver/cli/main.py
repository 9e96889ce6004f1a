"""The `apiframe-mock` command line."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..app import create_app
from ..arguments import PROG, OneLineErrorParser, one_voice, port_number
from ..auth import AuthScheme
from ..calibration import load_calibration
from ..control.token import CONTROL_TOKEN_ENV, control_token
from ..dashboard import UI_PATH
from ..engine.fixtures import load_fixtures
from ..engine.store import STORE_FORM, redacted, shared_store
from ..engine.timeline import Advance
from ..engine.webhooks import ALLOW_ANY, ALLOW_FLAG, TargetPolicy
from ..errors import ApiframeMockError, UsageError
from ..numbers import whole_number
from ..server import base_url, bind_socket, serve_forever
from ..state import DEFAULT_API_KEY, MockState
from ..wording import counted
from .config import FAULT_FLAG_FORM, SUBMISSIONS_FLAG_FORM, load_fault_plan, load_submissions

LIVE_COMMANDS = ("contract", "diff", "snapshot", "proxy")
"""The subcommands that check a server against the contract, run by the suite's `commands` module."""
SUITE_PACKAGES = ("apiframe_contract", "contract_tests")
"""The contract suite's import name: its own once installed, its folder's in a checkout, in that order."""
API_KEY_ENV = "APIFRAME_MOCK_API_KEY"
STORE_ENV = "APIFRAME_MOCK_STORE"
STARTED_BY_ENV = "APIFRAME_MOCK_STARTED_BY"
"""Set by the Makefile to the make command that started `serve`, so a hint names the fix that works there."""
DEFAULT_STORE_PREFIX = "apiframe-mock"
DESCRIPTION = "A faithful local mock of Apiframe's v1 API"
SERVED = (
    "POST /fetch-many, POST /fetch, GET /account and the submit endpoints such as POST /imagine, whose tasks "
    "progress and send webhooks; GET /openapi.json; with --control, the control API and dashboard under /__mock__/"
)


def _workers(text: str) -> int:
    count = whole_number(text)
    if count is None or not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"invalid worker count {text!r}: give a whole number from 1 to 64")
    return count


def _check_workers(args: argparse.Namespace, state: MockState) -> None:
    """Refuse several workers where state would have to be shared between them."""
    stateful = [
        name
        for name, used in (
            ("--control", args.control),
            ("faults", bool(state.store.faults)),
            (
                "fixtures with a timeline",
                any(state.store.tasks.timeline(task.task_id) for task in state.store.tasks),
            ),
        )
        if used
    ]
    if stateful and state.workers_apart:
        raise UsageError(
            f"--workers {args.workers} cannot go with {', '.join(stateful)}: tasks created, poll counts and fault "
            "counters live in one process and would differ between workers; serve them with --workers 1, or share "
            "them with --store redis://..."
        )


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of every subcommand."""
    parser = OneLineErrorParser(prog=PROG, description=f"{DESCRIPTION}, its contract suite and drift tools.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineErrorParser)
    serve = commands.add_parser("serve", help=f"serve the mock: {SERVED}", description=f"{DESCRIPTION}: {SERVED}.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--port", type=port_number, default=8000, help="port to listen on; 0 picks a free one (default: 8000)"
    )
    serve.add_argument(
        "--api-key",
        help=f"the key the mock accepts (default: ${API_KEY_ENV}, else {DEFAULT_API_KEY!r})",
    )
    serve.add_argument(
        "--inactive-key",
        action="append",
        default=[],
        metavar="KEY",
        help="a key the mock knows but that is switched off: v2 answers it 403 (repeatable)",
    )
    serve.add_argument(
        "--v1-refuses-afk-keys",
        action="store_true",
        help="v1 answers 401 to a key starting with afk_, as third-party code says it does (off by default)",
    )
    serve.add_argument("--fixtures", type=Path, help="folder of task fixtures (default: the bundled ones)")
    serve.add_argument(
        "--auth-scheme",
        choices=[scheme.value for scheme in AuthScheme],
        default=AuthScheme.BEARER_TOO.value,
        help="accept only the bare key, or 'Bearer <key>' too, as the official SDKs send (default: bearer-too)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request (off by default: it costs speed)")
    serve.add_argument("--workers", type=_workers, default=1, help="worker processes sharing the port (default: 1)")
    serve.add_argument(
        "--config",
        type=Path,
        help="TOML file of faults (seed = N, [[faults]] tables), of the [submissions] pace and of a calibration "
        "written by contract --calibrate ([auth], [fetch], [fetch_many])",
    )
    serve.add_argument(
        "--fault", action="append", default=[], metavar="SPEC", help=f"inject a fault, repeatable: {FAULT_FLAG_FORM}"
    )
    serve.add_argument("--seed", type=int, help="seed of the fault generator (overrides the config file's)")
    serve.add_argument(
        "--submissions",
        action="append",
        default=[],
        metavar="SPEC",
        help=f"how submitted tasks move on (default: by=seconds,every=2), repeatable: {SUBMISSIONS_FLAG_FORM}",
    )
    serve.add_argument(
        ALLOW_FLAG,
        action="append",
        default=[],
        metavar="HOST",
        help=f"also send webhooks to HOST (repeatable; {ALLOW_ANY!r} for every host); loopback hosts always",
    )
    serve.add_argument(
        "--store",
        metavar="URL",
        help=f"keep the state on Redis, shared by every worker and host naming it: {STORE_FORM} "
        f"(default: ${STORE_ENV}, else in this process)",
    )
    serve.add_argument(
        "--store-prefix",
        default=DEFAULT_STORE_PREFIX,
        metavar="PREFIX",
        help=f"the namespace of its keys, so several mocks can share one store (default: {DEFAULT_STORE_PREFIX})",
    )
    serve.add_argument(
        "--store-reset",
        action="store_true",
        help="load the fixtures into the store's namespace even if it holds a mock's state (default: join that state)",
    )
    serve.add_argument(
        "--sdk-aliases",
        action="store_true",
        help="serve the paths only apiframe-sdk calls (/pro/midjourney/*, /ai-photos/*, /midjourney/*) as the "
        "documented routes they stand for (default: 404 naming that route, as the API answers)",
    )
    serve.add_argument("--control", action="store_true", help="serve the control API under /__mock__/")
    serve.add_argument(
        "--control-token",
        help=f"the control API's token (default: ${CONTROL_TOKEN_ENV}, else one generated and printed)",
    )
    commands.add_parser(
        "contract",
        add_help=False,
        help="run the contract suite against --base-url URL (default: the bundled mock); "
        "every other option goes to pytest (see contract --help)",
    )
    commands.add_parser(
        "diff", add_help=False, help="compare a server standing for production with a local mock (see diff --help)"
    )
    commands.add_parser(
        "snapshot", add_help=False, help="write a server's tasks as fixtures, checked against the schemas"
    )
    commands.add_parser("proxy", add_help=False, help="forward an app's traffic to --upstream URL, judging each answer")
    return parser


def _api_key(given: str | None) -> tuple[str, str]:
    """Return the key to accept and how to describe it without printing a key the user chose."""
    if given is not None:
        source, key = "from --api-key", given
    elif os.environ.get(API_KEY_ENV) is not None:
        source, key = f"from ${API_KEY_ENV}", os.environ[API_KEY_ENV]
    else:
        return DEFAULT_API_KEY, f"{DEFAULT_API_KEY!r}, the default (set --api-key or ${API_KEY_ENV})"
    if not key:
        raise UsageError(f"the API key {source} is empty; give a non-empty key")
    return key, source


def _control_token(args: argparse.Namespace) -> tuple[str | None, str]:
    """Return the control token (None when the control API is off) and words saying how to use it."""
    if not args.control:
        return None, ""
    return control_token(args.control_token)


def _port_hint(port: int) -> str:
    """Name the way to choose another port where the command was started: by make, or by hand."""
    other = port + 1 if 0 < port < 65535 else 8001
    started_by = os.environ.get(STARTED_BY_ENV)
    return f"PORT={other} ({started_by} PORT={other})" if started_by else "--port"


def _submissions_line(state: MockState) -> str:
    """Say how submitted tasks move on and where their webhooks may go, or that submissions are refused."""
    if state.workers_apart:
        return (
            f"submissions are refused: each of the {state.workers} workers would hold its own tasks "
            "(serve them with --workers 1, or share them with --store redis://...)"
        )
    pace = state.store.submissions.pace
    step = f"{pace.every:g} s" if pace.by is Advance.SECONDS else "poll" if pace.every == 1 else f"{pace.every:g} polls"
    endpoints = len(state.store.submissions.endpoints)
    own = f", {counted(endpoints, 'endpoint')} at a pace of its own" if endpoints else ""
    allowed = state.webhook_targets.allowed
    hosts = "any host" if ALLOW_ANY in allowed else ", ".join(("loopback hosts", *allowed))
    return f"submitted tasks move on a step every {step}{own}; webhooks go to {hosts}"


def serve(args: argparse.Namespace) -> None:
    """Load the fixtures, bind the port and serve until interrupted."""
    api_key, key_source = _api_key(args.api_key)
    token, token_use = _control_token(args)
    fixtures = load_fixtures(args.fixtures)
    state = MockState.from_fixtures(fixtures, api_key, AuthScheme(args.auth_scheme))
    state.calibrate(
        load_calibration(args.config),
        api_key,
        AuthScheme(args.auth_scheme),
        inactive=tuple(args.inactive_key),
        v1_refuses_v2_keys=args.v1_refuses_afk_keys,
    )
    state.store.faults = load_fault_plan(args.config, args.fault, args.seed)
    state.store.submissions = load_submissions(args.config, args.submissions)
    state.webhook_targets = TargetPolicy(tuple(args.webhook_allow))
    state.workers = args.workers
    state.sdk_aliases = args.sdk_aliases
    store_line = ""
    url = args.store if args.store is not None else os.environ.get(STORE_ENV)
    if url:
        state.store, loaded = shared_store(url, args.store_prefix, args.store_reset, state.store)
        what = "loaded the fixtures into" if loaded else "joined the state already in"
        # A process that joins serves the state as it stands: its own fixtures, faults and pace are not loaded.
        kept = "" if loaded else " (its tasks, faults and pace stand; --store-reset loads this command's)"
        store_line = f"{PROG}: state on {redacted(url)}, {what} namespace {args.store_prefix!r}{kept}"
    _check_workers(args, state)
    app = create_app(state, control_token=token)
    sock = bind_socket(args.host, args.port, _port_hint(args.port))
    faults = (
        f"; {counted(len(state.store.faults.faults), 'fault')}, seed {state.store.faults.seed}"
        if state.store.faults
        else ""
    )
    workers = f"; {args.workers} workers" if args.workers > 1 else ""
    print(
        f"{PROG}: serving {counted(len(state.store.tasks), 'task')} at {base_url(sock)}; "
        f"API key {key_source}; auth {args.auth_scheme}{faults}{workers}; Ctrl-C stops",
        flush=True,
    )
    if not fixtures.tasks and not len(state.store.tasks):
        without = "serving none (without --fixtures, the bundled ones)"
        print(
            f"{PROG}: the fixtures folder {args.fixtures} holds no *.json or *.jsonl task file: {without}", flush=True
        )
    if token is not None:
        print(f"{PROG}: dashboard at {base_url(sock)}{UI_PATH}; control API at /__mock__/ {token_use}", flush=True)
    print(f"{PROG}: {_submissions_line(state)}", flush=True)
    if store_line:
        print(store_line, flush=True)
    serve_forever(app, sock, args.workers, args.access_log)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in LIVE_COMMANDS:
        # Imported only here: the checks pull in pytest, Hypothesis and jsonschema, which `serve` does not need,
        # and the dependency runs one way, from this command line to the suite's.
        suite = next(name for name in SUITE_PACKAGES if importlib.util.find_spec(name) is not None)
        with one_voice():
            return int(importlib.import_module(f"{suite}.commands").main(argv))
    args = build_parser().parse_args(argv)
    try:
        serve(args)
    except ApiframeMockError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        pass
    return 0
