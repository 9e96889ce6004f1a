"""Write `schemas/v2/` from the vendor's v2 OpenAPI document: the facts kept, the vendor's prose left behind.

    python scripts/derive_v2_schemas.py PATH/TO/openapi.json [SCHEMAS_DIR]

Each model of a generate, upscale, edit or background-remove request gets its own request schema
(`requests/<route>/<model>.json`), each action of the Midjourney and Suno action routes its own
(`requests/<route>/<action>.json`); a `<model>Params` object shared word for word by several models is
written once (`params/<name>.json`) and referred to. The answers and errors the routes give are
written beside them. Descriptions and examples are dropped: the schemas state rules, not the vendor's text.
Run it again on a newer document to see, in `git diff`, what the vendor changed.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

BASE = "https://apiframe-mock.invalid/schemas/v2/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
PROSE = {"description", "example", "examples", "title", "summary"}

ANSWERS = {
    "Job": "job.json",
    "JobAccepted": "job-accepted.json",
    "JobList": "job-list.json",
    "ErrorResponse": "error.json",
    "ValidationError": "validation-error.json",
    "InsufficientCredits": "insufficient-credits.json",
    "Me": "me.json",
    "ModelCatalog": "model-catalog.json",
    "ModelCatalogEntry": "model-catalog-entry.json",
    "Upload": "upload.json",
    "Lora": "lora.json",
    "LoraCreated": "lora-created.json",
    "LoraList": "lora-list.json",
    "AssetCreated": "asset-created.json",
    "CreateAssetRequest": "asset-request.json",
}
"""The document's component schemas that become one file each, by the file's name."""
DISCRIMINATOR = {"model": "model", "action": "action"}
"""The field whose one-value enum tells a request's branches apart, in the order they are tried."""


def strip(node: Any) -> Any:
    """Return `node` without prose, its references pointed at our files."""
    if isinstance(node, list):
        return [strip(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in PROSE and not isinstance(value, dict):
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = ANSWERS[value.rsplit("/", 1)[-1]]
        else:
            out[key] = strip(value)
    return out


def _tag(branch: dict[str, Any]) -> tuple[str, str]:
    for field in DISCRIMINATOR:
        values = branch.get("properties", {}).get(field, {}).get("enum", [])
        if len(values) == 1:
            return field, str(values[0])
    raise SystemExit(f"a request branch has neither a one-value model nor action enum: {sorted(branch)}")


def _document(path: str, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": BASE + path, **extra, **body}


def requests(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the request schema of each model or action of each job-creating route, and the shared params."""
    schemas = spec["components"]["schemas"]
    branches: list[tuple[str, str, str, str, dict[str, Any]]] = []
    for route, item in sorted(spec["paths"].items()):
        operation = item.get("post", {})
        content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        reference = content.get("schema", {}).get("$ref", "")
        request = schemas.get(reference.rsplit("/", 1)[-1], {})
        if "oneOf" not in request:
            continue
        folder = route.removeprefix("/v2/").replace("/", "-")
        for branch in request["oneOf"]:
            field, value = _tag(branch)
            branches.append((route, folder, field, value, strip(branch)))
    # A params object given word for word by every model that names it is written once.
    seen: dict[str, list[str]] = defaultdict(list)
    for *_, branch in branches:
        for name, value in branch["properties"].items():
            if name.endswith("Params"):
                seen[name].append(json.dumps(value, sort_keys=True))
    shared = {name for name, forms in seen.items() if len(set(forms)) == 1 and len(forms) > 1}
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(shared):
        params = json.loads(seen[name][0])
        out[f"params/{name}.json"] = _document(f"params/{name}.json", params)
    for route, folder, field, value, branch in branches:
        params = sorted(name for name in branch["properties"] if name.endswith("Params"))
        for name in params:
            if name in shared:
                branch["properties"][name] = {"$ref": f"../../params/{name}.json"}
        meta = {"route": route, field: value, **({"params": params[0]} if params else {})}
        path = f"requests/{folder}/{value}.json"
        out[path] = _document(path, branch, **{"x-v2": meta})
    return out


def answers(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the answer and error schemas, one file each."""
    schemas = spec["components"]["schemas"]
    return {file: _document(file, strip(schemas[name])) for name, file in ANSWERS.items()}


def main(argv: list[str]) -> int:
    """Derive `schemas/v2/` from the document named on the command line."""
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source = Path(argv[1])
    target = Path(argv[2]) if len(argv) == 3 else Path(__file__).resolve().parents[1] / "schemas"
    try:
        spec = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"{source}: cannot read the OpenAPI document: {error}", file=sys.stderr)
        return 1
    written = {**requests(spec), **answers(spec)}
    folder = target / "v2"
    shutil.rmtree(folder, ignore_errors=True)
    for name, document in written.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(written)} schemas to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
