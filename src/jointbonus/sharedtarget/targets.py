"""Target setting: monthly targets from the norm, and how likely each is to be hit.

The targets of a plan month come from its norm (see :mod:`jointbonus.core.history`):

    target = norm level of the month x (1 + uplift), rounded half up to the minor unit

* ``same_month_mean``: the level of a month is the mean actual of the same
  calendar month over the history (every January, every February, ...), so
  the targets follow the seasons;
* ``trailing_mean``: the level is the mean of the last ``window`` historical
  months, the same for every plan month (the seasons are then in the spread
  of the attainment sample, not in the targets);
* ``targets``: the plan gives every target; there is no level to derive one
  from, so only the plan's own targets can be assessed.

The uplift carries growth and stretch over the norm. The target is published
in the plan currency, rounded to its minor unit exactly as
:func:`~jointbonus.build_plan` rounds a derived target, and every chance is
computed against that published figure.

**Chance of a hit.** A historical month of attainment ``a`` gives the plan
month the attainment ``a x level / target`` (:meth:`Norm.scenario_ratio
<jointbonus.Norm.scenario_ratio>`, as calibration reads it). The month is
*hit* in that scenario when this is at least 100%; its chance of a hit is the
share of the historical scenarios that hit it, an exact fraction. The plan's
*hit rate* is the mean chance over its months: the share of months hit in a
year like the history.

**The uplift for a wanted hit rate** (:func:`uplift_for_hit_rate`) is solved
exactly, without iteration. Scenario ``h`` hits month ``m`` while the
published target ``round(L x (1 + u))`` is at most the actual ``a_h x L``, that
is (in minor units, ``s`` per major unit) while ``u < (floor(a_h x L x s) +
1/2) / (L x s) - 1``. Each of the months x scenarios pairs stops hitting at
one such bound, so the hit rate is a step function of the uplift, and the
largest uplift still reaching the wanted rate sits just below the ``k``-th
largest bound (``k`` = wanted rate x pairs, rounded up). Uplifts are published
on a grid (``places`` decimals, 0.01% by default); the answer is the largest
grid uplift below that bound, so it reaches the wanted rate and the next one
up does not.

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve, build_plan
>>> actuals = ["100", "80", "100", "110", "99"]  # each month against the one before
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=1,
...     members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(a)) for m, a in enumerate(actuals, 8)],
...     curve=StepCurve(), budget="1200.00", norm="trailing_mean", window=1,
... )
>>> [str(a) for a in plan.norm.sample], plan.norm.level(Month(2026, 1))
(['4/5', '5/4', '11/10', '9/10'], Fraction(99, 1))
>>> proposal = propose_targets(plan, D("0.05"))   # 99 x 1.05 = 103.95
>>> proposal.months[0].target, proposal.months[0].chance
(Fraction(2079, 20), Fraction(1, 2))
>>> solution = uplift_for_hit_rate(plan, D("0.5"))  # 110/100 hits 108.90, not 108.91
>>> solution.uplift, solution.hit_rate, solution.next_hit_rate
(Fraction(1, 10), Fraction(1, 2), Fraction(1, 4))
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.history import NormMethod
from jointbonus.core.number import decimal_text, percent_text, to_fraction
from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.plan import Plan, plan_argument

__all__ = [
    "MAX_PLACES",
    "MonthTarget",
    "TargetError",
    "TargetSet",
    "UpliftSolution",
    "assess_targets",
    "propose_targets",
    "uplift_for_hit_rate",
]

#: Most decimals an uplift may be solved to (10 decimals is a millionth of a percent).
MAX_PLACES = 10


class TargetError(JointBonusError, ValueError):
    """Targets that cannot be set as asked (bad uplift, unreachable hit rate, no norm level)."""


@dataclass(frozen=True, slots=True)
class MonthTarget:
    """One plan month's target and how many historical scenarios hit it."""

    month: Month
    level: Fraction | None
    """The norm level of the metric in the month; ``None`` under the ``targets`` norm."""
    target: Fraction
    """The published target, major units (a whole number of minor units when derived)."""
    source: str
    """``"plan"`` for the plan's own target, else how it was derived (``"norm x (1 + 5.00%)"``)."""
    hits: int
    """Historical scenarios in which the month reaches at least 100% of the target."""
    scenarios: int
    """Historical scenarios in the norm's sample."""

    @property
    def chance(self) -> Fraction:
        """The month's chance of a hit: the share of the scenarios that hit it."""
        return Fraction(self.hits, self.scenarios)


@dataclass(frozen=True, slots=True)
class TargetSet:
    """A target for every plan month, with its chance of a hit."""

    method: NormMethod
    uplift: Fraction | None
    """The uplift the targets were derived with; ``None`` for the plan's own targets."""
    months: tuple[MonthTarget, ...]
    scenarios: int

    @property
    def hit_rate(self) -> Fraction:
        """The mean chance of a hit over the months: the share of months hit."""
        return Fraction(sum(m.hits for m in self.months), len(self.months) * self.scenarios)

    @property
    def expected_hits(self) -> Fraction:
        """How many of the plan's months are hit in a year like the history, on average."""
        return self.hit_rate * len(self.months)


@dataclass(frozen=True, slots=True)
class UpliftSolution:
    """The largest uplift on the grid whose targets reach a wanted hit rate."""

    wanted: Fraction
    """The wanted hit rate."""
    places: int
    """Decimals of the uplift grid (4: steps of 0.01%)."""
    targets: TargetSet
    """The targets at the solved uplift."""
    next_uplift: Fraction
    """The next uplift on the grid (one step up)."""
    next_hit_rate: Fraction
    """The hit rate at the next uplift: below the wanted rate."""

    @property
    def uplift(self) -> Fraction:
        return self.targets.uplift if self.targets.uplift is not None else Fraction(0)

    @property
    def hit_rate(self) -> Fraction:
        """The hit rate reached: at least the wanted rate."""
        return self.targets.hit_rate


def _monthly(plan: Plan) -> None:
    """Refuse a plan whose shared target runs over a quarter or a plan year: targets and
    their chances here are month by month, and its norm is at the period's length."""
    if plan.period.months > 1:
        raise TargetError(
            f"cannot assess targets of '{plan.name}' month by month: its shared target runs "
            f"over a {plan.period.noun} (period = '{plan.period.value}'), and its norm is read "
            f"{plan.period.noun} by {plan.period.noun}; see the calibration's chance of "
            "paying for the month that ends each period"
        )


def _hits(sorted_sample: list[Fraction], ratio: Fraction) -> int:
    """Scenarios ``a`` of the sample with ``a x ratio >= 1`` (``ratio`` > 0)."""
    return len(sorted_sample) - bisect.bisect_left(sorted_sample, 1 / ratio)


def assess_targets(plan: Plan) -> TargetSet:
    """The plan's targets as they stand, each with its chance of a hit.

    Works under every norm; under ``targets`` each month's chance is the share
    of historical months that reached their own target. A plan whose shared
    target runs over a quarter or a plan year raises :class:`TargetError`.
    """
    plan = plan_argument(plan)
    _monthly(plan)
    sample = sorted(plan.norm.sample)
    months = tuple(
        MonthTarget(
            month=m.month,
            level=plan.norm.level(m.month),
            target=m.target,
            source=m.target_source,
            hits=_hits(sample, plan.norm.scenario_ratio(m.month, m.target)),
            scenarios=len(sample),
        )
        for m in plan.months
    )
    return TargetSet(plan.norm.method, None, months, len(sample))


def _levels(plan: Plan) -> list[Fraction]:
    """Each plan month's norm level; a :class:`TargetError` under the ``targets`` norm."""
    levels = [plan.norm.level(m.month) for m in plan.months]
    known = [level for level in levels if level is not None]
    if len(known) != len(levels):
        raise TargetError(
            f"cannot derive targets for '{plan.name}': its 'targets' norm takes every target "
            "from the plan and has no norm level to derive one from; use "
            "norm = 'same_month_mean' (seasonal levels) or 'trailing_mean' in [history]"
        )
    return known


def _uplift(value: Decimal | Fraction | int | str) -> Fraction:
    try:
        uplift = to_fraction(value)
    except JointBonusError as error:
        raise TargetError(
            f"uplift: got {value!r}, expected a decimal such as 0.05 ({error})"
        ) from None
    if uplift <= -1:
        raise TargetError(f"uplift: got {value!r}, expected a number above -1")
    return uplift


def propose_targets(plan: Plan, uplift: Decimal | Fraction | int | str) -> TargetSet:
    """Every plan month's target ``norm level x (1 + uplift)``, published and assessed.

    The target is rounded half up to the plan currency's minor unit, as
    :func:`~jointbonus.build_plan` rounds a derived target, and its chance is
    computed against the rounded figure. Targets the plan file gives are not
    used: the proposal is what the norm gives for every month. Raises
    :class:`TargetError` under the ``targets`` norm, for an uplift at or below
    -1, or when a target would round to nothing.
    """
    plan = plan_argument(plan)
    _monthly(plan)
    value = _uplift(uplift)
    levels = _levels(plan)
    currency = plan.currency
    sample = sorted(plan.norm.sample)
    source = f"norm x (1 + {decimal_text(value * 100, 2)}%)"
    months = []
    for plan_month, level in zip(plan.months, levels, strict=True):
        units = currency.round_to_minor(plan.norm.target_for(plan_month.month, value))
        if units <= 0:
            raise TargetError(
                f"uplift: got {value!r}, which gives {plan_month.month} a target of "
                f"{currency.format(units)} {currency.code}; a target must be positive"
            )
        target = Fraction(units, currency.scale)
        months.append(
            MonthTarget(
                month=plan_month.month,
                level=level,
                target=target,
                source=source,
                hits=_hits(sample, plan.norm.scenario_ratio(plan_month.month, target)),
                scenarios=len(sample),
            )
        )
    return TargetSet(plan.norm.method, value, tuple(months), len(sample))


def uplift_for_hit_rate(
    plan: Plan, hit_rate: Decimal | Fraction | int | str, *, places: int = 4
) -> UpliftSolution:
    """The largest uplift, in steps of ``10^-places``, whose targets reach ``hit_rate``.

    ``hit_rate`` is the wanted share of months hit (above 0, at most 1;
    practitioners often aim for 0.6). The answer is exact (see the module's
    notes): at the solved uplift the hit rate is at least ``hit_rate``, and one
    step up it is below. Raises :class:`TargetError` for a rate no uplift
    reaches, under the ``targets`` norm, or for bad arguments.
    """
    plan = plan_argument(plan)
    _monthly(plan)
    try:
        wanted = to_fraction(hit_rate)
    except JointBonusError as error:
        raise TargetError(
            f"hit rate: got {hit_rate!r}, expected a share such as 0.6 ({error})"
        ) from None
    if not 0 < wanted <= 1:
        raise TargetError(
            f"hit rate: got {hit_rate!r}, expected a share of months above 0 and at most 1, "
            "such as 0.6"
        )
    if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= MAX_PLACES:
        raise TargetError(
            f"places: got {places!r}, expected a whole number of decimals from 0 to {MAX_PLACES}"
        )
    levels = _levels(plan)
    scale = plan.currency.scale
    # Scenario h hits month m while the uplift is below its bound (module notes).
    bounds = sorted(
        (
            Fraction(2 * math.floor(a * level * scale) + 1, 2) / (level * scale) - 1
            for level in levels
            for a in plan.norm.sample
        ),
        reverse=True,
    )
    needed = math.ceil(wanted * len(bounds))
    step = Fraction(1, 10**places)
    uplift = (math.ceil(bounds[needed - 1] / step) - 1) * step
    if uplift <= -1:
        lowest = step - 1
        best = Fraction(sum(1 for b in bounds if b > lowest), len(bounds))
        raise TargetError(
            f"hit rate: got {hit_rate!r}, expected at most {percent_text(best, 2)}: even the "
            f"lowest uplift on the grid, {percent_text(lowest, places - 2 if places > 2 else 0)}, "
            f"hits only that share of the {len(bounds)} month-scenarios (a historical month "
            "far below its norm hits no positive target)"
        )
    targets = propose_targets(plan, uplift)
    following = propose_targets(plan, uplift + step)
    return UpliftSolution(wanted, places, targets, uplift + step, following.hit_rate)
