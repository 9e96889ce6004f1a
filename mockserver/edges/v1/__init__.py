"""Apiframe's v1 API as an edge over the engine: its routes, request checks, error bodies and OpenAPI.

routes        POST /fetch-many (the hot path, kept free of per-request objects), /fetch, GET /account
keys          the key check (mockserver.http.keys on Authorization), stated once for every route
convert       the internal record <-> v1's task JSON, and the encodings kept for the fetch routes
checks        the fetch bodies, checked by hand to answer as the vendor does
endpoints     the submit endpoint table, read from schemas/submit/*.json and their x-submit entries
submitchecks  a submission's body against its request schema, then the task it acts on
hooks         the webhook_url and webhook_secret of a submission
submit        the submit endpoints as routes, creating tasks through the engine (from JSON, or a form's file)
uploads       POST /upload and /upload-audio, the files they keep served back, and the form a submission sends
errors        v1's error bodies
openapi       the OpenAPI document of the routes, built from schemas/
limits        the 2 to 20 ids of a fetch-many, read from its schema
edge          the Edge the app serves: the routes above, their fault names, what the 404 lists
"""

from __future__ import annotations

from .endpoints import Endpoint, load_endpoints
from .submit import SubmitState, build_submission_routes, submit

__all__ = ["Endpoint", "SubmitState", "build_submission_routes", "load_endpoints", "submit"]
