"""Which API versions a run checks (``--api v1|v2|both``), and where v2 is served and with which key.

v1 is served on api.apiframe.pro with its key in `Authorization`; v2 on api.apiframe.ai under /v2
with an ``afk_`` key in `X-API-Key`. The mock serves both on one port with one key, taking it for v2
with ``afk_`` before it unless it starts so; a run against the mock needs neither flag below, a
live run of v2 names its host and key.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from mockserver.auth import V2_KEY_PREFIX

from .rules import API_CHOICES, DEFAULT_API
from .target import API_KEY_ENV, BASE_URL_ENV, Target, TargetError, is_loopback, resolve_target, split_ids, url_problem

V2_BASE_URL_ENV = "APIFRAME_V2_BASE_URL"
V2_API_KEY_ENV = "APIFRAME_V2_API_KEY"
V2_PATH = "/v2"

VERSION_OPTIONS: list[tuple[str, dict[str, Any]]] = [
    (
        "--api",
        {
            "choices": list(API_CHOICES),
            "default": DEFAULT_API,
            "help": f"the API version whose rules to check: v1, v2 or both (default: {DEFAULT_API})",
        },
    ),
    (
        "--v2-base-url",
        {
            "help": f"where v2 is served when not on --base-url, such as https://api.apiframe.ai "
            f"(default: ${V2_BASE_URL_ENV}, else --base-url; a trailing {V2_PATH} is allowed)"
        },
    ),
    (
        "--v2-api-key",
        {
            "help": f"v2's key, sent in X-API-Key (default: ${V2_API_KEY_ENV}, else the --api-key with "
            f"{V2_KEY_PREFIX} before it unless it starts so, as the mock takes it); never printed or written"
        },
    ),
]
"""The flags that choose the versions a run checks and point it at v2."""


def v2_key_of(key: str) -> str:
    """Return the v2 key the mock takes for the `key` it serves: the key itself if it starts ``afk_``, else prefixed."""
    return key if key.startswith(V2_KEY_PREFIX) else V2_KEY_PREFIX + key


def v2_root(url: str) -> str:
    """Return the URL v2's paths (/v2/...) go under: `url` without a trailing /v2 and slash."""
    url = url.rstrip("/")
    return url.removesuffix(V2_PATH) if url.endswith(V2_PATH) else url


def resolve_targets(
    api: str, v2_base_url: str | None, v2_api_key: str | None, *v1_options: Any
) -> tuple[Target | None, Target | None]:
    """Return the run's target (v1's, whose limits bind the run) and v2's; (None, None) for the bundled mock.

    `v1_options` are `resolve_target`'s. A run of v2 alone may name its server and key by v2's flags only; a
    remote run of both, given no --max-requests, has the default budget once per version.
    """
    base_url, api_key, *rest = v1_options
    v2_url = v2_base_url or os.environ.get(V2_BASE_URL_ENV) or None
    v2_key = v2_api_key or os.environ.get(V2_API_KEY_ENV) or None
    if "v1" not in API_CHOICES[api]:
        base_url = base_url or os.environ.get(BASE_URL_ENV) or v2_url
        api_key = api_key or os.environ.get(API_KEY_ENV) or v2_key
    # The run's limits are v1's target's: v2 on a remote host makes them a remote run's, wherever v1 is.
    remote_v2 = "v2" in API_CHOICES[api] and v2_url is not None and not is_loopback(v2_url)
    target = resolve_target(base_url, api_key, *rest, remote=remote_v2)
    if target is None or "v2" not in API_CHOICES[api]:
        return target, None
    url = v2_url or target.base_url
    problem = url_problem(url, "the v2 base URL", "https://api.apiframe.ai")
    if problem is not None:
        raise TargetError(problem)
    key = v2_key or v2_key_of(target.api_key)
    if len(API_CHOICES[api]) > 1 and rest[1] is None and target.max_requests is not None:
        # The remote default budget is per version: a run of both sends each its usual share, no more.
        target = replace(target, max_requests=target.max_requests * len(API_CHOICES[api]))
    return target, replace(target, base_url=v2_root(url), api_key=key, known_ids=())


def ids_flag_problem(api: str, apis: Iterable[str], task_ids: str | None, job_ids: str | None = None) -> str | None:
    """Say which ids flag `api` would ignore, naming the `apis` (the command's --api choices) that use it; or None."""
    for flag, given, version, what in (("--task-ids", task_ids, "v1", "tasks"), ("--job-ids", job_ids, "v2", "jobs")):
        if given is not None and version not in API_CHOICES[api]:
            users = " or ".join(choice for choice in apis if version in API_CHOICES[choice])
            return f"{flag} names {version}'s {what}: it is for --api {users}, and --api {api} would ignore it"
    return None


JOB_IDS_ENV = "APIFRAME_JOB_IDS"
VERSIONS_OF_JOBS = ("v1", "v2")
"""The --api choices of `diff` and `snapshot`: one version's tasks or jobs at a time."""
DEFAULT_PAGES = 1


def add_version_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the flags that turn `diff` and `snapshot` to v2's jobs: --api, the job ids or pages, v2's key."""
    parser.add_argument(
        "--api", choices=VERSIONS_OF_JOBS, default="v1", help="tasks of v1, or jobs of v2 (default: v1)"
    )
    parser.add_argument("--job-ids", help=f"with --api v2: comma-separated job ids (default: ${JOB_IDS_ENV})")
    parser.add_argument(
        "--pages",
        type=int,
        default=DEFAULT_PAGES,
        help=f"with --api v2 and no job ids: the newest pages of GET /v2/jobs to read, 100 jobs each "
        f"(default: {DEFAULT_PAGES})",
    )
    name, options = VERSION_OPTIONS[-1]  # --v2-api-key
    parser.add_argument(name, **options)


def jobs_target(args: argparse.Namespace, *v1_options: Any) -> Target | None:
    """Return the v2 server `diff` or `snapshot --api v2` reads jobs from, knowing the job ids the flags name."""
    if args.pages < 1:
        raise TargetError(f"--pages {args.pages} is below 1; give 1 or more pages")
    # --base-url names v2's server here, before $APIFRAME_V2_BASE_URL (which --v2-base-url would override).
    target = resolve_targets("v2", v1_options[0], args.v2_api_key, *v1_options)[1]
    ids = split_ids(args.job_ids or os.environ.get(JOB_IDS_ENV))
    return replace(target, known_ids=ids) if target is not None else None
