"""The Digital Manufacturing example's lead export: made as its generator says, its figures
the shape the generator was given, and the plan's functional actuals those figures."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest

from jointbonus.core.number import decimal_text
from jointbonus.core.periods import Month
from jointbonus.leads import (
    SALESFORCE,
    LeadMetrics,
    ReviewRule,
    measure,
    read_leads,
    review_list,
)
from jointbonus.sharedtarget.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "digital_manufacturing_leads"
LEADS = FOLDER / "data" / "leads.csv"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_leads", FOLDER / "make_leads.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_leads"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_leads() -> ModuleType:
    return generator()


@pytest.fixture(scope="module")
def metrics(make_leads: ModuleType) -> LeadMetrics:
    export = read_leads(LEADS, mapping=SALESFORCE, time_zone=make_leads.TIME_ZONE)
    return measure(export, make_leads.AS_OF)


def actuals() -> dict[Month, dict[str, str]]:
    """The figures the generator makes each month show (lead_shape.csv)."""
    with (FOLDER / "lead_shape.csv").open(encoding="utf-8", newline="") as handle:
        return {Month.parse(row["month"]): row for row in csv.DictReader(handle)}


def test_the_export_is_what_the_generator_makes(make_leads: ModuleType) -> None:
    assert make_leads.generate() == LEADS.read_text(encoding="utf-8")


def test_it_covers_the_history_and_the_plan_months_with_actuals(metrics: LeadMetrics) -> None:
    months = actuals()
    assert min(months) == Month(2023, 1)
    assert max(months) == Month(2026, 10)
    assert set(months) <= set(metrics.months)
    assert 5000 <= len(metrics.export) <= 8000


def test_its_figures_have_the_shape_it_was_given(metrics: LeadMetrics) -> None:
    for month, row in actuals().items():
        accepted = metrics.figure(month, "leads_accepted")
        followed = metrics.figure(month, "followed_up_48h")
        sal = metrics.figure(month, "sal_to_sql")
        assert not (accepted.pending or followed.pending or sal.pending), month
        assert accepted.value == int(row["leads_accepted"]), month
        assert followed.value is not None and sal.value is not None
        # to within one lead of the month's deliveries, or of its acceptances
        assert abs(followed.value - Fraction(row["followed_up_48h"])) <= Fraction(
            1, 2 * (followed.denominator or 1)
        ), month
        assert abs(sal.value - Fraction(row["sal_to_sql"])) <= Fraction(
            1, 2 * (sal.denominator or 1)
        ), month


def test_the_plan_takes_its_functional_actuals_from_the_leads(metrics: LeadMetrics) -> None:
    plan = load_plan(FOLDER / "plan.toml")
    assert plan.provenance is not None and plan.provenance.leads is not None
    assert plan.provenance.leads.files == ("data/leads.csv",)
    names = ("leads_accepted", "followed_up_48h", "sal_to_sql")
    assert dict(plan.provenance.leads.metrics) == {name: name for name in names}
    for metric in plan.functional.metrics:
        for plan_month in metric.months:
            figure = metrics.figure(plan_month.month, metric.name)
            if figure.pending or figure.value is None:
                assert plan_month.actual is None, (metric.name, plan_month.month)
            else:
                assert str(plan_month.actual) == decimal_text(
                    figure.value, 0 if isinstance(figure.value, int) else 6
                )
    paid = [m.month for m in plan.functional.metrics[0].months if m.actual is not None]
    assert paid == [Month(2026, m) for m in range(1, 11)]


def test_its_review_list_has_every_kind_of_broken_rule(metrics: LeadMetrics) -> None:
    kinds = Counter(row.rule for row in review_list(metrics))
    assert set(kinds) == set(ReviewRule)
    share = metrics.figure(Month(2026, 3), "marketing_revenue_share").value
    assert share is not None and Fraction(1, 2) < share <= 1
