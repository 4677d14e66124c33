"""The lead metrics at scale: read an export of 500,000 leads, measure it, list its review.

Usage::

    python benchmarks/leads.py [--leads 500000] [--repeat 5] [--business-hours]
                               [--against OTHER/src]

The export is made once (deterministic: the same size gives the same bytes)
as ``benchmarks/.data/leads-SIZE.csv``: a Salesforce export (the default
mapping's columns and a ``Lead Owner`` column it does not read) of leads
delivered evenly from January 2023 to October 2026, in the shape of the
Digital Manufacturing example -- about 78% accepted, most within 48 hours,
a third of those converted, a third of those with a deal, times in UTC as
Salesforce's Data Loader writes them, conversion and close dates as dates.

Each run is a fresh Python process (imports excluded from the time) that
reads the export in the plan time zone America/Chicago, measures every month
as of 1 December 2026 (clock hours, or with ``--business-hours`` Monday to
Friday 9:00 to 17:00) and makes the review list; then, timed apart and not
counted in "all", writes the review list as CSV (what ``jointbonus leads
--review --format csv`` prints). Reported: the median over the runs of the
wall and CPU seconds of each step and in all, and the median peak resident
memory of the process.

``--against OTHER/src`` times another checkout's code (the folder holding
``jointbonus/``) side by side: the runs alternate between it and this
checkout, and the medians of both are reported with their ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
START = datetime(2023, 1, 1, 6, tzinfo=UTC)
SPAN = datetime(2026, 11, 1, 5, tzinfo=UTC) - START
COLUMNS = (
    "Lead ID", "Created Date", "Lead Source", "Status", "Lead Owner", "Accepted Date",
    "Rejected Date", "Rejection Reason", "Converted Date", "Stage", "Close Date", "Amount",
    "Primary Campaign Source",
)  # fmt: skip
SOURCES = ("Web", "Web", "Web", "Trade Show", "Advertisement", "Seminar - Internal",
           "Purchased List", "Partner Referral", "Employee Referral", "Word of mouth")  # fmt: skip


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def make_export(size: int) -> Path:
    """The export of ``size`` leads, made once."""
    path = DATA / f"leads-{size}.csv"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    rng = random.Random(size)
    step = SPAN / size
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number in range(size):
            delivered = START + step * number + timedelta(seconds=rng.randrange(600))
            row = {"Lead ID": f"00Q{number:012d}", "Created Date": stamp(delivered),
                   "Lead Source": rng.choice(SOURCES), "Status": "Open - Not Contacted",
                   "Lead Owner": f"DM-S0{rng.randint(1, 8)}"}  # fmt: skip
            hours = 47 if rng.random() < 0.9 else 140  # most leads handled in time
            handled = delivered + timedelta(minutes=rng.randrange(60, 60 * hours))
            draw = rng.random()
            if draw < 0.78:
                row["Accepted Date"] = stamp(handled)
                row["Status"] = "Working - Contacted"
                if rng.random() < 0.35:
                    converted = handled + timedelta(days=rng.randrange(0, 40))
                    row["Status"] = "Closed - Converted"
                    row["Converted Date"] = converted.date().isoformat()
                    if rng.random() < 0.35:
                        close = converted + timedelta(days=rng.randrange(15, 90))
                        won = rng.random() < 0.5
                        row["Stage"] = "Closed Won" if won else "Closed Lost"
                        row["Close Date"] = close.date().isoformat()
                        row["Amount"] = f"{rng.randrange(80, 951) * 100}.00"
                        if won and rng.random() < 0.85:
                            row["Primary Campaign Source"] = f"{close.year} Campaign"
            elif draw < 0.97:
                row["Rejected Date"] = stamp(handled)
                row["Status"] = "Closed - Not Converted"
                row["Rejection Reason"] = "Duplicate" if rng.random() < 0.97 else ""
            writer.writerow([row.get(column, "") for column in COLUMNS])
    return path


RUN = """
import json, resource, sys, time
from datetime import UTC, datetime
from jointbonus.leads import BusinessHours, measure, read_leads, review_csv, review_list
path, business = sys.argv[1], sys.argv[2] == "1"
times = {}
def step(name, call):
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    times[name] = (time.perf_counter() - wall, time.process_time() - cpu)
    return value
export = step("read", lambda: read_leads(path, time_zone="America/Chicago"))
metrics = step("measure", lambda: measure(export, datetime(2026, 12, 1, 6, tzinfo=UTC),
                                          business_hours=BusinessHours() if business else None))
rows = step("review", lambda: review_list(metrics))
times["all"] = tuple(sum(t[i] for t in times.values()) for i in range(2))
step("write", lambda: review_csv(rows))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"times": times, "peak_kb": peak, "leads": len(export), "rows": len(rows),
                  "months": len(metrics.months)}))
"""


def run_once(path: Path, business: bool, src: Path | None = None) -> dict[str, object]:
    """One run in a fresh process: of this checkout's code, or of the one at ``src``."""
    environment = dict(os.environ)
    if src is not None:
        environment["PYTHONPATH"] = str(src.resolve())
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(path), "1" if business else "0"],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


STEPS = ("read", "measure", "review", "all", "write")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--leads", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--business-hours", action="store_true")
    parser.add_argument("--against", type=Path, metavar="SRC", default=None)
    arguments = parser.parse_args()
    if arguments.against is not None and not (arguments.against / "jointbonus").is_dir():
        parser.error(f"--against {arguments.against}: expected a folder holding jointbonus/")
    began = time.perf_counter()
    path = make_export(arguments.leads)
    made = time.perf_counter() - began
    print(f"export: {path.relative_to(HERE.parent)} ({path.stat().st_size / 1e6:.0f} MB, "
          f"{made:.1f} s to make or find)")  # fmt: skip
    runs: list[dict[str, object]] = []
    others: list[dict[str, object]] = []
    for _ in range(arguments.repeat):
        if arguments.against is not None:
            others.append(run_once(path, arguments.business_hours, arguments.against))
        runs.append(run_once(path, arguments.business_hours))
    first = runs[0]
    hours = "business" if arguments.business_hours else "clock"
    print(f"{first['leads']:,} leads, {first['months']} months, {first['rows']:,} review rows; "
          f"{hours} hours; {arguments.repeat} runs, load average {_load():.2f}")  # fmt: skip
    if others:
        print(f"  CPU s, median: {arguments.against} / this checkout / ratio")
        for name in STEPS:
            before, after = _median(others, name, 1), _median(runs, name, 1)
            print(f"  {name:8s} {before:6.2f} {after:6.2f} {after / before:6.2f}")
        print(f"  peak memory median {_peak(others):.0f} MB / {_peak(runs):.0f} MB")
        return 0
    for name in STEPS:
        walls = [run["times"][name][0] for run in runs]  # type: ignore[index]
        cpus = [run["times"][name][1] for run in runs]  # type: ignore[index]
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"  {name:8s} median {wall:6.2f} s wall, {cpu:6.2f} s CPU "
              f"(wall min {min(walls):.2f}, max {max(walls):.2f})")  # fmt: skip
    print(f"  peak memory median {_peak(runs):.0f} MB")
    return 0


def _median(runs: list[dict[str, object]], name: str, which: int) -> float:
    """The median of one step's wall (``which`` 0) or CPU (1) seconds over ``runs``."""
    return statistics.median(run["times"][name][which] for run in runs)  # type: ignore[index]


def _peak(runs: list[dict[str, object]]) -> float:
    """The median peak resident memory of ``runs``, in MB."""
    return statistics.median(int(run["peak_kb"]) for run in runs) / 1024  # type: ignore[call-overload]


def _load() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


if __name__ == "__main__":
    sys.exit(main())
