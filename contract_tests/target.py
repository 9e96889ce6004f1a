"""The server under test and the limits of a run against it, from flags or the environment."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BASE_URL_ENV = "APIFRAME_BASE_URL"
CONTRACT_BASE_URL_HELP = f"server to test (default: ${BASE_URL_ENV}, else start the bundled mock)"
API_KEY_ENV = "APIFRAME_API_KEY"
TASK_IDS_ENV = "APIFRAME_TASK_IDS"

# A remote server is somebody's production: a run stays small and slow unless told otherwise.
REMOTE_MAX_REQUESTS = 150
REMOTE_RATE = 2.0
# However the server paces the run (429s and their Retry-After), a live run ends within 3 minutes.
REMOTE_MAX_SECONDS = 170.0
# A valid submission starts a task, which costs the account credits: a remote run sends none unless told.
REMOTE_SUBMISSIONS = 0
SUBMISSIONS_FLAG = "--allow-submissions"

SUBMISSIONS_OPTION: tuple[str, dict[str, Any]] = (
    SUBMISSIONS_FLAG,
    {
        "type": int,
        "metavar": "N",
        "help": f"most valid submissions to send, each costing credits (default: {REMOTE_SUBMISSIONS} remote, "
        "unlimited loopback); they count within --max-requests",
    },
)
"""The flag that lets a run start tasks, for the commands that may send valid submissions (contract, diff)."""


def target_options(base_url_help: str) -> list[tuple[str, dict[str, Any]]]:
    """Return the flags that point a run at a server and bound it, as (name, add_argument options)."""
    return [
        ("--base-url", {"help": base_url_help}),
        ("--api-key", {"help": f"its API key (default: ${API_KEY_ENV}); never printed or written"}),
        ("--task-ids", {"help": f"comma-separated ids known to exist there (default: ${TASK_IDS_ENV})"}),
        (
            "--max-requests",
            {
                "type": int,
                "help": f"most requests to send (default: {REMOTE_MAX_REQUESTS} remote per API version checked, "
                "unlimited loopback)",
            },
        ),
        (
            "--rate",
            {
                "type": float,
                "help": f"most requests per second (default: {REMOTE_RATE:g} remote, unthrottled loopback)",
            },
        ),
    ]


SUMMARY_OPTION: tuple[str, dict[str, Any]] = (
    "--summary",
    {
        "type": Path,
        "metavar": "PATH",
        "help": "write the verdict per rule as Markdown to PATH (default: append to $GITHUB_STEP_SUMMARY when set)",
    },
)
"""The flag of the Markdown summary, for the commands that judge rules (contract, diff)."""


def contract_options(base_url_help: str) -> list[tuple[str, dict[str, Any]]]:
    """Return the contract suite's own flags: those of `target_options`, submissions, and where to write reports."""
    strict = ("--strict", {"action": "store_true", "help": "exit 1 when production does otherwise than a guess too"})
    calibrate = (
        "--calibrate",
        {"type": Path, "metavar": "FILE", "help": "write what production did on every guess as a calibration file"},
    )
    calibrated = (
        "--calibrated",
        {"type": Path, "metavar": "FILE", "help": "hold production to a calibration file: a change since is drift"},
    )
    report = ("--drift-report", {"type": Path, "help": "write the per-rule report as JSON to this path"})
    page = ("--html-report", {"type": Path, "help": "write the per-rule report as one self-contained HTML page"})
    return [
        *target_options(base_url_help),
        SUBMISSIONS_OPTION,
        strict,
        calibrate,
        calibrated,
        report,
        page,
        SUMMARY_OPTION,
    ]


class TargetError(Exception):
    """A base URL, key or limit that cannot be used; the message says what is allowed."""


@dataclass(frozen=True, slots=True)
class Target:
    """A server claiming to be Apiframe's, the key it takes and the task ids known to exist there."""

    base_url: str
    api_key: str = field(repr=False)
    known_ids: tuple[str, ...] = ()
    max_requests: int | None = None
    rate: float | None = None
    max_seconds: float | None = None
    allow_submissions: int | None = None
    """The most valid submissions to send; None for no limit."""

    @property
    def loopback(self) -> bool:
        """Say whether the server runs on this machine."""
        return is_loopback(self.base_url)


def is_loopback(url: str) -> bool:
    """Say whether `url` names this machine (localhost or a loopback address)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def split_ids(text: str | None) -> tuple[str, ...]:
    """Split a comma-separated list of task ids, dropping blanks and repeats, keeping order."""
    ids = [part.strip() for part in (text or "").split(",")]
    return tuple(dict.fromkeys(part for part in ids if part))


def url_problem(url: str, named: str, example: str = "https://api.apiframe.pro") -> str | None:
    """Say what keeps `url` (called `named`) from naming a server this suite may send to and write in reports."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return f"{named} {url!r} is not an http:// or https:// URL such as {example}"
    if parts.username is not None or parts.password is not None:
        # Never echoed: the URL goes into every curl of the reports, so it may carry no secret.
        return f"{named} names a user or password: give the URL without them"
    try:
        valid_port = parts.port != 0
    except ValueError:  # urlsplit checks the port only when it is read: out of range, or no number
        valid_port = False
    return None if valid_port else f"{named} {url!r} has no valid port: give one from 1 to 65535"


def resolve_target(
    base_url: str | None,
    api_key: str | None,
    task_ids: str | None,
    max_requests: int | None,
    rate: float | None,
    allow_submissions: int | None = None,
    *,
    remote: bool = False,
) -> Target | None:
    """Return the remote target the flags or environment name, or None when the suite should start its own mock.

    A server on this machine runs unbounded unless told; `remote` bounds it as a remote one all the same, for a
    run that also reaches a remote server (v2's) under the same limits.
    """
    base_url = base_url or os.environ.get(BASE_URL_ENV) or None
    if base_url is None:
        return None
    problem = url_problem(base_url, "the base URL")
    if problem is not None:
        raise TargetError(problem)
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
    if not key:
        raise TargetError(f"no API key: give --api-key or set ${API_KEY_ENV}")
    if max_requests is not None and max_requests < 1:
        raise TargetError(f"--max-requests {max_requests} is below 1; give a positive number")
    if rate is not None and rate <= 0:
        raise TargetError(f"--rate {rate:g} is not positive; give requests per second, such as 2")
    if allow_submissions is not None and allow_submissions < 0:
        raise TargetError(f"{SUBMISSIONS_FLAG} {allow_submissions} is below 0; give 0 or more submissions")
    remote = remote or not is_loopback(base_url)
    return Target(
        base_url=base_url.rstrip("/"),
        api_key=key,
        known_ids=split_ids(task_ids if task_ids is not None else os.environ.get(TASK_IDS_ENV)),
        max_requests=max_requests if max_requests is not None else (REMOTE_MAX_REQUESTS if remote else None),
        rate=rate if rate is not None else (REMOTE_RATE if remote else None),
        max_seconds=REMOTE_MAX_SECONDS if remote else None,
        allow_submissions=allow_submissions
        if allow_submissions is not None
        else (REMOTE_SUBMISSIONS if remote else None),
    )
