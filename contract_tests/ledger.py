"""Rules that every answer must keep, whichever test asked: checked on each exchange as it happens.

A test about the bounds asks whether a 21-id request gets 400; whether that 400 is JSON and has
the documented shape is a different rule, and whether a task it shows is where it was or further on
than when the run last saw it (TASK-FORWARD) another. The ledger holds those other rules to every answer of the
run, so each drift is reported once, under its own rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .exchange import Answer, Exchange
from .lifecycle import TaskHistory
from .lifecycle_v2 import JobHistory
from .oracle import content_type_problem, error_400_problem, ok_shape_problem, server_error_problem
from .oracle_v2 import V2_PREFIX


@dataclass(frozen=True, slots=True)
class Breach:
    """One exchange that broke a rule, and how."""

    reason: str
    exchange: Exchange


Check = Callable[[Exchange], str | None]
"""Says how an exchange breaks a rule, or None when it keeps it."""


def _answered(exchange: Exchange) -> str | None:
    return None if exchange.answer is not None else f"no answer: {exchange.problem}"


def _always(exchange: Exchange, answer: Answer) -> bool:
    return True


def on_answer(check: Callable[[Answer], str | None], when: Callable[[Exchange, Answer], bool] = _always) -> Check:
    """Hold the answer of an exchange to `check` when `when` says so; an exchange without one passes."""

    def run(exchange: Exchange) -> str | None:
        answer = exchange.answer
        return check(answer) if answer is not None and when(exchange, answer) else None

    return run


def _is_400(exchange: Exchange, answer: Answer) -> bool:
    return answer.status == 400


def _is_fetch_many_200(exchange: Exchange, answer: Answer) -> bool:
    return answer.status == 200 and exchange.request.path == "/fetch-many"


def ledger_checks() -> dict[str, tuple[Check, ...]]:
    """Return the checks of each ledger rule, fresh: TASK-FORWARD's remembers every task it has been shown."""
    return {
        "CONTENT-TYPE": (_answered, on_answer(content_type_problem)),
        "NO-5XX": (on_answer(server_error_problem),),
        "ERROR-SHAPE": (on_answer(error_400_problem, _is_400),),
        "OK-SHAPE": (on_answer(ok_shape_problem, _is_fetch_many_200),),
        "TASK-FORWARD": (TaskHistory().check,),
    }


def v2_ledger_checks() -> dict[str, tuple[Check, ...]]:
    """Return the checks of each v2 ledger rule, fresh: V2-JOB-FORWARD's remembers every job it has been shown."""
    return {
        "V2-CONTENT-TYPE": (_answered, on_answer(content_type_problem)),
        "V2-NO-5XX": (on_answer(server_error_problem),),
        "V2-JOB-FORWARD": (JobHistory().check,),
    }


LEDGER_RULES = tuple(ledger_checks())
"""The ids of the v1 rules the ledger holds every answer of v1 to."""
V2_LEDGER_RULES = tuple(v2_ledger_checks())
"""The ids of the v2 rules the ledger holds every answer under /v2 to."""


def _all_checks() -> dict[str, tuple[Check, ...]]:
    return {**ledger_checks(), **v2_ledger_checks()}


@dataclass(slots=True)
class Ledger:
    """Every breach of the ledger rules seen in a run, by rule id."""

    breaches: dict[str, list[Breach]] = field(default_factory=dict)
    seen: int = 0
    checks: dict[str, tuple[Check, ...]] = field(default_factory=_all_checks)

    def observe(self, exchange: Exchange) -> None:
        """Hold `exchange` to every ledger rule of its version (v2's under /v2/, else v1's), recording each breach."""
        self.seen += 1
        rules = V2_LEDGER_RULES if exchange.request.path.startswith(V2_PREFIX) else LEDGER_RULES
        for rule_id, checks in self.checks.items():
            if rule_id not in rules:
                continue
            for check in checks:
                reason = check(exchange)
                if reason is not None:
                    self.breaches.setdefault(rule_id, []).append(Breach(reason, exchange))
                    break

    def minimal(self, rule_id: str) -> Breach | None:
        """Return the breach of `rule_id` with the smallest request, or None when it held."""
        found = self.breaches.get(rule_id, [])
        return min(found, key=lambda breach: breach.exchange.size()) if found else None
