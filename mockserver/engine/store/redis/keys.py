"""The names of a namespace's keys in Redis, all under one prefix."""

from __future__ import annotations

_STATE = (
    "tasks",
    "polls",
    "account",
    "faults",
    "next_left",
    "calls",
    "submissions",
    "journal",
    "journal_bytes",
    "journal_dropped",
    "deliveries",
    "ledger_spent",
    "ledger_claims",
    "version",
    "changes",
    "start_tasks",
    "start_account",
    "start_faults",
    "start_submissions",
    "seeding",
    "processes",
)


class Keys:
    """The names of a namespace's keys in Redis."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        for name in _STATE:
            setattr(self, name, f"{prefix}:{name}")

    tasks: str
    polls: str
    account: str
    faults: str
    next_left: str
    calls: str
    submissions: str
    journal: str
    journal_bytes: str
    journal_dropped: str
    deliveries: str
    ledger_spent: str
    ledger_claims: str
    version: str
    changes: str
    start_tasks: str
    start_account: str
    start_faults: str
    start_submissions: str
    seeding: str
    processes: str

    def acks(self, version: str) -> str:
        """Where the processes say they applied change `version`."""
        return f"{self.prefix}:acks:{version}"

    def all(self) -> list[str]:
        """Every key of the namespace that holds state."""
        return [getattr(self, name) for name in _STATE]
