"""Hypothesis strategies building valid task objects of every documented type and status.

For property-testing code that parses Apiframe's answers. Hypothesis is imported when a strategy is
built, not when this module is, so the package stays quick to import for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine.factory import FINISHED, TASK_STATUSES, TASK_TYPES, Result, check_status, family_of, result_fields
from ..wire import JSONObject

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def tasks(task_type: str | None = None, status: str | None = None) -> SearchStrategy[JSONObject]:
    """Build valid task objects of `task_type` in `status` (any documented type and status when None)."""
    from hypothesis import strategies as st

    if task_type is not None:
        family_of(task_type)
    types = [task_type] if task_type is not None else list(TASK_TYPES)
    statuses = [check_status(status)] if status is not None else list(TASK_STATUSES)
    pairs = st.tuples(st.sampled_from(types), st.sampled_from(statuses))
    return pairs.flatmap(lambda pair: _task(*pair))


def task_ids() -> SearchStrategy[str]:
    """Build task ids as the docs show them: UUIDs, or (in an older revision) strings of 12-13 digits."""
    from hypothesis import strategies as st

    return st.one_of(st.uuids().map(str), st.integers(10**11, 10**13 - 1).map(str))


def percentages() -> SearchStrategy[str | int]:
    """Build progress values as the docs show them: a whole-number string, or a whole number, 0 to 100."""
    from hypothesis import strategies as st

    return st.one_of(st.integers(0, 100).map(str), st.integers(0, 100))


def _task(task_type: str, status: str) -> SearchStrategy[JSONObject]:
    from hypothesis import strategies as st

    required: dict[str, SearchStrategy[Any]] = {
        "task_id": task_ids(),
        "task_type": st.just(task_type),
        "status": st.just(status),
    }
    optional: dict[str, SearchStrategy[Any]] = {}
    if status == FINISHED:
        required.update({name: _result(kind) for name, kind in result_fields(task_type).items()})
    elif status == "failed":
        required["message"] = _text(min_size=1)
        optional["error"] = _text(min_size=1)
    else:
        optional["percentage"] = percentages()
    return st.fixed_dictionaries(required, optional=optional)


# Prompts, lyrics and messages as Apiframe sends them: several scripts, emoji, markdown and newlines.
# A fixed alphabet keeps the first draw fast: Hypothesis's full-Unicode text builds a character
# table the first time it runs on a machine (about 3 s), which fails its own too_slow health check.
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n\t.,;:!?'\"-_*#()[]{}/\\<>@&%+=~`|"
    "éèêàçñöüßøåœÉÀÇÑÖÜ—–…«»“”‘’€£¥°±×÷ΑΒΓαβγδλπΩЖжЯяשלוםمرحبا中文日本語한국어ไทย😀🎨🖼️1️⃣2️⃣3️⃣4️⃣\u200b\u00a0"  # noqa: RUF001 - deliberately look-alike characters
)


def _text(min_size: int = 0) -> SearchStrategy[str]:
    from hypothesis import strategies as st

    return st.text(_ALPHABET, min_size=min_size)


def _result(kind: Result) -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    if kind is Result.IMAGE:
        return _urls("png")
    if kind is Result.IMAGE_GRID:
        return st.lists(_urls("png"), min_size=1, max_size=4)
    if kind is Result.VIDEO:
        return _urls("mp4")
    if kind is Result.VIDEOS:
        return st.lists(_urls("mp4"), min_size=1, max_size=4)
    if kind is Result.PROMPTS:
        return st.lists(_text(), min_size=1, max_size=4)
    if kind in (Result.MARKDOWN, Result.TEXT, Result.TITLE, Result.LYRICS):
        return _text()
    if kind is Result.SEED_DIGITS:
        return st.integers(0, 2**32 - 1).map(str)
    if kind is Result.SEED_NUMBER:
        return st.integers(0, 2**32 - 1)
    if kind is Result.SONGS:
        song = st.fixed_dictionaries(
            {"song_id": _text(min_size=1), "audio_url": st.none() | _urls("mp3")},
            optional={
                "lyrics": st.none() | _text(),
                "image_url": st.none() | _urls("jpeg"),
                "video_url": st.none() | _urls("mp4"),
            },
        )
        return st.lists(song, min_size=1, max_size=2)
    return st.just(100)


def _urls(extension: str) -> SearchStrategy[str]:
    from hypothesis import strategies as st

    names = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=40)
    return names.map(lambda name: f"https://cdn.example.invalid/{name}.{extension}")
