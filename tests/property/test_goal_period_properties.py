"""Functional goals month by month beside a quarterly or yearly shared target.

Checked from the outside. A plan with goals (:func:`weighted.weighted_specs`,
here first without caps or a holdback) is cut to whole quarters (or one plan year) and
given a longer shared period. Its shared targets are made equal month by
month, in the plan and in history, so a period's summed attainment is the
mean of its months' and a historical period can be replayed exactly: every
period of the plan year reports, month by month, the shared attainment and
every metric's of the historical period's month in the same place. The
engine pays each replay at the plan's calibration; the rules (a shared part
at the period's end, each goal in its own month, gates reading the
attainment over the period of the part they gate) are then what the engine
says, checked against the calibration's expected cost month by month, the
parts' pools, and attainments raised.

With caps and a holdback (:func:`held_and_capped`) the plan is replayed on
every path calibration costs: path ``p`` reports historical period ``(p +
k) mod H`` in the plan's period ``k``, so a yearly cap sees a real run of
periods; the engine's cost over the paths is the budget, no line is above
what the caps allow in the month it falls due, and what is held back is
settled at the plan year's end. A month's goal pool is also worked out from
the plan's amounts alone (the period's pool at target over its months),
which neutrality cannot see: engine and calibration read the same frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, assume, event, given, note, reject, settings
from hypothesis import strategies as st
from independent import detached, team_split_weight
from weighted import (
    WeightedSpec,
    as_units,
    calibrated,
    exact_text,
    gate_factors,
    round_half_up,
    weighted_specs,
)

from jointbonus import (
    Calibration,
    CalibrationError,
    D,
    FundingStyle,
    HistoryMonth,
    MonthStatus,
    Plan,
    Result,
    VersionSpec,
    build_plan,
    calibrate,
    pay,
    run,
)
from jointbonus.core.curves import LinearCurve
from jointbonus.core.plan_periods import Period, PeriodLength
from jointbonus.sharedtarget.engine import pay_framed
from jointbonus.sharedtarget.goals import Caps
from jointbonus.sharedtarget.results import SettlementStatus
from jointbonus.sharedtarget.versioned import pay_versions
from strategies import examples

# -- the plans -----------------------------------------------------------------------


def _even(spec: WeightedSpec, length: PeriodLength) -> WeightedSpec:
    """``spec`` cut to whole periods of ``length``, its shared targets one level throughout."""
    size = length.months
    months = spec.months // size * size
    assume(months >= size)
    keys = [str(m) for m in spec.calendar][:months]
    level = spec.targets[keys[0]]
    history = tuple(
        HistoryMonth(
            h.month,
            D(exact_text(a * Fraction(D(level)))),
            D(level),
            functional=h.functional,
            functional_targets=h.functional_targets,
        )
        for h, a in zip(spec.history, spec.history_shared, strict=True)
    )
    return replace(
        spec,
        months=months,
        history=history,
        targets=dict.fromkeys(keys, level),
        actuals={},
        metric_targets={n: {k: t[k] for k in keys} for n, t in spec.metric_targets.items()},
        metric_actuals={n: {} for n in spec.metric_targets},
    )


def _historical_periods(spec: WeightedSpec, size: int) -> list[list[int]]:
    """The places in history of each whole period aligned with the plan's, in order."""
    runs: dict[int, list[int]] = {}
    for place, h in enumerate(spec.history):
        runs.setdefault((h.month.index() - spec.start.index()) // size, []).append(place)
    return [places for _, places in sorted(runs.items()) if len(places) == size]


@st.composite
def whole_periods(draw: st.DrawFn, **options: Any) -> tuple[WeightedSpec, PeriodLength]:
    """A plan of :func:`weighted_specs` (given ``options``) cut to whole quarters or plan
    years (:func:`_even`), drawn so that it and its history hold one, with nothing to
    reject: a quarter's plan has 3 to 12 months (13 to 24 with a cap per year over two
    plan years), and its history, of 6 months or more, always holds a whole quarter
    aligned with the plan's; a plan year's plan and history are whole plan years
    (``plan_years``). A plan year one draw in four: it pays a year of months."""
    if draw(st.integers(0, 3), label="a plan year (0) or quarters") == 0:
        length = PeriodLength.PLAN_YEAR
        spec = draw(weighted_specs(plan_years=True, **options))
    else:
        length = PeriodLength.QUARTER
        crossing = bool(options.get("per_year"))
        months = draw(st.integers(13, 24) if crossing else st.integers(3, 12), label="months")
        spec = draw(weighted_specs(months=months, **options))
    return _even(spec, length), length


def paying(spec: WeightedSpec, size: int) -> WeightedSpec:
    """``spec`` with its last whole historical period of ``size`` months
    (:func:`_historical_periods`) at 200% of every target, the shared one and each
    metric's: above every curve's threshold and last point (at most 120% and 170%) and
    every gate drawn (at most 200%), so that each part of the plan pays in it."""
    places = set(_historical_periods(spec, size)[-1])
    twice = Fraction(2)

    def doubled(target: Decimal | None) -> Decimal:
        assert target is not None  # the history states every target
        return D(exact_text(twice * Fraction(target)))

    history = tuple(
        HistoryMonth(
            h.month,
            doubled(h.target),
            h.target,
            functional={name: doubled(t) for name, t in h.functional_targets.items()},
            functional_targets=h.functional_targets,
        )
        if place in places
        else h
        for place, h in enumerate(spec.history)
    )
    return replace(
        spec,
        history=history,
        history_shared=tuple(
            twice if place in places else a for place, a in enumerate(spec.history_shared)
        ),
        history_goals={
            name: tuple(twice if place in places else a for place, a in enumerate(values))
            for name, values in spec.history_goals.items()
        },
    )


def calibrated_paying(spec: WeightedSpec, size: int) -> tuple[WeightedSpec, Plan, Calibration]:
    """:func:`weighted.calibrated` of ``spec``, a plan cut to whole periods of ``size``
    months, or, when calibration refuses it because a part never pays at historical
    performance (a team's shared part or goals, or every part, under their curves or shut
    by a gate in every historical period), of the same plan with one historical period
    paying every part (:func:`paying`): such a draw is made one calibration can weigh,
    not drawn again. Any other refusal (a roster nobody is eligible in) is drawn again.
    Read the history from the spec returned."""
    try:
        return calibrated(spec, reject_others=False)
    except CalibrationError as error:
        if "historical performance" not in str(error):
            reject()
        event("a historical period made to pay every part")
        note(f"one historical period made to pay every part: {error}")
        return calibrated(paying(spec, size), reject_others=False)


def _replay(spec: WeightedSpec, places: list[int], size: int) -> WeightedSpec:
    """Every period of the plan year reports the historical period at ``places``."""
    picks = [places[j % size] for j in range(spec.months)]
    return spec.reported(
        [spec.history_shared[h] for h in picks],
        {name: [spec.history_goals[name][h] for h in picks] for name in spec.metric_names},
    )


@st.composite
def goal_periods(draw: st.DrawFn) -> tuple[WeightedSpec, PeriodLength]:
    return draw(whole_periods(caps=False, goal_gates=draw(st.booleans(), label="own gates")))


@st.composite
def held_and_capped(draw: st.DrawFn) -> tuple[WeightedSpec, PeriodLength]:
    """A plan of :func:`goal_periods` with a holdback now and then and, now and then, caps:
    a monthly cap, a yearly one, or both; a yearly cap sometimes over two plan years."""
    crossing = draw(st.booleans(), label="two plan years")
    return draw(whole_periods(per_year=True if crossing else None, holding=True))


def _paid(
    spec: WeightedSpec, length: PeriodLength
) -> tuple[list[tuple[WeightedSpec, Result]], Calibration]:
    """Every historical period replayed and paid at the plan's calibration."""
    periodic, _, calibration = calibrated_paying(replace(spec, period=length), length.months)
    paid = []
    for places in _historical_periods(spec, length.months):
        replayed = _replay(periodic, places, length.months)
        paid.append((replayed, pay(replayed.build(), calibration)))
    note(f"{len(paid)} historical {length.noun}s; scale {calibration.scale}")
    return paid, calibration


def _paid_paths(
    spec: WeightedSpec, length: PeriodLength
) -> tuple[list[tuple[WeightedSpec, Result]], Calibration]:
    """Every path through history paid at the plan's calibration (its caps raised if they
    kept it below its budget): path ``p`` reports historical period ``(p + k) mod H`` in
    the plan's period ``k``, all its months together, as calibration costs a capped plan."""
    periodic, _, calibration = calibrated_paying(replace(spec, period=length), length.months)
    periods = _historical_periods(spec, length.months)
    count = len(periods)
    size = length.months
    paid = []
    for p in range(count):
        picks = [periods[(p + j // size) % count][j % size] for j in range(spec.months)]
        replayed = periodic.reported(
            [periodic.history_shared[h] for h in picks],
            {name: [periodic.history_goals[name][h] for h in picks] for name in spec.metric_names},
        )
        paid.append((replayed, pay(replayed.build(), calibration)))
    note(f"{count} historical {length.noun}s; scale {calibration.scale}")
    return paid, calibration


def _summed(spec: WeightedSpec, metric: str, keys: list[str]) -> Fraction:
    """``metric``'s attainment over the months ``keys``: actuals summed / targets summed."""
    actual = sum(Fraction(D(spec.metric_actuals[metric][k])) for k in keys)
    return actual / sum(Fraction(D(spec.metric_targets[metric][k])) for k in keys)


# -- the properties -------------------------------------------------------------------


@examples(3)
@given(goal_periods())
def test_each_month_costs_what_the_historical_periods_pay_it_on_average(drawn):
    spec, length = drawn
    paid, calibration = _paid(spec, length)
    assert calibration.scenarios == len(paid)
    for j, expectation in enumerate(calibration.months):
        total = sum(result.months[j].paid for _, result in paid)
        assert Fraction(total, len(paid)) == expectation.expected_cost, expectation.month
    budget = calibration.budget  # minor units
    assert abs(calibration.expected_cost - budget) <= calibration.rounding_bound


@examples(3)
@given(goal_periods())
def test_the_shared_part_pays_at_the_periods_end_and_each_goal_in_its_month(drawn):
    spec, length = drawn
    paid, _ = _paid(spec, length)
    size = length.months
    gate, shared_gate = spec.gates
    for replayed, result in paid:
        plan = result.plan
        lines = list(result.lines())
        for j, month in enumerate(result.months):
            assert month.status is MonthStatus.PAID
            mine = [line for line in lines if line.period == month.month]
            ends = j % size == size - 1
            assert month.ends_period == ends
            shared = sum(as_units(plan, line.shared) for line in mine)
            if ends:
                assert month.attainment is not None and month.pool is not None
                assert shared in {month.pool, 0}  # 0: nobody active in the period
            else:
                assert shared == 0 and month.pool is None and month.attainment is None
            for goal in month.goals:
                assert goal.pool == sum(
                    as_units(plan, dict(line.functional)[goal.goal.metric])
                    for line in mine
                    if line.team == goal.goal.team
                )
            if ends:  # the shared gate reads each goal over the period, summed / summed
                keys = [str(m.month) for m in result.months[j - size + 1 : j + 1]]
                factor = spec.curve.build().factor(month.attainment)
                for place, terms in enumerate(plan.functional.terms):
                    metrics = [
                        g.metric for t in spec.teams if t.name == terms.team for g in t.goals
                    ]
                    opened = shared_gate is None or all(
                        _summed(replayed, name, keys) >= shared_gate for name in metrics
                    )
                    assert month.team_factors[place] == (factor if opened else 0)
            # The functional gate reads the month's own shared attainment, not the period's.
            own = replayed.attainments(month.month)[0]
            assert own is not None
            for goal in month.goals:
                assert goal.gated == (gate is not None and own < gate)
            assert sum(as_units(plan, line.total) for line in mine) == month.paid


@examples(3)
@given(goal_periods(), st.data())
def test_raising_every_attainment_never_pays_less(drawn, data):
    spec, length = drawn
    paid, calibration = _paid(spec, length)
    periodic = paid[0][0]
    places = data.draw(st.sampled_from(_historical_periods(spec, length.months)), label="period")
    low = _replay(periodic, places, length.months)
    rises = data.draw(
        st.lists(st.integers(0, 300), min_size=spec.months, max_size=spec.months), label="rises"
    )
    picks = [places[j % length.months] for j in range(spec.months)]

    def raised(values: list[Fraction]) -> list[Fraction]:
        return [v + Fraction(r, 1000) for v, r in zip(values, rises, strict=True)]

    high = periodic.reported(
        raised([periodic.history_shared[h] for h in picks]),
        {n: raised([periodic.history_goals[n][h] for h in picks]) for n in spec.metric_names},
    )
    below = pay(low.build(), calibration)
    above = pay(high.build(), calibration)
    assert sum(m.paid for m in above.months) >= sum(m.paid for m in below.months)


# -- holdback and caps ------------------------------------------------------------------


@examples(3)
@given(held_and_capped())
def test_with_caps_and_a_holdback_the_engine_pays_the_budget_over_the_historical_paths(drawn):
    """Neutrality: each month's cost (what members are owed, less what leavers forfeit of
    the holdback), averaged over the paths through history, is what calibration expects
    of it, and their sum is the budget within the rounding bound."""
    spec, length = drawn
    paid, calibration = _paid_paths(spec, length)
    capped = paid[0][1].plan.functional.caps.any
    assert calibration.scenarios == len(paid)
    assert calibration.paths == (len(paid) if capped else 0)
    for j, expectation in enumerate(calibration.months):
        total = sum(result.months[j].paid - result.months[j].forfeited for _, result in paid)
        assert Fraction(total, len(paid)) == expectation.expected_cost, expectation.month
    budget = calibration.budget
    assert abs(calibration.expected_cost - budget) <= calibration.rounding_bound


@examples(3)
@given(held_and_capped())
def test_no_member_is_paid_above_a_cap_in_the_month_the_pay_falls_due(drawn):
    """Each line (a month's goals, and at the period's end the shared part with them) is
    what it earned cut to the monthly cap, and to the yearly cap less what the member was
    paid earlier in the plan year, in the order the months pay."""
    spec, length = drawn
    paid, _ = _paid_paths(spec, length)
    for _, result in paid:
        assert_no_line_passes_a_cap(result)


def assert_no_line_passes_a_cap(result: Result) -> None:
    """Each line is what it earned cut to the cap per month and to the cap per year less
    what the member was paid earlier in the plan year, in the order the months pay."""
    plan = result.plan
    caps = plan.functional.caps
    first = plan.months[0].month.index()
    so_far: dict[tuple[str, int], int] = {}
    for line in result.lines():
        year = (line.period.index() - first) // 12
        before = so_far.get((line.member_id, year), 0)
        earned = as_units(plan, line.shared) + sum(as_units(plan, a) for _, a in line.functional)
        allowed = earned
        if caps.per_month is not None:
            allowed = min(allowed, caps.per_month)
        if caps.per_year is not None:
            allowed = min(allowed, max(caps.per_year - before, 0))
        assert as_units(plan, line.total) == allowed, (line.member_id, line.period)
        so_far[line.member_id, year] = before + allowed
    assert all(caps.per_year is None or v <= caps.per_year for v in so_far.values())


@examples(3)
@given(held_and_capped())
def test_what_is_held_back_is_settled_at_the_plan_years_end(drawn):
    """Conservation: the lines add up to what each month pays; each line holds back its
    share of its total; what a member had held back in a plan year is settled at that
    year's last month (not at a period's end), paid to who stays, forfeited by who
    leaves, so held = released + forfeited."""
    spec, length = drawn
    paid, _ = _paid_paths(spec, length)
    for _, result in paid:
        plan = result.plan
        lines = list(result.lines())
        first = plan.months[0].month.index()
        held: dict[tuple[str, int], int] = {}
        for month in result.months:
            mine = [line for line in lines if line.period == month.month]
            assert sum(as_units(plan, line.total) for line in mine) == month.paid
            assert sum(as_units(plan, line.held) for line in mine) == month.held
            for line in mine:
                total = as_units(plan, line.total)
                assert as_units(plan, line.held) == round_half_up(plan.holdback * total)
                key = (line.member_id, (line.period.index() - first) // 12)
                held[key] = held.get(key, 0) + as_units(plan, line.held)
        settled: dict[tuple[str, int], int] = {}
        forfeited = 0
        for settlement in result.settlements():
            year = settlement.year - 1
            last = plan.months[min(12 * (year + 1), len(plan.months)) - 1].month
            assert settlement.last == last  # the plan year's end, not a period's
            settled[settlement.member_id, year] = as_units(plan, settlement.held)
            if settlement.status is SettlementStatus.FORFEITED:
                forfeited += as_units(plan, settlement.held)
        assert {k: v for k, v in held.items() if v} == {k: v for k, v in settled.items() if v}
        assert forfeited == sum(m.forfeited for m in result.months)


# -- the goals' monthly pool at target --------------------------------------------------


def assert_goal_pools_are_the_periods_pool_spread_over_its_months(
    spec: WeightedSpec, result: Result, months_in_period: int
) -> None:
    """Pool funding: the pool at target is the period's (``scale`` under equal period
    weights), so a month's goal pool is ``round(scale / months in the period x factor x
    (1 - w) x goal weight x team split weight / total)``, the weights the month's own and
    the factor the rules' on the month's own attainments, worked out here from the plan's
    amounts, the roster and the curves alone."""
    plan = result.plan
    scale = result.calibration.scale
    minor = plan.currency.scale
    w = {t.team: t.nominal for t in result.calibration.weights}
    goal_weight = {(t.name, g.metric): Fraction(D(g.weight)) for t in spec.teams for g in t.goals}
    for month in result.months:
        shared, goals = spec.attainments(month.month)
        if month.status is not MonthStatus.PAID or shared is None:
            continue
        _, goal_factors = gate_factors(spec, shared, goals)  # type: ignore[arg-type]
        team_weight = {
            t.name: sum(
                (team_split_weight(plan, m, month.month, t.name) for m in plan.members),
                Fraction(0),
            )
            for t in spec.teams
        }
        total = sum(team_weight.values(), Fraction(0))
        if not total:
            continue
        by_goal = {(g.goal.team, g.goal.metric): g for g in month.goals}
        for key, factor in goal_factors.items():
            exact = (
                (scale * minor / months_in_period * factor * (1 - w[key[0]]) * goal_weight[key])
                * team_weight[key[0]]
                / total
            )
            assert by_goal[key].pool == round_half_up(exact), (month.month, key)


@examples(3)
@given(goal_periods())
def test_a_months_goal_pool_at_target_is_the_periods_over_its_months(drawn):
    spec, length = drawn
    paid, _ = _paid(replace(spec, funding=FundingStyle.POOL), length)
    replayed, result = paid[0]
    assert_goal_pools_are_the_periods_pool_spread_over_its_months(replayed, result, length.months)


# -- advances of the shared part ----------------------------------------------------------

#: A shared curve that pays from the first unit sold, so that a period's floor pays and
#: advances are made; drawn alongside the plan's own curve.
FROM_ZERO = LinearCurve([(Fraction(0), Fraction(0)), (Fraction(3, 2), Fraction(2))])


class _Advancing(tuple[Plan, Plan, Calibration]):
    """A drawn plan with advances, the plan without, the calibration: told in short (a
    plan's own repr runs to pages)."""

    def __repr__(self) -> str:
        plan = self[0]
        return f"<plan of {len(plan.months)} months, advance {plan.advance}>"


@st.composite
def advancing_goals(draw: st.DrawFn) -> tuple[Plan, Plan, Calibration]:
    """A plan of :func:`held_and_capped` with ``advance``, and the same plan without:
    no holdback (not allowed with an advance), a cap per month and a cap per year now and
    then, each binding (the cap per year over two plan years now and then). Its months
    report a path through history (the last ones possibly pending), paid at the
    calibration of the plan without advances or caps."""
    spec, length = draw(held_and_capped())
    spec = replace(spec, holdback="0", cap_per_year=None)
    share = Fraction(draw(st.integers(1, 20), label="advance in twentieths"), 20)
    periodic, _, _ = calibrated_paying(replace(spec, period=length), length.months)
    periods = _historical_periods(spec, length.months)
    p = draw(st.integers(0, len(periods) - 1), label="path")
    size = length.months
    picks = [periods[(p + j // size) % len(periods)][j % size] for j in range(spec.months)]
    replayed = periodic.reported(
        [periodic.history_shared[h] for h in picks],
        {name: [periodic.history_goals[name][h] for h in picks] for name in spec.metric_names},
    )
    reported = draw(st.integers(max(1, spec.months // 2), spec.months), label="months known")
    replayed = first_months_known(replayed, reported)
    with_advance = build_plan(**replayed.kwargs(), advance=share)
    without = replayed.build()
    calibration = calibrate(without)
    assert calibrate(with_advance) == calibration  # advances cost nothing
    if draw(st.integers(0, 3), label="the plan's curve (0) or one paying from zero"):
        with_advance = replace(with_advance, curve=FROM_ZERO)
        without = replace(without, curve=FROM_ZERO)
    with_advance, without = binding_caps(draw, with_advance, without, detached(calibration))
    note(f"advance {share}, {length.value}, {reported} of {spec.months} months known")
    return _Advancing((with_advance, without, detached(calibration)))


def binding_caps(
    draw: st.DrawFn, with_advance: Plan, without: Plan, calibration: Calibration
) -> tuple[Plan, Plan]:
    """``with_advance`` and ``without`` (the same plan without its advance), now and then
    with a cap per month and now and then a cap per year, each drawn below what
    ``without`` pays at ``calibration`` so that it binds."""
    if draw(st.booleans(), label="a cap per month that binds"):
        # A cap per month below the largest line, so that it cuts goals and advances.
        paid = pay(without, calibration)
        most = max(line.total for m in paid.months for line in m.lines)
        tenths = draw(st.integers(2, 9), label="cap in tenths of the largest line")
        cap = max(1, most * tenths // 10)  # a line of a few units: a cap of one unit binds
        with_advance, without = (_capped(p, cap) for p in (with_advance, without))
    if draw(st.booleans(), label="a cap per year that binds"):
        # A cap per year below the most a member is paid in a plan year, so that the goals
        # and the advances beside them compete for the year's room.
        paid = pay(without, calibration)
        years: dict[tuple[int, int], int] = {}
        for index, month in enumerate(paid.months):
            for place, line in enumerate(month.lines):
                key = (place, index // 12)
                years[key] = years.get(key, 0) + line.total
        most = max(years.values(), default=0)
        tenths = draw(st.integers(3, 9), label="cap in tenths of the most in a year")
        cap = max(1, most * tenths // 10)
        with_advance, without = (_capped(p, cap, yearly=True) for p in (with_advance, without))
    return with_advance, without


#: Each example calibrates its plan with and without advances: slow to draw.
_advance_examples = settings(examples(3), suppress_health_check=[HealthCheck.too_slow])


def _capped(plan: Plan, cap: int | None, *, yearly: bool = False) -> Plan:
    """``plan`` with a cap per month (per plan year if ``yearly``) of ``cap`` minor units
    (``None``: none)."""
    caps = replace(plan.functional.caps, **{"per_year" if yearly else "per_month": cap})
    return replace(plan, functional=replace(plan.functional, caps=caps))


def _totals(plan: Plan, result: Result, index: int) -> list[int]:
    """Each member's line total in plan month ``index``, by place in ``plan.members``."""
    lines = result.months[index].lines
    return [lines[position].total for position in range(len(plan.members))]


@_advance_examples
@given(advancing_goals(), st.data())
def test_an_advance_beside_goals_is_at_most_what_the_period_is_sure_to_pay(drawn, data):
    """However the period ends, it pays each member at least what they were advanced: with
    its months still to come at zero (shared and goals alike), the month that ends it pays
    them at least their advances to date, and its shared part alone (cut to the cap per
    month) does. Under a cap per year the goals of the months still to come may also take
    the year's room: with them paying far above target before the period's end, the
    true-up is still never below zero."""
    plan, _, calibration = drawn
    result = pay(plan, calibration)
    if plan.functional.caps.per_year is not None:
        level = data.draw(st.sampled_from([10, 1]), label="goals to come x target")
        shared = data.draw(st.sampled_from([0, 10]), label="shared to come x target")
        for period in plan.periods:
            for index in range(period.first, period.last - 1):
                if result.months[index].status is MonthStatus.PENDING:
                    break
                rich = _after(plan, index, period.last, shared=shared, goals=level)
                totals = _totals(plan, pay(rich, calibration), period.last)
                note(f"after month {index}: true-ups {totals}")
                assert all(total >= 0 for total in totals)
    for period, index, advanced, worst in advanced_to_date(plan, result, calibration):
        sure = _totals(plan, worst, period.last)
        # Of the shared part alone, cut to the cap: the goals are not advanced.
        lines = worst.months[period.last].lines
        cap = plan.functional.caps.per_month
        sure = [
            min(total, lines[p].shared, total if cap is None else cap)
            for p, total in enumerate(sure)
        ]
        note(f"after month {index}: advanced {advanced}, sure of {sure}")
        assert all(a <= s for a, s in zip(advanced, sure, strict=True))


def first_months_known(spec: WeightedSpec, reported: int) -> WeightedSpec:
    """``spec`` with the actuals (shared and each goal's) of its first ``reported`` months
    alone: the months after them are pending."""
    known = [str(m) for m in spec.calendar][:reported]
    return replace(
        spec,
        actuals={k: v for k, v in spec.actuals.items() if k in known},
        metric_actuals={
            name: {k: v for k, v in values.items() if k in known}
            for name, values in spec.metric_actuals.items()
        },
    )


def advancing_and_not(
    draw: st.DrawFn, replayed: WeightedSpec, share: Fraction, told: str
) -> _Advancing:
    """``replayed`` (a plan reporting a path through history) with its first months' actuals
    alone, with ``advance = share`` and without, paid at the calibration of the plan
    without advances or caps; the shared curve now and then one paying from zero (so that
    advances are made), then now and then caps drawn to bind (:func:`binding_caps`);
    ``told`` names the plan's shape in the example's notes."""
    months = replayed.months
    reported = draw(st.integers(max(1, months // 2), months), label="months known")
    replayed = first_months_known(replayed, reported)
    with_advance = build_plan(**replayed.kwargs(), advance=share)
    without = replayed.build()
    calibration = detached(calibrate(without))
    if draw(st.integers(0, 3), label="the plan's curve (0) or one paying from zero"):
        with_advance = replace(with_advance, curve=FROM_ZERO)
        without = replace(without, curve=FROM_ZERO)
    with_advance, without = binding_caps(draw, with_advance, without, calibration)
    note(f"advance {share}, {told}, {reported} of {months} months known")
    return _Advancing((with_advance, without, calibration))


def advanced_to_date(
    plan: Plan, result: Result, calibration: Calibration
) -> Iterator[tuple[Period, int, list[int], Result]]:
    """Each month inside a period, with its actual, after which someone has been advanced
    something: the period, the month's index, each member's advances to date, and the plan
    paid with the period's months after it at zero (shared and goals alike) and no advance.
    Advances are never below zero, and a pending month advances nothing."""
    for period in plan.periods:
        advanced = [0] * len(plan.members)
        for index in range(period.first, period.last):
            month = result.months[index]
            if month.status is MonthStatus.PENDING:
                assert month.advances == ()
                break
            assert all(a >= 0 for a in month.advances)
            advanced = [a + m for a, m in zip(advanced, month.advances, strict=True)]
            if not any(advanced):
                continue
            worst = pay(replace(_zero_after(plan, index, period.last), advance=None), calibration)
            yield period, index, advanced, worst


def _after(plan: Plan, index: int, last: int, *, shared: int, goals: int) -> Plan:
    """``plan`` with the actuals of months ``index + 1..last - 1`` at ``shared`` (the shared
    metric) and ``goals`` (each goal's metric) times their targets, and of month ``last`` at
    zero."""

    def set_to(months: tuple[Any, ...], times: int) -> tuple[Any, ...]:
        return tuple(
            replace(m, actual=D(exact_text(m.target * times)) if j < last else Decimal(0))
            if index < j <= last
            else m
            for j, m in enumerate(months)
        )

    metrics = tuple(
        replace(metric, months=set_to(metric.months, goals)) for metric in plan.functional.metrics
    )
    functional = replace(plan.functional, metrics=metrics)
    return replace(plan, months=set_to(plan.months, shared), functional=functional)


def _zero_after(plan: Plan, index: int, last: int) -> Plan:
    """``plan`` with every actual (shared and each metric's) of months ``index + 1..last``
    at zero."""

    def zeroed(months: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            replace(m, actual=Decimal(0)) if index < j <= last else m for j, m in enumerate(months)
        )

    metrics = tuple(
        replace(metric, months=zeroed(metric.months)) for metric in plan.functional.metrics
    )
    functional = replace(plan.functional, metrics=metrics)
    return replace(plan, months=zeroed(plan.months), functional=functional)


@_advance_examples
@given(advancing_goals())
def test_advances_and_true_up_beside_goals_are_what_the_period_pays_without_them(drawn):
    """Member by member: a month inside a period pays its goals as without advances plus
    the advance; the month that ends it pays what it pays without advances less the
    advances, never below zero; so a period's lines add up to its lines without advances.
    No line is above the cap per month, an advance's month included."""
    plan, without, calibration = drawn
    result = pay(plan, calibration)
    plain = pay(without, calibration)
    assert [m.paid for m in result.months] == [m.paid for m in plain.months]
    cap = plan.functional.caps.per_month
    yearly = plan.functional.caps.per_year
    if yearly is not None:  # never above the cap per year, even before a true-up
        years: dict[tuple[int, int], int] = {}
        for index, month in enumerate(result.months):
            for place, line in enumerate(month.lines):
                key = (place, index // 12)
                years[key] = years.get(key, 0) + line.total
                assert years[key] <= yearly, (place, month.month)
    for period in plan.periods:
        advanced = [0] * len(plan.members)
        for index in range(period.first, period.last + 1):
            month = result.months[index]
            if month.status is MonthStatus.PENDING:
                break
            got, was = _totals(plan, result, index), _totals(without, plain, index)
            if cap is not None:
                assert all(total <= cap for total in got)
            if index < period.last:
                assert got == [w + a for w, a in zip(was, month.advances, strict=True)]
                advanced = [a + m for a, m in zip(advanced, month.advances, strict=True)]
                continue
            assert list(month.advanced) == advanced
            assert got == [w - a for w, a in zip(was, advanced, strict=True)]
            assert all(total >= 0 for total in got)  # the true-up


@_advance_examples
@given(advancing_goals())
def test_an_advance_beside_goals_does_not_read_what_the_goals_pay(drawn):
    """Only the shared part is advanced: without a cap (whose room the month's goals
    take), paying the goals on other curves moves no advance."""
    plan, _, calibration = drawn
    uncapped = replace(plan, functional=replace(plan.functional, caps=Caps()))
    assert_the_goals_move_no_advance(uncapped, calibration)


def assert_the_goals_move_no_advance(plan: Plan, calibration: Calibration) -> None:
    """Paying ``plan``'s goals on a curve paying from zero moves none of its advances."""
    terms = tuple(
        replace(t, goals=tuple(replace(g, curve=FROM_ZERO) for g in t.goals))
        for t in plan.functional.terms
    )
    richer = replace(plan, functional=replace(plan.functional, terms=terms))
    before = [m.advances for m in pay(plan, calibration).months]
    after = [m.advances for m in pay(richer, calibration).months]
    note(f"advances {before}")
    assert after == before


# -- a cap per year across versions ------------------------------------------------------


class _Versioned(tuple[WeightedSpec, PeriodLength, int, str]):
    """A drawn plan, its shared period, the plan month its later version starts in, and
    how the version treats the cap per year: told in short."""

    def __repr__(self) -> str:
        spec, length, start, mode = self
        return f"<{spec.months} months, {length.value}, version from {start}, cap {mode}>"


@st.composite
def versioned_year_caps(draw: st.DrawFn) -> _Versioned:
    """A plan of :func:`held_and_capped` with a cap per year (over one or two plan years)
    and a later version from a drawn month, with a shared curve paying from zero: the
    version keeps the cap, removes it, or brings it in (the plan itself uncapped)."""
    spec, length = draw(whole_periods(per_year=True, holding=True))
    start = draw(st.integers(1, spec.months - 1), label="version from plan month")
    mode = draw(st.sampled_from(["kept", "removed", "added"]), label="the version's cap")
    return _Versioned((spec, length, start, mode))


def _versioned(spec: WeightedSpec, start: int, mode: str) -> Plan:
    """``spec`` built with a later version from plan month ``start`` paying on
    :data:`FROM_ZERO`, keeping, removing or bringing in the spec's cap per year."""
    cap = spec.cap_per_year
    version = VersionSpec(
        str(spec.calendar[start]),
        curve=FROM_ZERO,
        cap_per_year={"kept": None, "removed": "none", "added": cap}[mode],
    )
    kwargs = {**spec.kwargs(), "cap_per_year": None if mode == "added" else cap}
    return build_plan(**kwargs, versions=[version])


def _versioned_paths(drawn: _Versioned) -> tuple[Result, list[Result]]:
    """The versioned plan of ``drawn`` run, and every path through history paid at its
    versions' calibrations (path ``p`` reports historical period ``(p + k) mod H`` in the
    plan's period ``k``, as calibration costs a capped plan)."""
    spec, length, start, mode = drawn
    periodic, _, _ = calibrated_paying(replace(spec, period=length), length.months)
    periods = _historical_periods(spec, length.months)
    try:
        result = run(_versioned(periodic, start, mode))
    except CalibrationError:  # a version's caps keep it below what it must cost
        reject()
    size = length.months
    paths = []
    for p in range(len(periods)):
        picks = [periods[(p + j // size) % len(periods)][j % size] for j in range(spec.months)]
        replayed = periodic.reported(
            [periodic.history_shared[h] for h in picks],
            {name: [periodic.history_goals[name][h] for h in picks] for name in spec.metric_names},
        )
        plan = _versioned(replayed, start, mode)
        paths.append(pay_versions(plan, pay_framed, versions=result.versions))
    note(f"{len(periods)} historical {length.noun}s")
    return result, paths


@examples(3)
@given(versioned_year_caps())
def test_one_year_to_date_counts_every_line_whichever_version_paid_it(drawn):
    """Line by line on every path: what a line earned cut to the cap per month, and to the
    cap per year of the version in force less everything the member was paid earlier in
    the plan year, the goals of the months inside a period included, whatever version
    paid them; nobody is paid beyond the cap in force in a plan year."""
    _, paths = _versioned_paths(drawn)
    start, mode = drawn[2], drawn[3]
    for result in paths:
        plan = result.plan
        first = plan.months[0].month.index()
        so_far: dict[tuple[str, int], int] = {}
        for line in result.lines():
            index = line.period.index() - first
            caps = plan.versions[0].design.functional.caps if index >= start else None
            caps = caps or plan.functional.caps
            year = index // 12
            before = so_far.get((line.member_id, year), 0)
            allowed = as_units(plan, line.shared) + sum(
                as_units(plan, a) for _, a in line.functional
            )
            if caps.per_month is not None:
                allowed = min(allowed, caps.per_month)
            if caps.per_year is not None:
                allowed = min(allowed, max(caps.per_year - before, 0))
            assert as_units(plan, line.total) == allowed, (line.member_id, line.period, mode)
            so_far[line.member_id, year] = before + allowed


@examples(3)
@given(versioned_year_caps())
def test_a_version_under_a_cap_per_year_costs_what_its_calibration_expects(drawn):
    """Neutrality across versions: each month's cost averaged over the paths through
    history, each path's year so far run through every version's months before (the
    goals of the months inside a period included), is what the version in force expects
    of it."""
    result, paths = _versioned_paths(drawn)
    expected = {}
    for version in result.versions:
        for expectation in version.calibration.months:
            if expectation.month in version.months:
                expected[expectation.month] = expectation.expected_cost
    for j, month in enumerate(result.months):
        total = sum(path.months[j].paid - path.months[j].forfeited for path in paths)
        assert Fraction(total, len(paths)) == expected[month.month], month.month
