"""The state on Redis, shared by every process and host that names the same URL and prefix.

Each process keeps a copy of the tasks and settings that Redis tells it to refresh (publish and
subscribe), so a steady task is answered without a round trip. A change waits until every
subscribed process has applied it, so it is seen everywhere once its call has returned. Counts
(polls of a task on a timeline, fault calls and their `next`, the journal) are made in Redis by
scripts, so each counts once whichever process made it. A task's webhooks are sent by the process
that took its submission, so they go out in order.

keys      the names of a namespace's keys
link      one process's clients, whether it can answer now, and failures said once a while
bus       telling every process of a change, and waiting until each applied it
seed      what a namespace holds at first, and how records go into a process's copy
follower  keeping a process's copy current, and sending the webhooks of the tasks it took
history   the journal and the webhook delivery records
store     RedisStore, the Store over them
"""

from __future__ import annotations

from .store import RedisStore

__all__ = ["RedisStore"]
