"""What production does where the docs are silent: the settings a calibration file gives the mock.

`apiframe-mock contract --calibrate FILE` writes them, as plain TOML, from what production did;
`serve --config FILE` and the plugin's ``config=`` marker option read them, so the mock answers those
points as production does. A file that is not TOML, names a setting that does not exist, gives one a
value it cannot take, or was written by a newer format is refused with the file, line and setting.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import UsageError

CALIBRATION_FORMAT = 1
"""The format of the files this version writes and reads; a newer one is refused."""
META_TABLE = "calibration"
"""The table that says which format wrote the file, when, and against which server."""
TABLES = {"auth": ("bearer_any_case",), "fetch": ("unknown_id_status",), "fetch_many": ("extra_keys_ignored",)}
"""The settings of each table, as a calibration file names them; the fields of `Calibration`."""
UNKNOWN_ID_STATUSES = range(400, 500)
"""What /fetch of an unknown id may answer: a client error, but none of `REFUSED_ELSEWISE`."""
REFUSED_ELSEWISE = (401, 403, 429)
"""Client errors that mean something else than "no such task" (a key refused, a limit hit)."""
_KINDS = {bool: "true or false", int: "a whole number"}
_ALLOWED = (
    f"{UNKNOWN_ID_STATUSES[0]}-{UNKNOWN_ID_STATUSES[-1]} but "
    f"{', '.join(map(str, REFUSED_ELSEWISE[:-1]))} and {REFUSED_ELSEWISE[-1]}"
)


@dataclass(frozen=True, slots=True)
class Calibration:
    """The mock's answers on the points the docs leave open; the defaults are its guesses."""

    bearer_any_case: bool = True
    """Whether ``bearer <key>`` (the scheme in another case than ``Bearer``) is accepted."""
    unknown_id_status: int = 400
    """The status of POST /fetch for an id that names no task."""
    extra_keys_ignored: bool = True
    """Whether POST /fetch-many ignores keys beside `task_ids` (else it refuses the body with 400)."""

    def values(self) -> dict[str, Any]:
        """Return each setting as ``table.name``: value."""
        return {f"{table}.{name}": getattr(self, name) for table, names in TABLES.items() for name in names}


def is_unknown_id_status(status: object) -> bool:
    """Say whether /fetch may answer `status` for an id that names no task."""
    return status in UNKNOWN_ID_STATUSES and status not in REFUSED_ELSEWISE


def load_calibration(path: Path | None) -> Calibration:
    """Read the calibration in the TOML file at `path` (the defaults when None), or raise UsageError saying why."""
    if path is None:
        return Calibration()
    document, text = read_toml(path)
    return calibration_from(document, text, path)


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Return the TOML file at `path` parsed, and its text; raise UsageError naming the file (and line) if not."""
    try:
        text = path.read_text(encoding="utf-8")
        return tomllib.loads(text), text
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the config file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None


def calibration_from(document: Mapping[str, Any], text: str, path: Path) -> Calibration:
    """Return the calibration in `document` (parsed from `text`, read from `path`), or raise UsageError."""
    meta = document.get(META_TABLE, {})
    written = meta.get("format", CALIBRATION_FORMAT) if isinstance(meta, dict) else CALIBRATION_FORMAT
    if not isinstance(written, int) or written > CALIBRATION_FORMAT:
        line = line_of(text, META_TABLE, "format")
        raise UsageError(
            f"{path}, line {line}: {META_TABLE}.format = {written!r} was written by a newer apiframe-mock; "
            f"this one reads format {CALIBRATION_FORMAT}: upgrade it"
        )
    values: dict[str, Any] = {}
    types = {field.name: type(field.default) for field in fields(Calibration)}
    for table, names in TABLES.items():
        given = document.get(table, {})
        for name, value in given.items() if isinstance(given, dict) else ():
            where = f"{path}, line {line_of(text, table, name)}: {table}.{name}"
            if name not in names:
                raise UsageError(f"{where} is not a setting; [{table}] takes {', '.join(names)}")
            if type(value) is not types[name]:
                raise UsageError(f"{where} = {value!r} is not {_KINDS[types[name]]}")
            if name == "unknown_id_status" and not is_unknown_id_status(value):
                raise UsageError(f"{where} = {value} is not a client error; give {_ALLOWED}")
            values[name] = value
    return Calibration(**values)


def line_of(text: str, table: str, key: str) -> int:
    """Return the line of `text` that sets `key` in `[table]` (the table's own line, else 1)."""
    current, found = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1)
            found = number if current == table and not found else found
        elif current == table and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return found or 1
