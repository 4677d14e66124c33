"""Pay a year for synthetic rosters, from files on disk to written results.

Usage::

    python benchmarks/run.py [--sizes 1000 10000 100000] [--repeat 5]

For each size, :mod:`synth` writes a plan (plan.toml, roster, 36 months of
history, a 12-month plan with 9 months of actuals) into
``benchmarks/.data/<size>/`` once. Each measurement then runs in a fresh
Python process:

* ``jointbonus``: ``load_plan`` -> ``run`` -> ``write_results`` (lines.csv,
  months.csv, result.json) into ``benchmarks/.out/<size>/jointbonus/``;
* ``baseline``: ``baseline_numpy.py``, the same arithmetic in numpy/pandas,
  into ``benchmarks/.out/<size>/baseline/``.

The two alternate, so both meet the same machine noise. Reported per size and
tool: the median over the repeats of the pipeline's seconds (timed inside the
child, from the first file read to the last file written; imports excluded),
the median seconds of the whole process (interpreter start and imports
included), and the peak resident memory of the child (``ru_maxrss``). Then the
ratio jointbonus / baseline, the growth of jointbonus's cost from size to size
(linear growth: the ratio of costs equals the ratio of sizes), and a check
that both wrote the same lines: the same rows with the same member, month,
days, weight, attainment, factor, amounts and status, and the same total (the
wording of the reasons for a zero is jointbonus's own; lines whose reason
texts differ are counted).

Without numpy and pandas (``pip install -e '.[bench]'``) the baseline is
skipped and so are the ratios.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
OUT = HERE / ".out"
TOOLS = ("jointbonus", "baseline")


@dataclass
class Runs:
    """The measurements of one tool at one size."""

    pipeline: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    process: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def median(self, what: str) -> float:
        values: list[float] = getattr(self, what)
        return statistics.median(values)


# -- the child: one measurement ------------------------------------------------


def child(tool: str, plan: Path, out: Path) -> None:
    """Pay the year with ``tool``; print the pipeline's seconds and the peak memory as JSON."""
    if tool == "jointbonus":
        from jointbonus import load_plan, run
        from jointbonus.sharedtarget.report.writer import write_results

        def pay_year() -> None:
            write_results(run(load_plan(plan)), out)
    else:
        sys.path.insert(0, str(HERE))
        import baseline_numpy

        def pay_year() -> None:
            baseline_numpy.run_year(plan, out)

    started, cpu_started = time.perf_counter(), time.process_time()
    pay_year()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(json.dumps({"pipeline": seconds, "cpu": cpu, "peak_mb": peak_mb}))


def measure(tool: str, plan: Path, out: Path) -> tuple[float, float, float, float]:
    """(pipeline s, its CPU s, whole process s, peak MB) of a fresh process paying the year."""
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", tool, str(plan), str(out)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{tool} failed on {plan}:\n{done.stderr}")
    timing = json.loads(done.stdout.strip().splitlines()[-1])
    return timing["pipeline"], timing["cpu"], elapsed, timing["peak_mb"]


# -- data and checks ------------------------------------------------------------


def plan_for(size: int) -> Path:
    """The synthetic plan of ``size`` members, written once and rewritten when synth.py changes."""
    sys.path.insert(0, str(HERE))
    import synth

    stamp = hashlib.sha256((HERE / "synth.py").read_bytes()).hexdigest()
    folder = DATA / str(size)
    plan = folder / "plan.toml"
    stamp_file = folder / ".synth-sha256"
    if not plan.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp:
        synth.write_plan(folder, size)
        stamp_file.write_text(stamp)
    return plan


def compare_lines(ours: Path, theirs: Path) -> str:
    """Check both lines.csv files agree on every line: same member, month, weight and amount.

    Every column must agree except ``reason``, whose wording is jointbonus's
    to change; lines whose reasons differ are counted and reported.
    """
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
    return f"{rows} lines, total paid {total} in both; files {same}"


def baseline_available() -> str | None:
    """Why the baseline cannot run, or ``None`` if it can."""
    check = "import numpy, pandas"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, check=False)
    if result.returncode != 0:
        return "numpy and pandas are not importable (pip install -e '.[bench]')"
    return None


# -- the report -----------------------------------------------------------------


def table(
    results: dict[int, dict[str, Runs]],
    ours: list[tuple[str, str, str]],
    theirs: list[tuple[str, str, str]],
    ratio_of: str | None,
) -> None:
    """Print one row per size: ``(title, tool, measure)`` columns, then jointbonus / baseline."""
    columns = [("members", "", "size"), *ours]
    if ratio_of is not None:
        columns += [*theirs, ("ratio", "", "ratio")]
    widths = [max(len(title), 8) for title, _, _ in columns]
    header = " | ".join(f"{title:>{w}}" for (title, _, _), w in zip(columns, widths, strict=True))
    print(header)
    print("-" * len(header))
    for size, runs in results.items():
        cells = []
        for _, tool, what in columns:
            if what == "size":
                cells.append(str(size))
            elif what == "ratio" and ratio_of is not None:
                ratio = runs["jointbonus"].median(ratio_of) / runs["baseline"].median(ratio_of)
                cells.append(f"{ratio:.2f}")
            elif what == "peak_mb":
                cells.append(f"{max(runs[tool].peak_mb):.0f}")
            elif what == "per_member":
                cells.append(f"{runs[tool].median('cpu') / size * 1e6:.1f}")
            else:
                cells.append(f"{runs[tool].median(what):.3f}")
        print(" | ".join(f"{cell:>{w}}" for cell, w in zip(cells, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5, help="measurements per size and tool")
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "PLAN", "OUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        tool, plan, out = arguments.child
        child(tool, Path(plan), Path(out))
        return 0
    if arguments.repeat < 1 or any(size < 1 for size in arguments.sizes):
        parser.error("--repeat and --sizes must be at least 1")

    missing = baseline_available()
    tools = TOOLS if missing is None else ("jointbonus",)
    print(
        f"jointbonus benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, {arguments.repeat} runs per size, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if missing:
        print(f"baseline skipped: {missing}")

    results: dict[int, dict[str, Runs]] = {}
    checks: dict[int, str] = {}
    for size in sorted(arguments.sizes):
        plan = plan_for(size)
        runs = {tool: Runs() for tool in tools}
        for _ in range(arguments.repeat):
            for tool in tools:
                pipeline, cpu, process, peak = measure(tool, plan, OUT / str(size) / tool)
                runs[tool].pipeline.append(pipeline)
                runs[tool].cpu.append(cpu)
                runs[tool].process.append(process)
                runs[tool].peak_mb.append(peak)
        results[size] = runs
        if missing is None:
            checks[size] = compare_lines(
                OUT / str(size) / "jointbonus" / "lines.csv",
                OUT / str(size) / "baseline" / "lines.csv",
            )
        jb = runs["jointbonus"]
        print(
            f"  {size:>7} members: jointbonus {jb.median('pipeline'):.3f} s"
            + (f", baseline {runs['baseline'].median('pipeline'):.3f} s" if missing is None else "")
        )

    print()
    print("Pipeline, files to written results (imports excluded): median wall seconds,")
    print("and the child's peak memory (largest ru_maxrss over the runs).")
    table(
        results,
        [("jointbonus s", "jointbonus", "pipeline"), ("peak MB", "jointbonus", "peak_mb")],
        [("baseline s", "baseline", "pipeline"), ("peak MB", "baseline", "peak_mb")],
        "pipeline" if missing is None else None,
    )
    print()
    print("The same pipeline in CPU seconds (user + system; less sensitive to a busy machine),")
    print("and the whole process's wall seconds (interpreter start and imports included).")
    table(
        results,
        [("jointbonus cpu s", "jointbonus", "cpu"), ("us/member", "jointbonus", "per_member")],
        [("baseline cpu s", "baseline", "cpu")],
        "cpu" if missing is None else None,
    )
    table(
        results,
        [("jointbonus process s", "jointbonus", "process")],
        [("baseline process s", "baseline", "process")],
        "process" if missing is None else None,
    )

    sizes = sorted(results)
    if len(sizes) > 1:
        print()
        print("Growth of jointbonus's cost (linear: the cost ratio equals the size ratio):")
        for small, large in itertools.pairwise(sizes):
            grown = [
                results[large]["jointbonus"].median(what)
                / results[small]["jointbonus"].median(what)
                for what in ("pipeline", "cpu")
            ]
            print(
                f"  {large} / {small}: members x{large / small:g}, "
                f"wall seconds x{grown[0]:.1f}, CPU seconds x{grown[1]:.1f}"
            )
    largest = sizes[-1]
    jb = results[largest]["jointbonus"]
    aims = largest >= 100_000
    verdict = f"peak memory {max(jb.peak_mb):.0f} MB" + (" (aim: under 500 MB)" if aims else "")
    if missing is None:
        base = results[largest]["baseline"]
        ratios = ", ".join(
            f"{jb.median(what) / base.median(what):.2f} x ({name})"
            for what, name in (("pipeline", "wall"), ("cpu", "CPU"), ("process", "whole process"))
        )
        verdict = (
            f"jointbonus takes {ratios} the baseline"
            + (" (aim: within 1.5 x); " if aims else "; ")
            + verdict
        )
    print()
    print(f"At {largest} members: {verdict}")
    print(
        f"Load average at the end: {os.getloadavg()[0]:.1f} (a busy machine slows the wall times)"
    )
    if checks:
        print()
        print("Same lines from both:")
        for size, check in checks.items():
            print(f"  {size}: {check}")
    return 1 if any(check.startswith("MISMATCH") for check in checks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
