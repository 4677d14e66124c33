"""Small hand-worked plans shared by several test files."""

from __future__ import annotations

from datetime import date

from jointbonus import D, HistoryMonth, LinearCurve, Member, Month, Plan, StepCurve, build_plan
from jointbonus.sharedtarget.goals import GoalSpec, MetricSpec, TeamSpec


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


#: The weighted plan's history: (shared actual, leads, mqls, followup) against
#: targets 100, 50, 20 and 0.9 every month of 2025.
WEIGHTED_HISTORY = (
    ("104", "55", "21", "0.93"),
    ("96", "48", "22", "0.88"),
    ("101", "52", "18", "0.91"),
    ("99", "47", "20", "0.95"),
    ("108", "51", "23", "0.89"),
    ("93", "53", "19", "0.92"),
    ("102", "49", "21", "0.90"),
    ("97", "56", "17", "0.94"),
    ("105", "50", "20", "0.87"),
    ("100", "46", "24", "0.93"),
    ("95", "54", "22", "0.91"),
    ("103", "52", "19", "0.90"),
)


def weighted_plan(**overrides: object) -> Plan:
    """Two teams with functional goals, a functional gate, a month cap, pending months.

    Five members (sales S1-S3, marketing M1-M2, M2 at half time), six plan
    months from 2026-01 with a step curve on the shared revenue target of 100.
    Sales keep part of their bonus on ``followup`` (a linear curve), their
    shared weight solved for a wanted expected split of 1/2; marketing put
    0.4 on ``leads`` and ``mqls`` (step curves, weights 0.6 and 0.4). The
    functional gate is 95% of the shared target, so in 2026-02 (attainment
    94%) no functional part pays; a member is paid at most 380.00 a month
    (the cap cuts each sales member in 2026-04, and nobody else). 2026-05 has
    every actual but ``followup``'s, 2026-06 none: both pending.
    """

    months = [f"2026-{m:02d}" for m in range(1, 7)]
    history = [
        HistoryMonth(
            Month(2025, index + 1),
            D(shared),
            D(100),
            functional={"leads": D(leads), "mqls": D(mqls), "followup": D(followup)},
            functional_targets={"leads": D(50), "mqls": D(20), "followup": D("0.9")},
        )
        for index, (shared, leads, mqls, followup) in enumerate(WEIGHTED_HISTORY)
    ]
    follow_curve = LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.1", "1.5")])
    arguments: dict[str, object] = {
        "name": "Weighted",
        "currency": "USD",
        "start": "2026-01",
        "months": 6,
        "members": [
            Member("M1", "marketing", date(2025, 1, 1), None, D("1")),
            Member("M2", "marketing", date(2025, 1, 1), None, D("0.5")),
            Member("S1", "sales", date(2025, 1, 1), None, D("1")),
            Member("S2", "sales", date(2025, 1, 1), None, D("1")),
            Member("S3", "sales", date(2025, 1, 1), None, D("1")),
        ],
        "history": history,
        "targets": dict.fromkeys(months, "100"),
        "actuals": {"2026-01": "104", "2026-02": "94", "2026-03": "99", "2026-04": "112",
                    "2026-05": "101"},
        "curve": StepCurve(),
        "budget": "6000.00",
        "teams": [
            TeamSpec("sales", expected_shared_split="0.5",
                     goals=(GoalSpec("followup", "1", follow_curve),)),
            TeamSpec("marketing", shared_weight="0.6",
                     goals=(GoalSpec("leads", "0.6", StepCurve()),
                            GoalSpec("mqls", "0.4", StepCurve()))),
        ],
        "metrics": [
            MetricSpec("leads", targets=dict.fromkeys(months, "50"),
                       actuals={"2026-01": "52", "2026-02": "55", "2026-03": "49",
                                "2026-04": "60", "2026-05": "50"}),
            MetricSpec("mqls", targets=dict.fromkeys(months, "20"),
                       actuals={"2026-01": "19", "2026-02": "22", "2026-03": "21",
                                "2026-04": "25", "2026-05": "20"}),
            MetricSpec("followup", targets=dict.fromkeys(months, "0.9"),
                       actuals={"2026-01": "0.95", "2026-02": "0.99", "2026-03": "0.90",
                                "2026-04": "1.0"}),
        ],
        "functional_gate": "0.95",
        "cap_per_month": "380.00",
    }  # fmt: skip
    arguments.update(overrides)
    return build_plan(**arguments)  # type: ignore[arg-type]
