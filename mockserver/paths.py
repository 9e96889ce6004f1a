"""Where the bundled schemas and default fixtures live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the bundled data folder `name` (``schemas`` or ``fixtures``)."""
    # The wheel carries the folders inside the package; a checkout (or an editable install) has
    # them at the repository's top level, beside the package.
    bundled = _PACKAGE / "_data" / name
    return bundled if bundled.is_dir() else _PACKAGE.parent / name


def default_schemas_dir() -> Path:
    """Return the folder of JSON Schemas that is the contract."""
    return data_dir("schemas")


def default_fixtures_dir() -> Path:
    """Return the folder of fixture tasks the mock serves when none is given."""
    return data_dir("fixtures")
