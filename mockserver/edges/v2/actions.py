"""The parent of a Midjourney or Suno action: it must be a finished job of the right model with what is asked of it.

An action its parent cannot take is a 409, as the vendor answers it: a parent of another model, one not
COMPLETED, a track that it does not have, or an upsampled image asked to upsample again.
"""

from __future__ import annotations

from ...engine.factory import family_of
from ...engine.task import Task
from ...errors import Conflict, NotFound
from ...state import MockState
from ...wire import JSONObject, quote_id
from .convert import job_status
from .models import ACTION_PARENTS, JobRoute

GRID_FAMILIES = ("imagine", "variations")
"""The families of the jobs that show a grid, which upsample, variation and the rest act on."""


def _index_problem(body: JSONObject, parent: Task) -> str | None:
    # The schemas bound `index` by what every parent has (4 grid images, 2 tracks); a track id is free.
    track = body.get("trackId")
    tracks = [song.get("song_id") for song in parent.result.get("songs", [])]
    if track is not None and track not in tracks:
        return f"trackId {quote_id(str(track))} is none of the parent's tracks: {', '.join(map(str, tracks))}"
    return None


async def find_parent(state: MockState, route: JobRoute, body: JSONObject) -> str:
    """Return the model of the job a (schema-valid) action `body` acts on, or raise 404 or 409 saying why not."""
    parent_id = str(body["parentJobId"])
    parent = await state.store.current(parent_id)
    if parent is None or parent.model is None:
        raise NotFound(f"Parent job {quote_id(parent_id)} not found")
    models = ACTION_PARENTS[route.path]
    action = body["action"]
    if parent.model not in models:
        raise Conflict(
            f"Action {action} is not available for this job: it is a {parent.model} job, and "
            f"POST {route.path} acts on {', '.join(models)} jobs"
        )
    status = job_status(parent.status)
    if status != "COMPLETED":
        raise Conflict(f"Action {action} is not available for this job: it is {status}, not COMPLETED")
    if route.field == "action" and models == ("midjourney",) and family_of(parent.task_type) not in GRID_FAMILIES:
        raise Conflict(f"Action {action} is not available for this job: it shows one image, not a grid")
    problem = _index_problem(body, parent)
    if problem is not None:
        raise Conflict(f"Action {action} is not available for this job: {problem}")
    return parent.model
