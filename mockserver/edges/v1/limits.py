"""v1's request limits, read from its request schema so that the schema stays the one source."""

from __future__ import annotations

from ...schemas import bundled_schemas

_TASK_IDS = bundled_schemas().documents["fetch-many-request.json"]["properties"]["task_ids"]

MIN_TASK_IDS: int = _TASK_IDS["minItems"]
MAX_TASK_IDS: int = _TASK_IDS["maxItems"]
