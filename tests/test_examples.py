"""Every example plan loads, calibrates within its rounding bound and runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    Line,
    LineStatus,
    Month,
    MonthStatus,
    NormMethod,
    Plan,
    Result,
    load_plan,
    render_json,
    render_statement,
    render_table,
    result_document,
    run,
)

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "examples").rglob("plan.toml"))
DIGITAL_MANUFACTURING = ROOT / "examples" / "digital_manufacturing" / "plan.toml"

Example = tuple[Plan, Result]


def test_there_are_examples() -> None:
    assert DIGITAL_MANUFACTURING in PLANS


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.parent.name)
def test_example_loads_calibrates_and_runs(path: Path) -> None:
    plan = load_plan(path)
    result = run(plan)
    calibration = result.calibration
    if calibration.calibrated:
        assert calibration.within_bound, (
            f"residual {calibration.residual} beyond the bound {calibration.rounding_bound}"
        )
    assert calibration.budget == plan.budget.amount > 0
    for month in result.months:
        lines = [line for line in result.lines() if line.period == month.month]
        assert len(lines) == len(plan.members)
        paid = sum(plan.currency.to_minor(line.total) for line in lines)
        # A month's lines pay what it pays, with advances its advance and less the period's
        # advances paid before its true-up.
        assert paid == month.paid + month.advance - month.advances_paid
    assert render_table(result)
    assert render_json(result_document(result)).endswith("\n")


@pytest.fixture(scope="module")
def example() -> Example:
    plan = load_plan(DIGITAL_MANUFACTURING)
    return plan, run(plan)


def test_digital_manufacturing_has_36_months_of_history(example: Example) -> None:
    plan, _ = example
    assert plan.norm.method is NormMethod.TARGETS
    assert len(plan.norm.sample) == 36
    assert plan.norm.sample_months[0] == Month(2023, 1)
    assert plan.norm.sample_months[-1] == Month(2025, 12)


def test_digital_manufacturing_is_a_twelve_month_plan(example: Example) -> None:
    plan, _ = example
    assert len(plan.months) == 12
    assert plan.months[0].month == Month(2026, 1)
    assert plan.months[-1].month == Month(2026, 12)
    assert plan.currency.code == "USD"


def test_digital_manufacturing_roster(example: Example) -> None:
    plan, _ = example
    first = plan.months[0].month.first_day
    last = plan.months[-1].month.last_day
    teams = {m.team for m in plan.members}
    assert teams == {"sales", "marketing"}
    sales = [m for m in plan.members if m.team == "sales"]
    marketing = [m for m in plan.members if m.team == "marketing"]
    assert 8 <= len(sales) <= 10
    assert 5 <= len(marketing) <= 7
    hires = [m for m in plan.members if first < m.start <= last]
    leavers = [m for m in plan.members if m.end is not None and first <= m.end < last]
    part_timers = [m for m in plan.members if m.fte < 1]
    assert hires, "a mid-year hire"
    assert all(m.start > date(2026, 3, 31) for m in hires)
    assert leavers, "a leaver"
    assert part_timers, "a part-timer"


def test_digital_manufacturing_actuals_then_pending(example: Example) -> None:
    _, result = example
    statuses = [m.status for m in result.months]
    paid = statuses.count(MonthStatus.PAID)
    assert 0 < paid < 12
    assert statuses == [MonthStatus.PAID] * paid + [MonthStatus.PENDING] * (12 - paid)
    pending = [line for line in result.lines() if line.status is LineStatus.PENDING]
    assert pending
    assert all(line.reason.startswith("pending: no actual for") for line in pending)
    assert result.summary.months_paid == paid


def test_digital_manufacturing_budget_is_what_the_old_plan_paid(example: Example) -> None:
    plan, result = example
    assert plan.budget.source.startswith("history: mean monthly payout of the old plan")
    assert result.calibration.calibrated
    assert result.calibration.within_bound
    assert result.summary.budget == plan.budget.amount


def test_digital_manufacturing_statements_explain_every_zero(example: Example) -> None:
    _, result = example
    zeros = [line for line in result.lines() if not line.total]
    assert all(line.reason for line in zeros)
    reasons = {line.reason.split(" (")[0].split(":")[0] for line in zeros}
    assert "not yet started" in reasons
    assert "pending" in reasons
    assert any(reason.startswith("left on") for reason in reasons)


def test_digital_manufacturing_functional_goals_carry_a_missed_month(example: Example) -> None:
    """In a month the revenue target is missed, the shared part is 0 and the goals still pay."""
    _, result = example
    missed = [m.month for m in result.months if m.status is MonthStatus.PAID and not m.hit]
    assert missed
    lines = [line for line in result.lines() if line.period in missed and line.weight]
    assert lines
    assert all(line.shared == 0 for line in lines)
    assert any(line.total > 0 for line in lines)
    for line in lines:
        assert line.total == line.shared + sum(amount for _, amount in line.functional)


def test_digital_manufacturing_half_of_expected_earnings_is_shared(example: Example) -> None:
    plan, result = example
    weights = {w.team: w for w in result.calibration.weights}
    assert set(weights) == {"sales", "marketing"}
    for weight in weights.values():
        assert weight.wanted == Fraction(1, 2)
        assert weight.expected == Fraction(1, 2)  # exactly what was asked for
        assert weight.shared_expected == weight.functional_expected
        # The goals pay more often than the revenue target: more nominal weight on it.
        assert weight.nominal > Fraction(1, 2)
    goals = {(g.team, g.metric): g.weight for g in plan.goals}
    assert goals == {
        ("sales", "followed_up_48h"): Fraction(1, 2),
        ("sales", "sal_to_sql"): Fraction(1, 2),
        ("marketing", "leads_accepted"): Fraction(1),
    }


HARBOR = ROOT / "examples" / "harbor_software" / "plan.toml"


def test_harbor_software_states_half_and_shows_what_it_means() -> None:
    plan = load_plan(HARBOR)
    result = run(plan)
    calibration = result.calibration
    assert plan.funding.value == "individual"
    assert plan.functional.gates.functional == Fraction(9, 10)
    assert plan.functional.caps.per_month == 180_000
    assert [w.nominal for w in calibration.weights] == [Fraction(1, 2)] * 3
    assert all(w.wanted is None for w in calibration.weights)
    # The gate and the all-or-nothing follow-up goal tilt expectations to the shared half.
    assert all(w.expected is not None and w.expected > Fraction(1, 2) for w in calibration.weights)
    # The trailing-mean norm of meetings held leaves 24 of the 30 months as scenarios.
    assert calibration.scenarios == 24
    assert calibration.paths == 24  # the cap is costed over whole historical years
    # July's cap cuts the best-paid account executives' lines, and nothing above the cap is paid.
    cut = [line for line in result.lines() if line.capped]
    assert {str(line.period) for line in cut} == {"2026-07"}
    assert all(line.total == Decimal("1800.00") for line in cut)
    assert all(line.total <= Decimal("1800.00") for line in result.lines())


def test_a_paid_line_says_why_a_part_of_it_is_zero() -> None:
    """June's win rate (88.8%) is below the curve's 90%: the part is 0, and the line says so."""
    result = run(load_plan(HARBOR))
    june = next(
        line
        for line in result.lines()
        if line.member_id == "HS-S01" and str(line.period) == "2026-06"
    )
    assert line_status(june) == (LineStatus.PAID, [("win_rate", Decimal("0.00"))])
    assert june.reason == "win_rate: attainment 88.8% earns no payout (the curve pays from 90%)"
    april = next(
        line
        for line in result.lines()
        if line.member_id == "HS-S01" and str(line.period) == "2026-04"
    )
    assert april.reason == ""  # every part paid


def line_status(line: Line) -> tuple[LineStatus, list[tuple[str, Decimal]]]:
    return line.status, [(metric, amount) for metric, amount in line.functional if not amount]


DIGITAL_MANUFACTURING_QUARTERLY = (
    ROOT / "examples" / "digital_manufacturing_quarterly" / "plan.toml"
)


@pytest.fixture(scope="module")
def quarterly() -> Example:
    plan = load_plan(DIGITAL_MANUFACTURING_QUARTERLY)
    return plan, run(plan)


def test_quarterly_example_reads_history_as_twelve_whole_quarters(quarterly: Example) -> None:
    plan, _ = quarterly
    assert plan.period.value == "quarter"
    assert [p.label for p in plan.periods] == [
        "2026-Q1 (2026-01 to 2026-03)",
        "2026-Q2 (2026-04 to 2026-06)",
        "2026-Q3 (2026-07 to 2026-09)",
        "2026-Q4 (2026-10 to 2026-12)",
    ]
    assert len(plan.norm.sample) == 12
    assert plan.norm.sample_months[0] == Month(2023, 1)
    assert plan.norm.describe().startswith("targets: 12 quarters of")


def test_quarterly_example_pays_each_quarter_in_its_last_month(quarterly: Example) -> None:
    plan, result = quarterly
    q1 = result.months[2]
    assert q1.shared_period == "2026-Q1 (2026-01 to 2026-03)" and q1.ends_period
    # The quarter's actuals summed over its targets summed, never a mean of months.
    targets = sum(plan.months[j].target for j in range(3))
    actuals = sum(Fraction(plan.months[j].actual or 0) for j in range(3))
    assert q1.plan_month.target == targets
    assert q1.attainment == actuals / targets
    # Hit: factor 1, times Q1's weighting, 4 quarters x its weight 0.2.
    assert plan.period_weights == (Fraction(1, 5),) * 3 + (Fraction(2, 5),)
    assert q1.weighting == Fraction(4, 5)
    assert q1.pool == plan.currency.round_to_minor(result.calibration.scale * Fraction(4, 5))
    for inside in result.months[:2]:
        assert not inside.ends_period and inside.paid == 0 and inside.attainment is None
        lines = [line for line in result.lines() if line.period == inside.month and line.weight]
        assert lines and all(line.reason.startswith("part of 2026-Q1") for line in lines)
    assert result.months[10].status is MonthStatus.PENDING
    assert result.months[11].status is MonthStatus.PENDING


def test_quarterly_example_shares_a_quarter_by_weight_over_it(quarterly: Example) -> None:
    plan, result = quarterly
    q1 = result.months[2]
    lines = [line for line in result.lines() if line.period == q1.month]
    assert sum(plan.currency.to_minor(line.total) for line in lines) == q1.pool
    full = [line for line in lines if line.weight == 3]  # active all quarter, full time
    assert len({line.total for line in full}) <= 2  # equal weights: within one cent
    assert "Shared period" in render_table(result)


def test_the_quarterly_goals_advance_example_pays_what_its_readme_says() -> None:
    """The README's walk through 2026-Q1, figure by figure: no advance in January, an
    advance on the shared part in February, March's true-up of the quarter's shared part
    and March's goals less it; every goal is paid in its own month."""
    folder = ROOT / "examples" / "digital_manufacturing_quarterly_goals_advance"
    plan = load_plan(folder / "plan.toml")
    result = run(plan)
    lines = {(line.member_id, str(line.period)): line for line in result.lines()}
    january, february, march = (lines["DM-S01", f"2026-0{m}"] for m in (1, 2, 3))
    assert january.kind == february.kind == "advance"
    assert january.total - sum(amount for _, amount in january.functional) == 0
    goals = sum(amount for _, amount in february.functional)
    assert february.total - goals == Decimal("391.12")
    assert lines["DM-M01", "2026-02"].total - lines["DM-M01", "2026-02"].functional[0][1] == (
        Decimal("453.87")
    )
    assert march.kind == "true-up"
    assert march.advanced == Decimal("391.12")
    assert march.total == Decimal("1220.91")
    assert march.shared + sum(amount for _, amount in march.functional) == Decimal("1612.03")
    assert march.weight == 3
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for figure in ("391.12", "453.87", "1,612.03", "1,220.91", "97.9%", "101.3%"):
        assert figure in readme
    # The statement's note on its Total column says how an advance and a true-up add up.
    note = render_statement(result, "DM-S01").splitlines()
    assert "adds the advance" in next(text for text in note if text.startswith("Total is"))
