"""Targets of a shared target over a quarter or a plan year, checked from the outside.

The norm at the period's length is derived again from the history by its
plain statement (:mod:`period_replay`: whole historical periods aligned with
the plan's, each one's actuals summed over its levels summed), and each plan
period's level is its months' same-calendar-month or trailing means summed.
Every check builds the plan again through :func:`jointbonus.build_plan` with
every target derived at the uplift in question, so the targets are the
month targets a plan file would publish, each rounded to the minor unit, and
a period's target is their sum; then it counts, one historical period at a
time, the periods whose attainment reaches 100% of each period's target.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given, reject
from hypothesis import strategies as st
from period_replay import LONGER, PeriodSpec, historical_periods, period_ratios

from jointbonus import (
    D,
    HistoryMonth,
    NormMethod,
    Plan,
    PlanError,
    StepCurve,
    TargetError,
    assess_targets,
    build_plan,
    propose_targets,
    uplift_for_hit_rate,
)
from jointbonus.core.number import decimal_text
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import PeriodLength
from strategies import CURRENCIES, examples, fixed_point, plan_specs, rosters

DERIVED = (NormMethod.SAME_MONTH_MEAN, NormMethod.TRAILING_MEAN)


@st.composite
def longer_specs(draw: st.DrawFn, norms: tuple[NormMethod, ...] = tuple(NormMethod)) -> PeriodSpec:
    """A small plan of whole quarters or plan years (:func:`strategies.plan_specs`), its
    history holding a whole one."""
    length = draw(st.sampled_from(LONGER))
    size = length.months
    norm = draw(st.sampled_from(norms))
    spec = draw(plan_specs(norm=norm, max_members=2, max_months=24, period=size))
    months = spec.months // size * size
    keep = {str(spec.start.shift(k)) for k in range(months)}
    cut = replace(
        spec,
        months=months,
        targets={k: v for k, v in spec.targets.items() if k in keep},
        actuals={},
    )
    return PeriodSpec(cut, length)


def rebuilt(period: PeriodSpec, uplift: Fraction, places: int) -> Plan | None:
    """The plan with every target derived at ``uplift``; ``None`` if a target rounds to 0."""
    try:
        return period.build(targets={}, uplift=decimal_text(uplift, places))
    except PlanError:
        return None


def period_targets(plan: Plan, size: int) -> list[Fraction]:
    """Each plan period's target: its months' published targets summed."""
    return [
        sum((m.target for m in plan.months[first : first + size]), Fraction(0))
        for first in range(0, len(plan.months), size)
    ]


def period_hits(period: PeriodSpec, plan: Plan) -> list[int]:
    """Per plan period: the historical periods whose attainment reaches its target."""
    sample = historical_periods(period)
    return [sum(1 for a in sample if a * ratio >= 1) for ratio in period_ratios(period, plan)]


def hit_rate(period: PeriodSpec, plan: Plan) -> Fraction:
    """The share of (plan period, historical period) pairs that hit."""
    hits = period_hits(period, plan)
    return Fraction(sum(hits), len(hits) * len(historical_periods(period)))


@examples(2)
@given(longer_specs(), st.integers(-300, 300))
def test_each_periods_chance_counts_the_historical_periods_reaching_its_target(
    period: PeriodSpec, thousandths: int
) -> None:
    size = period.length.months
    plan = period.build()
    assessed = assess_targets(plan)
    assert assessed.period is period.length
    assert assessed.scenarios == len(historical_periods(period))
    assert [m.target for m in assessed.periods] == period_targets(plan, size)
    assert [m.hits for m in assessed.periods] == period_hits(period, plan)
    if period.spec.norm is NormMethod.TARGETS:
        return
    uplift = Fraction(thousandths, 1000)
    try:
        proposal = propose_targets(plan, uplift)
    except TargetError:
        reject()
    derived = rebuilt(period, uplift, 3)
    assert derived is not None
    assert [p.target for m in proposal.periods for p in m.parts] == [
        m.target for m in derived.months
    ]
    assert [m.target for m in proposal.periods] == period_targets(derived, size)
    assert [m.hits for m in proposal.periods] == period_hits(period, derived)
    assert proposal.hit_rate == hit_rate(period, derived)


wanted_rates = st.integers(1, 100).map(lambda n: Fraction(n, 100))


@examples(2)
@given(longer_specs(DERIVED), wanted_rates, st.integers(0, 6))
def test_the_solved_uplift_reaches_the_wanted_hit_rate_and_one_step_up_does_not(
    period: PeriodSpec, wanted: Fraction, places: int
) -> None:
    step = Fraction(1, 10**places)
    try:
        solution = uplift_for_hit_rate(period.build(), wanted, places=places)
    except TargetError:
        lowest = rebuilt(period, step - 1, places)
        if lowest is None:
            reject()
        assert hit_rate(period, lowest) < wanted  # unreachable indeed, even at the lowest
        return
    assert solution.uplift * 10**places == int(solution.uplift * 10**places)  # on the grid
    solved = rebuilt(period, solution.uplift, places)
    assert solved is not None
    assert hit_rate(period, solved) == solution.hit_rate >= wanted
    assert solution.next_uplift == solution.uplift + step
    following = rebuilt(period, solution.next_uplift, places)
    assert following is not None
    assert hit_rate(period, following) == solution.next_hit_rate < wanted


# -- history whose months within each period perform alike ---------------------------


@st.composite
def alike_pairs(draw: st.DrawFn) -> tuple[Plan, Plan, int]:
    """The same plan with a monthly and a longer shared target, over a history of whole
    plan years (so of whole periods) whose month ``m`` of historical period ``q`` has
    the actual ``c_q x w_m``: a calendar month's weight ``w_m`` times a factor
    ``c_q`` shared by the period's months. Under the same-calendar-month mean every
    month of a historical period then has the attainment ``c_q / mean c``, and so has
    the period. Returns the monthly plan, the longer one, and the months a period."""
    length = draw(st.sampled_from(LONGER))
    size = length.months
    money = draw(st.sampled_from(CURRENCIES))
    start = Month(draw(st.integers(2018, 2030)), draw(st.integers(1, 12)))
    months = size * draw(st.integers(1, 24 // size))
    years = draw(st.integers(1, 3))
    weights = {m: draw(st.integers(40, 4000)) for m in range(1, 13)}
    history = []
    for index in range(12 * years):
        month = start.shift(index - 12 * years)
        if index % size == 0:
            factor = draw(st.integers(600, 1500))
        history.append(HistoryMonth(month, D(fixed_point(factor * weights[month.month], 3))))
    calendar = [start.shift(k) for k in range(months)]
    given = draw(st.lists(st.sampled_from(calendar), max_size=3, unique=True))
    targets = {str(m): fixed_point(draw(st.integers(30, 5000)) * 100, 2) for m in given}
    arguments = {
        "name": "Alike",
        "currency": money,
        "start": start,
        "months": months,
        "members": list(draw(rosters(calendar, money, 2))),
        "history": history,
        "curve": StepCurve(),
        "budget": "1000",
        "targets": targets,
        "norm": NormMethod.SAME_MONTH_MEAN,
        "uplift": fixed_point(draw(st.integers(-200, 200)), 3),
    }
    try:
        monthly = build_plan(**arguments)
    except PlanError:
        reject()  # a derived target that rounds to nothing
    return monthly, build_plan(**arguments, period=length), size


@examples(2)
@given(alike_pairs())
def test_a_periods_chance_lies_between_its_months_chances_when_they_perform_alike(
    pair: tuple[Plan, Plan, int],
) -> None:
    # The monthly sample is the period sample, each attainment once per month of its
    # period; a period's target over its level is the mediant of its months' (their
    # targets summed over their levels summed), so it lies between the lowest and the
    # highest of them, and the share of the sample reaching it between theirs.
    monthly, longer, size = pair
    assert longer.period is not PeriodLength.MONTH
    by_month = [m.chance for m in assess_targets(monthly).months]
    periods = assess_targets(longer).periods
    assert len(periods) * size == len(by_month)
    for k, row in enumerate(periods):
        chances = by_month[k * size : (k + 1) * size]
        assert min(chances) <= row.chance <= max(chances)
