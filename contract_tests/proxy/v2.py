"""The proxy's judge of v2 traffic: the suite's v2 oracle on each exchange, and each job followed across them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..exchange import Exchange
from ..lifecycle_v2 import JobHistory, jobs_read
from ..oracle_v2 import v2_problems, v2_rules_judged


@dataclass(slots=True)
class V2Judge:
    """Judges v2 exchanges with `oracle_v2`, following at most `most_jobs` jobs for V2-JOB-FORWARD."""

    most_jobs: int
    history: JobHistory = field(default_factory=JobHistory)

    def judge(self, exchange: Exchange) -> tuple[set[str], dict[str, str]]:
        """Return the v2 rules the exchange was judged under, and how it broke each it broke."""
        checked = set(v2_rules_judged(exchange))
        found = v2_problems(exchange)
        if jobs_read(exchange):
            checked.add("V2-JOB-FORWARD")
            moved = self.history.check(exchange)
            if moved is not None:
                found.setdefault("V2-JOB-FORWARD", moved)
            latest = self.history.latest
            while len(latest) > self.most_jobs:
                del latest[next(iter(latest))]
        return checked, found
