"""Plans with functional goals, gates and caps: how long calibration and paying take.

Usage::

    python benchmarks/weighted.py [--members 1000 10000] [--repeat 3]

Each roster is the synthetic one of :mod:`synth` (sales and marketing, part
timers, joiners and leavers; 36 months of history, 12 plan months, 9 paid),
given functional goals: sales on follow-ups (a step at 100%) and conversion
(linear), marketing on leads accepted (linear), each metric with a
deterministic history of its own; sales asks for an expected shared split of
50% (solved), marketing states a nominal 50%; a functional gate at 90%.
Three variants: no caps; a cap per member per month that binds in good
months; and the same with a cap per plan year. Reported, as medians over
``--repeat`` runs: the seconds to calibrate (weights, scale and the evidence)
and to pay the year and make every line; the residual against its bound
(minor units) and what the caps cut in the months paid.

Without caps, calibration costs each distinct outcome of each month once from
per-team integer sums; with caps it follows every member cohort through the
36 historical plan-year paths, so it grows with cohorts x paths x months.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jointbonus import (
    D,
    GoalSpec,
    HistoryMonth,
    LinearCurve,
    MetricSpec,
    Plan,
    StepCurve,
    TeamSpec,
    build_plan,
    calibrate,
    load_plan,
    pay,
)

HERE = Path(__file__).resolve().parent
METRICS = ("followups", "conversion", "leads")


def weighted(base: Plan, caps: str) -> Plan:
    """``base`` with goals, a gate and ``caps`` ("none", "month" or "year")."""
    rng = random.Random(7)
    history = []
    for month in base.norm.sample_months:
        history.append(
            HistoryMonth(
                month,
                D(rng.randint(880, 1120)) * 1000,
                D(1_000_000),
                functional={m: D(rng.randint(80, 120)) for m in METRICS},
                functional_targets=dict.fromkeys(METRICS, D(100)),
            )
        )
    months = [m.month for m in base.months]
    paid = [m.month for m in base.months if m.actual is not None]
    metrics = [
        MetricSpec(
            name,
            targets={m: "100" for m in months},
            actuals={m: str(rng.randint(85, 115)) for m in paid},
        )
        for name in METRICS
    ]
    options: dict[str, object] = {}
    # A member's mean monthly bonus, and caps that bind in good months and years.
    mean = base.budget.amount // (len(base.members) * len(base.months))
    if caps in ("month", "year"):
        options["cap_per_month"] = base.currency.from_minor(mean * 3 // 2)
    if caps == "year":
        options["cap_per_year"] = base.currency.from_minor(mean * len(base.months) * 13 // 10)
    return build_plan(
        name=f"{base.name} with goals",
        currency=base.currency,
        start=base.months[0].month,
        months=len(base.months),
        members=list(base.members),
        history=history,
        targets={m: "1000000" for m in months},
        actuals={m: str(rng.randint(900, 1100) * 1000) for m in paid},
        curve=LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.2", "1.5")]),
        budget=base.currency.from_minor(base.budget.amount),
        teams=[
            TeamSpec(
                "sales",
                expected_shared_split="0.5",
                goals=(
                    GoalSpec("followups", "0.5", StepCurve()),
                    GoalSpec("conversion", "0.5", LinearCurve.of([("0.9", "0.5"), ("1.1", "1.5")])),
                ),
            ),
            TeamSpec(
                "marketing",
                shared_weight="0.5",
                goals=(GoalSpec("leads", "1", LinearCurve.of([("0.8", "0.5"), ("1.2", "1.5")])),),
            ),
        ],
        metrics=metrics,
        functional_gate="0.9",
        **options,  # type: ignore[arg-type]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    arguments = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import synth

    print(f"Python {sys.version.split()[0]}, median of {arguments.repeat} runs, seconds")
    print(
        f"{'members':>8} {'cohorts':>8} {'caps':<6} {'calibrate':>9} {'pay + lines':>11} "
        f"{'residual':>9} {'bound':>9} {'cut by caps':>12}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in arguments.members:
            base = load_plan(synth.write_plan(Path(folder) / str(size), size))
            for caps in ("none", "month", "year"):
                plan = weighted(base, caps)
                times = []
                for _ in range(arguments.repeat):
                    started = time.perf_counter()
                    calibration = calibrate(plan)
                    times.append(time.perf_counter() - started)
                seconds = statistics.median(times)
                times = []
                for _ in range(arguments.repeat):
                    started = time.perf_counter()
                    result = pay(plan, calibration)
                    sum(1 for _ in result.lines())
                    times.append(time.perf_counter() - started)
                paying = statistics.median(times)
                cohorts = len(result.months[0].frame.cohorts)
                residual = float(calibration.residual)
                bound = float(calibration.rounding_bound)
                capped = sum(m.capped for m in result.months)
                print(
                    f"{size:>8,} {cohorts:>8,} {caps:<6} {seconds:>9.2f} {paying:>11.2f} "
                    f"{residual:>9.2f} {bound:>9.1f} {plan.currency.format(capped):>12}"
                )


if __name__ == "__main__":
    main()
