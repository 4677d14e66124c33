"""The historical norm: samples and levels by each method, worked by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from jointbonus import D, HistoryError, HistoryMonth, Month, Norm, NormMethod, derive_norm
from jointbonus.core.periods import plan_months

F = Fraction
PLAN = plan_months(Month(2026, 1))


def history(
    start: Month, actuals: list[str], targets: list[str | None] | None = None
) -> list[HistoryMonth]:
    months = plan_months(start, len(actuals))
    given = targets if targets is not None else [None] * len(actuals)
    return [
        HistoryMonth(month, D(actual), None if target is None else D(target))
        for month, actual, target in zip(months, actuals, given, strict=True)
    ]


# -- targets ---------------------------------------------------------------------


def test_targets_sample_is_actual_over_target() -> None:
    past = history(Month(2025, 10), ["90", "100", "115.5"], ["100", "100", "110"])
    norm = derive_norm(past, NormMethod.TARGETS, PLAN)
    assert norm.method is NormMethod.TARGETS
    assert norm.sample == (F(9, 10), F(1), F(21, 20))
    assert norm.sample_months == (Month(2025, 10), Month(2025, 11), Month(2025, 12))
    assert norm.levels == {}
    assert norm.mean_attainment == F(59, 60)  # (0.9 + 1 + 1.05) / 3 = 2.95 / 3
    assert norm.describe() == "targets: 3 months of historical attainment actual / target"


def test_targets_norm_has_no_level_and_cannot_derive_a_target() -> None:
    norm = derive_norm(history(Month(2025, 12), ["100"], ["100"]), NormMethod.TARGETS, PLAN)
    assert norm.level(Month(2026, 1)) is None
    # the plan's own targets are set like the old ones: attainments carry over as they are
    assert norm.scenario_ratio(Month(2026, 1), F(150)) == 1
    with pytest.raises(HistoryError, match="2026-03: the 'targets' norm cannot derive a target"):
        norm.target_for(Month(2026, 3), F(0))


def test_targets_norm_needs_every_target() -> None:
    past = history(Month(2025, 10), ["90", "100", "110"], ["100", None, None])
    with pytest.raises(HistoryError, match="missing for 2025-11, 2025-12"):
        derive_norm(past, NormMethod.TARGETS, PLAN)


@pytest.mark.parametrize("target", ["0", "-5"])
def test_targets_must_be_positive(target: str) -> None:
    past = history(Month(2025, 11), ["90", "100"], ["100", target])
    with pytest.raises(HistoryError, match=f"history 2025-12: target {target} must be positive"):
        derive_norm(past, NormMethod.TARGETS, PLAN)


# -- same_month_mean -------------------------------------------------------------


def two_years(first_year: str, second_year: str) -> list[HistoryMonth]:
    return history(Month(2024, 1), [first_year] * 12 + [second_year] * 12)


def test_same_month_mean_levels_and_sample() -> None:
    past = two_years("100", "120")
    norm = derive_norm(past, NormMethod.SAME_MONTH_MEAN, PLAN)
    # every calendar month's level is (100 + 120) / 2 = 110
    assert norm.levels == dict.fromkeys(range(1, 13), F(110))
    # 2024 months sit at 100 / 110, 2025 months at 120 / 110
    assert norm.sample == (F(10, 11),) * 12 + (F(12, 11),) * 12
    assert norm.sample_months == tuple(plan_months(Month(2024, 1), 24))
    assert norm.mean_attainment == 1
    assert (
        norm.describe() == "same_month_mean: 24 months of actual / mean of the same calendar month"
    )


def test_same_month_mean_keeps_calendar_months_apart() -> None:
    # January 80 then 100, February 200 then 300, March 50 then 50
    past = [
        HistoryMonth(Month(2024, 1), D("80")),
        HistoryMonth(Month(2024, 2), D("200")),
        HistoryMonth(Month(2024, 3), D("50")),
        *history(Month(2024, 4), ["10"] * 9),
        HistoryMonth(Month(2025, 1), D("100")),
        HistoryMonth(Month(2025, 2), D("300")),
        HistoryMonth(Month(2025, 3), D("50")),
    ]
    norm = derive_norm(past, NormMethod.SAME_MONTH_MEAN, PLAN[:3])
    assert norm.levels[1] == 90
    assert norm.levels[2] == 250
    assert norm.levels[3] == 50
    assert norm.levels[4] == 10
    assert norm.sample[:3] == (F(8, 9), F(4, 5), F(1))
    assert norm.sample[-3:] == (F(10, 9), F(6, 5), F(1))
    assert norm.level(Month(2026, 2)) == 250


def test_same_month_mean_needs_each_plan_calendar_month() -> None:
    past = history(Month(2025, 3), ["100"] * 10)  # March to December only
    with pytest.raises(HistoryError, match="none for January, February"):
        derive_norm(past, NormMethod.SAME_MONTH_MEAN, PLAN)
    # a plan that needs only months the history has is fine
    assert derive_norm(past, NormMethod.SAME_MONTH_MEAN, PLAN[3:6]).levels[4] == 100


def test_same_month_mean_must_be_positive() -> None:
    past = history(Month(2025, 1), ["0"] + ["100"] * 11)
    with pytest.raises(HistoryError, match=r"mean actual of calendar month 1 is 0\.00"):
        derive_norm(past, NormMethod.SAME_MONTH_MEAN, PLAN)


# -- trailing_mean -----------------------------------------------------------------


def test_trailing_mean_window_and_sample() -> None:
    past = history(Month(2025, 9), ["100", "100", "90", "110"])
    norm = derive_norm(past, NormMethod.TRAILING_MEAN, PLAN, window=2)
    # November: 90 / mean(100, 100); December: 110 / mean(100, 90) = 110 / 95
    assert norm.sample == (F(9, 10), F(22, 19))
    # only months with a full window before them are in the sample
    assert norm.sample_months == (Month(2025, 11), Month(2025, 12))
    # every plan month's level is the mean of the last window: (90 + 110) / 2
    assert norm.levels == dict.fromkeys(range(1, 13), F(100))
    assert norm.window == 2
    assert norm.describe() == "trailing_mean: 2 months of actual / mean of the 2 months before it"


def test_trailing_mean_default_window_is_twelve() -> None:
    past = history(Month(2024, 1), [str(100 + n) for n in range(13)])
    norm = derive_norm(past, NormMethod.TRAILING_MEAN, PLAN)
    # one month (January 2025, actual 112) has a full 12-month window (100..111, mean 105.5)
    assert norm.sample == (F(112) / F(211, 2),)
    assert norm.levels[1] == F(sum(range(101, 113)), 12)


@pytest.mark.parametrize(("months", "window"), [(12, 12), (3, 12), (2, 2)])
def test_trailing_mean_needs_more_history_than_the_window(months: int, window: int) -> None:
    past = history(Month(2024, 1), ["100"] * months)
    with pytest.raises(
        HistoryError, match=f"with a {window}-month window needs more than {window} months"
    ):
        derive_norm(past, NormMethod.TRAILING_MEAN, PLAN, window=window)


def test_trailing_mean_window_must_be_positive() -> None:
    with pytest.raises(HistoryError, match="window: got 0, expected at least 1"):
        derive_norm(history(Month(2025, 1), ["1"] * 3), NormMethod.TRAILING_MEAN, PLAN, window=0)


def test_trailing_mean_must_be_positive() -> None:
    past = history(Month(2025, 1), ["0", "0", "5"])
    with pytest.raises(HistoryError, match="history 2025-03: the trailing mean before it"):
        derive_norm(past, NormMethod.TRAILING_MEAN, PLAN, window=2)


# -- errors common to every method --------------------------------------------------


@pytest.mark.parametrize("method", list(NormMethod))
def test_no_history(method: NormMethod) -> None:
    with pytest.raises(HistoryError, match="got no months"):
        derive_norm([], method, PLAN)


@pytest.mark.parametrize("method", list(NormMethod))
def test_history_with_a_gap(method: NormMethod) -> None:
    past = [
        HistoryMonth(Month(2025, 10), D("100"), D("100")),
        HistoryMonth(Month(2025, 12), D("100"), D("100")),
    ]
    with pytest.raises(HistoryError, match="2025-12 follows 2025-10; expected consecutive"):
        derive_norm(past, method, PLAN)


def test_history_out_of_order() -> None:
    past = [
        HistoryMonth(Month(2025, 12), D("100"), D("100")),
        HistoryMonth(Month(2025, 11), D("100"), D("100")),
    ]
    with pytest.raises(HistoryError, match="2025-11 follows 2025-12"):
        derive_norm(past, NormMethod.TARGETS, PLAN)


def test_history_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="history"):
        derive_norm([], NormMethod.TARGETS, PLAN)


# -- Norm: targets from the norm, and the scenario ratio ------------------------------


def test_target_for_applies_the_uplift_to_the_level() -> None:
    norm = derive_norm(two_years("100", "120"), NormMethod.SAME_MONTH_MEAN, PLAN)
    # 110 x (1 + 5%) = 115.5
    assert norm.target_for(Month(2026, 1), F(1, 20)) == F(231, 2)
    assert norm.target_for(Month(2026, 7), F(0)) == 110
    # a negative uplift lowers the target: 110 x 0.9 = 99
    assert norm.target_for(Month(2026, 7), F(-1, 10)) == 99


def test_scenario_ratio_is_norm_over_target() -> None:
    norm = derive_norm(two_years("100", "120"), NormMethod.SAME_MONTH_MEAN, PLAN)
    target = norm.target_for(Month(2026, 1), F(1, 20))
    ratio = norm.scenario_ratio(Month(2026, 1), target)
    assert ratio == F(20, 21)  # 110 / 115.5
    # a 2025-like month (12/11 of norm) reaches 12/11 x 20/21 = 80/77 of the new target
    assert norm.sample[-1] * ratio == F(80, 77)
    # at the norm itself (attainment 1) the month reaches 1 / (1 + uplift)
    assert norm.mean_attainment * ratio == F(20, 21)


def test_norm_is_a_plain_value() -> None:
    norm = Norm(NormMethod.TARGETS, (F(1),), (Month(2025, 1),), {})
    assert norm.mean_attainment == 1
    assert norm.window is None


def test_history_month_keeps_decimals() -> None:
    month = HistoryMonth(Month(2025, 1), D("1028250"), D("966000"), D("13568.98"))
    assert month.paid == Decimal("13568.98")
    assert month.target == Decimal("966000")
