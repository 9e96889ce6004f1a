"""schemas/v2/ is what the derivation script makes of the vendor's document: rerun, it changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import Api
from .vendor import REPOSITORY, v2_openapi

SCRIPT = REPOSITORY / "scripts" / "derive_v2_schemas.py"


def _files(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): path.read_text() for path in sorted(folder.rglob("*.json"))}


def test_the_script_derives_the_committed_schemas_from_the_document(tmp_path: Path) -> None:
    document = v2_openapi()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(document), str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("wrote 141 schemas to ")
    assert _files(tmp_path / "v2") == _files(REPOSITORY / "schemas" / "v2")


def test_the_script_names_a_document_it_cannot_read_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "openapi.json"
    done = subprocess.run([sys.executable, str(SCRIPT), str(missing), str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(f"{missing}: cannot read the OpenAPI document: ")
    assert len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "v2").exists()


def test_the_schemas_carry_none_of_the_vendors_prose() -> None:
    text = "".join(_files(REPOSITORY / "schemas" / "v2").values())
    assert '"description": "' not in text
    assert '"example' not in text


def test_openapi_json_lists_every_path_of_the_vendors_document(api: Api) -> None:
    vendor = json.loads(v2_openapi().read_text(encoding="utf-8"))
    document = api.send("GET", "/openapi.json").body
    assert {path for path in document["paths"] if path.startswith("/v2/")} == set(vendor["paths"])
