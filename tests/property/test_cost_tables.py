"""The shared cost tables give what costing each member's line on its own gives.

Under individual funding on the shared goal alone, a month's cost at an
outcome is summed from a table of lines that the plan's months share
(:class:`~jointbonus.sharedtarget.pay.cost.LineTable`): a member active a
whole month has a line that does not depend on the month, so it is computed
once per amount, however many months pay that amount. Checked here against
the straightforward evaluation, month by month: each pay group's line
rounded from its own target amount, less what a leaver forfeits of the
holdback, at every outcome a historical scenario gives and at a few more,
the months costed in a random order (a month met later adds values to the
lines already made), two plans costed side by side at two scales. The
scenario outcomes, made once per ratio of norm to target
(:func:`~jointbonus.sharedtarget.calibration.scenario_table`), are checked
against each month's own, and the targets calibration takes from a month's
lines (:meth:`~jointbonus.sharedtarget.pay.cost.LineTable.targets`) against
those summed over its pay groups.

The framing the costs start from is checked too: each member's weight, split
weight, days active and reason for a zero in each month are those of their
own standing, whichever other members share their start and FTE (twins are
added that leave during the plan, or have no salary or target bonus).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from jointbonus import Member, build_plan
from jointbonus.core.number import round_half_up
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.calibration import scenario_outcomes, scenario_table
from jointbonus.sharedtarget.pay.cost import LineTable, MonthCost, costers_for, team_targets
from jointbonus.sharedtarget.pay.groups import MonthFrame, frame_months
from jointbonus.sharedtarget.pay.outcome import Outcome, Terms
from jointbonus.sharedtarget.pay.sharing import held_back
from jointbonus.sharedtarget.plan import FundingStyle, Plan, Split
from strategies import examples, plan_specs

#: Payout factors costed besides the scenarios': none, a third, at target, an accelerator.
FACTORS = (Fraction(0), Fraction(1, 3), Fraction(1), Fraction(7, 4))


def each_line(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> MonthCost:
    """The month's cost, each pay group's line rounded from its own target amount."""
    if not outcome.pays or terms.scale == 0:
        return MonthCost(Fraction(0), 0, 0)
    groups = frame.groups
    paid = members = forfeit_lines = 0
    exact = Fraction(0)
    for split, units, bonus, count, forfeits in zip(
        frame.split, frame.units, groups.bonuses, groups.counts, groups.forfeits, strict=True
    ):
        if not split:
            continue
        amount = (
            frame.at_target(terms.scale)
            * outcome.shared
            * bonus
            * units
            / (12 * FTE_SCALE * frame.days)
        )
        line = round_half_up(amount)
        members += count
        if plan.holdback and forfeits:
            paid += (line - held_back(plan, line)) * count
            exact += (1 - plan.holdback) * amount * count
            forfeit_lines += count
        else:
            paid += line * count
            exact += amount * count
    bound = Fraction(members - forfeit_lines, 2) + forfeit_lines
    return MonthCost(exact / plan.currency.scale, paid, members, bound)


@examples(2)
@given(
    plan_specs(funding=FundingStyle.INDIVIDUAL, max_members=12, max_history=24, max_months=14),
    st.sampled_from(["0", "0.25"]),
    st.fractions(Fraction(1, 100), 5, max_denominator=1000),
    st.randoms(use_true_random=False),
)
def test_each_month_costs_from_the_shared_lines_what_its_own_lines_cost(
    spec, holdback, scale, random
):
    plan = build_plan(**spec.kwargs(), holdback=holdback)
    # A second plan, its roster less its first member, costed side by side at other terms:
    # what is made for one plan must not serve the other.
    other = build_plan(**spec.kwargs(spec.members[1:] or spec.members), holdback=holdback)
    plans = [plan, other]
    frames = [frame_months(p).months for p in plans]
    terms = [Terms(scale, ()), Terms(scale * 3 + Fraction(1, 7), ())]
    costers = [costers_for(p, f, t) for p, f, t in zip(plans, frames, terms, strict=True)]
    for p, f in zip(plans, frames, strict=True):  # outcomes shared by months of one ratio
        assert scenario_table(p, f) == [scenario_outcomes(p, frame) for frame in f]
        # The targets calibration takes from a month's lines are those of its pay groups.
        table = LineTable(f)
        for j in random.sample(range(len(f)), len(f)):
            assert table.targets(p, j) == team_targets(p, f[j], less_forfeits=True), j
    work = [
        (k, j, outcome)
        for k, p in enumerate(plans)
        for j, frame in enumerate(frames[k])
        for outcome in {*scenario_outcomes(p, frame), *map(Outcome, FACTORS)}
    ]
    random.shuffle(work)
    for k, j, outcome in work:
        expected = each_line(plans[k], frames[k][j], terms[k], outcome)
        assert costers[k][j].cost(outcome) == expected, (k, j, outcome)


@examples(2)
@given(plan_specs(max_members=12, max_months=14), st.data())
def test_each_member_is_framed_at_their_own_standing(spec, data):
    # Twins that share a member's start and FTE but leave during the plan, or have no
    # salary or target bonus: standings that share what is worked out once per dates.
    twins = []
    for member in spec.members:
        if member.changes:
            continue
        last = spec.calendar[-1].last_day
        end = data.draw(st.dates(member.start, max(member.start, last)))
        twins.append(
            Member(
                f"{member.id}~L",
                member.team,
                member.start,
                end,
                member.fte,
                member.salary,
                member.target_bonus,
            )
        )
        zero = Decimal(0)
        twins.append(
            Member(f"{member.id}~Z", member.team, member.start, member.end, member.fte, zero, zero)
        )
    plan = spec.build([*spec.members, *twins])
    framed = frame_months(plan)
    group_of = {p: g for g, places in enumerate(framed.groups.positions) for p in places}
    money = plan.currency
    for position, member in enumerate(plan.members):
        if member.changes:  # weighed as the sum of their rows: framed apart, unchanged here
            continue
        group = group_of[position]
        per_unit = 1
        if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
            per_unit = money.to_minor(member.target_bonus) if member.target_bonus else 0
        elif plan.split is Split.SALARY:
            per_unit = money.to_minor(member.salary) if member.salary else 0
        cohort = framed.cohorts[framed.cohort_of[position]]
        for frame in framed.months:
            standing = member.standing(frame.plan_month.month, plan.pay_leavers_for_exit_month)
            assert frame.units[group] == standing.units, (member.id, frame.plan_month.month)
            assert frame.split[group] == standing.units * per_unit, (member.id, frame.index)
            # Days and the reason for a zero, worked out in runs of months: as the month's own.
            assert cohort.days[frame.index] == standing.days, (member.id, frame.index)
            if per_unit or not standing.units:
                assert cohort.reasons[frame.index] == standing.reason, (member.id, frame.index)
