"""Shared targets over a quarter or a plan year: cutting, summing, the norm, bad input."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    D,
    HistoryMonth,
    Member,
    Month,
    NormMethod,
    PlanError,
    StepCurve,
    build_plan,
    explain,
    load_plan,
    run,
)
from jointbonus.core.history import derive_norm
from jointbonus.core.plan_periods import (
    PeriodError,
    PeriodLength,
    cut_periods,
    period_norm,
    summed_attainment,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "one_lifeboat"


def test_quarters_are_counted_from_the_plans_first_month() -> None:
    periods = cut_periods(Month(2026, 4), 12, PeriodLength.QUARTER)
    assert [p.label.split(" ")[0] for p in periods] == [
        "FY2026-Q1",
        "FY2026-Q2",
        "FY2026-Q3",
        "FY2026-Q4",
    ]
    assert periods[3].months == (Month(2027, 1), Month(2027, 2), Month(2027, 3))
    assert (periods[1].first, periods[1].last, periods[1].end) == (3, 5, Month(2026, 9))
    assert 4 in periods[1] and 6 not in periods[1]
    two_years = cut_periods(Month(2026, 1), 24, PeriodLength.QUARTER)
    assert two_years[4].label == "2027-Q1 (2027-01 to 2027-03)"
    years = cut_periods(Month(2026, 7), 24, PeriodLength.PLAN_YEAR)
    assert [p.label for p in years] == [
        "FY2026 (2026-07 to 2027-06)",
        "FY2027 (2027-07 to 2028-06)",
    ]


@pytest.mark.parametrize(
    ("months", "length"), [(10, PeriodLength.QUARTER), (18, PeriodLength.PLAN_YEAR)]
)
def test_a_plan_of_part_periods_is_refused(months: int, length: PeriodLength) -> None:
    with pytest.raises(PeriodError, match=f"got {months} plan months, expected a whole number"):
        cut_periods(Month(2026, 1), months, length)


def test_attainment_over_a_period_is_summed_not_averaged() -> None:
    # 50 of 100 and 300 of 200: the mean of the months would be 100%, the period is 350/300.
    assert summed_attainment([Fraction(50), Fraction(300)], [Fraction(100), Fraction(200)]) == (
        Fraction(7, 6)
    )


def _history(count: int, first: Month | None = None) -> list[HistoryMonth]:
    start = first or Month(2025, 1)
    return [
        HistoryMonth(start.shift(i), D(95 + 5 * (i % 4)), D(100 + (i % 3))) for i in range(count)
    ]


def test_history_is_cut_into_whole_periods_aligned_with_the_plan() -> None:
    # History from 2024-11 to 2025-12; the plan's quarters start in January, so history's
    # whole quarters are the four of 2025 (2024-11 and 2024-12 make no whole quarter).
    history = _history(14, Month(2024, 11))
    monthly = derive_norm(history, NormMethod.TARGETS, [Month(2026, 1)])
    plan = cut_periods(Month(2026, 1), 12, PeriodLength.QUARTER)
    norm = period_norm(history, monthly, PeriodLength.QUARTER, plan)
    assert norm.sample_months == (Month(2025, 1), Month(2025, 4), Month(2025, 7), Month(2025, 10))
    first = history[2:5]
    assert norm.sample[0] == sum(Fraction(h.actual) for h in first) / sum(
        Fraction(h.target or 0) for h in first
    )
    assert norm.period == "quarter"
    assert norm.describe() == "targets: 4 quarters of historical attainment actual / target, summed"


def test_history_too_short_for_one_whole_period_is_refused() -> None:
    history = _history(11)
    monthly = derive_norm(history, NormMethod.TARGETS, [Month(2026, 1)])
    plan = cut_periods(Month(2026, 1), 12, PeriodLength.PLAN_YEAR)
    with pytest.raises(ValueError, match="needs at least one whole plan year of history"):
        period_norm(history, monthly, PeriodLength.PLAN_YEAR, plan)


def _kwargs(**changes: object) -> dict[str, object]:
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1")),
        Member("B", "sales", date(2026, 2, 10), None, D("0.5")),
    ]
    return {
        "name": "Demo",
        "currency": "USD",
        "start": "2026-01",
        "months": 6,
        "members": members,
        "history": _history(24),
        "targets": {f"2026-{m:02d}": "100" for m in range(1, 7)},
        "actuals": {"2026-01": "120", "2026-02": "90", "2026-03": "100", "2026-04": "101"},
        "curve": StepCurve(),
        "budget": "1000.00",
        **changes,
    }


def test_a_quarter_is_paid_in_its_last_month_by_weight_over_it() -> None:
    result = run(build_plan(**_kwargs(period="quarter")))  # type: ignore[arg-type]
    january, february, march, april = result.months[:4]
    assert (january.paid, february.paid) == (0, 0)
    assert january.attainment is None and not january.ends_period
    assert march.attainment == Fraction(310, 300) and march.ends_period
    assert march.paid == march.pool == result.months[2].pool
    shares = {line.member_id: line for line in result.lines() if line.period == Month(2026, 3)}
    # A: 1 + 1 + 1; B: 0 + 0.5 x 19/28 + 0.5 = 47/56 over the quarter.
    assert shares["A"].weight == 3 and shares["B"].weight == Fraction(47, 56)
    total = Fraction(shares["A"].total + shares["B"].total)
    exact = total * Fraction(47, 56) / (3 + Fraction(47, 56))
    assert abs(Fraction(shares["B"].total) - exact) < Fraction(1, 100)
    assert april.status.value == "paid" and april.paid == 0
    assert "part of 2026-Q2" in next(
        line.reason for line in result.lines() if line.period == Month(2026, 4)
    )
    june = result.months[5]
    assert june.status.value == "pending"
    assert "no actual for 2026-05, 2026-06 yet" in next(
        line.reason for line in result.lines() if line.period == Month(2026, 6)
    )


def test_individual_funding_pays_the_periods_share_of_the_year() -> None:
    members = [Member("A", "sales", date(2025, 1, 1), None, D("1"), target_bonus=D("1200"))]
    plan = build_plan(**_kwargs(period="quarter", funding="individual", members=members, scale="1"))  # type: ignore[arg-type]
    march = run(plan).months[2]
    assert march.paid == 30000  # 1,200 x 1 x 3/12 at factor 1, in cents


def test_a_monthly_period_changes_nothing() -> None:
    assert build_plan(**_kwargs(period="month")) == build_plan(**_kwargs())  # type: ignore[arg-type]


def test_bad_period_settings_are_named_through_the_api() -> None:
    with pytest.raises(PlanError) as caught:
        build_plan(**_kwargs(period="fortnight"))  # type: ignore[arg-type]
    assert "period: got 'fortnight', expected one of 'month', 'quarter', 'plan_year'" in str(
        caught.value
    )
    with pytest.raises(PlanError, match="months: got 6, expected with period = 'plan_year'"):
        build_plan(**_kwargs(period="plan_year"))  # type: ignore[arg-type]
    with pytest.raises(PlanError, match="needs at least one whole quarter of history"):
        build_plan(**_kwargs(period="quarter", history=_history(2)))  # type: ignore[arg-type]


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(FIXTURE, folder)
    return folder


def _set(folder: Path, old: str, new: str) -> None:
    path = folder / "plan.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_plan_file_sets_the_period_under_shared(plan_dir: Path) -> None:
    _set(plan_dir, 'metric = "revenue"', 'metric = "revenue"\nperiod = "plan_year"')
    plan = load_plan(plan_dir / "plan.toml")
    assert plan.period is PeriodLength.PLAN_YEAR
    assert len(plan.norm.sample) == 3  # 36 months of history: three whole plan years


@pytest.mark.parametrize(
    ("old", "new", "where", "phrase"),
    [
        (
            'metric = "revenue"',
            'metric = "revenue"\nperiod = "weekly"',
            "plan.toml:",
            "shared.period",
        ),
        ("months = 12", "months = 10", "plan.toml:", "a whole number of quarters"),
    ],
    ids=["unknown-period", "months-not-whole-quarters"],
)
def test_a_bad_period_in_a_plan_file_is_located(
    plan_dir: Path, old: str, new: str, where: str, phrase: str
) -> None:
    _set(plan_dir, 'metric = "revenue"', 'metric = "revenue"\nperiod = "quarter"')
    if old == 'metric = "revenue"':
        _set(plan_dir, 'period = "quarter"', new.split("\n")[1])
    else:
        _set(plan_dir, old, new)
    with pytest.raises(PlanError) as caught:
        load_plan(plan_dir / "plan.toml")
    text = str(caught.value)
    assert where in text and phrase in text, text


def test_a_history_without_a_whole_period_is_located_in_the_history_file(plan_dir: Path) -> None:
    _set(plan_dir, 'metric = "revenue"', 'metric = "revenue"\nperiod = "quarter"')
    history = plan_dir / "data" / "history.csv"
    lines = history.read_text(encoding="utf-8").splitlines()
    history.write_text("\n".join([lines[0], *lines[-2:]]) + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(plan_dir / "plan.toml")
    text = str(caught.value)
    assert "history.csv" in text and "needs at least one whole quarter of history" in text, text


def _goals_quarterly(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(
        Path(__file__).resolve().parent.parent / "examples" / "digital_manufacturing", folder
    )
    _set(folder, 'metric = "revenue"', 'metric = "revenue"\nperiod = "quarter"')
    return folder


def test_functional_goals_are_paid_month_by_month_beside_a_quarterly_target(
    tmp_path: Path,
) -> None:
    plan = load_plan(_goals_quarterly(tmp_path) / "plan.toml")
    assert plan.period is PeriodLength.QUARTER and plan.month_norm is not None
    assert len(plan.norm.sample) == 12  # 36 months of history: twelve whole quarters
    result = run(plan)
    january, march = result.months[0], result.months[2]
    # January pays its goals only: no shared part, no shared attainment of its own row.
    assert january.attainment is None and january.pool is None and january.paid > 0
    assert january.goals and january.paid == sum(g.pool for g in january.goals)
    jan_lines = [line for line in result.lines() if line.period == Month(2026, 1)]
    assert all(line.shared == 0 for line in jan_lines)
    assert all(line.reason.startswith("part of 2026-Q1") for line in jan_lines if line.weight)
    # March pays the quarter's shared part on the quarter's attainment, and its own goals.
    assert march.ends_period and march.attainment == Fraction(3792213, 3743000)
    assert march.paid == march.pool + sum(g.pool for g in march.goals)
    # The weighting still hits the wanted split: half of what each team can expect.
    assert all(w.expected == Fraction(1, 2) for w in result.calibration.weights)


def _with(folder: Path, setting: str) -> Path:
    """The plan file in ``folder`` with ``setting`` (a table and one line) added."""
    table, line = setting.split("\n")
    path = folder / "plan.toml"
    text = path.read_text(encoding="utf-8")
    if table in text:
        text = text.replace(table, f"{table}\n{line}", 1)
    else:
        text += f"\n{table}\n{line}\n"
    path.write_text(text, encoding="utf-8")
    return path


def _goals_quarterly_linear(tmp_path: Path) -> Path:
    """:func:`_goals_quarterly` with a shared curve paying from half the target, so the
    floor of a quarter's second month pays something."""
    folder = _goals_quarterly(tmp_path)
    _set(
        folder,
        'curve = { type = "step", threshold = 1.00 }   # hit 100% of target, everybody wins',
        'curve = { type = "linear", points = [[0.5, 0.25], [1.0, 1.0], [1.3, 2.0]] }',
    )
    return folder


def test_an_advance_beside_monthly_goals_pays_the_shared_part_early_and_trues_it_up(
    tmp_path: Path,
) -> None:
    plain = run(load_plan(_goals_quarterly_linear(tmp_path / "plain") / "plan.toml"))
    path = _with(_goals_quarterly_linear(tmp_path / "advanced"), "[shared]\nadvance = 0.5")
    advanced = run(load_plan(path))
    # Advances cost nothing: the calibration is the one without them.
    assert advanced.calibration.terms == plain.calibration.terms
    # The quarters' shared parts are paid early once their floor pays: beside the goals,
    # which are paid as without advances.
    assert any(sum(month.advances) > 0 for month in advanced.months)
    assert [m.paid for m in advanced.months] == [m.paid for m in plain.months]
    before = {(line.member_id, line.period): line for line in plain.lines()}
    totals: dict[str, int] = {}
    plain_totals: dict[str, int] = {}
    for line in advanced.lines():
        was = before[line.member_id, line.period]
        assert line.kind in {"advance", "true-up"}
        assert line.functional == was.functional  # the goals are not advanced
        assert line.total >= 0  # nor is a true-up ever below zero
        if line.kind == "true-up":
            assert line.total == was.total - line.advanced
        totals[line.member_id] = totals.get(line.member_id, 0) + line.total
        plain_totals[line.member_id] = plain_totals.get(line.member_id, 0) + was.total
    assert totals == plain_totals  # each member is paid what the plan pays without advances


def test_an_advance_beside_monthly_goals_stays_within_the_monthly_cap(tmp_path: Path) -> None:
    folder = _goals_quarterly_linear(tmp_path)
    _with(folder, "[shared]\nadvance = 1")
    path = _with(folder, "[caps]\nper_month = 3000")
    result = run(load_plan(path))
    lines = list(result.lines())
    assert any(line.kind == "advance" and line.total > 0 for line in lines)
    assert all(0 <= line.total <= 3000 for line in lines)


def test_an_advance_beside_monthly_goals_keeps_the_years_room_for_them(tmp_path: Path) -> None:
    plain_folder = _goals_quarterly_linear(tmp_path / "plain")
    plain = run(load_plan(_with(plain_folder, "[caps]\nper_year = 10000")))
    folder = _goals_quarterly_linear(tmp_path / "advanced")
    _with(folder, "[shared]\nadvance = 1")
    advanced = run(load_plan(_with(folder, "[caps]\nper_year = 10000")))
    assert advanced.calibration.terms == plain.calibration.terms
    assert [m.paid for m in advanced.months] == [m.paid for m in plain.months]
    assert sum(sum(month.advances) for month in advanced.months) > 0
    lines = list(advanced.lines())
    assert all(line.total >= 0 for line in lines)  # no true-up below zero
    by_member: dict[str, Decimal] = {}
    for line in lines:
        by_member[line.member_id] = by_member.get(line.member_id, Decimal(0)) + line.total
    assert max(by_member.values()) == 10000  # the cap binds, and is never passed
    plain_by_member: dict[str, Decimal] = {}
    for line in plain.lines():
        plain_by_member[line.member_id] = (
            plain_by_member.get(line.member_id, Decimal(0)) + line.total
        )
    assert by_member == plain_by_member
    # The explanation of an advance says the goals still to come keep their room.
    month = next(m for m in advanced.months if sum(m.advances))
    place = next(p for p, a in enumerate(month.advances) if a)
    member = advanced.plan.members[place].id
    how = explain(advanced, member, str(month.month)).figure("advance", "advance").how
    assert "less the most your goals can pay in the quarter's months before its end" in how


def test_monthly_goals_beside_a_quarter_are_capped_in_the_month_pay_falls_due_and_held_back(
    tmp_path: Path,
) -> None:
    folder = _goals_quarterly(tmp_path)
    _with(folder, "[funding]\nholdback = 0.2")
    path = _with(folder, "[caps]\nper_month = 3000")
    _with(folder, "[caps]\nper_year = 12000")
    plan = load_plan(path)
    result = run(plan)
    calibration = result.calibration
    assert calibration.paths == calibration.scenarios == 12  # one path per historical quarter
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound
    lines = list(result.lines())
    assert any(line.capped for line in lines)  # the caps bind somewhere
    year: dict[str, Fraction] = {}
    for line in lines:
        # A month's goals, and at a quarter's end its shared part with them, under one cap.
        assert line.total <= 3000
        assert line.total == line.shared + sum(a for _, a in line.functional) - line.capped
        year[line.member_id] = year.get(line.member_id, Fraction(0)) + Fraction(line.total)
        assert line.held == (line.total * Decimal("0.2")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert max(year.values()) <= 12000
    # What is held back is settled at the plan year's end, December, not a quarter's.
    settlements = list(result.settlements())
    assert settlements and all(s.last == Month(2026, 12) for s in settlements)
    assert sum(s.held for s in settlements) == sum(line.held for line in lines)


def test_caps_and_the_holdback_work_on_the_month_that_pays_the_period() -> None:
    plan = build_plan(
        **_kwargs(period="quarter", cap_per_month="500", holdback="0.25", scale="2000")  # type: ignore[arg-type]
    )
    march = run(plan).months[2]
    lines = {line.member_id: line for line in run(plan).lines() if line.period == Month(2026, 3)}
    # A's share of the 2,000.00 quarter pool is capped at 500.00 in March, the month that pays.
    assert lines["A"].capped > 0 and lines["A"].total == D("500.00")
    assert march.capped == sum(plan.currency.to_minor(line.capped) for line in lines.values())
    assert march.held == sum(plan.currency.to_minor(line.held) for line in lines.values()) > 0


def test_targets_tools_read_a_longer_shared_period_at_its_length() -> None:
    from jointbonus.sharedtarget.targets import TargetError, assess_targets, propose_targets

    plan = build_plan(**_kwargs(period="quarter"))  # type: ignore[arg-type]
    assessed = assess_targets(plan)
    assert [m.label for m in assessed.periods] == [p.label for p in plan.periods]
    assert [m.target for m in assessed.periods] == [300, 300]
    assert all(m.scenarios == len(plan.norm.sample) == 8 for m in assessed.periods)
    # The 'targets' norm has no level to derive a month's target from, at any length.
    with pytest.raises(TargetError, match="'targets' norm"):
        propose_targets(plan, "0.05")


def test_the_examples_goals_pay_a_third_of_the_quarters_pool_at_target_each_month() -> None:
    """Worked out from the plan alone: the quarter's pool at target is the scale, each month
    pays its goals from a third of it, each team's part by its members' FTE (all of
    January's members are in the plan the whole month, shared equally)."""
    folder = Path(__file__).resolve().parent.parent / "examples"
    plan = load_plan(folder / "digital_manufacturing_quarterly_goals" / "plan.toml")
    result = run(plan)
    january = result.months[0]
    assert january.month == Month(2026, 1)
    first, last = january.month.first_day, january.month.last_day
    fte = {"sales": Fraction(0), "marketing": Fraction(0)}
    for member in plan.members:
        if member.start <= first and (member.end is None or member.end >= last):
            fte[member.team] += Fraction(member.fte)
        else:
            assert member.start > last or (member.end is not None and member.end < first)
    total = sum(fte.values(), Fraction(0))
    nominal = {w.team: w.nominal for w in result.calibration.weights}
    month_at_target = result.calibration.scale * plan.currency.scale / 3
    assert january.goals
    for goal in january.goals:
        exact = (
            month_at_target
            * goal.factor
            * (1 - nominal[goal.goal.team])
            * goal.goal.weight
            * fte[goal.goal.team]
            / total
        )
        assert goal.pool == int(exact + Fraction(1, 2)), goal.goal.metric


def test_a_cap_per_year_in_versions_beside_monthly_goals_counts_the_goals_of_each_month(
    tmp_path: Path,
) -> None:
    """A version from July brings in a cap per year: the months before paid goals month by
    month under no cap, and the July version's cap counts them in the year so far."""
    folder = _goals_quarterly(tmp_path)
    path = folder / "plan.toml"
    with path.open("a", encoding="utf-8") as file:
        file.write('\n[[versions]]\nfrom = "2026-07"\n[versions.caps]\nper_year = "11000"\n')
    result = run(load_plan(path))
    assert len(result.versions) == 2
    so_far: dict[str, Decimal] = {}
    cut = False
    for line in result.lines():
        before = so_far.get(line.member_id, Decimal(0))
        earned = line.shared + sum(amount for _, amount in line.functional)
        allowed = earned if line.period < Month(2026, 7) else min(earned, max(11000 - before, 0))
        assert line.total == allowed, (line.member_id, line.period)
        cut = cut or allowed < earned
        so_far[line.member_id] = before + line.total
    assert cut  # the cap binds, on the year so far the goals before July made


def test_a_holdback_beside_monthly_goals_is_neutral_counting_what_a_leaver_forfeits(
    tmp_path: Path,
) -> None:
    """DM-M05 leaves in May: what is held back from their goal months is never paid, and
    calibration counts it so; the cost the months are expected to pay is the budget."""
    path = _with(_goals_quarterly(tmp_path), "[funding]\nholdback = 0.2")
    result = run(load_plan(path))
    calibration = result.calibration
    assert calibration.paths == 0
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound
    january = result.months[0]
    assert january.forfeited > 0 and january.pool is None  # a goal month holds back too
