"""The package's layers, read from its imports: the engine below, the edges above it, nothing importing upward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mockserver"
LAYERS = (
    (
        "wire",
        "errors",
        "paths",
        "schemas",
        "limits",
        "prefixes",
        "wording",
        "numbers",
        "auth",
        "arguments",
        "openapi",
        "calibration",
    ),
    ("engine",),
    ("state",),
    ("http",),
    ("edges",),
    ("answers", "dashboard"),
    ("control",),
    ("app", "server"),
    ("testing",),
    ("cli",),
    ("plugin", "__init__", "__main__"),
)
"""The top-level modules and subpackages, lowest first: each may import only its own layer and those below."""
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in PACKAGE.rglob("*.py")
    }


def _imports(name: str, path: Path) -> set[str]:
    """Return the package's modules that `name` imports, wherever in the module (lazy imports too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found |= {f"{module}.{alias.name}" for alias in node.names} | {module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    modules = _modules()
    return {module for module in found if module in modules and module != name}


def _layer(module: str) -> int:
    part = module.split(".")[1] if "." in module else "__init__"
    layer = next((number for number, names in enumerate(LAYERS) if part in names), None)
    assert layer is not None, f"mockserver.{part} is in no layer: add it to LAYERS, at the lowest it can sit"
    return layer


GRAPH = {name: _imports(name, path) for name, path in _modules().items()}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_module_imports_nothing_above_its_layer(module: str) -> None:
    upward = sorted(name for name in GRAPH[module] if _layer(name) > _layer(module))
    assert upward == [], f"{module} imports upward"


def test_no_two_modules_import_each_other() -> None:
    both = sorted((a, b) for a, imports in GRAPH.items() for b in imports if a < b and a in GRAPH[b])
    # A package's __init__ re-exports its modules, which may import a sibling through it: not a cycle of modules.
    assert [(a, b) for a, b in both if not b.startswith(a + ".")] == []


def test_the_engine_knows_no_edge_and_no_router() -> None:
    engine = {name: imports for name, imports in GRAPH.items() if name.startswith("mockserver.engine")}
    assert {name for name, imports in engine.items() if any(".edges" in module for module in imports)} == set()
    routers = {name for name in engine if "starlette.routing" in _modules()[name].read_text(encoding="utf-8")}
    assert routers == set()


def test_every_module_is_under_the_size_where_it_splits() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    assert {name: size for name, size in sizes.items() if size > MAX_LINES} == {}
