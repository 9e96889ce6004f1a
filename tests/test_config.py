"""Fault plans from the command line: --config TOML files and --fault flags, errors naming the file or flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver import UsageError
from mockserver.cli.config import load_fault_plan, parse_fault_flag

CONFIG = """
seed = 7

[[faults]]
route = "fetch-many"
kind = "error"
probability = 0.25

[[faults]]
kind = "latency"
min_ms = 10
max_ms = 50
"""


def test_a_config_file_and_flags_combine(tmp_path: Path) -> None:
    path = tmp_path / "mock.toml"
    path.write_text(CONFIG)
    plan = load_fault_plan(path, ["account:rate_limit:next=2,retry_after=5"])
    assert plan.to_json() == {
        "seed": 7,
        "faults": [
            {"kind": "error", "route": "fetch-many", "probability": 0.25},
            {"kind": "latency", "route": "*", "min_ms": 10, "max_ms": 50},
            {"kind": "rate_limit", "route": "account", "next": 2, "retry_after": 5},
        ],
    }


def test_the_seed_flag_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mock.toml"
    path.write_text(CONFIG)
    assert load_fault_plan(path, seed=99).seed == 99


def test_no_config_and_no_flags_is_no_fault() -> None:
    assert not load_fault_plan(None)


@pytest.mark.parametrize(
    ("flag", "spec"),
    [
        ("fetch:drop", {"route": "fetch", "kind": "drop"}),
        (
            "*:slow_body:chunk_bytes=8,delay_ms=2.5",
            {"route": "*", "kind": "slow_body", "chunk_bytes": 8, "delay_ms": 2.5},
        ),
    ],
)
def test_a_fault_flag_reads_naturally(flag: str, spec: dict[str, object]) -> None:
    assert parse_fault_flag(flag) == spec


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        (
            "error",
            "--fault 'error' is not of the form ROUTE:KIND[:key=value,...], e.g. fetch-many:error:probability=0.1",
        ),
        ("fetch:error:next", "--fault 'fetch:error:next': option 'next' is not key=value; the form is ROUTE:KIND"),
        ("fetch:boom", "--fault: faults are not valid: faults[0].kind: 'boom' is not one of"),
        ("fetch:error:next=0", "--fault: faults are not valid: faults[0].next: 0 is less than the minimum of 1"),
    ],
)
def test_a_bad_flag_names_itself(flag: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        load_fault_plan(None, [flag])
    assert str(caught.value).startswith(message)


def test_a_file_that_is_not_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "mock.toml"
    path.write_text("seed = 7\nfaults = [\nkind = 3\n")
    with pytest.raises(UsageError) as caught:
        load_fault_plan(path)
    assert str(caught.value).startswith(f"{path}: not valid TOML: ")
    assert "line 3" in str(caught.value)


def test_a_bad_fault_in_the_file_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "mock.toml"
    path.write_text('[[faults]]\nkind = "error"\nprobability = 1.5\n')
    with pytest.raises(UsageError) as caught:
        load_fault_plan(path)
    assert (
        str(caught.value)
        == f"{path}: faults are not valid: faults[0].probability: 1.5 is greater than the maximum of 1"
    )


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_fault_plan(tmp_path / "absent.toml")
    assert str(caught.value) == f"{tmp_path / 'absent.toml'}: cannot read the config file (No such file or directory)"
