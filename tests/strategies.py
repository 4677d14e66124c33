"""Hypothesis strategies for plans, rosters, histories, curves and budgets.

Every plan is made through the public API (:func:`jointbonus.build_plan`,
:class:`jointbonus.Member`, :class:`jointbonus.HistoryMonth`, the curves), so
a strategy can only make plans a user could make. :func:`plan_specs` draws a
:class:`PlanSpec`: the arguments of one plan, which builds the plan
(:meth:`PlanSpec.build`) or writes it as a plan file with its CSV files
(:meth:`PlanSpec.write`).

The generated plans cover: currencies with 0, 2 and 3 decimals (JPY, USD,
KWD); 1 to 48 months of history with targets and actuals (attainments from
0.6 to 1.5) and, sometimes, what the old plan paid; the three norm methods;
rosters of 1 to 30 members who join and leave before, during and after the
plan (month ends, leap days), part-timers with up to six decimals of FTE,
members with identical standing; step and piecewise-linear curves
(thresholds, accelerators, caps); pool funding with each split and
individual funding; plans of 1 to 24 months starting in any month; both
neutralities, both leaver rules; budgets given or taken from history.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from jointbonus import (
    CalibrationError,
    Currency,
    Curve,
    D,
    FundingStyle,
    HistoryMonth,
    LinearCurve,
    Member,
    Month,
    Neutrality,
    NormMethod,
    Plan,
    Split,
    StepCurve,
    VersionSpec,
    build_plan,
    calibrate,
    currency,
    plan_months,
)

__all__ = [
    "CURRENCIES",
    "CurveSpec",
    "PlanSpec",
    "VersionedSpec",
    "allocation_amounts",
    "allocation_weights",
    "curve_specs",
    "examples",
    "fixed_point",
    "payable",
    "plan_specs",
    "tied_allocations",
    "versioned_specs",
]

#: The currencies plans are drawn in: no decimals, two, three.
CURRENCIES: tuple[Currency, ...] = (currency("JPY"), currency("USD"), currency("KWD"))

TEAMS = ("sales", "marketing")


def examples(share: int) -> settings:
    """Settings running ``1/share`` of the profile's examples (at least 3).

    For properties whose every example pays many years or starts processes.
    """
    return settings(max_examples=max(3, settings.default.max_examples // share))


def fixed_point(units: int, places: int) -> str:
    """``units x 10^-places`` written as decimal text, by integer arithmetic only."""
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(places + 1, "0")
    if places == 0:
        return f"{sign}{digits}"
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


# -- curves --------------------------------------------------------------------


@dataclass(frozen=True)
class CurveSpec:
    """A payout curve as the text a plan file would hold."""

    kind: str
    threshold: str = "1"
    payout: str = "1"
    points: tuple[tuple[str, str], ...] = ()

    def build(self) -> Curve:
        if self.kind == "step":
            return StepCurve(Fraction(D(self.threshold)), Fraction(D(self.payout)))
        return LinearCurve.of(self.points)

    def toml(self) -> str:
        if self.kind == "step":
            return f'{{ type = "step", threshold = {self.threshold}, payout = {self.payout} }}'
        shown = ", ".join(f"[{a}, {f}]" for a, f in self.points)
        return f'{{ type = "linear", points = [{shown}] }}'


@st.composite
def curve_specs(draw: st.DrawFn) -> CurveSpec:
    """Step curves (threshold 80%-120%, payout 0.25-3) and piecewise-linear curves.

    A linear curve has 1 to 4 points between 50% and 170% of target, factors
    never decreasing, the last above 0; a zero first factor makes a hard
    threshold, a steep segment an accelerator, the last point the cap.
    """
    if draw(st.booleans()):
        threshold = draw(st.integers(80, 120))
        payout = draw(st.one_of(st.just(100), st.integers(25, 300)))
        return CurveSpec("step", fixed_point(threshold, 2), fixed_point(payout, 2))
    count = draw(st.integers(1, 4))
    attainments = sorted(draw(st.sets(st.integers(50, 170), min_size=count, max_size=count)))
    factors = sorted(draw(st.lists(st.integers(0, 300), min_size=count, max_size=count)))
    if factors[-1] == 0:
        factors[-1] = draw(st.integers(10, 300))
    points = tuple(
        (fixed_point(a, 2), fixed_point(f, 2)) for a, f in zip(attainments, factors, strict=True)
    )
    return CurveSpec("linear", points=points)


# -- the plan ------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSpec:
    """The arguments of one generated plan."""

    name: str
    currency: Currency
    start: Month
    months: int
    members: tuple[Member, ...]
    history: tuple[HistoryMonth, ...]
    curve: CurveSpec
    budget: str
    targets: dict[str, str]
    actuals: dict[str, str]
    norm: NormMethod
    window: int
    uplift: str
    funding: FundingStyle
    split: Split
    neutrality: Neutrality
    pay_leavers_for_exit_month: bool
    scale: str | None = None
    """A fixed pool at target (pool funding) or target bonus multiplier; ``None``: calibrate."""

    @property
    def calendar(self) -> tuple[Month, ...]:
        return plan_months(self.start, self.months)

    def kwargs(self, members: Sequence[Member] | None = None) -> dict[str, Any]:
        """Keyword arguments of :func:`jointbonus.build_plan` for this plan."""
        return {
            "name": self.name,
            "currency": self.currency,
            "start": self.start,
            "months": self.months,
            "members": list(self.members if members is None else members),
            "history": list(self.history),
            "curve": self.curve.build(),
            "budget": self.budget,
            "targets": dict(self.targets),
            "actuals": dict(self.actuals),
            "norm": self.norm,
            "window": self.window,
            "uplift": self.uplift,
            "funding": self.funding,
            "split": self.split,
            "neutrality": self.neutrality,
            "pay_leavers_for_exit_month": self.pay_leavers_for_exit_month,
            "scale": self.scale,
        }

    def build(self, members: Sequence[Member] | None = None) -> Plan:
        """The plan, through :func:`jointbonus.build_plan`."""
        return build_plan(**self.kwargs(members))

    def write(self, folder: Path) -> Path:
        """Write the plan file and its three CSV files into ``folder``; return the plan file."""
        folder.mkdir(parents=True, exist_ok=True)
        budget = self.budget if self.budget != "from_history" else '"from_history"'
        lines = [
            f'name = "{self.name}"',
            f'currency = "{self.currency.code}"',
            f'start = "{self.start}"',
            f"months = {self.months}",
            "",
            "[roster]",
            'file = "roster.csv"',
            f"pay_leavers_for_exit_month = {str(self.pay_leavers_for_exit_month).lower()}",
            "",
            "[shared]",
            'file = "months.csv"',
            f"curve = {self.curve.toml()}",
            "",
            "[funding]",
            f'style = "{self.funding.value}"',
        ]
        if self.funding is FundingStyle.POOL:
            lines.append(f'split = "{self.split.value}"')
        if self.scale is not None:
            name = (
                "pool_at_target" if self.funding is FundingStyle.POOL else "target_bonus_multiplier"
            )
            lines.append(f"{name} = {self.scale}")
        lines += [
            "",
            "[history]",
            'file = "history.csv"',
            f'norm = "{self.norm.value}"',
            f"window = {self.window}",
            f"uplift = {self.uplift}",
            "",
            "[calibration]",
            f'neutrality = "{self.neutrality.value}"',
            f"budget = {budget}",
        ]
        plan_file = folder / "plan.toml"
        plan_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

        def text(value: object) -> str:
            return "" if value is None else str(value)

        with (folder / "roster.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["id", "team", "start", "end", "fte", "salary", "target_bonus"])
            for m in self.members:
                writer.writerow(
                    [
                        m.id,
                        m.team,
                        m.start,
                        text(m.end),
                        m.fte,
                        text(m.salary),
                        text(m.target_bonus),
                    ]
                )
        with (folder / "months.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["month", "target", "actual"])
            for month in self.calendar:
                key = str(month)
                writer.writerow([key, self.targets.get(key, ""), self.actuals.get(key, "")])
        with (folder / "history.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["month", "actual", "target", "paid"])
            for h in self.history:
                writer.writerow([h.month, h.actual, text(h.target), text(h.paid)])
        return plan_file


def payable(spec: PlanSpec) -> PlanSpec:
    """``spec``, or, if its plan cannot be calibrated, ``spec`` with a fixed scale.

    For properties that hold at any scale: a plan that could never pay at
    historical performance, or where nobody is eligible, is still paid.
    """
    try:
        calibrate(spec.build())
    except CalibrationError:
        fixed = "1000" if spec.funding is FundingStyle.POOL else "1.5"
        return replace(spec, scale=fixed)
    return spec


def _month_days(months: Sequence[Month]) -> list[date]:
    """Days where proration is easiest to get wrong: month ends, month starts, leap days."""
    days: set[date] = set()
    for month in months:
        first, last = month.first_day, month.last_day
        days.update({first, first + timedelta(days=1), last - timedelta(days=1), last})
        days.add(date(month.year, month.month, 15))
    return sorted(days)


def _dates_around(draw: st.DrawFn, calendar: Sequence[Month], low: date) -> date:
    """A date at or after ``low``, mostly within the plan: often on a month's boundary."""
    first, last = calendar[0].first_day, calendar[-1].last_day
    late = max(low, last + timedelta(days=60))
    near = max(low, first - timedelta(days=40))
    choices = [st.dates(min_value=near, max_value=late)]
    boundaries = [d for d in _month_days(calendar) if d >= low]
    if boundaries:
        choices += [st.sampled_from(boundaries)] * 2
    if low < first:
        choices.append(st.dates(min_value=low, max_value=first - timedelta(days=1)))
    return draw(st.one_of(choices))


@st.composite
def fte_texts(draw: st.DrawFn) -> str:
    """An FTE in (0, 1] as text, with up to six decimals; common values often."""
    common = st.sampled_from(["1", "1.0", "0.5", "0.8", "0.6", "0.75", "0.4"])
    exact = st.integers(1, 1_000_000).map(lambda n: fixed_point(n, 6))
    return draw(st.one_of(common, common, exact))


@st.composite
def rosters(
    draw: st.DrawFn, calendar: Sequence[Month], money: Currency, max_size: int = 30
) -> tuple[Member, ...]:
    """1 to ``max_size`` members; some with identical standing (same dates, FTE, pay).

    Ids are unique; the list comes in a shuffled order (the plan sorts it).
    """
    first = calendar[0].first_day
    profiles = draw(st.integers(1, max(1, max_size // 2)))
    members: list[Member] = []
    # Unique ids that sort as text, not as numbers ("S10" before "S9").
    numbers = draw(st.permutations(range(1, max_size + 1)))
    prefixes = st.sampled_from(["S", "M", "DM-", "x_"])
    unit = money.scale
    for profile in range(profiles):
        if len(members) >= max_size:
            break
        # The first profile stays throughout, so that someone is usually paid.
        joined_before = profile == 0 or draw(st.booleans())
        if joined_before:
            start = draw(st.dates(min_value=first - timedelta(days=1500), max_value=first))
        else:
            start = _dates_around(draw, calendar, first - timedelta(days=40))
        end = None
        if profile > 0 and draw(st.booleans()):
            end = _dates_around(draw, calendar, start)
        fte = draw(fte_texts())
        salary = draw(st.one_of(st.just(0), st.integers(20_000 * unit, 300_000 * unit)))
        bonus = draw(st.one_of(st.just(0), st.integers(1_000 * unit, 60_000 * unit)))
        if draw(st.integers(0, 9)):  # a zero salary or target bonus, now and then
            salary = salary or draw(st.integers(20_000 * unit, 300_000 * unit))
            bonus = bonus or draw(st.integers(1_000 * unit, 60_000 * unit))
        team = draw(st.sampled_from(TEAMS))
        copies = draw(st.integers(1, 3))
        for _copy in range(copies):
            if len(members) >= max_size:
                break
            members.append(
                Member(
                    f"{draw(prefixes)}{numbers[len(members)]}",
                    team,
                    start,
                    end,
                    D(fte),
                    money.from_minor(salary),
                    money.from_minor(bonus),
                )
            )
    return tuple(draw(st.permutations(members)))


def _attainment() -> st.SearchStrategy[int]:
    """An attainment in thousandths, spread around 1 (60% to 150%)."""
    return st.integers(600, 1500)


@st.composite
def plan_specs(
    draw: st.DrawFn,
    *,
    norm: NormMethod | None = None,
    funding: FundingStyle | None = None,
    neutrality: Neutrality | None = None,
    max_members: int = 30,
    max_history: int = 48,
    max_months: int = 24,
    min_months: int = 1,
    period: int = 1,
) -> PlanSpec:
    """A whole plan; ``norm``, ``funding`` and ``neutrality`` fix what is not drawn.

    ``min_months`` above 12 makes a plan of several plan years (its history
    then covers every calendar month, whatever the norm). ``period`` above 1
    (a shared period's months) makes a plan of one such period or more whose
    history holds a whole one after the trailing window: historical periods are
    counted back from the plan's start, so a history ending ``g`` months before
    it holds one in its last ``period`` months when ``g`` is 0, in its last
    ``2 x period - g`` otherwise.
    """
    min_months = max(min_months, period)
    money = draw(st.sampled_from(CURRENCIES))
    method = norm if norm is not None else draw(st.sampled_from(list(NormMethod)))
    low_history = 2 if method is NormMethod.TRAILING_MEAN else 1
    if min_months > 1 and method is NormMethod.SAME_MONTH_MEAN:
        low_history = 12
    spare = 1 if method is NormMethod.TRAILING_MEAN else 0  # the window's least months
    count = draw(st.integers(max(low_history, period + spare), max_history))
    whole = 0  # the months of history that hold a whole period (see above)
    history_end = Month(draw(st.integers(2015, 2031)), draw(st.integers(1, 12)))
    history_months = [history_end.shift(i - count + 1) for i in range(count)]

    if method is NormMethod.SAME_MONTH_MEAN and count < 12:
        # Each plan month's calendar month must appear in the history: the plan
        # repeats, a year later, a run of the history's last months.
        skip = draw(st.integers(0, count - 1))
        start = history_months[skip].shift(12)
        length = draw(st.integers(1, min(max_months, count - skip)))
    else:
        gaps = (
            st.integers(0, 3)
            if period == 1
            else st.sampled_from([g for g in range(4) if g == 0 or count - spare >= 2 * period - g])
        )
        gap = draw(gaps)
        whole = 0 if period == 1 else period if gap == 0 else 2 * period - gap
        start = history_end.shift(1 + gap)
        length = draw(st.integers(min_months, max_months))
    calendar = plan_months(start, length)

    # History: actuals (and targets) around a level; what the old plan paid, sometimes.
    with_paid = draw(st.booleans())
    level = draw(st.integers(10_000, 2_000_000))
    history = []
    for month in history_months:
        attainment = draw(_attainment())
        paid = money.from_minor(draw(st.integers(100, 10**8))) if with_paid else None
        if method is NormMethod.TARGETS or draw(st.booleans()):
            target_cents = draw(st.integers(level * 80, level * 120))
            actual = D(fixed_point(target_cents * attainment, 5))
            history.append(HistoryMonth(month, actual, D(fixed_point(target_cents, 2)), paid))
        else:
            history.append(HistoryMonth(month, D(fixed_point(level * attainment, 3)), None, paid))

    window = (
        draw(st.integers(1, count - max(1, whole))) if method is NormMethod.TRAILING_MEAN else 12
    )
    uplift = 0 if method is NormMethod.TARGETS else draw(st.integers(-100, 200))

    # Plan targets: all given for the 'targets' norm; else given or derived month by month.
    targets: dict[str, str] = {}
    references: list[int] = []  # each month's target, roughly, in thousandths
    for month in calendar:
        if method is NormMethod.TARGETS or draw(st.integers(0, 3)) == 0:
            cents = draw(st.integers(level * 85, level * 120))
            targets[str(month)] = fixed_point(cents, 2)
            references.append(cents * 10)
        else:
            references.append(level * (1000 + uplift))
    reported = draw(st.integers(0, length))
    actuals = {
        str(month): fixed_point(reference * draw(_attainment()), 6)
        for month, reference in zip(calendar[:reported], references[:reported], strict=True)
    }

    members = draw(rosters(calendar, money, max_members))
    style = funding if funding is not None else draw(st.sampled_from(list(FundingStyle)))
    split = draw(st.sampled_from(list(Split))) if style is FundingStyle.POOL else Split.EQUAL
    rule = neutrality if neutrality is not None else draw(st.sampled_from(list(Neutrality)))
    if with_paid and draw(st.booleans()):
        budget = "from_history"
    else:
        budget = str(money.from_minor(draw(st.integers(100, 10**9))))
    return PlanSpec(
        name="Generated plan",
        currency=money,
        start=start,
        months=length,
        members=members,
        history=tuple(history),
        curve=draw(curve_specs()),
        budget=budget,
        targets=targets,
        actuals=actuals,
        norm=method,
        window=window,
        uplift=fixed_point(uplift, 3),
        funding=style,
        split=split,
        neutrality=rule,
        pay_leavers_for_exit_month=draw(st.booleans()),
    )


# -- allocation ----------------------------------------------------------------


def allocation_weights(max_size: int = 40) -> st.SearchStrategy[list[int]]:
    """Weight lists with ties and zeros, at least one weight above 0.

    Half are drawn from a palette of one to four values, so that many
    parties share a weight (and a remainder); half are drawn freely.
    """
    value = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 10**9))
    free = st.lists(value, min_size=1, max_size=max_size)
    tied = st.lists(value, min_size=1, max_size=4).flatmap(
        lambda palette: st.lists(st.sampled_from(palette), min_size=1, max_size=max_size)
    )
    return st.one_of(tied, free).map(lambda ws: ws if any(ws) else [*ws[:-1], 1])


def allocation_amounts() -> st.SearchStrategy[int]:
    """Amounts in minor units, negative ones included: small, ordinary and huge."""
    return st.one_of(
        st.integers(-100, 100), st.integers(-(10**6), 10**6), st.integers(-(10**15), 10**15)
    )


@st.composite
def tied_allocations(draw: st.DrawFn) -> tuple[int, list[int]]:
    """An amount and small weights whose shares leave many equal remainders.

    The amount is a multiple of ``total weight / q`` for a small ``q``, so
    parties of different weights often tie on their remainder and the
    leftover units must be handed out by position.
    """
    weights = draw(st.lists(st.integers(0, 5), min_size=1, max_size=12))
    if not any(weights):
        weights[-1] = 1
    total = sum(weights)
    q = draw(st.sampled_from([2, 3, 4, 6]))
    k = draw(st.integers(-3 * q, 3 * q))
    amount = total * k // q + draw(st.sampled_from([0, 0, 0, 1, -1]))
    return amount, weights


# -- plans that change from a month on --------------------------------------------


@dataclass(frozen=True)
class VersionedSpec:
    """A plan and the later versions that change its curve (and, under pool funding, its
    split) from a month on."""

    plan: PlanSpec
    starts: tuple[int, ...]
    """Each later version's first month, by its place in the plan (ascending, above 0)."""
    curves: tuple[CurveSpec, ...]
    splits: tuple[Split | None, ...]

    def versions(self) -> list[VersionSpec]:
        calendar = self.plan.calendar
        return [
            VersionSpec(calendar[start], curve=curve.build(), split=split)
            for start, curve, split in zip(self.starts, self.curves, self.splits, strict=True)
        ]

    def build(self) -> Plan:
        return build_plan(**self.plan.kwargs(), versions=self.versions())


@st.composite
def versioned_specs(draw: st.DrawFn, **options: Any) -> VersionedSpec:
    """A plan of 2 to 12 months with 1 or 2 later versions, each a new curve and
    sometimes a new split; ``options`` go to :func:`plan_specs`."""
    options.setdefault("max_months", 12)
    options.setdefault("max_members", 8)
    options.setdefault("max_history", 18)
    spec = draw(plan_specs(**options).filter(lambda s: s.months >= 2))
    count = draw(st.integers(1, min(2, spec.months - 1)))
    starts = tuple(
        sorted(draw(st.sets(st.integers(1, spec.months - 1), min_size=count, max_size=count)))
    )
    curves = tuple(draw(curve_specs()) for _ in starts)
    splits = tuple(
        draw(st.one_of(st.none(), st.sampled_from(list(Split))))
        if spec.funding is FundingStyle.POOL
        else None
        for _ in starts
    )
    return VersionedSpec(spec, starts, curves, splits)
