"""The exit statuses of `contract`, `diff` and `snapshot`: one table for the three, as README.md and CONTRACT.md have.

pytest's own statuses (2 interrupted, 3 internal error, 4 usage error, 5 nothing selected) keep their
meaning; the suite adds drift (1), incomplete (6), flaky (7) and a ground that would not hold (8).
"""

from __future__ import annotations

DRIFT_EXIT = 1
INTERRUPTED_EXIT = 2
USAGE_EXIT = 4
NOTHING_SELECTED_EXIT = 5
INCOMPLETE_EXIT = 6
"""Some rule that should have run has no verdict: it lacked ids (--task-ids) or budget (--max-requests)."""
FLAKY_EXIT = 7
"""No drift, complete, but a 5xx that did not repeat when sent again."""
GROUND_EXIT = 8
"""The server cannot be reached, does not answer as the API, or refuses the key: no rule was judged."""

EXIT_MEANINGS: dict[int, str] = {
    0: "every rule that should run got a verdict and held; guesses production does otherwise are listed apart",
    DRIFT_EXIT: "drift: a rule drifted (with --strict, a guess too; with --calibrated, a calibrated point changed)",
    INTERRUPTED_EXIT: "interrupted (Ctrl-C): the verdicts so far are printed, the rest have none",
    3: "an internal error of the suite (pytest's): please report it with the output",
    USAGE_EXIT: "a bad option, no key, or a run that cannot fit its budget: said before anything is sent",
    NOTHING_SELECTED_EXIT: "nothing selected: -k (or the arguments) left no rule to check",
    INCOMPLETE_EXIT: "incomplete: no drift, but a rule has no verdict for lack of ids (--task-ids) or budget "
    "(--max-requests); the last line says which",
    FLAKY_EXIT: "flaky: no drift, nothing cut short, but a 5xx that did not repeat when sent again (listed apart)",
    GROUND_EXIT: "no ground: the server cannot be reached, does not answer as the API, or refuses the key",
}
"""What each exit status means, for `contract`, `diff` and `snapshot` alike."""


def exit_status(drift: bool, incomplete: bool, flaky: bool) -> int:
    """Return the exit status of a run that ran: drift first, then a run cut short, then a flaky server, else 0."""
    return DRIFT_EXIT if drift else INCOMPLETE_EXIT if incomplete else FLAKY_EXIT if flaky else 0
