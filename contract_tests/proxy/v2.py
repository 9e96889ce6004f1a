"""The proxy's judge of v2 traffic: the suite's v2 oracle on each exchange, and each job followed across them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..exchange import Exchange
from ..lifecycle_v2 import JobHistory, jobs_read
from ..oracle_v2 import V2_PREFIX, v2_problems, v2_rules_judged
from .judgement import Judgement


@dataclass(slots=True)
class V2Judge:
    """Judges v2 exchanges with `oracle_v2`, following at most `most_jobs` jobs for V2-JOB-FORWARD."""

    most_jobs: int
    history: JobHistory = field(default_factory=JobHistory)

    def covers(self, where: str) -> bool:
        """Say whether the v2 rules judge the route `where`: every path under /v2/, an unknown one included."""
        return where.partition(" ")[2].startswith(V2_PREFIX)

    def judge(self, exchange: Exchange, path: str, key: str) -> Judgement:
        """Return the v2 rules `exchange` was judged under and how it broke each; the app's own problems are v1's."""
        if exchange.answer is None:
            return Judgement({}, frozenset(), (), "")
        checked = set(v2_rules_judged(exchange))
        found = v2_problems(exchange)
        if jobs_read(exchange):
            # A job's history is the session's, so it is judged here each time, never from a judgement kept.
            checked.add("V2-JOB-FORWARD")
            moved = self.history.check(exchange)
            if moved is not None:
                found.setdefault("V2-JOB-FORWARD", moved)
            latest = self.history.latest
            while len(latest) > self.most_jobs:
                del latest[next(iter(latest))]
        return Judgement(found, frozenset(checked), (), "")
