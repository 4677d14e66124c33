"""Small hand-worked plans shared by several test files."""

from __future__ import annotations

from datetime import date

from jointbonus import D, HistoryMonth, Member, Month, Plan, StepCurve, build_plan


def hand_plan(actuals: dict[str, str] | None = None, **overrides: object) -> Plan:
    """Two members, a five-month history, two plan months.

    Trailing mean over one month: the sample is 0.8, 1.25, 1.1, 0.9; targets
    99 and 118.80; a step curve and a budget of 300.00. The risk and picture
    tests work their figures out by hand from it.
    """
    arguments: dict[str, object] = {
        "name": "Hand-worked",
        "currency": "USD",
        "start": "2026-01",
        "months": 2,
        "members": [
            Member("A", "sales", date(2025, 1, 1), None, D("1")),
            Member("B", "marketing", date(2025, 1, 1), None, D("0.5")),
        ],
        "history": [
            HistoryMonth(Month(2025, m), D(a))
            for m, a in zip(range(8, 13), ["100", "80", "100", "110", "99"], strict=True)
        ],
        "targets": {"2026-01": "99", "2026-02": "118.80"},
        "actuals": actuals or {},
        "curve": StepCurve(),
        "budget": "300.00",
        "norm": "trailing_mean",
        "window": 1,
    }
    arguments.update(overrides)
    return build_plan(**arguments)  # type: ignore[arg-type]
