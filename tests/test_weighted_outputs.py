"""Every output of a plan with functional goals, shared weights, gates and caps.

The plan is :func:`plans.weighted_plan`: sales (S1-S3) with one goal,
``followup``, and a shared weight solved for a wanted split of 1/2;
marketing (M1, M2 at half time) on ``leads`` and ``mqls`` at a given shared
weight of 0.6; a functional gate of 95% that closes every goal in 2026-02; a
cap of 380.00 a month that cuts 5.91 from each sales member in 2026-04; and
two pending months. Some figures are worked out here by hand from the exact
scale and weights; the rest are checked against each other: a table, a
file, a statement and an explanation never disagree with the result.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import jointbonus.cli.shared
from jointbonus import D, Member, Plan, Result, realised_weights, run
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jointbonus.core.number import percent_text, round_half_up
from jointbonus.sharedtarget.explain import Explanation, explain, render_explanation
from jointbonus.sharedtarget.report.documents import (
    LINE_COLUMNS,
    calibration_document,
    line_columns,
    minor_text,
    ratio_text,
    result_document,
    weighting_document,
)
from jointbonus.sharedtarget.report.exports import (
    payroll_columns,
    payroll_csv,
    write_xlsx,
)
from jointbonus.sharedtarget.report.frames import to_frame
from jointbonus.sharedtarget.report.markdown import render_result_markdown
from jointbonus.sharedtarget.report.statements import render_statement, render_transparency_report
from jointbonus.sharedtarget.report.tables import render_calibration_table, render_table
from jointbonus.sharedtarget.report.writer import lines_csv, months_csv
from jointbonus.sharedtarget.results import Line, LineStatus
from plans import hand_plan, weighted_plan
from test_statements import assert_well_formed, table_after

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "digital_manufacturing" / "plan.toml"
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def result() -> Result:
    return run(weighted_plan())


@pytest.fixture(scope="module")
def document(result: Result) -> dict[str, Any]:
    return result_document(result)


@pytest.fixture(scope="module")
def year_capped() -> Result:
    """A cap of 1,000.00 a plan year: it cuts sales in 2026-03 and everyone but M2 in 2026-04."""
    return run(weighted_plan(budget="5000.00", cap_per_year="1000.00", cap_per_month=None))


@pytest.fixture(scope="module")
def shared_gated() -> Result:
    """A shared gate of 100%: marketing's mqls at 95% closes its shared part in 2026-01."""
    return run(weighted_plan(shared_gate="1", cap_per_month=None))


def individual_plan(**overrides: object) -> Plan:
    """The weighted plan under individual funding, every member on a 12,000.00 target bonus."""
    members = [
        Member(m.id, m.team, m.start, m.end, m.fte, None, D("12000"))
        for m in weighted_plan().members
    ]
    return weighted_plan(funding="individual", members=members, **overrides)


@pytest.fixture(scope="module")
def individual() -> Result:
    return run(individual_plan(holdback="0.1"))


@pytest.fixture(scope="module")
def caps_only() -> Result:
    """No functional goals, a cap of 250.00 a month: A's 300.00 in 2026-01 is cut by 50.00."""
    return run(hand_plan({"2026-01": "120"}, cap_per_month="250.00"))


def line_of(result: Result, member: str, month: str) -> Line:
    return next(x for x in result.lines() if x.member_id == member and str(x.period) == month)


# -- hand-checked figures --------------------------------------------------------------


def largest_remainder(pool: int, weights: list[Fraction]) -> list[int]:
    """``pool`` split by ``weights`` (members in id order), worked out the long way."""
    exact = [pool * w / sum(weights) for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: pool - sum(shares)]:
        shares[i] += 1
    return shares


def test_the_april_lines_are_worked_out_by_hand(result: Result) -> None:
    scale = result.calibration.scale * 100  # the pool at target, exact, in cents
    w_sales, w_marketing = (w.nominal for w in result.calibration.weights)
    assert w_marketing == Fraction(3, 5)
    # Members in id order: M1 (FTE 1), M2 (0.5), S1, S2, S3 (1 each): 4.5 in all.
    fte = [Fraction(1), Fraction(1, 2), Fraction(1), Fraction(1), Fraction(1)]
    w = [w_marketing, w_marketing, w_sales, w_sales, w_sales]
    # 2026-04: every factor is 1 but followup's, 1.5 (111.1% on a linear curve).
    shared_pool = round_half_up(
        scale * (w_sales * 3 + w_marketing * Fraction(3, 2)) / Fraction(9, 2)
    )
    shared = largest_remainder(shared_pool, [f * x for f, x in zip(fte, w, strict=True)])
    sales, marketing = Fraction(3, 1) / Fraction(9, 2), Fraction(3, 2) / Fraction(9, 2)
    followup_pool = round_half_up(scale * Fraction(3, 2) * (1 - w_sales) * sales)
    followup = largest_remainder(followup_pool, fte[2:])
    leads_pool = round_half_up(scale * (1 - w_marketing) * Fraction(3, 5) * marketing)
    mqls_pool = round_half_up(scale * (1 - w_marketing) * Fraction(2, 5) * marketing)
    leads = largest_remainder(leads_pool, fte[:2])
    mqls = largest_remainder(mqls_pool, fte[:2])
    april = result.months[3]
    assert (april.pool, [g.pool for g in april.goals]) == (
        shared_pool,
        [followup_pool, leads_pool, mqls_pool],
    )
    functional = [
        (("leads", leads[0]), ("mqls", mqls[0])),
        (("leads", leads[1]), ("mqls", mqls[1])),
        *((("followup", part),) for part in followup),
    ]
    cuts = []
    for member, part, parts in zip(("M1", "M2", "S1", "S2", "S3"), shared, functional, strict=True):
        earned = part + sum(amount for _, amount in parts)
        line = line_of(result, member, "2026-04")
        assert line.shared == Decimal(part) / 100
        assert line.functional == tuple((m, Decimal(a) / 100) for m, a in parts)
        assert line.capped == Decimal(max(earned - 38000, 0)) / 100
        assert line.total == Decimal(min(earned, 38000)) / 100
        cuts.append(line.capped > 0)
    assert cuts == [False, False, True, True, True]  # as the fixture promises


def test_every_line_total_is_shared_plus_parts_less_capped(
    result: Result, year_capped: Result, individual: Result, caps_only: Result
) -> None:
    for each in (result, year_capped, individual, caps_only):
        for line in each.lines():
            parts = sum((amount for _, amount in line.functional), Decimal(0))
            assert line.total == line.shared + parts - line.capped, line


def test_each_month_pays_what_its_lines_add_up_to(result: Result, year_capped: Result) -> None:
    for each in (result, year_capped):
        paid: dict[str, Decimal] = {}
        capped: dict[str, Decimal] = {}
        for line in each.lines():
            paid[str(line.period)] = paid.get(str(line.period), Decimal(0)) + line.total
            capped[str(line.period)] = capped.get(str(line.period), Decimal(0)) + line.capped
        for month in each.months:
            assert each.money(month.paid) == paid[str(month.month)]
            assert each.money(month.capped) == capped[str(month.month)]


# -- JSON --------------------------------------------------------------------------------


def test_the_document_has_a_weighting_object_after_the_calibration(
    document: dict[str, Any],
) -> None:
    assert list(document) == ["plan", "calibration", "weighting", "summary", "months", "lines"]
    assert list(document["weighting"]) == ["sales", "marketing"]


def test_the_weighting_values_are_the_calibration_weights(
    result: Result, document: dict[str, Any]
) -> None:
    currency = result.plan.currency
    for weight in result.calibration.weights:
        team = document["weighting"][weight.team]
        assert Fraction(team["nominal_exact"]) == weight.nominal
        assert team["nominal"] == ratio_text(weight.nominal)
        assert team["wanted"] == ratio_text(weight.wanted)
        assert team["expected"] == ratio_text(weight.expected)
        assert team["shared_expected"] == minor_text(currency, weight.shared_expected)
        assert team["functional_expected"] == minor_text(currency, weight.functional_expected)
    assert document["weighting"]["sales"]["wanted"] == "0.500000"
    assert document["weighting"]["sales"]["expected"] == "0.500000"  # the wanted split, reached
    assert document["weighting"]["marketing"]["wanted"] is None  # the plan gave 0.6
    assert document["weighting"]["marketing"]["nominal_exact"] == "3/5"


def test_the_realised_weight_is_the_shares_summed_by_hand(
    result: Result, document: dict[str, Any]
) -> None:
    shared: dict[str, Decimal] = {"sales": Decimal(0), "marketing": Decimal(0)}
    functional = dict(shared)
    for line in result.lines():  # parts before the caps cut
        shared[line.team] += line.shared
        functional[line.team] += sum((amount for _, amount in line.functional), Decimal(0))
    for team in ("sales", "marketing"):
        weighting = document["weighting"][team]
        assert D(weighting["shared_earned"]) == shared[team]
        assert D(weighting["functional_earned"]) == functional[team]
        exact = Fraction(shared[team]) / Fraction(shared[team] + functional[team])
        assert weighting["realised"] == ratio_text(exact)
    for realised in realised_weights(result):
        assert result.money(realised.shared) == shared[realised.team]
        both = shared[realised.team] + functional[realised.team]
        assert realised.weight == Fraction(shared[realised.team]) / Fraction(both)


def test_calibrate_json_has_the_weighting_without_what_only_a_run_knows(result: Result) -> None:
    weighting = weighting_document(result.plan, result.calibration)
    for team in weighting.values():
        assert team["realised"] is None
        assert team["shared_earned"] is None and team["functional_earned"] is None
        assert team["nominal"] is not None and team["shared_expected"] is not None


def test_months_carry_their_goals_and_what_the_caps_cut(
    result: Result, document: dict[str, Any]
) -> None:
    january, february, _, april, may, _ = document["months"]
    assert [(g["team"], g["metric"]) for g in january["goals"]] == [
        ("sales", "followup"),
        ("marketing", "leads"),
        ("marketing", "mqls"),
    ]
    followup = january["goals"][0]
    assert followup == {
        "team": "sales",
        "metric": "followup",
        "target": "0.9",
        "actual": "0.95",
        "attainment": "1.055556",  # 0.95 / 0.9
        "factor": "1.277778",  # 1 + 0.5 x (1.055556 - 1) / 0.1
        "gated": False,
        "pool": str(result.money(result.months[0].goals[0].pool)),
    }
    assert all(g["gated"] and g["factor"] == "0.000000" for g in february["goals"])
    capped = sum((x.capped for x in result.lines() if str(x.period) == "2026-04"), Decimal(0))
    assert D(april["capped"]) == capped > 0 and january["capped"] == "0.00"
    assert may["status"] == "pending"
    assert [g["actual"] for g in may["goals"]] == [None, "50", "20"]  # followup's is missing
    assert all(g["attainment"] is None and g["pool"] is None for g in may["goals"])


def test_lines_carry_their_functional_parts_by_metric(
    result: Result, document: dict[str, Any]
) -> None:
    line = next(x for x in document["lines"] if x["member_id"] == "M2" and x["period"] == "2026-04")
    assert list(line)[7:11] == ["shared", "functional", "capped", "total"]
    m2 = line_of(result, "M2", "2026-04")
    assert line["functional"] == {
        "leads": str(m2.functional[0][1]),
        "mqls": str(m2.functional[1][1]),
    }
    assert (line["shared"], line["capped"], line["total"]) == (
        str(m2.shared),
        "0.00",
        str(m2.total),
    )
    sales = [x for x in document["lines"] if x["team"] == "sales"]
    assert {tuple(x["functional"]) for x in sales} == {("followup",)}


def test_the_json_lines_are_the_result_lines(result: Result, document: dict[str, Any]) -> None:
    lines = list(result.lines())
    assert len(document["lines"]) == len(lines)
    for made, line in zip(document["lines"], lines, strict=True):
        assert made["member_id"] == line.member_id and made["team"] == line.team
        assert D(made["total"]) == line.total and made["reason"] == line.reason
        assert made["functional"] == {m: str(a) for m, a in line.functional}


def test_the_plan_and_calibration_documents_name_goals_gates_caps_and_paths(
    result: Result, document: dict[str, Any]
) -> None:
    plan = document["plan"]
    assert [g["weight"] for g in plan["goals"]] == ["1.000000", "0.600000", "0.400000"]
    assert plan["gates"] == {"functional": "0.950000", "shared": None}
    assert plan["caps"] == {"per_month": "380.00", "per_year": None}
    calibration = calibration_document(result.plan, result.calibration)
    assert calibration["paths"] == result.calibration.paths == 12
    assert list(calibration["months"][0]["mean_goal_factors"]) == [
        "sales/followup",
        "marketing/leads",
        "marketing/mqls",
    ]
    capped = sum(m.capped for m in result.months)
    assert D(document["summary"]["capped_to_date"]) == result.money(capped) > 0


def test_a_shared_gate_names_the_teams_it_closed(shared_gated: Result) -> None:
    months = result_document(shared_gated)["months"]
    assert months[0]["shared_gated"] == ["marketing"]  # mqls at 95% < 100%
    assert months[3]["shared_gated"] == []
    assert months[4]["shared_gated"] is None  # pending
    m1 = line_of(shared_gated, "M1", "2026-01")
    assert m1.shared == 0 and m1.total > 0  # leads still pays
    assert line_of(shared_gated, "S1", "2026-01").shared > 0


def test_a_plan_without_goals_or_caps_keeps_its_documents() -> None:
    plain = run(hand_plan({"2026-01": "120"}))
    document = result_document(plain)
    assert list(document) == ["plan", "calibration", "summary", "months", "lines"]
    assert tuple(document["lines"][0]) == LINE_COLUMNS
    assert "goals" not in document["plan"] and "paths" not in document["calibration"]
    assert "capped" not in document["months"][0] and "goals" not in document["months"][0]
    assert line_columns(plain.plan) == LINE_COLUMNS
    assert payroll_columns(plain.plan) == (
        "member_id", "team", "period", "kind", "currency", "amount",
    )  # fmt: skip


def test_a_plan_with_caps_only_shows_the_cut_and_no_weighting(caps_only: Result) -> None:
    document = result_document(caps_only)
    assert "weighting" not in document and "goals" not in document["plan"]
    line = document["lines"][0]
    assert (line["member_id"], line["shared"], line["capped"], line["total"]) == (
        "A",
        "300.00",
        "50.00",
        "250.00",
    )
    assert "functional" not in line
    assert lines_csv(caps_only).split("\n")[0].split(",")[7:10] == ["shared", "capped", "total"]
    assert months_csv(caps_only).split("\n")[1].endswith(",50.00")


# -- CSV ---------------------------------------------------------------------------------


def test_lines_csv_has_a_column_per_goal_metric(result: Result, document: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(lines_csv(result))))
    header = lines_csv(result).split("\n")[0].split(",")
    assert header == [
        *LINE_COLUMNS[:8],
        "functional_followup",
        "functional_leads",
        "functional_mqls",
        "capped",
        *LINE_COLUMNS[8:],
    ]
    assert len(rows) == len(document["lines"])
    for row, line in zip(rows, document["lines"], strict=True):
        for metric in ("followup", "leads", "mqls"):
            assert row[f"functional_{metric}"] == line["functional"].get(metric, "")
        for key in ("member_id", "period", "shared", "capped", "total", "status", "reason"):
            assert row[key] == str(line[key])
    s1 = next(r for r in rows if r["member_id"] == "S1" and r["period"] == "2026-04")
    line = line_of(result, "S1", "2026-04")
    assert (s1["functional_followup"], s1["functional_leads"], s1["capped"]) == (
        str(line.functional[0][1]),
        "",
        str(line.capped),
    )


def test_months_csv_ends_with_what_the_caps_cut(result: Result) -> None:
    rows = list(csv.DictReader(io.StringIO(months_csv(result))))
    assert [D(r["capped"]) for r in rows] == [result.money(m.capped) for m in result.months]
    assert [r["capped"] != "0.00" for r in rows] == [False, False, False, True, False, False]


# -- tables ------------------------------------------------------------------------------


def test_the_calibration_table_shows_the_weighting_gates_and_caps(result: Result) -> None:
    text = render_calibration_table(result.plan, result.calibration)
    w = result.calibration.weights[0].nominal
    for shown in (
        "Weighting",
        f"{percent_text(w, 2)} ({w.numerator}/{w.denominator})",
        "60.00% (3/5)",
        "followup x 1",
        "leads x 0.6, mqls x 0.4",
        "Functional gate",
        "95.0% shared attainment",
        "Cap per member per month (USD)",
        "380.00",
        "Caps costed over",
        "12 plan-year paths",
        "sales/followup mean factor",
    ):
        assert shown in text, shown
    assert "Realised shared weight" not in text  # nothing is paid by calibrating


def test_the_run_table_shows_goals_parts_and_cuts(result: Result) -> None:
    text = render_table(result)
    realised = realised_weights(result)[0].weight
    assert realised is not None
    shown = f"{percent_text(realised, 2)} ({realised.numerator}/{realised.denominator})"
    assert "Realised shared weight" in text and shown in text
    months = text[text.index("\nMonths\n") :]
    header = months.split("\n")[2]
    for column in ("Shared pool", "sales/followup", "marketing/leads", "Capped", "Paid"):
        assert column in header
    assert "110.0% -> gated" in months  # 2026-02: the functional gate closed every goal
    assert "111.1% -> 1.5000" in months
    assert "Functional goals" in months and "Cut by the caps to date (USD)" in text
    s1 = text[text.index("S1 (sales)") :]
    assert "followup" in s1.split("\n")[1] and "Capped" in s1.split("\n")[1]
    april = next(row for row in s1.split("\n") if row.startswith("2026-04"))
    line = line_of(result, "S1", "2026-04")
    amounts = [line.shared, line.functional[0][1], line.capped, line.total]
    assert april.split()[5:9] == [f"{a:,}" for a in amounts]


# -- statements and the transparency report -----------------------------------------------


def test_a_statement_shows_every_part_and_the_cut(result: Result) -> None:
    statement = render_statement(result, "S1")
    assert_well_formed(statement)
    rows = table_after(statement, "## Your months")
    april = next(r for r in rows if r["Month"] == "2026-04")
    line = line_of(result, "S1", "2026-04")
    assert (april["Shared (USD)"], april["followup (USD)"], april["Capped (USD)"]) == (
        str(line.shared),
        str(line.functional[0][1]),
        str(line.capped),
    )
    assert april["Total (USD)"] == "380.00"
    assert D(rows[-1]["Capped (USD)"].strip("*")) == line.capped
    february = next(r for r in rows if r["Month"] == "2026-02")
    assert "followup closed by the functional gate" in february["Note"]
    goals = table_after(statement, "## Your team's goals")
    assert goals[1]["Factor"] == "0.0000 (gated)"
    assert (goals[3]["Attainment"], goals[3]["Factor"], goals[3]["Your part (USD)"]) == (
        "111.1%",
        "1.5000",
        str(line.functional[0][1]),
    )
    w = result.calibration.weights[0].nominal
    assert f"{percent_text(w, 2)} (exactly {w.numerator}/{w.denominator})" in statement
    assert f"Cut from you so far: **{line.capped} USD** (in 2026-04)" in statement


def test_every_statement_adds_up_to_the_members_lines(result: Result) -> None:
    for member in result.plan.members:
        statement = render_statement(result, member.id)
        assert_well_formed(statement)
        total = sum((x.total for x in result.lines() if x.member_id == member.id), Decimal(0))
        year = table_after(statement, "## Your months")[-1]["Total (USD)"]
        assert D(year.strip("*").replace(",", "")) == total


def test_the_transparency_report_lists_each_goal_pool_and_the_weighting(result: Result) -> None:
    report = render_transparency_report(result)
    assert_well_formed(report)
    goals = table_after(report, "## Functional goals")
    pools = {(r["Month"], r["Goal"]): r["Pool (USD)"] for r in goals}
    for month in result.months:
        for g in month.goals:
            shown = pools[str(month.month), g.goal.key]
            assert D(shown.replace(",", "")) == result.money(g.pool)
    weighting = table_after(report, "## Weighting")
    assert [r["Team"] for r in weighting] == ["sales", "marketing"]
    assert weighting[1]["Nominal shared weight"] == "60.00% (3/5)"
    assert weighting[0]["Wanted split"] == "50.00%" and weighting[1]["Wanted split"] == ""
    paid = table_after(report, "## Paid by team")
    total = result.summary.paid_to_date
    assert paid[-1]["Paid to date (USD)"] == f"**{result.plan.currency.format(total)}**"
    capped = sum(m.capped for m in result.months)
    assert paid[0]["Capped (USD)"] == result.plan.currency.format(capped)  # sales
    assert paid[1]["Capped (USD)"] == "0.00"
    teams = sum(D(r["Paid to date (USD)"].replace(",", "")) for r in paid[:-1])
    assert teams == result.money(result.summary.paid_to_date)


# -- explain -------------------------------------------------------------------------------


def figure(explanation: Explanation, step: str, key: str) -> str:
    return explanation.figure(step, key).value


def test_explain_traces_each_part_and_the_cap(result: Result) -> None:
    e = explain(result, "S1", "2026-04")
    keys = [step.key for step in e.steps]
    for key in ("weighting", "shared_pool", "shared_split", "goal.followup", "caps", "result"):
        assert key in keys, key
    assert keys.index("goal.followup") < keys.index("goal.followup.pool")
    assert keys.index("goal.followup.pool") < keys.index("goal.followup.split") < keys.index("caps")
    w = result.calibration.weights[0].nominal
    assert e.figure("weighting", "shared_weight").exact == f"{w.numerator}/{w.denominator}"
    april = result.months[3]
    line = line_of(result, "S1", "2026-04")
    followup = line.functional[0][1]
    assert figure(e, "shared_pool", "pool") == str(result.money(april.pool or 0))
    assert figure(e, "shared_split", "amount") == str(line.shared)
    assert figure(e, "goal.followup", "factor") == "1.500000"
    assert figure(e, "goal.followup.pool", "pool") == str(result.money(april.goals[0].pool))
    assert figure(e, "goal.followup.split", "amount") == str(followup)
    assert figure(e, "caps", "earned") == str(line.shared + followup)
    assert figure(e, "caps", "cut") == str(line.capped)
    assert e.amount == line.total == D("380.00")
    parts = f"shared {line.shared} + followup {followup} - cut {line.capped}"
    assert parts in e.figure("result", "amount").how
    assert "solved exactly for the wanted split" in e.figure("weighting", "shared_weight").how


def test_explain_shows_the_functional_gate_closing_the_goals(result: Result) -> None:
    e = explain(result, "M2", "2026-02")
    for metric in ("leads", "mqls"):
        assert figure(e, f"goal.{metric}", "functional_gate") == "closed"
        assert figure(e, f"goal.{metric}", "curve_factor") == "1.000000"
        assert figure(e, f"goal.{metric}", "factor") == "0.000000"
    assert "shared_pool" not in [step.key for step in e.steps]  # nothing pays
    assert e.amount == 0 and "closed by the functional gate" in e.reason


def test_explain_of_a_pending_month_names_the_missing_actual(result: Result) -> None:
    e = explain(result, "S1", "2026-05")
    assert e.status is LineStatus.PENDING
    assert figure(e, "pending", "missing") == "followup"
    assert figure(e, "pending", "missing") != ""
    assert explain(result, "S1", "2026-06").figure("pending", "missing").value == (
        "revenue, leads, mqls, followup"
    )


def test_explain_follows_the_yearly_cap(year_capped: Result) -> None:
    cut = [x for x in year_capped.lines() if x.capped]
    assert cut, "the yearly cap cuts somebody"
    zero = [x for x in cut if not x.total]
    assert zero, "the yearly cap leaves somebody nothing"
    for line in (cut[0], zero[0]):
        e = explain(year_capped, line.member_id, line.period)
        earlier = sum(
            (
                x.total
                for x in year_capped.lines()
                if x.member_id == line.member_id and x.period < line.period
            ),
            Decimal(0),
        )
        assert D(figure(e, "caps", "paid_before")) == earlier
        assert D(figure(e, "caps", "room")) == max(D("1000.00") - earlier, Decimal(0))
        assert D(figure(e, "caps", "cut")) == line.capped
        assert (
            e.amount
            == line.total
            == min(D(figure(e, "caps", "earned")), D(figure(e, "caps", "room")))
        )
    e = explain(year_capped, zero[0].member_id, zero[0].period)
    assert e.reason == "the cap is reached: nothing more is paid this plan year"


def test_explain_shows_the_shared_gate(shared_gated: Result) -> None:
    e = explain(shared_gated, "M1", "2026-01")
    assert figure(e, "shared_gate", "shared_gate") == "closed"
    assert figure(e, "shared_gate", "mqls_attainment") == "0.950000"
    assert (figure(e, "shared_split", "member_weight"), figure(e, "shared_split", "amount")) == (
        "0",
        "0.00",
    )
    assert figure(e, "goal.leads.split", "amount") == str(
        line_of(shared_gated, "M1", "2026-01").total
    )
    s1 = explain(shared_gated, "S1", "2026-01")
    assert figure(s1, "shared_gate", "shared_gate") == "open"


def test_explain_agrees_with_every_line(
    result: Result, year_capped: Result, individual: Result, shared_gated: Result
) -> None:
    for each in (result, year_capped, individual, shared_gated):
        for line in each.lines():
            e = explain(each, line.member_id, line.period)
            assert (e.amount, e.status, e.reason) == (line.total, line.status, line.reason)
            for format in ("table", "markdown", "json"):
                assert render_explanation(e, format)


def test_explain_under_individual_funding_shows_each_line(individual: Result) -> None:
    e = explain(individual, "M1", "2026-04")
    line = line_of(individual, "M1", "2026-04")
    target = individual.calibration.scale * 1200000 / 12  # cents: FTE 1, all month
    w = individual.calibration.weights[1].nominal
    assert (
        D(figure(e, "shared_line", "amount")) * 100
        == line.shared * 100
        == round_half_up(target * w)
    )
    leads = round_half_up(target * (1 - w) * Fraction(3, 5))
    mqls = round_half_up(target * (1 - w) * Fraction(2, 5))
    assert D(figure(e, "goal.leads.line", "amount")) * 100 == leads
    assert D(figure(e, "goal.mqls.line", "amount")) * 100 == mqls
    assert e.amount == line.total


def test_explain_of_a_plan_with_caps_only(caps_only: Result) -> None:
    e = explain(caps_only, "A", "2026-01")
    assert figure(e, "split", "amount") == "300.00"
    assert (figure(e, "caps", "earned"), figure(e, "caps", "cut")) == ("300.00", "50.00")
    assert e.amount == D("250.00")


# -- payroll, frames, workbook ------------------------------------------------------------


def test_payroll_shows_the_parts_and_pays_what_is_owed(result: Result) -> None:
    rows = list(csv.DictReader(io.StringIO(payroll_csv(result))))
    assert list(rows[0]) == [
        "member_id",
        "team",
        "period",
        "kind",
        "currency",
        "shared",
        "functional_followup",
        "functional_leads",
        "functional_mqls",
        "capped",
        "amount",
    ]
    for row in rows:
        parts = sum(D(row[f"functional_{m}"] or "0") for m in ("followup", "leads", "mqls"))
        assert D(row["amount"]) == D(row["shared"]) + parts - D(row["capped"])
    assert sum(D(r["amount"]) for r in rows) == result.money(result.summary.paid_to_date)


def test_payroll_with_a_holdback_pays_the_total_less_what_is_held(individual: Result) -> None:
    rows = list(csv.DictReader(io.StringIO(payroll_csv(individual))))
    lines = {(x.member_id, str(x.period)): x for x in individual.lines()}
    for row in rows:
        line = lines[row["member_id"], row["period"]]
        assert D(row["amount"]) == line.total - line.held
        assert D(row["shared"]) == line.shared


def test_to_frame_has_the_columns_of_the_files(result: Result) -> None:
    pytest.importorskip("pandas")
    lines = to_frame(result)
    assert tuple(lines.columns) == line_columns(result.plan)
    s1 = lines[(lines.member_id == "S1") & (lines.period == "2026-04")].iloc[0]
    line = line_of(result, "S1", "2026-04")
    assert (s1.functional_followup, s1.functional_leads, s1.capped) == (
        line.functional[0][1],
        None,
        line.capped,
    )
    assert list(to_frame(result, "months").columns)[-1] == "capped"
    payroll = to_frame(result, "payroll")
    assert tuple(payroll.columns) == payroll_columns(result.plan)
    assert sum(payroll.amount) == result.money(result.summary.paid_to_date)
    assert all(isinstance(value, Decimal) for value in payroll.shared)  # a number, as in the file


def test_the_workbook_has_the_parts_as_amounts(result: Result, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = write_xlsx(result, tmp_path / "results.xlsx")
    workbook = openpyxl.load_workbook(path)
    lines = list(workbook["Lines"].iter_rows())
    header = [cell.value for cell in lines[0]]
    assert header == list(line_columns(result.plan))
    followup = header.index("functional_followup")
    assert lines[1][followup].value is None  # M1: marketing has no followup goal
    assert lines[3][followup].number_format == "#,##0.00"
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["goals.marketing/leads.weight"] == pytest.approx(0.6)
    assert summary["caps.per_month"] == 380


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def weighted_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``jointbonus`` commands load the weighted plan whatever file they are given."""
    monkeypatch.setattr(jointbonus.cli.shared, "load_plan", lambda path: weighted_plan())
    yield


def cli(*arguments: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(arguments))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "arguments",
    [
        ("calibrate",),
        ("calibrate", "--format", "csv"),
        ("calibrate", "--format", "markdown"),
        ("run",),
        ("run", "--format", "csv"),
        ("run", "--format", "markdown"),
        ("statements",),
        ("statements", "--member", "M2"),
        ("explain", "--member", "S2", "--month", "2026-04"),
        ("explain", "--member", "S2", "--month", "2026-02", "--format", "markdown"),
        ("simulate",),
        ("targets",),
    ],
)
def test_every_command_runs_a_weighted_plan(weighted_cli: None, arguments: tuple[str, ...]) -> None:
    command, *options = arguments
    code, out, err = cli(command, str(EXAMPLE), *options)
    assert (code, err) == (EXIT_OK, "")
    assert out


def test_run_json_and_calibrate_json_carry_the_weighting(
    weighted_cli: None, document: dict[str, Any]
) -> None:
    code, out, _ = cli("run", str(EXAMPLE), "--format", "json")
    assert code == EXIT_OK
    assert json.loads(out) == document
    code, out, _ = cli("calibrate", str(EXAMPLE), "--format", "json")
    assert code == EXIT_OK
    calibrate_document = json.loads(out)
    assert list(calibrate_document) == ["plan", "calibration", "weighting"]
    sales = calibrate_document["weighting"]["sales"]
    assert sales["nominal_exact"] == document["weighting"]["sales"]["nominal_exact"]
    assert sales["realised"] is None


def test_run_markdown_has_the_parts_of_each_line(weighted_cli: None, result: Result) -> None:
    code, out, _ = cli("run", str(EXAMPLE), "--format", "markdown")
    assert code == EXIT_OK and out == render_result_markdown(result)
    assert "functional\\_followup" in out and "### Weighting" in out


def test_run_out_writes_and_verifies_every_file(weighted_cli: None, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    folder = tmp_path / "out"
    code, _, err = cli("run", str(EXAMPLE), "--out", str(folder), "--statements", "--xlsx")
    assert (code, err) == (EXIT_OK, "")
    written = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    assert "weighting" in written and "lines" not in written
    assert "functional_followup" in (folder / "payroll.csv").read_text(encoding="utf-8")
    assert "## Weighting" in (folder / "transparency.md").read_text(encoding="utf-8")
    code, out, err = cli("verify", str(EXAMPLE), str(folder))
    assert (code, err) == (EXIT_OK, "") and "reproduced" in out


def test_cost_risk_with_a_yearly_cap_is_refused_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        jointbonus.cli.shared, "load_plan", lambda path: weighted_plan(cap_per_year="1300.00")
    )
    for arguments in (("simulate",), ("simulate", "--format", "json")):
        code, out, err = cli(arguments[0], str(EXAMPLE), *arguments[1:])
        assert code == EXIT_BAD_INPUT and out == ""
        assert "caps what a member is paid per plan year" in err and "Traceback" not in err
    if importable("matplotlib"):
        code, out, err = cli("plot", str(EXAMPLE), "--out", str(tmp_path / "pictures"))
        assert code == EXIT_BAD_INPUT and "per plan year" in err and "Traceback" not in err
        assert not (tmp_path / "pictures").exists() or not any((tmp_path / "pictures").iterdir())
    code, out, err = cli("run", str(EXAMPLE), "--details")
    assert (code, err) == (EXIT_OK, "") and "Cap per member per plan year (USD)" in out


def test_plot_draws_a_weighted_plan(weighted_cli: None, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    code, _, err = cli("plot", str(EXAMPLE), "--out", str(tmp_path))
    assert (code, err) == (EXIT_OK, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "attainment.png",
        "cost-risk.png",
        "payout-curve.png",
    ]


def importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def test_the_fixture_is_what_its_docstring_says(result: Result) -> None:
    plan = result.plan
    assert [t.team for t in plan.functional.terms] == ["sales", "marketing"]
    assert [m.status.value for m in result.months] == ["paid"] * 4 + ["pending"] * 2
    assert plan.functional.gates.functional == Fraction(95, 100)
    assert plan.functional.caps.per_month == 38000
    assert [str(m.month) for m in result.months if m.capped] == ["2026-04"]
    assert date(2026, 1, 1) == plan.months[0].month.first_day


# -- the Harbor Software example: a plan file with goals, a gate and a cap ------------------

HARBOR = Path(__file__).resolve().parents[1] / "examples" / "harbor_software" / "plan.toml"


@pytest.mark.parametrize(
    "arguments",
    [
        ("calibrate",),
        ("calibrate", "--format", "json"),
        ("calibrate", "--format", "csv"),
        ("calibrate", "--format", "markdown"),
        ("run",),
        ("run", "--format", "json"),
        ("run", "--format", "csv"),
        ("run", "--format", "markdown"),
        ("statements",),
        ("simulate",),
        ("targets",),
    ],
)
def test_every_command_runs_the_harbor_example(arguments: tuple[str, ...]) -> None:
    command, *options = arguments
    code, out, err = cli(command, str(HARBOR), *options)
    assert (code, err) == (EXIT_OK, "")
    assert out


def test_the_harbor_example_explains_and_states_every_part() -> None:
    harbor = run(jointbonus.load_plan(HARBOR))
    assert harbor.plan.weighted and harbor.plan.functional.caps.per_month is not None
    cut = next(x for x in harbor.lines() if x.capped)
    code, out, err = cli(
        "explain", str(HARBOR), "--member", cut.member_id, "--month", str(cut.period),
        "--format", "json",
    )  # fmt: skip
    assert (code, err) == (EXIT_OK, "")
    explained = json.loads(out)
    assert D(explained["amount"]) == cut.total
    steps = {step["key"]: step for step in explained["steps"]}
    assert "caps" in steps and "shared_line" in steps  # individual funding: lines, no pools
    cut_figure = next(f for f in steps["caps"]["figures"] if f["key"] == "cut")
    assert D(cut_figure["value"]) == cut.capped
    goal = next(k for k in steps if k.startswith("goal.") and k.count(".") == 1)
    target = next(f for f in steps[goal]["figures"] if f["key"] == "target")
    assert "data/plan_months.csv:" in target["how"]  # traced to the file and line
    code, out, err = cli("statements", str(HARBOR), "--member", cut.member_id)
    assert (code, err) == (EXIT_OK, "")
    assert_well_formed(out)
    currency = harbor.plan.currency
    total = sum(currency.to_minor(x.capped) for x in harbor.lines() if x.member_id == cut.member_id)
    assert f"Cut from you so far: **{currency.format(total)} GBP**" in out


def test_a_team_without_goals_is_wholly_shared_in_every_output() -> None:
    from jointbonus import StepCurve
    from jointbonus.sharedtarget.goals import GoalSpec, MetricSpec, TeamSpec

    months = [f"2026-{m:02d}" for m in range(1, 7)]
    marketing = TeamSpec(
        "marketing", shared_weight="0.6", goals=(GoalSpec("leads", "1", StepCurve()),)
    )
    leads = MetricSpec(
        "leads",
        targets=dict.fromkeys(months, "50"),
        actuals={"2026-01": "52", "2026-02": "55", "2026-03": "49", "2026-04": "60"},
    )
    mixed = run(weighted_plan(teams=["sales", marketing], metrics=[leads], functional_gate=None))
    sales = result_document(mixed)["weighting"]["sales"]
    assert (sales["nominal_exact"], sales["wanted"], sales["functional_earned"]) == (
        "1/1",
        None,
        "0.00",
    )
    assert all(x.functional == () for x in mixed.lines() if x.team == "sales")
    header = lines_csv(mixed).split("\n")[0].split(",")
    assert "functional_leads" in header and "functional_followup" not in header
    statement = render_statement(mixed, "S1")
    assert_well_formed(statement)
    assert "sales has no functional goals: your whole bonus is shared." in statement
    assert (
        "sales has no functional goals"
        in explain(mixed, "S1", "2026-01").figure("weighting", "shared_weight").how
    )


def test_the_curve_picture_gives_no_pool_axis_to_a_plan_with_goals(result: Result) -> None:
    from jointbonus.sharedtarget.plots.data import curve_picture

    picture = curve_picture(result)
    assert picture.pool_at_target is None  # the shared pool is a slice of the pool at target
    assert [m.factor for m in picture.months] == [m.factor for m in result.months[:4]]
    assert curve_picture(run(hand_plan({"2026-01": "120"}))).pool_at_target is not None


def test_a_line_pending_on_a_functional_actual_names_the_metric(result: Result) -> None:
    """May has the revenue actual but not followup's: every line says which one is missing."""
    may = [line for line in result.lines() if str(line.period) == "2026-05"]
    assert may
    assert {line.reason for line in may} == {"pending: no actual for 2026-05 yet (followup)"}
    june = {line.reason for line in result.lines() if str(line.period) == "2026-06"}
    assert june == {"pending: no actual for 2026-06 yet"}
