"""The same year paid by a careful numpy/pandas script: the yardstick for jointbonus.

Usage: ``python benchmarks/baseline_numpy.py PLAN OUT_DIR``

It reads the plan file and its CSV files (pandas), and does the arithmetic
jointbonus does for a plan with a step curve, one pool a month split equally,
expected-cost neutrality and the budget taken from history:

* each member's weight in each month: FTE x days active / days in the month
  (start and end inclusive; a leaver gets nothing for the exit month unless
  the plan pays leavers for it), kept as integer units FTE x 10^6 x days;
* the attainment sample of the 36 historical months (actual / target) and
  each plan month's payout factor (1 at or above the threshold, else 0);
* the budget (mean monthly payout of the old plan x plan months) and the
  pool at target = budget / expected unit cost, where the expected unit cost
  is the sum over the plan months of the mean historical payout factor;
* each paid month's pool in integer cents, split by largest remainder over
  the weights, leftover cents to the largest remainders, ties to the lower
  member id;
* ``lines.csv`` (the columns and text of jointbonus's ``lines.csv``) and
  ``months.csv``.

The handful of per-month scalars (budget, scale, pools, attainments) are
exact fractions; the per-member work is vectorised over integer arrays.
"""

from __future__ import annotations

import sys
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

LINE_COLUMNS = (
    "member_id,team,period,days,weight,attainment,payout_factor,shared,total,status,reason"
)
FTE_SCALE = 1_000_000
CENTS = 100
INT64_MAX = 2**63 - 1


def _round_half_up(value: Fraction) -> int:
    if value < 0:
        return -_round_half_up(-value)
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def _fixed(value: Fraction, places: int) -> str:
    scaled = _round_half_up(value * 10**places)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _cents_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    digits = str(abs(cents)).rjust(3, "0")
    return f"{sign}{digits[:-2]}.{digits[-2:]}"


def _csv_cell(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _settings(plan_path: Path) -> dict[str, Any]:
    settings = tomllib.loads(plan_path.read_text(encoding="utf-8"), parse_float=Decimal)
    supported = (
        settings["currency"] in {"USD", "EUR", "GBP"}
        and settings["shared"]["curve"]["type"] == "step"
        and settings.get("funding", {}).get("style", "pool") == "pool"
        and settings.get("funding", {}).get("split", "equal") == "equal"
        and settings["history"].get("norm", "targets") == "targets"
        and settings["calibration"].get("neutrality", "expected_cost") == "expected_cost"
        and settings["calibration"]["budget"] == "from_history"
    )
    if not supported:
        raise SystemExit(f"{plan_path}: the baseline pays only the benchmark's kind of plan")
    return settings


def _day_numbers(column: pd.Series) -> np.ndarray:
    """ISO dates as days since 1970-01-01 (int64); a blank cell is the far future."""
    days = pd.to_datetime(column, format="%Y-%m-%d").to_numpy(dtype="datetime64[D]")
    numbers = days.astype(np.int64)
    numbers[np.isnat(days)] = np.iinfo(np.int64).max // 4
    return numbers


def _iso(day_number: int) -> str:
    return str(np.datetime64(int(day_number), "D"))


def _allocate(pool: int, units: np.ndarray) -> np.ndarray:
    """Split ``pool`` cents by largest remainder over ``units``; ties to the lower position."""
    total = int(units.sum())
    if pool * int(units.max()) > INT64_MAX:
        raise SystemExit("pool x weight does not fit in 64 bits")
    scaled = units * pool
    base = scaled // total
    remainder = scaled - base * total
    leftover = pool - int(base.sum())
    if leftover:
        positions = np.arange(units.size)
        order = np.lexsort((positions, -remainder))
        base[order[:leftover]] += 1
    return base


def run_year(plan_path: Path, out: Path) -> dict[str, Any]:
    """Pay the plan at ``plan_path`` and write ``lines.csv`` and ``months.csv`` into ``out``."""
    settings = _settings(plan_path)
    folder = plan_path.parent
    threshold = Fraction(settings["shared"]["curve"].get("threshold", Decimal(1)))
    payout = Fraction(settings["shared"]["curve"].get("payout", Decimal(1)))
    pay_leavers = bool(settings["roster"].get("pay_leavers_for_exit_month", False))

    roster = pd.read_csv(
        folder / settings["roster"]["file"],
        dtype={"id": str, "team": str, "start": str, "end": str, "fte": str},
        keep_default_na=False,
        na_values={"end": [""]},
    )
    history = pd.read_csv(folder / settings["history"]["file"], dtype=str, keep_default_na=False)
    months = pd.read_csv(folder / settings["shared"]["file"], dtype=str, keep_default_na=False)

    roster = roster.sort_values("id", kind="stable", ignore_index=True)
    fte = pd.to_numeric(roster["fte"]).to_numpy()
    fte_units = np.rint(fte * FTE_SCALE).astype(np.int64)
    if (fte_units <= 0).any() or (fte_units > FTE_SCALE).any():
        raise SystemExit("fte must be in (0, 1]")
    if (roster[["salary", "target_bonus"]] < 0).any().any():
        raise SystemExit("salaries and target bonuses must be >= 0")
    start = _day_numbers(roster["start"])
    end = _day_numbers(roster["end"])
    ids = roster["id"].to_numpy(dtype=object)
    teams = roster["team"].to_numpy(dtype=object)
    heads = (ids + "," + teams + ",").tolist()

    # The norm: every historical month's attainment, each equally likely.
    hist_actual = [Fraction(Decimal(a)) for a in history["actual"]]
    hist_target = [Fraction(Decimal(t)) for t in history["target"]]
    sample = [a / t for a, t in zip(hist_actual, hist_target, strict=True)]
    factors = [payout if a >= threshold else Fraction(0) for a in sample]
    mean_factor = sum(factors, Fraction(0)) / len(factors)
    paid = [Fraction(Decimal(p)) for p in history["paid"]]

    periods = months["month"].tolist()
    plan_months = len(periods)
    budget = _round_half_up(sum(paid, Fraction(0)) / len(paid) * plan_months * CENTS)

    # Each month's standing: days active and eligible weight units.
    frames = []
    for period in periods:
        first = np.datetime64(f"{period}-01", "D")
        last = (np.datetime64(period, "M") + 1).astype("datetime64[D]") - 1
        first_n, last_n = int(first.astype(np.int64)), int(last.astype(np.int64))
        days = np.clip(np.minimum(end, last_n) - np.maximum(start, first_n) + 1, 0, None)
        leaving = (end < last_n) & (days > 0)
        eligible = days > 0 if pay_leavers else (days > 0) & ~leaving
        units = np.where(eligible, fte_units * days, 0)
        frames.append((period, last_n, last_n - first_n + 1, days, units, leaving))

    unit_cost = sum(
        (mean_factor for *_, units, _ in frames if units.any()), Fraction(0)
    )  # the pool at scale 1 and factor 1 is 1 in every month with someone eligible
    if unit_cost == 0:
        raise SystemExit("the plan can never pay at historical performance")
    scale = Fraction(budget, CENTS) / unit_cost

    percent = threshold * 100
    threshold_text = (
        str(percent.numerator) if percent.denominator == 1 else _fixed(percent, 4).rstrip("0")
    ).rstrip(".") + "%"
    out.mkdir(parents=True, exist_ok=True)
    month_rows = ["period,target,actual,attainment,payout_factor,status,pool,paid"]
    total_paid = 0
    with (out / "lines.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(LINE_COLUMNS + "\n")
        for (period, last_n, month_days, days, units, leaving), target, actual in zip(
            frames, months["target"], months["actual"], strict=True
        ):
            pending = not actual
            # Why a line is what it is: 0 paid, 1 the month's reason (pending, missed,
            # rounds to 0), 2 not yet started, 3 left, 4 left during the month.
            kind = np.ones(units.size, dtype=np.int64)
            if pending:
                amounts = np.zeros(units.size, dtype=np.int64)
                attainment_text = factor_text = ""
                pool = None
                month_reason = f"pending: no actual for {period} yet"
            else:
                attainment = Fraction(Decimal(actual)) / Fraction(Decimal(target))
                factor = payout if attainment >= threshold else Fraction(0)
                attainment_text = _fixed(attainment, 6)
                factor_text = _fixed(factor, 6)
                pool = _round_half_up(scale * factor * CENTS)
                amounts = (
                    _allocate(pool, units)
                    if pool and units.any()
                    else np.zeros(units.size, dtype=np.int64)
                )
                if factor == 0:
                    month_reason = (
                        f"target {'met' if attainment >= 1 else 'missed'}: attainment "
                        f"{_fixed(attainment * 100, 1)}% earns no payout "
                        f"(the curve pays from {threshold_text})"
                    )
                else:
                    month_reason = "share rounds to less than one minor unit"
                kind[amounts != 0] = 0
            # A member out of the plan this month is paid nothing, actual or not.
            not_yet = start > last_n
            kind[not_yet] = 2
            kind[(days == 0) & ~not_yet] = 3
            if not pay_leavers:
                kind[leaving] = 4
            detail = np.where(kind == 2, start, np.where(kind >= 3, end, 0))
            paid_month = int(amounts.sum())
            total_paid += paid_month
            month_rows.append(
                f"{period},{target},{actual},{attainment_text},{factor_text},"
                f"{'pending' if pending else 'paid'},"
                f"{'' if pool is None else _cents_text(pool)},{_cents_text(paid_month)}"
            )

            # One text tail per distinct (days, weight, amount, reason).
            weight_codes, _ = pd.factorize(units * 64 + days)
            amount_codes, amount_values = pd.factorize(amounts)
            detail_codes, detail_values = pd.factorize(detail * 8 + kind)
            key = (weight_codes * amount_values.size + amount_codes) * detail_values.size
            key_codes, key_values = pd.factorize(key + detail_codes)
            firsts = np.zeros(key_values.size, dtype=np.int64)
            firsts[key_codes[::-1]] = np.arange(key_codes.size)[::-1]
            tails = np.empty(key_values.size, dtype=object)
            for slot, row in enumerate(firsts.tolist()):
                weight = (2 * int(units[row]) + month_days) // (2 * month_days)
                amount = int(amounts[row])
                money = _cents_text(amount)
                status = "pending" if pending and kind[row] == 1 else "paid" if amount else "zero"
                reason = (
                    "",
                    month_reason,
                    f"not yet started (starts {_iso(detail[row])})",
                    f"left on {_iso(detail[row])}",
                    f"left on {_iso(detail[row])}, before the month ended; "
                    "the plan does not pay leavers for their exit month",
                )[kind[row]]
                tails[slot] = (
                    f"{period},{days[row]},{weight // FTE_SCALE}.{weight % FTE_SCALE:06d},"
                    f"{attainment_text},{factor_text},{money},{money},{status},"
                    f"{_csv_cell(reason)}\n"
                )
            parts: list[str] = [""] * (2 * units.size)  # head, tail, head, tail, ...
            parts[0::2] = heads
            parts[1::2] = tails[key_codes].tolist()
            handle.write("".join(parts))
    (out / "months.csv").write_text("\n".join(month_rows) + "\n", encoding="utf-8")
    return {"members": int(units.size), "lines": int(units.size) * plan_months, "paid": total_paid}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python benchmarks/baseline_numpy.py PLAN OUT_DIR", file=sys.stderr)
        return 2
    summary = run_year(Path(argv[0]), Path(argv[1]))
    print(
        f"{summary['members']} members, {summary['lines']} lines, "
        f"paid {_cents_text(summary['paid'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
