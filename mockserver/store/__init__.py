"""The store: where a mock's state is kept, behind one interface.

base    Store, the interface: attributes every process reads without a round trip, and the
changes and counts every process must agree on, as async methods
tasks   TaskStore, the tasks as one process sees them, each kept encoded for fetch-many
memory  MemoryStore, everything in this process (the default)
progress  advance_task, moving a stored task on by hand
"""

from __future__ import annotations

from .base import Store
from .memory import MemoryStore
from .progress import advance_task
from .tasks import TaskStore

__all__ = ["MemoryStore", "Store", "TaskStore", "advance_task"]
