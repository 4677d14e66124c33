"""The benchmark command and the plans it measures: correctness only, never timings.

The machine the tests run on may be busy, so nothing here asserts how long
anything takes; ``benchmarks/run.py`` prints the figures.
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import jointbonus

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

# sha256 of the plain plan's four files at 1,000 members, as written before
# the other shapes were added: the figures in benchmarks/README.md are for it.
PLAIN_1000 = "45980afc2fe9e59c5a2d043985120c6655b7a0bde865dff28397162d00e2336e"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


synth = _module("synth")
bench = _module("run")


def test_help_names_the_modes() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for option in ("--quick", "--million", "--timeout", "--compare", "--save"):
        assert option in done.stdout


def test_the_plain_plan_is_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    synth.write_shape(folder, "plain", 1_000)
    digest = hashlib.sha256()
    for name in ("plan.toml", "roster.csv", "history.csv", "plan_months.csv"):
        digest.update((folder / name).read_bytes())
    assert digest.hexdigest() == PLAIN_1000


@pytest.mark.parametrize("shape", synth.SHAPES)
def test_each_shape_is_a_plan_the_loader_reads(tmp_path: Path, shape: str) -> None:
    plan_file = synth.write_shape(tmp_path / "a", shape, 50)
    again = synth.write_shape(tmp_path / "b", shape, 50)
    for name in ("plan.toml", "roster.csv", "history.csv", "plan_months.csv"):
        assert (plan_file.parent / name).read_bytes() == (again.parent / name).read_bytes()
    plan = jointbonus.load_plan(plan_file)
    summary = jointbonus.result_document(jointbonus.run(plan), lines=False)["summary"]
    if shape.startswith("cap_"):
        assert float(summary["capped_to_date"]) > 0  # the caps bind
    assert plan.weighted == (shape in ("goals", "cap_month", "cap_year"))
    if shape == "individual":
        assert plan.funding is jointbonus.FundingStyle.INDIVIDUAL


def _measurement(job: str, size: int, **fields: Any) -> dict[str, Any]:
    blank = dict.fromkeys(("timeout", "stopped_at", "error"))
    base = {"job": job, "size": size, "load": 1.0, "wall": 1.0, "cpu": 1.0, "peak_mb": 50.0}
    return {**base, "phases": {}, "began": {}, **blank, **fields}


def _document(measurements: list[dict[str, Any]]) -> dict[str, Any]:
    meta = {"label": "x", "path": "x", "date": "today", "python": "3", "cpus": 2, "repeat": 1}
    meta |= {"slow": 30.0, "timeout": 10.0, "load": {"median": 1.0, "min": 1.0, "max": 1.0}}
    return {"meta": meta, "cells": bench.summarise(measurements), "checks": {}}


def test_a_stopped_step_reads_as_a_lower_bound_and_compares() -> None:
    stopped = {"timeout": 10.0, "stopped_at": 11.6, "began": {"load": 0.5, "calibrate": 1.6}}
    before = _document(
        [
            _measurement("plain", 1_000, phases={"pipeline": [0.5, 0.5]}),
            _measurement("plain", 10_000, phases={"pipeline": [5.0, 5.0]}),
            _measurement("cap_year", 1_000, phases={"load": [0.1, 0.1], "calibrate": [2.0, 2.0]}),
            _measurement("cap_year", 10_000, phases={"load": [1.0, 1.0]}, **stopped),
        ]
    )
    after = _document(
        [
            _measurement("plain", 1_000, phases={"pipeline": [0.5, 0.5]}),
            _measurement("cap_year", 10_000, phases={"calibrate": [1.7, 1.7]}),
        ]
    )
    assert before["cells"]["cap_year"]["10000"]["above"] == 10.0
    text = "\n".join(bench.report(before))
    assert "> 10.0" in text
    assert "| plain: load_plan -> run -> write_results |" in text
    # 2 s -> more than 10 s for 10 x the members: a slope above 0.70.
    assert bench.slope_text(before["cells"]["cap_year"]) == "> 0.70"
    assert bench.slope_text(before["cells"]["plain"]) == "1.00"
    compared = "\n".join(bench.compare(before, after))
    assert "< 0.17" in compared  # 1.7 s against more than 10 s


def test_a_run_of_one_job_reports() -> None:
    alone = _document([_measurement("plain", 1_000, phases={"pipeline": [0.5, 0.5]})])
    text = "\n".join(bench.report(alone))
    assert "| plain: load_plan -> run -> write_results | 0.500 |" in text


def test_a_step_past_the_timeout_is_stopped() -> None:
    sleeper = 'import time; print(\'{"began": "nap"}\', flush=True); time.sleep(60)'
    measured = bench.spawn([sys.executable, "-c", sleeper], timeout=1.0)
    assert measured["timeout"] == 1.0
    assert measured["stopped_at"] > measured["began"]["nap"]
    assert measured["error"] is None
