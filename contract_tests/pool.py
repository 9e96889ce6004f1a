"""Task ids to put in requests: the known ones, picked by index, and unknown ones to fill up with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

UNKNOWN_PREFIX = "contract-unknown-"


@dataclass(frozen=True, slots=True)
class IdPool:
    """The ids known to exist on the target (maybe none), and a supply of ids that do not."""

    known: tuple[str, ...]

    def pick(self, indices: Sequence[int]) -> list[str]:
        """Return the known id at each index (modulo their number), repeats kept; [] without known ids."""
        return [self.known[index % len(self.known)] for index in indices] if self.known else []

    def distinct(self, count: int) -> list[str]:
        """Return `count` distinct ids: known ones first, then unknown ones."""
        chosen = list(self.known[:count])
        return chosen + self.unknown(count - len(chosen))

    def unknown(self, count: int) -> list[str]:
        """Return `count` distinct ids that no account holds."""
        return [f"{UNKNOWN_PREFIX}{number:04d}" for number in range(count)]

    def is_known(self, task_id: str) -> bool:
        """Say whether `task_id` is one of the known ids."""
        return task_id in self.known
