"""The benchmarks: every plan shape, from plan files on disk, at 1,000 to 100,000 members.

Usage::

    python benchmarks/run.py                      # 1,000 / 10,000 / 100,000 members
    python benchmarks/run.py --million            # and 1,000,000
    python benchmarks/run.py --quick              # under two minutes (see --help)
    python benchmarks/run.py --save before.json   # keep this run's table to compare
    python benchmarks/run.py --compare before.json             # measure, then compare
    python benchmarks/run.py --compare before.json after.json  # compare two saved runs

For each size, :mod:`synth` writes each plan shape (a plan file and its CSV
files) into ``benchmarks/.data/<size>/<shape>/`` once. Each measurement then
runs in a fresh Python process that reads the plan from disk and times its
steps with ``import jointbonus`` alone, so the same command measures any
checkout (``PYTHONPATH=OTHER/src``):

* plain (one pool a month shared equally): ``load_plan`` -> ``run`` ->
  ``write_results``, alternating with ``baseline_numpy.py``, the same
  arithmetic in numpy/pandas on the same files;
* goals and a gate: ``calibrate``, then ``pay`` + ``write_results``;
* a cap per member per month, and per year: ``calibrate``;
* individual funding, linear curve: ``calibrate``, then ``cost_risk`` with
  100,000 bootstrap years;
* cost risk of the plain (step) plan: exact, and 100,000 bootstrap years;
* ``jointbonus run PLAN --format json`` (the plain plan) into a file;
* ``import jointbonus`` in a fresh interpreter.

jointbonus runs from bytecode, as a package installed with pip does: each
checkout measured has a cache folder of its own (``PYTHONPYCACHEPREFIX``),
filled by running each job once, unmeasured, before the runs measured
(``--no-bytecode``: as the environment has it).

Reported: median seconds and CPU seconds, the child's peak memory
(``ru_maxrss``), the ratio to the baseline measured in the same run, each
shape's seconds over the plain pipeline's, and the growth: the log-log slope
of seconds from the smallest to the largest size (1 is linear). A
step still running after ``--timeout`` seconds is stopped and shown as "> T", T
the seconds it ran.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
OUT = HERE / ".out"
YEARS = 100_000
SIZES = (1_000, 10_000, 100_000)
MILLION = 1_000_000
CHECK_SIZE = 1_000  # the largest size the caps are checked at
WARM_SIZE = 1_000  # the largest size each job runs at, unmeasured, to compile its modules
QUICK = {"sizes": [1_000, 10_000], "repeat": 1, "slow": 30.0, "timeout": 10.0, "import_runs": 5}
QUICK |= {"check_caps": False}
FULL = {"sizes": list(SIZES), "repeat": 3, "slow": 30.0, "timeout": 600.0, "import_runs": 7}
FULL |= {"check_caps": True}

# Each job is one child process; it times one or more phases.
JOB_SHAPE = {
    "plain": "plain",
    "baseline": "plain",
    "goals": "goals",
    "cap_month": "cap_month",
    "cap_year": "cap_year",
    "individual": "individual",
    "risk": "plain",
    "json": "plain",
}


@dataclass(frozen=True)
class Row:
    """One line of the table: the ``phase`` timed by the child ``job``."""

    key: str
    title: str
    job: str
    phase: str


ROWS = (
    Row("plain", "plain: load_plan -> run -> write_results", "plain", "pipeline"),
    Row("baseline", "plain: numpy baseline, same files -> lines.csv", "baseline", "pipeline"),
    Row("goals_calibrate", "goals + gate: calibrate", "goals", "calibrate"),
    Row("goals_pay", "goals + gate: pay + write_results", "goals", "pay"),
    Row("cap_month", "monthly cap: calibrate", "cap_month", "calibrate"),
    Row("cap_year", "yearly cap: calibrate", "cap_year", "calibrate"),
    Row("individual_calibrate", "individual, linear: calibrate", "individual", "calibrate"),
    Row("individual_risk", "individual, linear: cost_risk 100k years", "individual", "bootstrap"),
    Row("risk_exact", "step plan: cost_risk exact", "risk", "exact"),
    Row("risk_bootstrap", "step plan: cost_risk 100k years", "risk", "bootstrap"),
    Row("json", "run --format json > file (process)", "json", "process"),
)
IMPORT_TITLE = "import jointbonus (fresh process)"
IMPORT_SNIPPET = (
    "import time\n"
    "s, c = time.perf_counter(), time.process_time()\n"
    "import jointbonus\n"
    'print(\'{"phase": "import", "seconds": %r, "cpu": %r}\''
    " % (time.perf_counter() - s, time.process_time() - c), flush=True)\n"
)


# -- the child: one measurement ------------------------------------------------


def child(job: str, plan_path: Path, out: Path) -> None:
    """Run ``job`` on the plan; print a JSON line as each phase begins and ends."""

    def emit(record: dict[str, Any]) -> None:
        print(json.dumps(record), flush=True)

    def timed(name: str, work: Any, announce: bool = True) -> Any:
        if announce:  # a new step: the parent's timeout starts again
            emit({"began": name})
        started, cpu = time.perf_counter(), time.process_time()
        value = work()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        emit({"phase": name, "seconds": seconds, "cpu": cpu})
        return value

    if job == "baseline":
        sys.path.insert(0, str(HERE))
        import baseline_numpy

        timed("pipeline", lambda: baseline_numpy.run_year(plan_path, out))
        return

    import jointbonus

    # The package imports a name's module the first time the name is asked for (PEP 562):
    # ask for every name a job uses before its clock starts, as the baseline imports pandas
    # before its own, so that the steps time the work and the import row the imports.
    for name in ("load_plan", "run", "calibrate", "pay", "write_results", "cost_risk"):
        getattr(jointbonus, name)

    if job == "plain":
        emit({"began": "pipeline"})
        started, cpu = time.perf_counter(), time.process_time()
        plan = timed("load", lambda: jointbonus.load_plan(plan_path), announce=False)
        result = timed("run", lambda: jointbonus.run(plan), announce=False)
        timed("write", lambda: jointbonus.write_results(result, out), announce=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        emit({"phase": "pipeline", "seconds": seconds, "cpu": cpu})
        return
    plan = timed("load", lambda: jointbonus.load_plan(plan_path))
    calibration = timed("calibrate", lambda: jointbonus.calibrate(plan))
    if job == "goals":
        timed("pay", lambda: jointbonus.write_results(jointbonus.pay(plan, calibration), out))
    elif job == "individual":
        timed(
            "bootstrap",
            lambda: jointbonus.cost_risk(plan, calibration, method="bootstrap", years=YEARS),
        )
    elif job == "risk":
        timed("exact", lambda: jointbonus.cost_risk(plan, calibration, method="exact"))
        timed(
            "bootstrap",
            lambda: jointbonus.cost_risk(plan, calibration, method="bootstrap", years=YEARS),
        )


# -- the parent: fresh processes, timeouts, peak memory ------------------------


def spawn(
    command: list[str],
    timeout: float,
    stdout_to: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``command`` in a fresh process group; stop it when a step runs past ``timeout`` s.

    A step runs from when the child says it began (a ``{"began": NAME}``
    line) to when the next one begins; the first from the start. Returns its
    wall and CPU seconds and peak memory (from ``wait4``: this child's own
    figures), the phases it printed, when each was seen to begin and when
    the child was stopped (seconds after the start), and its error.
    """
    started = time.perf_counter()
    lines: list[tuple[float, str]] = []
    deadline = started + timeout
    done = threading.Lock()
    finished = threading.Event()
    stopped_at: float | None = None
    with contextlib.ExitStack() as stack:
        errors = stack.enter_context(tempfile.TemporaryFile())
        sink = stack.enter_context(stdout_to.open("wb")) if stdout_to else None
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE if sink is None else sink,
            stderr=errors,
            start_new_session=True,
            env=env,
        )

        def read() -> None:
            nonlocal deadline
            assert process.stdout is not None
            for raw in process.stdout:
                seen = time.perf_counter()
                text = raw.decode("utf-8", "replace")
                lines.append((seen - started, text))
                if text.startswith('{"began"'):
                    deadline = seen + timeout

        def watch() -> None:
            nonlocal stopped_at
            while not finished.wait(0.05):
                now = time.perf_counter()
                if now > deadline:
                    with done:
                        if not finished.is_set():
                            stopped_at = now - started
                            with contextlib.suppress(ProcessLookupError):
                                os.killpg(process.pid, signal.SIGKILL)
                    return

        reader = threading.Thread(target=read, daemon=True) if sink is None else None
        if reader is not None:
            reader.start()
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        with done:
            finished.set()
        wall = time.perf_counter() - started
        watcher.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if reader is not None:
            reader.join()
        if process.stdout is not None:
            process.stdout.close()
        errors.seek(0)
        error_text = errors.read().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    phases: dict[str, list[float]] = {}
    began: dict[str, float] = {}
    for seen, line in lines:
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if "began" in record:
                began[record["began"]] = seen
            elif "phase" in record:
                phases[record["phase"]] = [record["seconds"], record["cpu"]]
    failed = stopped_at is None and process.returncode != 0
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": peak_mb,
        "phases": phases,
        "began": began,
        "timeout": None if stopped_at is None else timeout,
        "stopped_at": stopped_at,
        "error": error_text.strip()[-2000:] if failed else None,
    }


def plan_for(size: int, shape: str) -> Path:
    """The plan of ``shape`` and ``size``: written once, and again when synth.py changes."""
    sys.path.insert(0, str(HERE))
    import synth

    stamp = hashlib.sha256((HERE / "synth.py").read_bytes()).hexdigest()
    folder = DATA / str(size) / shape
    plan = folder / "plan.toml"
    stamp_file = folder / ".synth-sha256"
    if not plan.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp:
        synth.write_shape(folder, shape, size)
        stamp_file.write_text(stamp)
    return plan


@dataclass(frozen=True)
class Code:
    """A checkout to measure: ``env`` for its children (``None``: this process's own)."""

    name: str
    env: dict[str, str] | None = None


THIS = Code("this")


def against(src: Path) -> Code:
    """Another checkout: its ``src`` folder alone on the children's ``PYTHONPATH``."""
    return Code("against", {**os.environ, "PYTHONPATH": str(src.resolve())})


def compiled(code: Code, caches: Path) -> Code:
    """``code`` run from bytecode, as an installed package runs: a cache folder of its own.

    A package installed with pip has its modules compiled once, when it is
    installed; a checkout run through ``PYTHONPATH`` in an environment that
    sets ``PYTHONDONTWRITEBYTECODE`` compiles every module it imports in every
    run (about 0.4 CPU s for the command line). Here the children write and
    read their bytecode in ``caches/NAME`` (``PYTHONPYCACHEPREFIX``), which
    :func:`warm` fills before anything is measured, so that each checkout is
    measured the same way, and as a user meets it.
    """
    env = dict(os.environ if code.env is None else code.env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(caches / code.name)
    return Code(code.name, env)


def warm(code: Code, jobs: list[str], size: int, timeout: float) -> None:
    """Run each of ``jobs`` (and the import) once with ``code`` at ``size``, unmeasured:
    the modules they import are compiled into ``code``'s cache before the runs measured."""
    for job in jobs:
        if job != "baseline":  # the baseline runs as the environment has it: not jointbonus
            measure(job, size, plan_for(size, JOB_SHAPE[job]), timeout, code)
    measure_import(timeout, code)


def measure(job: str, size: int, plan: Path, timeout: float, code: Code = THIS) -> dict[str, Any]:
    """One fresh process running ``job`` on ``plan`` with ``code``."""
    out = OUT / str(size) / ("" if job == "baseline" else code.name) / job
    if out.exists():
        shutil.rmtree(out)
    load = os.getloadavg()[0]
    if job == "json":
        out.mkdir(parents=True)
        target = out / "result.json"
        command = [sys.executable, "-m", "jointbonus", "run", str(plan), "--format", "json"]
        measured = spawn(command, timeout, stdout_to=target, env=code.env)
        if measured["timeout"] is None and measured["error"] is None:
            measured["phases"]["process"] = [measured["wall"], measured["cpu"]]
            measured["bytes"] = target.stat().st_size
        else:
            measured["began"]["process"] = 0.0
    else:
        script = str(Path(__file__).resolve())
        command = [sys.executable, script, "--child", job, str(plan), str(out)]
        measured = spawn(command, timeout, env=code.env)
    return {"job": job, "size": size, "load": load, **measured}


def measure_import(timeout: float, code: Code = THIS) -> dict[str, Any]:
    load = os.getloadavg()[0]
    measured = spawn([sys.executable, "-c", IMPORT_SNIPPET], timeout, env=code.env)
    return {"job": "import", "size": 0, "load": load, **measured}


def which_jointbonus(code: Code = THIS) -> dict[str, str]:
    """Where ``code``'s children import jointbonus from, and that checkout's commit."""
    found = subprocess.run(
        [sys.executable, "-c", "import jointbonus; print(jointbonus.__file__)"],
        capture_output=True,
        text=True,
        check=False,
        env=code.env,
    )
    if found.returncode != 0:
        raise SystemExit(f"cannot import jointbonus:\n{found.stderr}")
    path = Path(found.stdout.strip()).parent
    label = "jointbonus"
    commit = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if commit.returncode == 0:
        label = commit.stdout.strip()
        changed = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(path), "diff", "--quiet", "HEAD", "--", "."],
            capture_output=True,
            check=False,
        )
        if changed.returncode == 1:
            label += "+changes"
    return {"label": label, "path": str(path)}


# -- checks ---------------------------------------------------------------------


def compare_lines(ours: Path, theirs: Path) -> str:
    """Check both lines.csv files agree on every line: same member, month, weight and amount.

    Every column must agree except ``reason``, whose wording is jointbonus's
    to change; lines whose reasons differ are counted and reported.
    """
    if not ours.exists() or not theirs.exists():
        return "not compared: a lines.csv is missing"
    rows = 0
    reasons_differ = 0
    total = Decimal(0)
    with (
        ours.open(encoding="utf-8", newline="") as a,
        theirs.open(encoding="utf-8", newline="") as b,
    ):
        reader_a, reader_b = csv.reader(a), csv.reader(b)
        header = next(reader_a)
        if header != next(reader_b):
            return "MISMATCH: the columns differ"
        reason_at = header.index("reason")
        total_at = header.index("total")
        for row_a, row_b in zip(reader_a, reader_b, strict=False):
            rows += 1
            if (
                row_a[:reason_at] + row_a[reason_at + 1 :]
                != row_b[:reason_at] + row_b[reason_at + 1 :]
            ):
                return f"MISMATCH on line {rows + 1}: {row_a} != {row_b}"
            reasons_differ += row_a[reason_at] != row_b[reason_at]
            total += Decimal(row_a[total_at])
        if next(reader_a, None) is not None or next(reader_b, None) is not None:
            return "MISMATCH: different numbers of lines"
    same = (
        "byte-identical"
        if ours.read_bytes() == theirs.read_bytes()
        else (f"every column equal on every line but {reasons_differ} reason texts")
    )
    return f"{rows:,} lines, total paid {total} in both; files {same}"


def caps_cut(size: int, timeout: float, code: Code = THIS) -> dict[str, str]:
    """What the caps cut in the months paid: ``summary.capped_to_date`` of ``run --format json``."""
    cut = {}
    for shape in ("cap_month", "cap_year"):
        target = OUT / str(size) / code.name / f"check-{shape}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "jointbonus",
            "run",
            str(plan_for(size, shape)),
            "--format",
            "json",
        ]
        measured = spawn(command, timeout, stdout_to=target, env=code.env)
        if measured["timeout"] is not None:
            cut[shape] = f"not checked: the run took more than {timeout:g} s"
        elif measured["error"] is not None:
            cut[shape] = f"FAILED: {measured['error'][-300:]}"
        else:
            summary = json.loads(target.read_text(encoding="utf-8"))["summary"]
            cut[shape] = str(summary.get("capped_to_date", "0"))
        target.unlink(missing_ok=True)
    return cut


def baseline_missing() -> str | None:
    """Why the baseline cannot run, or ``None`` if it can."""
    check = "import numpy, pandas"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, check=False)
    if result.returncode != 0:
        return "numpy and pandas are not importable (pip install -e '.[bench]')"
    return None


# -- summaries and tables ---------------------------------------------------------


def summarise(measurements: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per row and size: median seconds and CPU seconds, peak MB, runs, or a lower bound."""
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    rows = [*ROWS, Row("import", IMPORT_TITLE, "import", "import")]
    for row in rows:
        by_size: dict[int, list[dict[str, Any]]] = {}
        for m in measurements:
            if m["job"] == row.job:
                by_size.setdefault(m["size"], []).append(m)
        for size, runs in sorted(by_size.items()):
            done = [m for m in runs if row.phase in m["phases"]]
            cell: dict[str, Any] = {"runs": len(done)}
            if done:
                cell["seconds"] = statistics.median(m["phases"][row.phase][0] for m in done)
                cell["cpu"] = statistics.median(m["phases"][row.phase][1] for m in done)
            if row.job in ("json", "import"):
                cell["process"] = statistics.median(m["wall"] for m in runs)
            if any("bytes" in m for m in runs):
                cell["bytes"] = max(m.get("bytes", 0) for m in runs)
            real = [m for m in runs if "skipped" not in m]
            if real:
                cell["peak_mb"] = max(m["peak_mb"] for m in real)
            stopped = [m for m in runs if m.get("timeout")]
            if not done and stopped:
                # The phase ran at least from when it was seen to begin to the stop.
                bounds = [
                    m["stopped_at"] - m["began"][row.phase]
                    for m in stopped
                    if row.phase in m["began"]
                ]
                cell["above"] = max(bounds) if bounds else None
                cell["stopped_after"] = max(m["timeout"] for m in stopped)
            skipped = [m["skipped"] for m in runs if "skipped" in m]
            if skipped and not done:
                cell["skipped"] = skipped[0]
            errors = [m["error"] for m in runs if m.get("error")]
            if errors and not done:
                cell["error"] = errors[0][-300:]
            cells.setdefault(row.key, {})[str(size)] = cell
    return cells


def seconds_text(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds:.3f}"
    if seconds < 10:
        return f"{seconds:.2f}"
    if seconds < 100:
        return f"{seconds:.1f}"
    return f"{seconds:.0f}"


def cell_text(cell: dict[str, Any] | None, what: str = "seconds", repeat: int = 0) -> str:
    """A table cell: the median, "> T" for a measurement stopped at the timeout, or why not."""
    if cell is None:
        return ""
    if what in cell:
        text = seconds_text(cell[what]) if what != "peak_mb" else f"{cell[what]:.0f}"
        return text + ("*" if what != "peak_mb" and 0 < cell["runs"] < repeat else "")
    if what == "peak_mb":
        return ""
    if "skipped" in cell:
        return "skipped"
    if "stopped_after" in cell:
        above = cell.get("above")
        return f"> {seconds_text(above)}" if above is not None else "not reached"
    return "failed" if "error" in cell else ""


def lower_or_value(cell: dict[str, Any] | None) -> tuple[float, bool] | None:
    """(seconds, is a lower bound) of a cell, or ``None``."""
    if cell is None:
        return None
    if "seconds" in cell:
        return cell["seconds"], False
    if cell.get("above"):
        return cell["above"], True
    return None


def slope_text(cells: dict[str, dict[str, Any]]) -> str:
    """The log-log slope of seconds from the smallest size to the largest measured."""
    sizes = sorted(int(size) for size in cells)
    first = next(
        ((s, v) for s in sizes if (v := lower_or_value(cells[str(s)])) and not v[1]),
        None,
    )
    last = next(
        ((s, v) for s in reversed(sizes) if (v := lower_or_value(cells[str(s)]))),
        None,
    )
    if first is None or last is None or last[0] == first[0]:
        return ""
    slope = math.log(last[1][0] / first[1][0]) / math.log(last[0] / first[0])
    return ("> " if last[1][1] else "") + f"{slope:.2f}"


def sizes_of(cells: dict[str, dict[str, dict[str, Any]]]) -> list[int]:
    return sorted({int(size) for row in cells.values() for size in row if size != "0"})


def markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["(nothing measured)"]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"]
    lines.append(
        "|"
        + "|".join(("-" * (w + 1) + ":") if i else ("-" * (w + 2)) for i, w in enumerate(widths))
        + "|"
    )
    for r in rows:
        cells = [
            r[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def report(document: dict[str, Any]) -> list[str]:
    """The run's tables and checks as Markdown lines."""
    meta, cells = document["meta"], document["cells"]
    sizes = sizes_of(cells)
    repeat = meta["repeat"]
    span = f"{sizes[0]:,}->{sizes[-1]:,}" if len(sizes) > 1 else ""
    loads = meta["load"]
    runs = (
        "1 run per cell"
        if repeat == 1
        else f"{repeat} runs per cell (1 when the first took over {meta['slow']:g} s: marked *)"
    )
    lines = [
        f"jointbonus {meta['label']} ({meta['path']}), {meta['date']}, Python {meta['python']}, "
        f"{meta['cpus']} CPUs; {runs}; a step stopped after {meta['timeout']:g} s; load average "
        f"while measuring {loads['median']:.1f} (from {loads['min']:.1f} to {loads['max']:.1f}).",
        "",
        "Median seconds (each run a fresh process; imports excluded but for the json row)"
        + (f", and the growth: the log-log slope of seconds from {span} members." if span else "."),
        "",
    ]
    header = ["measurement", *(f"{s:,}" for s in sizes), f"slope {span}"]
    rows = []
    for row in ROWS:
        row_cells = cells.get(row.key, {})
        if not row_cells:
            continue
        rows.append(
            [
                row.title,
                *(cell_text(row_cells.get(str(s)), "seconds", repeat) for s in sizes),
                slope_text(row_cells),
            ]
        )
        if row.key == "baseline":
            ratios = []
            for s in sizes:
                ours = lower_or_value(cells.get("plain", {}).get(str(s)))
                theirs = lower_or_value(row_cells.get(str(s)))
                ratios.append(f"{ours[0] / theirs[0]:.2f}" if ours and theirs else "")
            rows.append(["plain: ratio jointbonus / baseline", *ratios, ""])
    lines += markdown_table(header, rows)
    imported = cells.get("import", {}).get("0")
    if imported and "seconds" in imported:
        lines += [
            "",
            f"{IMPORT_TITLE}: {seconds_text(imported['seconds'])} s to import, "
            f"{seconds_text(imported['process'])} s for the whole process, "
            f"{imported['peak_mb']:.0f} MB peak (median over {imported['runs']} processes).",
        ]
    json_bytes = [
        f"{s:,} members {cells['json'][str(s)]['bytes'] / 1e6:,.1f} MB"
        for s in sizes
        if "bytes" in cells.get("json", {}).get(str(s), {})
    ]
    if json_bytes:
        lines += ["", "run --format json wrote: " + "; ".join(json_bytes) + "."]

    lines += ["", "Median CPU seconds (user + system; steadier on a busy machine):", ""]
    rows = [
        [row.title, *(cell_text(cells[row.key].get(str(s)), "cpu", repeat) for s in sizes)]
        for row in ROWS
        if cells.get(row.key)
    ]
    lines += markdown_table(["measurement", *(f"{s:,}" for s in sizes)], rows)

    lines += ["", "Peak memory of the child process, MB (largest over the runs):", ""]
    rows = [
        [row.title, *(cell_text(cells[row.key].get(str(s)), "peak_mb") for s in sizes)]
        for row in ROWS
        if cells.get(row.key)
    ]
    lines += markdown_table(["measurement", *(f"{s:,}" for s in sizes)], rows)

    lines += ["", "Each shape's seconds over the plain pipeline's at the same size:", ""]
    rows = []
    for row in ROWS:
        if row.key in ("plain", "baseline", "json") or not cells.get(row.key):
            continue
        ratios = []
        for s in sizes:
            plain = lower_or_value(cells.get("plain", {}).get(str(s)))
            value = lower_or_value(cells[row.key].get(str(s)))
            if plain and value:
                ratios.append(("> " if value[1] else "") + f"{value[0] / plain[0]:.1f}")
            else:
                ratios.append("")
        rows.append([row.title, *ratios])
    lines += markdown_table(["measurement", *(f"{s:,}" for s in sizes)], rows)

    checks = document.get("checks", {})
    if checks:
        lines += ["", "Checks:", ""]
        for size, text in checks.get("lines", {}).items():
            lines.append(f"* {int(size):,} members, plain against the baseline: {text}")
        for size, cut in checks.get("caps", {}).items():
            lines.append(
                f"* {int(size):,} members, cut by the caps in the months paid "
                f"(summary.capped_to_date): monthly cap {cut.get('cap_month')}, "
                f"yearly cap {cut.get('cap_year')}"
            )
    errors = [
        f"* {row_key} at {size}: {cell['error']}"
        for row_key, row_cells in cells.items()
        for size, cell in row_cells.items()
        if "error" in cell
    ]
    if errors:
        lines += ["", "Failures:", "", *errors]
    return lines


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Two runs side by side: seconds, their ratio, peak MB and slopes."""
    old_meta, new_meta = old["meta"], new["meta"]
    a, b = old_meta["label"], new_meta["label"]
    if a == b:
        a, b = f"{a} (1)", f"{b} (2)"
    lines = [
        f"Before: {a}, {old_meta['date']}, load {old_meta['load']['median']:.1f}; "
        f"after: {b}, {new_meta['date']}, load {new_meta['load']['median']:.1f}. "
        "Median seconds; '> T': the step was stopped at the timeout, after T s.",
        "",
    ]
    sizes = sorted(set(sizes_of(old["cells"])) | set(sizes_of(new["cells"])))
    rows = []
    for row in [*ROWS, Row("import", IMPORT_TITLE, "import", "import")]:
        for s in [0] if row.key == "import" else sizes:
            before = old["cells"].get(row.key, {}).get(str(s))
            after = new["cells"].get(row.key, {}).get(str(s))
            if before is None and after is None:
                continue
            x, y = lower_or_value(before), lower_or_value(after)
            ratio = ""
            if x and y and not (x[1] and y[1]):
                sign = "< " if x[1] else "> " if y[1] else ""
                ratio = f"{sign}{y[0] / x[0]:.2f}"
            rows.append(
                [
                    row.title,
                    f"{s:,}" if s else "",
                    cell_text(before, "seconds", old_meta["repeat"]),
                    cell_text(after, "seconds", new_meta["repeat"]),
                    ratio,
                    cell_text(before, "peak_mb"),
                    cell_text(after, "peak_mb"),
                ]
            )
    header = ["measurement", "members", f"{a} s", f"{b} s", "after/before", f"{a} MB", f"{b} MB"]
    lines += markdown_table(header, rows)
    lines += ["", "Growth, log-log slope of seconds over the sizes measured:", ""]
    rows = [
        [
            row.title,
            slope_text(old["cells"].get(row.key, {})),
            slope_text(new["cells"].get(row.key, {})),
        ]
        for row in ROWS
        if old["cells"].get(row.key) or new["cells"].get(row.key)
    ]
    lines += markdown_table(["measurement", a, b], rows)
    return lines


def save(document: dict[str, Any], path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- the command ----------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=(
            f"Defaults: --sizes {' '.join(map(str, FULL['sizes']))} --repeat {FULL['repeat']} "
            f"--slow {FULL['slow']:g} --timeout {FULL['timeout']:g} "
            f"--import-runs {FULL['import_runs']} --check-caps. --quick is --sizes "
            f"{' '.join(map(str, QUICK['sizes']))} --repeat {QUICK['repeat']} "
            f"--slow {QUICK['slow']:g} --timeout {QUICK['timeout']:g} "
            f"--import-runs {QUICK['import_runs']} --no-check-caps: every measurement once, "
            "any step stopped after 10 s, so that it all takes under two minutes on two cores. "
            "Options given with --quick override it."
        ),
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="members in the synthetic plans")
    parser.add_argument("--million", action="store_true", help="also measure 1,000,000 members")
    parser.add_argument("--quick", action="store_true", help="fewer sizes and runs (below)")
    parser.add_argument("--repeat", type=int, help="runs per measurement (fresh processes)")
    parser.add_argument(
        "--slow",
        type=float,
        help="a measurement whose first run takes longer than this many seconds runs once",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        help="stop a step still running after this many seconds; shown as '> T' and not "
        "tried at larger sizes",
    )
    parser.add_argument("--import-runs", type=int, help="fresh processes timing the import")
    parser.add_argument(
        "--bytecode",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run jointbonus from bytecode compiled once, as an installed package runs: each "
        "checkout's own cache folder (PYTHONPYCACHEPREFIX), filled by running each job once, "
        "unmeasured (default); --no-bytecode: as the environment has it, which may compile "
        "every module in every run (PYTHONDONTWRITEBYTECODE)",
    )
    parser.add_argument(
        "--check-caps",
        action=argparse.BooleanOptionalAction,
        help="check that the caps bind, at the smallest size or 1,000 members if smaller "
        "(runs both capped plans once more)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[*JOB_SHAPE, "import"],
        help="measure these jobs alone (plain includes the baseline)",
    )
    parser.add_argument(
        "--save",
        type=Path,
        default=OUT / "bench.json",
        help="write the run as JSON here and its tables as Markdown beside it (.md)",
    )
    parser.add_argument(
        "--against",
        type=Path,
        metavar="SRC",
        help="also measure the checkout whose package folder is SRC (its src/), alternating "
        "with this one run by run, and set the two side by side",
    )
    parser.add_argument(
        "--compare",
        nargs="+",
        type=Path,
        metavar="RUN.json",
        help="OLD.json: measure, then set this run beside OLD; OLD.json NEW.json: no "
        "measuring, set two saved runs side by side",
    )
    parser.add_argument("--child", nargs=3, metavar=("JOB", "PLAN", "OUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        return arguments
    settings = QUICK if arguments.quick else FULL
    for name, value in settings.items():
        if getattr(arguments, name) is None:
            setattr(arguments, name, list(value) if isinstance(value, list) else value)
    if arguments.million and MILLION not in arguments.sizes:
        arguments.sizes.append(MILLION)
    if arguments.repeat < 1 or arguments.import_runs < 0 or any(s < 1 for s in arguments.sizes):
        parser.error("--repeat and --sizes must be at least 1")
    if arguments.compare and len(arguments.compare) > 2:
        parser.error("--compare takes OLD.json, or OLD.json NEW.json")
    if arguments.compare and arguments.against:
        parser.error("--against compares with the checkout it measures: no --compare with it")
    if arguments.against and not (arguments.against / "jointbonus").is_dir():
        parser.error(f"--against {arguments.against}: expected a folder holding jointbonus/")
    return arguments


def measure_all(arguments: argparse.Namespace, codes: list[Code]) -> dict[str, dict[str, Any]]:
    """Every measurement for each of ``codes``, alternating between them; a document each."""
    began = time.perf_counter()
    where = {code.name: which_jointbonus(code) for code in codes}
    missing = baseline_missing()
    jobs = [job for job in JOB_SHAPE if not arguments.only or job in arguments.only]
    if "plain" in jobs and "baseline" not in jobs:
        jobs.insert(1, "baseline")
    if missing is not None and "baseline" in jobs:
        jobs.remove("baseline")
        print(f"baseline skipped: {missing}")
    for code in codes:
        print(f"Measuring jointbonus {where[code.name]['label']} from {where[code.name]['path']}")
    print(
        f"Sizes {', '.join(f'{s:,}' for s in sorted(arguments.sizes))}, {arguments.repeat} runs, "
        f"timeout {arguments.timeout:g} s"
    )
    if arguments.bytecode:
        size = min(*arguments.sizes, WARM_SIZE)
        print(f"Compiling each checkout's modules: every job once at {size:,} members, unmeasured")
        for code in codes:
            warm(code, jobs, size, arguments.timeout)

    # The baseline does not depend on the code measured: it belongs to every document.
    measurements: dict[str, list[dict[str, Any]]] = {code.name: [] for code in codes}
    shared: list[dict[str, Any]] = []
    checks: dict[str, dict[str, dict[str, Any]]] = {code.name: {} for code in codes}
    loads: list[float] = []
    stopped_at: dict[tuple[str, str], int] = {}
    once: set[tuple[str, str]] = set()
    if not arguments.only or "import" in arguments.only:
        for _ in range(arguments.import_runs):
            for code in codes:
                measured = measure_import(arguments.timeout, code)
                loads.append(measured["load"])
                measurements[code.name].append(measured)
    for size in sorted(arguments.sizes):
        plans = {job: plan_for(size, JOB_SHAPE[job]) for job in jobs}
        runs = [(job, code) for job in jobs for code in ([THIS] if job == "baseline" else codes)]
        for job, code in runs:
            if (code.name, job) in stopped_at:
                skipped = f"stopped at {stopped_at[code.name, job]:,} members"
                record = {"job": job, "size": size, "skipped": skipped, "phases": {}, "began": {}}
                (shared if job == "baseline" else measurements[code.name]).append(record)
        for run_number in range(arguments.repeat):
            for job, code in runs:
                key = (code.name, job)
                if key in stopped_at or (run_number > 0 and key in once):
                    continue
                measured = measure(job, size, plans[job], arguments.timeout, code)
                loads.append(measured["load"])
                (shared if job == "baseline" else measurements[code.name]).append(measured)
                state = (
                    f"stopped after {arguments.timeout:g} s"
                    if measured["timeout"]
                    else "FAILED"
                    if measured["error"]
                    else f"{measured['wall']:.2f} s, {measured['peak_mb']:.0f} MB"
                )
                label = "" if len(codes) == 1 or job == "baseline" else f" {code.name}"
                print(f"  {size:>9,} {job:<11} run {run_number + 1}{label}: {state}", flush=True)
                if measured["timeout"] or measured["error"]:
                    stopped_at[key] = size
                elif run_number == 0 and measured["wall"] > arguments.slow:
                    once.add(key)
        for code in codes:
            if "plain" in jobs and "baseline" in jobs:
                checks[code.name].setdefault("lines", {})[str(size)] = compare_lines(
                    OUT / str(size) / code.name / "plain" / "lines.csv",
                    OUT / str(size) / "baseline" / "lines.csv",
                )
    # The caps bind: checked once, at the smallest size or 1,000 members if that is smaller.
    if arguments.check_caps and {"cap_month", "cap_year"} & set(jobs):
        size = min(*arguments.sizes, CHECK_SIZE)
        for code in codes:
            checks[code.name]["caps"] = {str(size): caps_cut(size, arguments.timeout, code)}

    documents = {}
    for code in codes:
        ours = measurements[code.name] + shared
        documents[code.name] = {
            "meta": {
                **where[code.name],
                "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                "python": sys.version.split()[0],
                "cpus": os.cpu_count(),
                "sizes": sorted(arguments.sizes),
                "repeat": arguments.repeat,
                "slow": arguments.slow,
                "timeout": arguments.timeout,
                "import_runs": arguments.import_runs,
                "check_caps": arguments.check_caps,
                "bytecode": arguments.bytecode,
                "quick": arguments.quick,
                "alternated_with": [
                    where[other.name]["label"] for other in codes if other is not code
                ],
                "load": {
                    "median": statistics.median(loads) if loads else 0.0,
                    "min": min(loads, default=0.0),
                    "max": max(loads, default=0.0),
                },
                "seconds": time.perf_counter() - began,
            },
            "cells": summarise(ours),
            "checks": checks[code.name],
            "measurements": ours,
        }
    return documents


def failures(document: dict[str, Any]) -> bool:
    """Whether the run's checks failed or a measurement failed (a timeout is no failure)."""
    checks = document["checks"]
    failed = any(text.startswith("MISMATCH") for text in checks.get("lines", {}).values())
    failed |= any(
        cut.startswith("FAILED") or (cut[:1].isdigit() and Decimal(cut) <= 0)
        for by_shape in checks.get("caps", {}).values()
        for cut in by_shape.values()
    )
    return failed or any(m.get("error") for m in document["measurements"])


def main(argv: list[str] | None = None) -> int:
    arguments = parse(argv)
    if arguments.child:
        job, plan, out = arguments.child
        child(job, Path(plan), Path(out))
        return 0
    if arguments.compare and len(arguments.compare) == 2:
        old, new = (json.loads(path.read_text(encoding="utf-8")) for path in arguments.compare)
        print("\n".join(compare(old, new)))
        return 0

    codes = [THIS] if arguments.against is None else [against(arguments.against), THIS]
    with tempfile.TemporaryDirectory(prefix="jointbonus-bytecode-") as caches:
        if arguments.bytecode:
            codes = [compiled(code, Path(caches)) for code in codes]
        documents = measure_all(arguments, codes)
    saved = {"this": arguments.save}
    if arguments.against is not None:
        saved["against"] = arguments.save.with_name(arguments.save.stem + "-against.json")
    for name, document in documents.items():
        lines = report(document)
        lines += ["", f"All of this run: {document['meta']['seconds']:.0f} s."]
        save(document, saved[name], lines)
        print()
        print("\n".join(lines))
    print()
    for path in saved.values():
        print(f"Saved {path} and {path.with_suffix('.md')}.")
    if arguments.compare or arguments.against is not None:
        old = (
            documents["against"]
            if arguments.against is not None
            else json.loads(arguments.compare[0].read_text(encoding="utf-8"))
        )
        compared = compare(old, documents["this"])
        if arguments.against is not None:
            compared = ["Measured side by side, alternating run by run:", "", *compared]
            path = arguments.save.with_name(arguments.save.stem + "-compared.md")
            path.write_text("\n".join(compared) + "\n", encoding="utf-8")
            print(f"Saved {path}.")
        print()
        print("\n".join(compared))
    return 1 if any(failures(document) for document in documents.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
