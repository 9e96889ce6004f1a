"""The package's public surface is exactly what `__all__` lists, each name imported from its module on first use."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

import mockserver
from mockserver.plugin import MARKER_OPTIONS
from mockserver.testing.options import MockOptions


def test_all_lists_every_public_name_once_and_sorted() -> None:
    assert set(mockserver.__all__) == set(mockserver._HOMES)
    assert len(mockserver.__all__) == len(set(mockserver.__all__))
    assert mockserver.__all__ == sorted(mockserver.__all__, key=lambda name: (not name.isupper(), name))


def test_every_public_name_is_the_object_of_its_home_module() -> None:
    for name, home in mockserver._HOMES.items():
        assert getattr(mockserver, name) is getattr(importlib.import_module(f"mockserver.{home}"), name), name


def test_the_names_for_type_checkers_are_the_names_imported_at_run_time() -> None:
    tree = ast.parse(Path(mockserver.__file__).read_text(encoding="utf-8"))
    (checking,) = [node for node in tree.body if isinstance(node, ast.If)]
    typed = {
        alias.name: node.module for node in checking.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert typed == mockserver._HOMES


def test_dir_lists_the_public_names_and_an_unknown_name_is_an_attribute_error() -> None:
    assert set(mockserver.__all__) <= set(dir(mockserver))
    with pytest.raises(AttributeError, match="module 'mockserver' has no attribute 'nothing_here'"):
        _ = mockserver.nothing_here


def test_every_public_name_has_a_docstring() -> None:
    for name in mockserver.__all__:
        value = getattr(mockserver, name)
        if callable(value):
            assert value.__doc__, name


def test_loading_the_pytest_plugin_imports_neither_starlette_nor_uvicorn_nor_the_schemas() -> None:
    probe = (
        "import sys, mockserver.plugin; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'jsonschema', 'httpx'}), "
        "sorted(m for m in sys.modules if m.startswith('mockserver.') and m != 'mockserver.plugin'))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[] []"


def test_the_markers_options_are_the_fields_of_mock_options() -> None:
    assert tuple(option.name for option in fields(MockOptions)) == MARKER_OPTIONS
