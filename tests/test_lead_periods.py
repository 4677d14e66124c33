"""A share read from the leads over a quarter: the quarter's leads counted, not its shares.

Worked on the leads example with its shared target and every goal over the fiscal
quarter. In 2026-Q1 sales handled 135 of 153, 145 of 165 and 160 of 190 leads within
48 hours: 440 of 508 over the quarter (86.61%), against a target of 90% each month,
which asks 0.9 x 508 = 457.2 of them. The goal's attainment is 440 / 457.2 = 96.24%:
the quarter's share over its target. The months' published shares summed over their
targets summed (0.882353 + 0.878788 + 0.842105) / 2.7 = 96.42% would weigh January's
153 leads as much as March's 190.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    D,
    HistoryMonth,
    LinearCurve,
    Member,
    Month,
    MonthStatus,
    Plan,
    PlanError,
    Result,
    StepCurve,
    build_plan,
    calibrate,
    explain,
    load_plan,
    render_explanation,
    render_statement,
    result_document,
    run,
)
from jointbonus.cli import main
from jointbonus.core.number import decimal_text
from jointbonus.sharedtarget.calibration import plan_fingerprint
from jointbonus.sharedtarget.goals import GoalSpec, MetricSpec, TeamSpec

ROOT = Path(__file__).resolve().parent.parent
LEADS = ROOT / "examples" / "digital_manufacturing_leads"
Q1 = [Month(2026, 1), Month(2026, 2), Month(2026, 3)]


def _per_quarter(folder: Path) -> Path:
    """The leads example, its shared target and every goal over the quarter."""
    shutil.copytree(LEADS, folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace(
        '[shared]\nmetric = "revenue"\n', '[shared]\nmetric = "revenue"\nperiod = "quarter"\n'
    )
    for weight in ("weight = 0.5\n", "weight = 1\n"):
        text = text.replace(weight, f'{weight}period = "quarter"\n')
    plan.write_text(text, encoding="utf-8")
    return plan


@pytest.fixture(scope="module")
def quarterly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _per_quarter(tmp_path_factory.mktemp("leads") / "plan")


@pytest.fixture(scope="module")
def paid(quarterly: Path) -> Result:
    return run(load_plan(quarterly))


def test_a_share_over_the_quarter_is_its_leads_counted_over_it(paid: Result) -> None:
    plan = paid.plan
    measured = plan.provenance.leads.measured  # type: ignore[union-attr]
    january, february, march = paid.months[:3]
    assert january.paid == february.paid == 0 and not january.goals
    goals = {g.goal.metric: g for g in march.goals}
    handled = goals["followed_up_48h"]
    traces = [measured.trace(month, "followed_up_48h") for month in Q1]
    counted = sum(len(t.numerator) for t in traces)
    delivered = sum(len(t.denominator) for t in traces)
    assert (counted, delivered) == (440, 508)
    assert len({i for t in traces for i in t.denominator}) == 508  # each lead in one month
    assert (handled.actual, handled.target) == (440, Fraction(9, 10) * 508)
    assert handled.attainment == Fraction(440, 508) / Fraction(9, 10) == Fraction(1100, 1143)
    shares = [D(str(m.actual)) for m in plan.functional.metrics[0].months[:3]]
    averaged = sum(Fraction(s) for s in shares) / Fraction(27, 10)
    assert averaged != handled.attainment  # what summing the months' shares would read
    qualified = goals["sal_to_sql"]
    assert (qualified.actual, qualified.target) == (136, Fraction(36, 100) * 388)
    assert qualified.factor == qualified.goal.curve.factor(Fraction(136, 388) / Fraction(36, 100))
    accepted = goals["leads_accepted"]  # a count: its actuals summed, as any goal's
    assert (accepted.actual, accepted.target) == (390, 375)


def test_a_quarter_with_a_pending_month_is_pending(paid: Result) -> None:
    october, november, december = paid.months[9:]
    assert october.status is not MonthStatus.PENDING and october.paid == 0
    assert november.status is MonthStatus.PENDING
    assert december.status is MonthStatus.PENDING and not december.goals


def test_the_document_keeps_its_shape(paid: Result) -> None:
    march = result_document(paid)["months"][2]
    goal = next(g for g in march["goals"] if g["metric"] == "followed_up_48h")
    assert (goal["target"], goal["actual"]) == ("457.2", "440")


def test_explain_shows_the_quarters_counts_and_share(paid: Result) -> None:
    text = render_explanation(explain(paid, "DM-S03", "2026-03"))
    for words in (
        "Leads 2026-01              135 / 153",
        "Leads 2026-03              160 / 190",
        "Leads (followed_up_48h)    440 / 508",
        "440/508 = 0.866142, the period's share of its leads",
        "actual / target = 440 / 457.2 = 96.238%: the period's share 0.866142 over its "
        "targets weighted by the counts, 0.9",
        "each month's followed_up_48h target x the count its share is of",
    ):
        assert words in text, words
    listed = render_explanation(explain(paid, "DM-S03", "2026-03", leads=True))
    assert "The 508 leads behind followed_up_48h for 2026-01 to 2026-03" in listed


def test_the_cli_runs_the_plan_per_quarter(
    quarterly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(quarterly)]) == 0
    assert "Quarters decided                        3 of 4" in capsys.readouterr().out


LONGER = ROOT / "examples" / "digital_manufacturing_leads_goals_per_quarter"


@pytest.fixture(scope="module")
def longer() -> Result:
    """The leads example with every goal over the quarter beside its monthly shared target:
    ``examples/digital_manufacturing_leads_goals_per_quarter``."""
    return run(load_plan(LONGER / "plan.toml"))


def test_a_share_over_a_quarter_beside_a_monthly_target_is_its_leads_counted(
    longer: Result, paid: Result
) -> None:
    """Goals over a quarter beside a monthly shared target read the quarter's leads as the
    goals over a quarterly shared target do: 440 of the 508 delivered, over the 457.2 the
    90% target asks of them; the shared part is still paid each month."""
    assert longer.plan.period.value == "month" and longer.plan.goals_over_longer
    january, february, march = longer.months[:3]
    assert january.ends_period and not january.goals and not february.goals
    goals = {g.goal.metric: g for g in march.goals}
    quarterly = {g.goal.metric: g for g in paid.months[2].goals}
    for name in ("followed_up_48h", "sal_to_sql", "leads_accepted"):
        got, want = goals[name], quarterly[name]
        assert (got.target, got.actual, got.attainment) == (
            want.target,
            want.actual,
            want.attainment,
        ), name
    assert goals["followed_up_48h"].attainment == Fraction(1100, 1143)
    metric = next(m for m in longer.plan.functional.metrics if m.name == "followed_up_48h")
    quarter = next(m for m in paid.plan.functional.metrics if m.name == "followed_up_48h")
    assert metric.norm.sample == quarter.norm.sample  # the norm counts each historical quarter
    text = render_explanation(explain(longer, "DM-S03", "2026-03"))
    for words in (
        "Leads 2026-01              135 / 153",
        "Leads (followed_up_48h)    440 / 508",
        "actual / target = 440 / 457.2 = 96.238%: the period's share 0.866142 over its "
        "targets weighted by the counts, 0.9",
    ):
        assert words in text, words


def test_the_example_pays_what_its_readme_says(longer: Result) -> None:
    """The README of the example walks 2026-Q1 by hand: each month's counts, the quarter's
    share against the months' shares averaged, the norm and the paid goals."""
    readme = (LONGER / "README.md").read_text(encoding="utf-8")
    plan = longer.plan
    measured = plan.provenance.leads.measured  # type: ignore[union-attr]
    counts = {
        name: [(len(t.numerator), len(t.denominator)) for t in traces]
        for name in ("followed_up_48h", "sal_to_sql")
        for traces in [[measured.trace(month, name) for month in Q1]]
    }
    assert counts == {
        "followed_up_48h": [(135, 153), (145, 165), (160, 190)],
        "sal_to_sql": [(44, 121), (40, 128), (52, 139)],
    }
    for name, target in (("followed_up_48h", "0.9"), ("sal_to_sql", "0.36")):
        shares = [Fraction(D(decimal_text(Fraction(a, b), 6))) for a, b in counts[name]]
        for (a, b), share in zip(counts[name], shares, strict=True):
            assert f"{a} / {b} | {decimal_text(share, 6)}" in readme
        averaged = sum(shares) / (3 * Fraction(D(target)))
        assert f"{float(averaged):.2%}" in readme  # what averaging the shares would read
    january, february, march = longer.months[:3]
    assert january.paid == 0 and not january.goals and not february.goals
    goals = {g.goal.metric: g for g in march.goals}
    handled, qualified, accepted = (
        goals[name] for name in ("followed_up_48h", "sal_to_sql", "leads_accepted")
    )
    assert (handled.actual, handled.target, handled.factor) == (440, Fraction(2286, 5), 0)
    assert (qualified.actual, qualified.target) == (136, Fraction(3492, 25))
    assert (qualified.attainment, qualified.factor) == (Fraction(850, 873), Fraction(758, 873))
    assert (accepted.actual, accepted.target, accepted.factor) == (390, 375, Fraction(11, 10))
    pools = {name: g.pool for name, g in goals.items()}
    assert (february.paid, march.pool, march.paid) == (1229789, 1229789, 2833442)
    assert (pools["sal_to_sql"], pools["leads_accepted"]) == (627150, 976503)
    norm = next(m for m in plan.functional.metrics if m.name == "followed_up_48h").norm
    assert len(norm.sample) == 12 and norm.sample[0] == Fraction(390, 428) / Fraction(9, 10)
    assert sum(1 for a in norm.sample if a >= 1) == 7  # the step met in 7 of 12 quarters
    line = next(x for x in longer.lines() if x.member_id == "DM-S03" and x.period == Q1[2])
    assert line.total == D("1657.93")
    for figure in (
        "20,072.31", "138,882.34", "457.2", "96.24%", "96.42%", "139.68", "97.37%", "97.24%",
        "0.8683", "0.8622", "101.25%", "7/12", "12,297.89", "6,271.50", "6,227.71", "43.79",
        "9,765.03", "28,334.42", "783.94", "1,657.93",
    ):  # fmt: skip
        assert figure in readme, figure


def test_the_statement_says_how_a_share_over_the_quarter_is_counted(longer: Result) -> None:
    statement = render_statement(longer, "DM-S03")
    assert (
        "The goals are measured over the quarter (actuals summed / targets summed; a share "
        "read from the leads: its months' counts summed / each month's target x its leads, "
        "summed) and paid at its end"
    ) in statement
    assert "| 2026-03 | sal\\_to\\_sql | 139.68 | 136 | 97.4% | 0.8683 | 6,271.50 | 783.94 |" in (
        statement
    )


def test_a_quarter_beside_a_monthly_target_with_a_pending_month_is_pending(
    longer: Result,
) -> None:
    october, november, december = longer.months[9:]
    assert november.status is MonthStatus.PENDING
    assert december.status is MonthStatus.PENDING and not december.goals
    assert not october.goals


# -- the rule through the API ----------------------------------------------------------


def _counted_plan(counts: dict[str, tuple[str, str]], **changes: object) -> dict[str, object]:
    """One sales team paid half on a share (``handled``) over the quarter, target 0.8."""
    months = [f"2026-{m:02d}" for m in range(1, 4)]
    history = [
        HistoryMonth(
            Month(2025, m), D(a), D(100),
            functional={"handled": D(s)}, functional_targets={"handled": D("0.8")},
        )
        for m, a, s in zip(range(1, 7), ["98", "104", "101", "95", "103", "99"],
                           ["0.75", "0.85", "0.8", "0.7", "0.9", "0.8"], strict=True)
    ]  # fmt: skip
    past = {str(h.month): (str(Fraction(h.functional["handled"]) * 20), "20") for h in history}
    arguments: dict[str, object] = {
        "name": "Counted",
        "currency": "USD",
        "start": "2026-01",
        "months": 3,
        "members": [Member("S1", "sales", date(2025, 1, 1), None, D("1"))],
        "history": history,
        "targets": dict.fromkeys(months, "100"),
        "actuals": dict.fromkeys(months, "100"),
        "curve": StepCurve(),
        "budget": "3000.00",
        "teams": [
            TeamSpec(
                "sales",
                shared_weight="0.5",
                goals=(
                    GoalSpec(
                        "handled", "1", LinearCurve.of([("0", "0"), ("2", "2")]), period="quarter"
                    ),
                ),
            ),
        ],
        "metrics": [
            MetricSpec(
                "handled",
                targets=dict.fromkeys(months, "0.8"),
                actuals={
                    m: decimal_text(Fraction(D(p)) / Fraction(D(w)), 6)
                    for m, (p, w) in counts.items()
                    if D(w)
                },
                counts={**past, **counts},
            )
        ],
        "period": "quarter",
    }
    arguments.update(changes)
    return arguments


def test_a_month_with_nothing_to_divide_adds_nothing_to_its_quarter() -> None:
    """February delivered no leads: it has no share, and the quarter is 36 of 45."""
    plan = build_plan(**_counted_plan({"2026-01": ("9", "10"), "2026-02": ("0", "0"),
                                       "2026-03": ("27", "35")}))  # fmt: skip
    march = run(plan).months[2]
    assert march.status is MonthStatus.PAID
    (goal,) = march.goals
    assert goal.attainment == Fraction(36, 45) / Fraction(8, 10) == 1
    assert (goal.actual, goal.target) == (36, 36)


def test_a_quarters_last_month_with_nothing_to_divide_does_not_hold_it_back() -> None:
    plan = build_plan(**_counted_plan({"2026-01": ("9", "10"), "2026-02": ("27", "35"),
                                       "2026-03": ("0", "0")}))  # fmt: skip
    result = run(plan)
    assert [m.status for m in result.months] == [MonthStatus.PAID] * 3
    (goal,) = result.months[2].goals
    assert goal.attainment == Fraction(36, 45) / Fraction(8, 10)


def test_a_quarter_with_nothing_to_divide_is_pending() -> None:
    plan = build_plan(**_counted_plan(dict.fromkeys(["2026-01", "2026-02", "2026-03"], ("0", "0"))))
    assert run(plan).months[2].status is MonthStatus.PENDING


def test_counts_are_checked() -> None:
    with pytest.raises(PlanError) as caught:
        build_plan(**_counted_plan({"2026-01": ("11", "10"), "2026-03": ("27", "35")}))
    message = str(caught.value)
    assert (
        "handled_counts 2026-01: got ('11', '10'), expected (part, whole) with 0 <= part <= whole"
        in message
    )
    arguments = _counted_plan({"2026-01": ("9", "10"), "2026-02": ("0", "0")})
    (spec,) = arguments["metrics"]  # type: ignore[misc]
    arguments["metrics"] = [MetricSpec("handled", spec.targets, {**spec.actuals, "2026-03": "0.7"},
                                       counts=spec.counts)]  # fmt: skip
    with pytest.raises(PlanError) as caught:
        build_plan(**arguments)
    assert (
        "handled_counts: got '1 months', expected counts for every history month and every "
        in str(caught.value)
    )
    assert "missing for 2026-03" in str(caught.value)


def test_a_shared_gate_beside_quarterly_goals_reads_each_month_and_waits_for_it() -> None:
    """A monthly shared target beside a goal over the quarter: the shared gate reads the
    goal in each month (its share over its target). February delivered no leads, so it
    has no share for the gate to read and waits; without the gate it is paid."""
    counts = {"2026-01": ("9", "10"), "2026-02": ("0", "0"), "2026-03": ("21", "35")}
    gated = run(build_plan(**_counted_plan(counts, period="month", shared_gate="0.9")))
    january, february, march = gated.months
    assert january.status is MonthStatus.PAID and january.team_factors == (january.factor,)
    assert february.status is MonthStatus.PENDING
    # March: 21 of 35 is 0.6, 75% of its 0.8 target: the gate closes its shared part, while
    # the quarter's goal (30 of 45 against 0.8) is still paid.
    assert march.status is MonthStatus.PAID and march.factor and march.team_factors == (0,)
    (goal,) = march.goals
    assert goal.attainment == Fraction(30, 45) / Fraction(8, 10)
    plain = run(build_plan(**_counted_plan(counts, period="month")))
    assert plain.months[1].status is MonthStatus.PAID


def _monthly_gated(
    counts: dict[str, tuple[str, str]], shared_gate: str | None = "1"
) -> dict[str, object]:
    """:func:`_counted_plan` with its goal measured month by month and a shared gate
    (100%: ``shared_gate``) over the quarter."""
    goal = GoalSpec("handled", "1", LinearCurve.of([("0", "0"), ("2", "2")]))
    team = TeamSpec("sales", shared_weight="0.5", goals=(goal,))
    return _counted_plan(counts, teams=[team], shared_gate=shared_gate)


def test_a_shared_gate_over_the_quarter_counts_monthly_goals_leads() -> None:
    """Sales handled 10 of 10, 30 of 40 and 30 of 40 leads against 80%: 70 of the 72
    asked, 97.22%, below the gate. The months' shares summed over their targets summed,
    (1 + 0.75 + 0.75) / 2.4 = 104.17%, opened it and paid March 2,625.00; it now closes
    and March pays its goal alone, 625.00."""
    counts = {"2026-01": ("10", "10"), "2026-02": ("30", "40"), "2026-03": ("30", "40")}
    plan = build_plan(**_monthly_gated(counts))
    assert plan.shared_gate_reads(2) == (Fraction(70, 72),)
    result = run(plan)
    march = result.months[2]
    assert march.status is MonthStatus.PAID and march.factor == 1
    assert march.team_factors == (0,)
    assert march.paid == 62500  # 262500 when the gate read 25/24
    told = explain(result, "S1", "2026-03")
    figure = told.figure("shared_gate", "handled_attainment")
    assert figure.exact is not None and Fraction(figure.exact) == Fraction(35, 36)
    assert figure.how == "97.2222% is below the shared gate 100%"


def test_the_fingerprint_carries_the_counts_a_shared_gate_reads() -> None:
    """January 2025 with 30 of 40 leads, not 15 of 20: the same share, but its quarter is
    63 of 64 asked, not 48 of 48. With the gate that changes the calibration, so the
    fingerprint; without it, nothing reads the counts and the fingerprint is the same."""
    counts = {"2026-01": ("10", "10"), "2026-02": ("30", "40"), "2026-03": ("30", "40")}

    def built(gate: str | None, january: tuple[str, str]) -> Plan:
        arguments = _monthly_gated(counts, shared_gate=gate)
        (spec,) = arguments["metrics"]  # type: ignore[misc]
        arguments["metrics"] = [replace(spec, counts={**spec.counts, "2025-01": january})]
        return build_plan(**arguments)

    gated, other = built("1", ("15", "20")), built("1", ("30", "40"))
    assert plan_fingerprint(gated) != plan_fingerprint(other)
    assert calibrate(gated).scale != calibrate(other).scale
    (metric,) = other.functional.metrics
    assert metric.gate_norm is not None and metric.gate_norm.sample[0] == Fraction(63, 64)
    plain, plain_other = built(None, ("15", "20")), built(None, ("30", "40"))
    assert plan_fingerprint(plain) == plan_fingerprint(plain_other)
