"""The `apiframe-mock contract`, `diff` and `snapshot` subcommands: their flags and what they run.

`mockserver.cli` hands the command line over to `main` here only when one of them is asked for, and
what runs them (pytest, Hypothesis, jsonschema, the client) is imported only then, so `serve` starts as
fast as before; nothing here imports `mockserver.cli`. Errors are one line on stderr, with the exit
statuses of `exits.py`, the same for the three commands: 4 for a bad flag, 8 for a server that is down
or refuses the key, 2 for Ctrl-C.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mockserver.arguments import PROG
from mockserver.wording import counted

from .exits import DRIFT_EXIT, GROUND_EXIT, INTERRUPTED_EXIT, USAGE_EXIT
from .parsing import LiveCommandParser
from .target import (
    BASE_URL_ENV,
    CONTRACT_BASE_URL_HELP,
    SUBMISSIONS_OPTION,
    SUMMARY_OPTION,
    TASK_IDS_ENV,
    Target,
    TargetError,
    contract_options,
    resolve_target,
    target_options,
)
from .versions import VERSION_OPTIONS, VERSIONS_OF_JOBS, add_version_arguments, ids_flag_problem, jobs_target

if TYPE_CHECKING:
    from .snapshot import Snapshot

DEFAULT_EXAMPLES = 10


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the flags that point a command at a server and bound a live run, as the contract suite has them."""
    for name, options in target_options(f"the server standing for production (default: ${BASE_URL_ENV})"):
        parser.add_argument(name, **options)


def add_diff_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the flags of `diff`."""
    add_target_arguments(parser)
    add_version_arguments(parser)
    for name, options in (SUBMISSIONS_OPTION, SUMMARY_OPTION):
        parser.add_argument(name, **options)
    parser.add_argument(
        "--examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        help=f"generated cases beside the explicit ones (default: {DEFAULT_EXAMPLES})",
    )
    parser.add_argument("--seed", type=int, help="seed of the generated cases (default: random, printed)")
    parser.add_argument("--report", type=Path, help="write the differences as JSON to this path")
    parser.add_argument("--html-report", type=Path, help="write the differences as one self-contained HTML page")
    parser.add_argument(
        "--replay", type=Path, help="with --api v1: write each difference as a pytest regression test to this path"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 on differences within the contract and on guesses production does otherwise (default: drift only)",
    )


def add_snapshot_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the flags of `snapshot`."""
    add_target_arguments(parser)
    add_version_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the fixtures to")
    parser.add_argument("--anonymise", action="store_true", help="replace ids and URLs by fakes derived from them")
    parser.add_argument(
        "--from",
        dest="recording",
        type=Path,
        help="read the tasks from a recording of `proxy --record` instead, each with the timeline it followed",
    )


def contract_help() -> str:
    """Return the help of `contract`: its own usage and options first, then where pytest's are."""
    parser = argparse.ArgumentParser(
        prog=f"{PROG} contract",
        usage=f"{PROG} contract [options] [pytest options]",
        description="run the contract suite of CONTRACT.md against a server (default: the bundled mock).",
        epilog="Every other option is pytest's (-k, -x, --hypothesis-seed ...): python -m pytest --help lists them.",
    )
    for name, options in [*contract_options(CONTRACT_BASE_URL_HELP), *VERSION_OPTIONS]:
        parser.add_argument(name, **options)
    return parser.format_help()


COMMANDS = {
    "diff": "compare a server standing for production with a local mock holding its tasks",
    "snapshot": "write tasks fetched from a server as fixtures, each checked against the schemas",
}


def build_parser(command: str) -> argparse.ArgumentParser:
    """Return the parser of `command` (``diff`` or ``snapshot``)."""
    parser = LiveCommandParser(prog=f"{PROG} {command}", description=COMMANDS[command] + ".")
    (add_diff_arguments if command == "diff" else add_snapshot_arguments)(parser)
    return parser


def contract_command(args: Sequence[str]) -> int:
    """Run the installed contract suite with `args` (its own and pytest's); return its exit status."""
    if "-h" in args or "--help" in args:
        # pytest's own help would bury the suite's few options under hundreds of lines.
        print(contract_help(), end="")
        return 0
    from . import run_suite

    return run_suite(args)


def main(argv: Sequence[str]) -> int:
    """Run ``contract ...``, ``diff ...`` or ``snapshot ...`` (the command name first); return the exit status."""
    command, *rest = argv
    if command == "contract":
        # The suite's options are pytest's, so they pass through untouched rather than through argparse.
        return contract_command(rest)
    if command == "proxy":
        from .proxy import main as proxy_main

        return proxy_main(rest)
    args = build_parser(command).parse_args(rest)
    try:
        return diff_command(args) if command == "diff" else snapshot_command(args)
    except KeyboardInterrupt:
        return _fail("interrupted", INTERRUPTED_EXIT)


def diff_command(args: argparse.Namespace) -> int:
    """Run `diff`; return 0 when the mock answered as the server did, else the status `exit_status` gives."""
    from .client import BudgetSpent, RateLimitedOut
    from .diff import run_diff
    from .diffreport import as_json, render, write_report
    from .exits import exit_status
    from .ground import GroundError
    from .plan import PlanError
    from .replay import write_replays
    from .retrieval import RetrievalError
    from .summary import diff_results, write_summary

    if args.api == "v2" and args.replay is not None:
        # A replay sends the live request to a mock holding its tasks; a job's differences come from no such request.
        return _fail("--replay is for --api v1: v2's differences are job fields, with no request to replay", USAGE_EXIT)
    target = _target(args)
    if target is None:
        return USAGE_EXIT
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    try:
        if args.api == "v2":
            from .diff_v2 import run_job_diff

            result = run_job_diff(target, args.pages, seed)
        else:
            result = run_diff(target, args.examples, seed)
    except PlanError as exc:
        return _fail(str(exc), USAGE_EXIT)
    except GroundError as exc:
        return _fail(str(exc), GROUND_EXIT)
    except (RetrievalError, BudgetSpent, RateLimitedOut) as exc:
        return _fail(f"cannot load the live tasks: {exc}", DRIFT_EXIT)
    for line in render(result):
        print(line)
    if args.report is not None:
        write_report(args.report, result)
    if args.html_report is not None:
        from .pages import write_diff_page

        write_diff_page(args.html_report, as_json(result))
    if args.replay is not None and result.differences:
        write_replays(args.replay, result.differences)
        print(f"regression tests of the differences written to {args.replay}")
    print(f"replay this run with --seed {seed}")
    drift = bool(result.drift or (args.strict and result.differences))
    status = exit_status(drift, bool(result.stopped), bool(result.flakes))
    written = write_summary(args.summary, diff_results(result, status))
    if written is not None:
        print(f"summary written to {written}")
    return status


def snapshot_command(args: argparse.Namespace) -> int:
    """Run `snapshot`; return 0 when every task was found and valid, 1 otherwise."""
    from .client import BudgetSpent, Client, RateLimitedOut
    from .ground import GroundError, check_ground
    from .retrieval import RetrievalError
    from .snapshot import take_snapshot

    if args.recording is not None:
        return _snapshot_from(args.recording, args.out)
    target = _target(args)
    if target is None:
        return USAGE_EXIT
    if not target.known_ids and args.api == "v1":
        return _fail(f"no task ids: give --task-ids or set ${TASK_IDS_ENV}", USAGE_EXIT)
    client = Client(target, lambda exchange: None, api=args.api)
    try:
        check_ground(client, args.api)
        if args.api == "v2":
            from .jobs_v2 import take_job_snapshot

            snapshot = take_job_snapshot(client, target.known_ids, args.pages, args.out, args.anonymise)
        else:
            snapshot = take_snapshot(client, target.known_ids, args.out, args.anonymise)
    except GroundError as exc:
        return _fail(str(exc), GROUND_EXIT)
    except (RetrievalError, BudgetSpent, RateLimitedOut) as exc:
        return _fail(f"cannot fetch the tasks: {exc}", DRIFT_EXIT)
    finally:
        client.close()
    return _print_snapshot(snapshot, args.out, "job" if args.api == "v2" else "task")


def _snapshot_from(recording: Path, out: Path) -> int:
    from .proxy.timelines import RecordingError, snapshot_from

    try:
        snapshot = snapshot_from(recording, out)
    except (RecordingError, OSError) as exc:
        return _fail(f"cannot read the recording: {exc}", USAGE_EXIT)
    return _print_snapshot(snapshot, out)


def _print_snapshot(snapshot: Snapshot, out: Path, noun: str = "task") -> int:
    for item in snapshot.written:
        verdict = "ok     " if item.problem is None else "INVALID"
        print(f"{verdict} {item.path.name}" + (f": {item.problem}" if item.problem else ""))
    for task_id in snapshot.missing:
        print(f"MISSING {task_id}: the server returned no {noun} with this id")
    valid = len(snapshot.written) - len(snapshot.invalid)
    drift = ": that is drift" if snapshot.invalid else ""
    refused = f"{valid} valid, {len(snapshot.invalid)} refused by the schemas{drift}"
    print(
        f"{counted(len(snapshot.written), noun)} written to {out} ({refused}), {len(snapshot.missing)} missing, "
        f"{counted(snapshot.requests, 'request')}"
    )
    return DRIFT_EXIT if snapshot.invalid or snapshot.missing else 0


def _target(args: argparse.Namespace) -> Target | None:
    problem = ids_flag_problem(args.api, VERSIONS_OF_JOBS, args.task_ids, args.job_ids)
    if problem is not None:
        _fail(problem, USAGE_EXIT)
        return None
    try:
        allowed = getattr(args, "allow_submissions", None)  # only diff may send submissions
        options = (args.base_url, args.api_key, args.task_ids, args.max_requests, args.rate, allowed)
        target = resolve_target(*options) if args.api == "v1" else jobs_target(args, *options)
    except TargetError as exc:
        _fail(str(exc), USAGE_EXIT)
        return None
    if target is None:
        _fail(f"no server to compare with: give --base-url or set ${BASE_URL_ENV}", USAGE_EXIT)
    return target


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status
