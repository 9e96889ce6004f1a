"""What a running mock holds: the key it accepts, where its state is kept, and how it reaches out."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

from .auth import AuthScheme, KeyCheck
from .calibration import Calibration
from .engine.files import Files
from .engine.fixtures import FixtureSet, load_fixtures
from .engine.store import MemoryStore, Store, TaskStore
from .engine.webhooks import TargetPolicy
from .limits import BODY_TIMEOUT_S

DEFAULT_API_KEY = "apiframe-mock-key"
MAX_MEDIA_KEPT_BYTES = 64 * 1024 * 1024
"""The most bytes of v1's uploads (/upload, /upload-audio, /suno-upload) a process keeps in `MockState.media`;
past it the oldest are forgotten, as a CDN would expire them. v2's are kept apart, in the store."""


@dataclass(slots=True)
class MockState:
    """The state behind one app: the key it accepts, its limits, and the store that keeps the rest."""

    keys: KeyCheck
    store: Store
    """Where the tasks, account, faults, pace, journal and webhook records are kept, and changed."""
    body_timeout_s: float = BODY_TIMEOUT_S
    webhook_targets: TargetPolicy = field(default_factory=TargetPolicy)
    workers: int = 1
    """Worker processes serving this state, each with its own copy unless the store is shared."""
    sdk_aliases: bool = False
    """Whether the paths only apiframe-sdk calls are served as the documented routes they stand for."""
    media: Files = field(default_factory=lambda: Files(MAX_MEDIA_KEPT_BYTES))
    """The files uploaded to this process, served back at the URLs their uploads answered."""
    calibration: Calibration = field(default_factory=Calibration)
    """How the mock answers where the docs are silent: its guesses, or what production was seen to do."""

    @property
    def workers_apart(self) -> bool:
        """Whether several worker processes each keep their own tasks: one made on one is unknown to the rest."""
        return self.workers > 1 and not self.store.shared

    @classmethod
    def from_fixtures(
        cls,
        fixtures: FixtureSet | None = None,
        api_key: str = DEFAULT_API_KEY,
        auth_scheme: AuthScheme = AuthScheme.BEARER_TOO,
    ) -> MockState:
        """Build the state serving `fixtures` (the bundled ones by default) behind `api_key`, in memory."""
        fixtures = fixtures or load_fixtures()
        tasks = TaskStore()
        # The records made here all live as long as the store: the collector, set off again and again by
        # so many new objects, would walk them all for nothing (100,000 tasks: 0.39-0.66 s, 0.24-0.31 without).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for task in fixtures.tasks:
                tasks.put(task, fixtures.timelines.get(task["task_id"]))
        finally:
            if collecting:
                gc.enable()
        return cls(KeyCheck(api_key, auth_scheme), MemoryStore(tasks, dict(fixtures.account)))

    def calibrate(
        self,
        calibration: Calibration,
        api_key: str,
        auth_scheme: AuthScheme,
        *,
        inactive: tuple[str, ...] = (),
        v1_refuses_v2_keys: bool = False,
    ) -> None:
        """Answer as `calibration` says where the docs are silent, accepting `api_key` in the forms it allows."""
        # The key check reads the calibration (which case of "Bearer" passes): set together, never apart.
        self.calibration = calibration
        self.keys = KeyCheck(api_key, auth_scheme, calibration.bearer_any_case, inactive, v1_refuses_v2_keys)
