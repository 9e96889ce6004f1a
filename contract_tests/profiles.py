"""The suite's Hypothesis profiles: thorough on this machine, small for the project's proofs, gentle live."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

LOCAL = "contract"
QUICK = "contract-quick"
LIVE = "live"

_COMMON = settings(
    deadline=None,
    # No example database: each run follows its printed seed alone and writes nothing to disk.
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def register_profiles() -> None:
    """Register the three profiles with Hypothesis."""
    settings.register_profile(LOCAL, _COMMON, max_examples=100)
    # Quick: no shrinking; the project's proofs ask only whether a rule drifted, and the explicit examples
    # are already minimal.
    settings.register_profile(QUICK, _COMMON, max_examples=6, phases=[Phase.explicit, Phase.generate])
    # Live: the explicit examples alone, the edges of every input, the same every night. With them the run
    # fits its request budget with room for retries; generated cases would not (every test has an example).
    settings.register_profile(LIVE, _COMMON, phases=[Phase.explicit])
