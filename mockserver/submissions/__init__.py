"""Submissions: the submit endpoints (/imagine, /upscale-1x, ...) and the lifecycle of the tasks they create.

endpoints  the endpoint table, read from schemas/submit/*.json and their x-submit entries
checks     a body against its request schema, then the task it acts on (parent_task_id, task_id)
magic      [mock:fail], [mock:stall], [mock:slow] in a body bend its task's lifecycle
lifecycle  the pace (by polls or seconds, every N) and the timeline a submitted task follows
hooks      each step a task comes to goes to its webhook_url, through the webhook dispatcher
routes     the Starlette routes, which need only `SubmitState` of the mock's state
"""

from __future__ import annotations

from .endpoints import Endpoint, load_endpoints
from .lifecycle import COMMAND_LINE_PACE, PLUGIN_PACE, Pace, Submissions
from .magic import MAGIC_FORMS
from .routes import SubmitState, build_submission_routes, submit

__all__ = [
    "COMMAND_LINE_PACE",
    "MAGIC_FORMS",
    "PLUGIN_PACE",
    "Endpoint",
    "Pace",
    "Submissions",
    "SubmitState",
    "build_submission_routes",
    "load_endpoints",
    "submit",
]
