"""The control API under /__mock__/: one route table, one token check, and its part of /openapi.json.

tasks     the task routes, health and reset, through the engine's commands
settings  faults, submission pace, webhook records and the journal
table     the one route table (the dashboard's included): the Mount that serves it, its token checked
          once for every route but the dashboard's page (mockserver.http.keys)
openapi   the control API's paths in /openapi.json, from the same table
off       the 404 under /__mock__/ that says how to turn the control API on, while it is off
token     the token a command serves with: given, from the environment, or made up (serve and proxy)
"""

from __future__ import annotations

from .off import CONTROL_OFF, control_off_routes
from .openapi import add_control
from .table import CONTROL_ROUTES, build_control

__all__ = ["CONTROL_OFF", "CONTROL_ROUTES", "add_control", "build_control", "control_off_routes"]
