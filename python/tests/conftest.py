"""Shared fixtures of the faultline Python tests (python/tests, run by ctest: label python).

ctest sets FAULTLINE_BIN (the CLI of the same build), FAULTLINE_SOURCE_DIR and
PYTHONPATH (the package in the build tree). Nothing here is skipped quietly: without
the CLI the tests fail and say why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("FAULTLINE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SANITIZED = os.environ.get("FAULTLINE_SANITIZED") == "1"


def cli_path() -> str:
    binary = os.environ.get("FAULTLINE_BIN")
    if not binary or not os.path.exists(binary):
        pytest.fail("FAULTLINE_BIN must name the faultline binary (ctest sets it)")
    return binary


@pytest.fixture(scope="session")
def cli() -> str:
    return cli_path()


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([cli_path(), *args], capture_output=True, text=True, timeout=900)
    if check and done.returncode not in (0, 1):  # 1: expectations failed, still written
        raise AssertionError(f"faultline {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


@pytest.fixture
def small(tmp_path) -> Path:
    """tests/data/small.yaml with fewer borrowers: seconds in a Debug build."""
    import faultline

    return faultline.load_scenario(SOURCE / "tests/data/small.yaml").with_(
        population={"borrowers": 4000}
    ).save(tmp_path / "small.yaml")


def estimates(document: dict) -> dict:
    """Every estimate of a results.json: (point, strategy, kind, metric) → the estimate."""
    out = {}
    for point in document["points"]:
        for st in point["strategies"]:
            for kind in ("metrics", "difference_to_reference"):
                for metric, e in st[kind].items():
                    out[(point["index"], st["name"], kind, metric)] = e
    return out


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def python() -> str:
    return sys.executable
