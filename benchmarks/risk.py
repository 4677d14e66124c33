"""Cost risk: how long the distribution of a year's cost takes, exact and bootstrapped.

Usage::

    python benchmarks/risk.py [--repeat 5] [--members 10000] [--years 100000]

Two rosters: the Digital Manufacturing example (15 members) and a synthetic
roster of ``--members`` people written by :mod:`synth` into a temporary
folder (36 months of history, 12 plan months, 9 of them paid). Each is
measured with

* its own step curve (one pool a month when the target is hit): the exact
  distribution;
* a linear curve (half the pool at 90% of target, the whole pool at 100%,
  twice the pool at 120%), whose months cost up to 36 different amounts:
  a bootstrap of ``--years`` simulated years;

each with pool funding and with individual funding (every member's own
target bonus, so a month's cost is summed over the roster's cohorts). Reported:
the median over ``--repeat`` runs of the seconds to build the frames and
calibrate, and of the seconds of :func:`jointbonus.cost_risk` itself (the
year under the norm and the year given the paid months), with the mean and
the 5th and 95th percentiles of the year.

Then, on the linear plan of the synthetic roster, the bootstrap of the year
is compared with simpler ways of drawing the same years, to show where the
time goes:

* one ``random.choices`` per month for every year at once, the columns summed
  by ``map(add, ...)`` (no grouping of months);
* a Python loop over years and months, drawing each month's cost from its
  table;
* a Python loop paying every drawn month again (``month_cost`` per year and
  month instead of once per distinct payout factor), timed on a tenth of the
  years.

Pure Python throughout; the library needs nothing else.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from operator import add
from pathlib import Path

from jointbonus import (
    FundingStyle,
    LinearCurve,
    Plan,
    calibrate,
    cost_risk,
    load_plan,
    scenario_month_costs,
)
from jointbonus.sharedtarget.pay.frame import Outcome, frame_months, month_cost
from jointbonus.sharedtarget.risk import DEFAULT_SEED, _bootstrap

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "digital_manufacturing" / "plan.toml"

LINEAR = LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.2", "2")])


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def variants(name: str, plan: Plan) -> list[tuple[str, Plan]]:
    """The plan with its step curve and with a linear one, pool and individual funding."""
    cases = []
    for funding in (FundingStyle.POOL, FundingStyle.INDIVIDUAL):
        for curve_name, curve in (("step", plan.curve), ("linear", LINEAR)):
            label = f"{name:<22} {curve_name:<7} {funding.value:<11}"
            cases.append((label, replace(plan, curve=curve, funding=funding)))
    return cases


def measure(label: str, plan: Plan, years: int, repeat: int) -> None:
    calibration_seconds = median_seconds(lambda: calibrate(plan, frame_months(plan)), repeat)
    frames = frame_months(plan)
    calibration = calibrate(plan, frames)
    risk = cost_risk(plan, calibration, frames=frames, years=years)
    risk_seconds = median_seconds(
        lambda: cost_risk(plan, calibration, frames=frames, years=years), repeat
    )
    year = risk.year
    money = plan.currency.from_minor
    method = year.method.value if year.years is None else f"{year.method.value} {year.years:,}"
    print(
        f"{label} {method:<17} {calibration_seconds:>9.3f} {risk_seconds:>9.3f}  "
        f"{money(round(year.mean)):>14} {money(year.percentile(5)):>14} "
        f"{money(year.percentile(95)):>14}"
    )


def compare_draws(plan: Plan, years: int, repeat: int) -> None:
    """The library's bootstrap of the year against simpler ways of drawing the same years."""
    frames = frame_months(plan)
    calibration = calibrate(plan, frames)
    tables = scenario_month_costs(plan, calibration, frames)
    populations = [list(table.elements()) for table in tables]

    def per_month() -> list[int]:
        rng = random.Random(1)
        totals = [0] * years
        for population in populations:
            totals = list(map(add, totals, rng.choices(population, k=years)))
        totals.sort()
        return totals

    def per_year(count: int) -> Callable[[], list[int]]:
        def draw() -> list[int]:
            rng = random.Random(1)
            totals = []
            for _ in range(count):
                total = 0
                for population in populations:
                    total += population[rng.randrange(len(population))]
                totals.append(total)
            totals.sort()
            return totals

        return draw

    sample = list(plan.norm.sample)

    def per_year_paying(count: int) -> Callable[[], list[int]]:
        def draw() -> list[int]:
            rng = random.Random(1)
            totals = []
            for _ in range(count):
                total = 0
                for frame in frames:
                    month = frame.plan_month
                    ratio = plan.norm.scenario_ratio(month.month, month.target)
                    factor = plan.curve.factor(rng.choice(sample) * ratio)
                    total += month_cost(plan, frame, calibration.terms, Outcome(factor)).paid
                totals.append(total)
            totals.sort()
            return totals

        return draw

    tenth = years // 10
    rows = (
        ("grouped months (the library)", median_seconds(
            lambda: _bootstrap(tables, 0, years, DEFAULT_SEED), repeat)),
        ("one random.choices per month, summed by map(add)", median_seconds(per_month, repeat)),
        ("a Python loop over years and months", median_seconds(per_year(years), 1)),
        (f"each drawn month paid again (x10 from {tenth:,} years)",
         10 * median_seconds(per_year_paying(tenth), 1)),
    )  # fmt: skip
    for name, seconds in rows:
        print(f"  {name:<52} {seconds:>8.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--members", type=int, default=10_000, help="synthetic roster size")
    parser.add_argument("--years", type=int, default=100_000, help="bootstrap years")
    arguments = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import synth

    print(f"Python {sys.version.split()[0]}, median of {arguments.repeat} runs, seconds")
    print(
        f"{'roster':<22} {'curve':<7} {'funding':<11} {'method':<17} {'calibrate':>9} "
        f"{'cost risk':>9}  {'mean':>14} {'5th pct':>14} {'95th pct':>14}"
    )
    with tempfile.TemporaryDirectory() as folder:
        synthetic_file = synth.write_plan(Path(folder), arguments.members)
        example = load_plan(EXAMPLE)
        synthetic = load_plan(synthetic_file)
        cases = variants(f"example ({len(example.members)})", example)
        cases += variants(f"synthetic ({len(synthetic.members):,})", synthetic)
        for label, plan in cases:
            measure(label, plan, arguments.years, arguments.repeat)
        print()
        print(f"Drawing {arguments.years:,} years of the synthetic linear plan (pool funding):")
        compare_draws(replace(synthetic, curve=LINEAR), arguments.years, arguments.repeat)


if __name__ == "__main__":
    main()
