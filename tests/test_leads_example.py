"""The Digital Manufacturing example's lead export: made as its generator says, and its
figures those the plan's files hold."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest

from jointbonus.core.periods import Month
from jointbonus.leads import (
    SALESFORCE,
    LeadMetrics,
    ReviewRule,
    measure,
    read_leads,
    review_list,
)

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "digital_manufacturing"
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
    found = {}
    for name in ("history.csv", "plan_months.csv"):
        with (FOLDER / "data" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["leads_accepted_actual"]:
                    found[Month.parse(row["month"])] = row
    return found


def test_the_export_is_what_the_generator_makes(make_leads: ModuleType) -> None:
    assert make_leads.generate() == LEADS.read_text(encoding="utf-8")


def test_it_covers_the_history_and_the_plan_months_with_actuals(metrics: LeadMetrics) -> None:
    months = actuals()
    assert min(months) == Month(2023, 1)
    assert max(months) == Month(2026, 10)
    assert set(months) <= set(metrics.months)
    assert 5000 <= len(metrics.export) <= 8000


def test_its_figures_are_the_plans_actuals(metrics: LeadMetrics) -> None:
    for month, row in actuals().items():
        accepted = metrics.figure(month, "leads_accepted")
        followed = metrics.figure(month, "followed_up_48h")
        sal = metrics.figure(month, "sal_to_sql")
        assert not (accepted.pending or followed.pending or sal.pending), month
        assert accepted.value == int(row["leads_accepted_actual"]), month
        assert followed.value is not None and sal.value is not None
        # to within one lead of the month's deliveries, or of its acceptances
        assert abs(followed.value - Fraction(row["followed_up_48h_actual"])) <= Fraction(
            1, 2 * (followed.denominator or 1)
        ), month
        assert abs(sal.value - Fraction(row["sal_to_sql_actual"])) <= Fraction(
            1, 2 * (sal.denominator or 1)
        ), month


def test_its_review_list_has_every_kind_of_broken_rule(metrics: LeadMetrics) -> None:
    kinds = Counter(row.rule for row in review_list(metrics))
    assert set(kinds) == set(ReviewRule)
    share = metrics.figure(Month(2026, 3), "marketing_revenue_share").value
    assert share is not None and Fraction(1, 2) < share <= 1
