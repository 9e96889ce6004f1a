"""The package's public surface is exactly what `__all__` lists."""

from __future__ import annotations

import mockserver


def test_all_lists_every_public_name_once_and_sorted() -> None:
    public = {name for name in vars(mockserver) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(mockserver, name)).__name__ == "module"}
    assert set(mockserver.__all__) == public - modules - {"annotations"}
    assert mockserver.__all__ == sorted(mockserver.__all__, key=lambda name: (not name.isupper(), name))


def test_every_public_name_has_a_docstring() -> None:
    for name in mockserver.__all__:
        value = getattr(mockserver, name)
        if callable(value):
            assert value.__doc__, name
