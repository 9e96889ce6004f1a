"""`serve` and v2: one --api-key for both versions, and keys switched off with --inactive-key."""

from __future__ import annotations

from pathlib import Path

import httpx

from .test_cli import serving


def test_one_api_key_serves_both_versions_and_an_inactive_key_is_403() -> None:
    with serving("--api-key", "afk_team-key", "--inactive-key", "afk_old-key") as (url, _):
        assert httpx.get(f"{url}/account", headers={"Authorization": "afk_team-key"}).status_code == 200
        assert httpx.get(f"{url}/v2/me", headers={"X-API-Key": "afk_team-key"}).status_code == 200
        old = httpx.get(f"{url}/v2/me", headers={"X-API-Key": "afk_old-key"})
        assert (old.status_code, old.json()) == (403, {"error": "API key is inactive"})
        unknown = httpx.get(f"{url}/v2/me", headers={"X-API-Key": "afk_other"})
        assert (unknown.status_code, unknown.json()) == (401, {"error": "Invalid API key"})


def test_v1_refuses_afk_keys_only_when_told_to() -> None:
    with serving("--api-key", "afk_team-key", "--v1-refuses-afk-keys") as (url, _):
        for sent in ("afk_team-key", "Bearer afk_team-key"):
            assert httpx.get(f"{url}/account", headers={"Authorization": sent}).status_code == 401
        assert httpx.get(f"{url}/v2/me", headers={"X-API-Key": "afk_team-key"}).status_code == 200


def test_a_calibration_and_the_key_flags_hold_together() -> None:
    calibrated = str(Path(__file__).resolve().parent / "data" / "calibration.toml")
    with serving("--config", calibrated, "--api-key", "afk_team-key", "--inactive-key", "afk_old-key") as (url, _):
        lower = httpx.get(f"{url}/account", headers={"Authorization": "bearer afk_team-key"})
        assert (lower.status_code, lower.json()) == (401, {})
        assert httpx.get(f"{url}/account", headers={"Authorization": "Bearer afk_team-key"}).status_code == 200
        old = httpx.get(f"{url}/v2/me", headers={"X-API-Key": "afk_old-key"})
        assert (old.status_code, old.json()) == (403, {"error": "API key is inactive"})
