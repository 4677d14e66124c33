"""Members, their exact weight in each month, and the leaver rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import D, FloatMoneyError, Member, Month, RosterError, load_plan, run, write_results
from jointbonus.core.roster import FTE_SCALE, Roster, Standing, standing_in


def member(
    start: date,
    end: date | None = None,
    fte: str = "1",
    *,
    id: str = "M01",
    salary: str | None = None,
    target_bonus: str | None = None,
) -> Member:
    return Member(
        id,
        "sales",
        start,
        end,
        D(fte),
        None if salary is None else D(salary),
        None if target_bonus is None else D(target_bonus),
    )


# -- weight = FTE x days active / days in month ---------------------------------


def test_full_timer_all_month_weighs_one() -> None:
    assert member(date(2020, 1, 1)).weight(Month(2026, 1)) == 1


def test_part_timer_all_month_weighs_their_fte() -> None:
    assert member(date(2020, 1, 1), fte="0.6").weight(Month(2026, 3)) == Fraction(3, 5)
    assert member(date(2020, 1, 1), fte="0.333333").weight(Month(2026, 3)) == Fraction(
        333333, 1000000
    )


def test_weight_is_exact_not_rounded() -> None:
    # 0.6 FTE starting 10 March: 22 of 31 days -> 0.6 x 22/31 = 66/155
    weight = member(date(2026, 3, 10), fte="0.6").weight(Month(2026, 3))
    assert weight == Fraction(66, 155)
    assert isinstance(weight, Fraction)


def test_weight_in_a_leap_february() -> None:
    # half-time from 10 Feb 2024: 20 of 29 days -> 0.5 x 20/29 = 10/29
    m = member(date(2024, 2, 10), fte="0.5")
    assert m.weight(Month(2024, 2)) == Fraction(10, 29)
    # the same start date in a common year: 19 of 28 days
    assert member(date(2025, 2, 10), fte="0.5").weight(Month(2025, 2)) == Fraction(19, 56)


def test_weight_in_february_2100_and_2000() -> None:
    assert member(date(2100, 2, 15)).weight(Month(2100, 2)) == Fraction(14, 28)
    assert member(date(2000, 2, 15)).weight(Month(2000, 2)) == Fraction(15, 29)


def test_member_starting_on_the_31st() -> None:
    m = member(date(2026, 1, 31))
    assert m.weight(Month(2026, 1)) == Fraction(1, 31)
    assert m.weight(Month(2026, 2)) == 1
    assert m.weight(Month(2025, 12)) == 0


def test_member_leaving_on_the_1st() -> None:
    m = member(date(2020, 1, 1), date(2026, 4, 1))
    assert m.weight(Month(2026, 3)) == 1
    assert m.weight(Month(2026, 4)) == Fraction(1, 30)
    assert m.weight(Month(2026, 5)) == 0


def test_weight_across_a_month_end_and_a_year_end() -> None:
    # 0.8 FTE from 20 Dec 2025 to 10 Jan 2026
    m = member(date(2025, 12, 20), date(2026, 1, 10), fte="0.8")
    assert m.weight(Month(2025, 12)) == Fraction(4, 5) * Fraction(12, 31)
    assert m.weight(Month(2026, 1)) == Fraction(4, 5) * Fraction(10, 31)
    assert m.weight(Month(2026, 2)) == 0


def test_fte_units() -> None:
    assert member(date(2020, 1, 1), fte="0.6").fte_units == 600_000
    assert member(date(2020, 1, 1), fte="1").fte_units == FTE_SCALE
    assert member(date(2020, 1, 1), fte="0.000001").fte_units == 1


# -- standing_in: eligible weight units and the reason for a zero ---------------


def test_standing_all_month() -> None:
    assert standing_in(Month(2026, 1), date(2020, 1, 1), None, 600_000, False) == Standing(
        31, 600_000 * 31, ""
    )


def test_standing_not_yet_started() -> None:
    standing = standing_in(Month(2026, 6), date(2026, 7, 15), None, FTE_SCALE, False)
    assert standing == Standing(0, 0, "not yet started (starts 2026-07-15)")


def test_standing_after_leaving() -> None:
    standing = standing_in(Month(2026, 6), date(2020, 1, 1), date(2026, 5, 20), FTE_SCALE, True)
    assert standing == Standing(0, 0, "left on 2026-05-20")


def test_standing_starting_mid_month() -> None:
    standing = standing_in(Month(2026, 7), date(2026, 7, 15), None, FTE_SCALE, False)
    assert standing == Standing(17, 17 * FTE_SCALE, "")


def test_leaver_of_the_month_is_not_paid_when_the_rule_is_off() -> None:
    standing = standing_in(Month(2026, 5), date(2020, 1, 1), date(2026, 5, 20), FTE_SCALE, False)
    assert standing.days == 20
    assert standing.units == 0
    assert standing.reason == (
        "left on 2026-05-20, before the month ended; "
        "the plan does not pay leavers for their exit month"
    )


def test_leaver_of_the_month_is_paid_for_their_days_when_the_rule_is_on() -> None:
    standing = standing_in(Month(2026, 5), date(2020, 1, 1), date(2026, 5, 20), FTE_SCALE, True)
    assert standing == Standing(20, 20 * FTE_SCALE, "")


@pytest.mark.parametrize("pay_leavers", [False, True])
def test_leaving_on_the_last_day_is_not_leaving_that_month(pay_leavers: bool) -> None:
    # 31 May 2026 is the month's last day: a full month either way.
    standing = standing_in(
        Month(2026, 5), date(2020, 1, 1), date(2026, 5, 31), FTE_SCALE, pay_leavers
    )
    assert standing == Standing(31, 31 * FTE_SCALE, "")
    # and 29 Feb 2024 is February's last day in a leap year
    february = standing_in(
        Month(2024, 2), date(2020, 1, 1), date(2024, 2, 29), FTE_SCALE, pay_leavers
    )
    assert february == Standing(29, 29 * FTE_SCALE, "")


def test_leaving_on_28_february_of_a_leap_year_is_leaving_early() -> None:
    standing = standing_in(Month(2024, 2), date(2020, 1, 1), date(2024, 2, 28), FTE_SCALE, False)
    assert standing.units == 0
    assert standing.days == 28
    assert "before the month ended" in standing.reason


def test_leaving_on_the_1st_with_the_rule_on_pays_one_day() -> None:
    standing = standing_in(Month(2026, 4), date(2020, 1, 1), date(2026, 4, 1), 500_000, True)
    assert standing == Standing(1, 500_000, "")


def test_joining_and_leaving_in_one_month() -> None:
    on = standing_in(Month(2026, 3), date(2026, 3, 10), date(2026, 3, 19), FTE_SCALE, True)
    off = standing_in(Month(2026, 3), date(2026, 3, 10), date(2026, 3, 19), FTE_SCALE, False)
    assert on == Standing(10, 10 * FTE_SCALE, "")
    assert off.units == 0
    assert off.days == 10


def test_member_standing_uses_its_own_fte() -> None:
    m = member(date(2026, 3, 10), date(2026, 5, 20), fte="0.5")
    assert m.standing(Month(2026, 3), False) == Standing(22, 22 * 500_000, "")
    assert m.standing(Month(2026, 5), False).units == 0
    assert m.standing(Month(2026, 5), True) == Standing(20, 20 * 500_000, "")
    # the weight is the units over 10^6 x days in the month
    assert Fraction(22 * 500_000, FTE_SCALE * 31) == m.weight(Month(2026, 3))


# -- validation ---------------------------------------------------------------


def test_member_keeps_fte_salary_and_bonus_as_decimals() -> None:
    m = Member("A", "sales", date(2020, 1, 1), None, 1, 75000, "11250.00")  # type: ignore[arg-type]
    assert m.fte == Decimal(1)
    assert m.salary == Decimal(75000)
    assert m.target_bonus == Decimal("11250.00")
    assert isinstance(m.fte, Decimal)


@pytest.mark.parametrize("fte", ["0", "-0.5"])
def test_fte_must_be_above_zero(fte: str) -> None:
    expected = r"member M01: fte: got .*, expected a number in \(0, 1\]"
    with pytest.raises(RosterError, match=expected):
        member(date(2020, 1, 1), fte=fte)


@pytest.mark.parametrize("fte", ["1.000001", "2", "1.5"])
def test_fte_must_be_at_most_one(fte: str) -> None:
    with pytest.raises(RosterError, match=r"expected a number in \(0, 1\]"):
        member(date(2020, 1, 1), fte=fte)


def test_fte_has_at_most_six_decimals() -> None:
    with pytest.raises(RosterError, match=r"fte: got 0\.3333333, expected at most 6 decimals"):
        member(date(2020, 1, 1), fte="0.3333333")
    assert member(date(2020, 1, 1), fte="0.5000000").fte_units == 500_000


def test_fte_refuses_a_float() -> None:
    with pytest.raises(FloatMoneyError):
        Member("A", "sales", date(2020, 1, 1), None, 0.5)  # type: ignore[arg-type]


def test_end_before_start() -> None:
    with pytest.raises(
        RosterError,
        match="member M01: end: got 2026-02-28, expected a date on or after the start "
        "date 2026-03-01",
    ):
        member(date(2026, 3, 1), date(2026, 2, 28))


def test_end_on_the_start_date_is_one_day() -> None:
    m = member(date(2026, 3, 1), date(2026, 3, 1))
    assert m.weight(Month(2026, 3)) == Fraction(1, 31)


def test_negative_salary() -> None:
    with pytest.raises(RosterError, match="member M01: salary: got -1, expected >= 0"):
        member(date(2020, 1, 1), salary="-1")


def test_negative_target_bonus() -> None:
    with pytest.raises(RosterError, match=r"member M01: target_bonus: got -0\.01, expected >= 0"):
        member(date(2020, 1, 1), target_bonus="-0.01")


def test_zero_salary_and_bonus_are_allowed() -> None:
    m = member(date(2020, 1, 1), salary="0", target_bonus="0")
    assert m.salary == 0
    assert m.target_bonus == 0


@pytest.mark.parametrize("bad_id", ["", "   "])
def test_member_id_must_not_be_blank(bad_id: str) -> None:
    with pytest.raises(RosterError, match=r"member id: got .*, expected a non-empty text"):
        member(date(2020, 1, 1), id=bad_id)


def test_roster_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="fte"):
        member(date(2020, 1, 1), fte="0")


# -- several rows: a standing that changes ----------------------------------------


def row(start: date, end: date | None, team: str = "sales", fte: str = "1") -> Member:
    return Member("M01", team, start, end, D(fte))


def test_one_row_is_the_member_itself() -> None:
    only = row(date(2020, 1, 1), None)
    assert Member.from_rows([only]) is only
    assert only.rows == (only,)
    assert only.changes == ()


def test_rows_in_date_order_and_the_person_as_they_stand_at_the_end() -> None:
    later = row(date(2026, 7, 1), None, team="sales", fte="0.5")
    earlier = row(date(2020, 1, 1), date(2026, 6, 30), team="marketing")
    person = Member.from_rows([later, earlier])
    assert person.rows == (earlier, later)
    assert (person.id, person.team, person.start, person.end, person.fte) == (
        "M01",
        "sales",
        date(2020, 1, 1),
        None,
        D("0.5"),
    )
    assert person.team_in(Month(2026, 6)) == "marketing"
    assert person.team_in(Month(2026, 7)) == "sales"
    assert person.team_in(Month(2019, 1)) == "marketing"  # before the start: the first row


def test_weight_sums_the_rows_of_a_month() -> None:
    # full time to 14 September, then 0.5: (1 x 14 + 0.5 x 16) / 30 = 22/30
    person = Member.from_rows(
        [row(date(2020, 1, 1), date(2026, 9, 14)), row(date(2026, 9, 15), None, fte="0.5")]
    )
    assert person.weight(Month(2026, 9)) == Fraction(22, 30)
    assert person.weight(Month(2026, 10)) == Fraction(1, 2)
    standing = person.standing(Month(2026, 9), pay_leavers_for_exit_month=False)
    assert standing == Standing(30, FTE_SCALE * 14 + FTE_SCALE // 2 * 16, "")


def test_splitting_a_row_changes_no_weight() -> None:
    whole = row(date(2026, 1, 10), date(2026, 11, 20), fte="0.6")
    split = Member.from_rows(
        [
            row(date(2026, 1, 10), date(2026, 5, 16), fte="0.6"),
            row(date(2026, 5, 17), date(2026, 11, 20), fte="0.6"),
        ]
    )
    for number in range(1, 13):
        month = Month(2026, number)
        assert split.weight(month) == whole.weight(month)
        for leavers in (False, True):
            assert split.standing(month, leavers) == whole.standing(month, leavers)


def test_a_gap_between_rows_is_time_away() -> None:
    person = Member.from_rows(
        [row(date(2020, 1, 1), date(2026, 3, 15)), row(date(2026, 5, 1), None)]
    )
    assert person.weight(Month(2026, 3)) == Fraction(15, 31)
    assert person.weight(Month(2026, 4)) == 0
    april = person.standing(Month(2026, 4), pay_leavers_for_exit_month=False)
    assert april == Standing(0, 0, "away from 2026-03-16 to 2026-04-30 (no roster row)")
    # leaving a row for a gap is not leaving the plan: March pays its 15 days
    march = person.standing(Month(2026, 3), pay_leavers_for_exit_month=False)
    assert march == Standing(15, FTE_SCALE * 15, "")


def test_the_leaver_rule_applies_to_the_last_row() -> None:
    person = Member.from_rows(
        [row(date(2020, 1, 1), date(2026, 3, 31)), row(date(2026, 4, 1), date(2026, 4, 10))]
    )
    april = Month(2026, 4)
    assert person.standing(april, pay_leavers_for_exit_month=False).units == 0
    assert "left on 2026-04-10" in person.standing(april, pay_leavers_for_exit_month=False).reason
    assert person.standing(april, pay_leavers_for_exit_month=True).units == FTE_SCALE * 10
    assert person.standing(Month(2026, 5), False).reason == "left on 2026-04-10"
    assert person.standing(Month(2019, 5), False).reason == "not yet started (starts 2020-01-01)"


def test_overlapping_rows_are_refused_naming_both() -> None:
    first = row(date(2020, 1, 1), date(2026, 6, 30))
    second = row(date(2026, 6, 30), None)
    with pytest.raises(RosterError, match=r"rows 0 and 1 overlap .*2026-06-30 and 2026-06-30"):
        Member.from_rows([first, second])


def test_an_open_row_overlaps_every_later_one() -> None:
    rows = [row(date(2020, 1, 1), None), row(date(2027, 1, 1), date(2027, 2, 1))]
    with pytest.raises(RosterError, match="no end date"):
        Member.from_rows(rows)


def test_rows_of_different_ids_are_not_one_person() -> None:
    with pytest.raises(RosterError, match="id: got M01, M02"):
        Member.from_rows([row(date(2020, 1, 1), None), member(date(2028, 1, 1), id="M02")])
    with pytest.raises(RosterError, match="at least one roster row"):
        Member.from_rows([])


# -- a plan's roster, held as columns -------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize(
    "example", ["alpine_outfitters", "digital_manufacturing", "digital_manufacturing_changes"]
)
def test_loading_paying_and_writing_a_plan_makes_no_member(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The roster is read, checked, sorted, paid and written a column at a time; a member
    # of several rows alone is made, by Member.from_rows.
    def made(roster: Roster) -> tuple[Member, ...]:
        raise AssertionError(f"{len(roster)} members made")

    monkeypatch.setattr(Roster, "members", made)
    plan = load_plan(EXAMPLES / example / "plan.toml")
    write_results(run(plan), tmp_path / "out")
    assert isinstance(plan.members, Roster)
    assert (tmp_path / "out" / "lines.csv").read_text(encoding="utf-8").count("\n") == 1 + len(
        plan.members
    ) * len(plan.months)


def test_a_plans_members_are_made_once_and_read_as_a_tuple() -> None:
    plan = load_plan(EXAMPLES / "digital_manufacturing_changes" / "plan.toml")
    members = tuple(plan.members)
    assert plan.members[0] is plan.members[0] is members[0]
    assert plan.members == members and members == plan.members
    assert plan.members[2:4] == members[2:4] and isinstance(plan.members[2:4], tuple)
    assert plan.members.index(members[3]) == 3 and members[3] in plan.members
    assert [m.id for m in plan.members] == sorted(m.id for m in members)
    assert any(m.changes for m in plan.members)  # the movers are people of several rows
