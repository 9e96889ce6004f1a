"""v2's job-creating routes and what each of their models (or actions) asks for, read from `schemas/v2/requests/`.

A v2 job is an engine task: its `task_type` is that of the v1 family whose finished fields the job's
`result` is made from (one image: ``upscale``; a Midjourney grid: ``imagine``; one video: ``luma``;
four videos: ``imagine-video``; tracks: ``suno``), so the engine moves it as it moves any task.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...schemas import SchemaSet, bundled_schemas

REQUESTS = "v2/requests/"
"""The folder under `schemas/` with one request schema per model, or per action, of each route."""

MODALITY = {"images": "image", "videos": "video", "music": "music"}
"""The modality of a route, by its first segment after /v2/."""
CREDIT_COST = {"image": 4, "video": 40, "music": 10}
"""What a job costs, by modality: the vendor publishes no prices the mock could copy (assumed)."""

_TASK_TYPES = {"image": "upscale", "video": "luma", "music": "suno"}
_OWN_TASK_TYPES = {"midjourney": "imagine", "midjourney-video": "imagine-video"}
_ACTION_TASK_TYPES = {
    "upsample": "upscale",
    "variation": "variations",
    "inpaint": "inpaint",
    "outpaint": "outpaint-zoom",
    "pan": "pan-{direction}",
}
ACTION_PARENTS = {"/v2/images/midjourney/action": ("midjourney",), "/v2/music/suno/action": ("suno",)}
"""The models whose jobs each action route acts on."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One model (or action) of a job-creating route: its request schema and the job it makes."""

    route: str
    name: str
    """The model (``flux-1.1-pro``) or the action (``upsample``)."""
    schema: str
    modality: str
    task_type: str
    """The engine task type of its jobs, or a template of the body's fields (``pan-{direction}``)."""

    @property
    def credit_cost(self) -> int:
        """What one job of this variant costs."""
        return CREDIT_COST[self.modality]

    def task_type_for(self, body: Mapping[str, Any]) -> str:
        """Return the task type of the job a (valid) `body` creates."""
        return self.task_type.format_map({name: str(value) for name, value in body.items()})


@dataclass(frozen=True, slots=True)
class JobRoute:
    """A POST route that creates jobs: its path, the field that picks the variant, and the variants by name."""

    path: str
    field: str
    """``model`` or ``action``."""
    variants: Mapping[str, Variant]

    @property
    def name(self) -> str:
        """The route's name as faults and pace settings give it (``images/generate``)."""
        return self.path.removeprefix("/v2/")


def _variant(name: str, document: Mapping[str, Any]) -> Variant:
    meta = document["x-v2"]
    route = meta["route"]
    modality = MODALITY[route.split("/")[2]]
    key = meta.get("model") or meta["action"]
    if "action" in meta:
        task_type = _ACTION_TASK_TYPES.get(key, _TASK_TYPES[modality])
    else:
        task_type = _OWN_TASK_TYPES.get(key, _TASK_TYPES[modality])
    return Variant(route, key, name, modality, task_type)


def _routes(schemas: SchemaSet) -> dict[str, JobRoute]:
    found: dict[str, dict[str, Variant]] = {}
    fields: dict[str, str] = {}
    for name, document in sorted(schemas.documents.items()):
        if name.startswith(REQUESTS):
            variant = _variant(name, document)
            found.setdefault(variant.route, {})[variant.name] = variant
            fields[variant.route] = "action" if "action" in document["x-v2"] else "model"
    return {path: JobRoute(path, fields[path], variants) for path, variants in sorted(found.items())}


@cache
def job_routes() -> dict[str, JobRoute]:
    """Return every job-creating route of the bundled schemas, by path."""
    return _routes(bundled_schemas())


@cache
def models() -> dict[str, Variant]:
    """Return every model of every route that takes a `model`, by name."""
    return {
        name: variant
        for route in job_routes().values()
        if route.field == "model"
        for name, variant in route.variants.items()
    }
