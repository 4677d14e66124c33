"""Properties of the lead metrics: what every export a CRM could give must show.

Shares lie in [0, 1]; each figure is the size of its trace; the months'
figures add up to the export; the review list holds exactly what the final
figures miss; and a final figure never changes when later events arrive.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jointbonus.leads import (
    COUNTS,
    METRICS,
    SHARES,
    LeadMetrics,
    ReviewRule,
    leads_from_rows,
    measure,
    review_list,
)
from leads_strategies import Drawn, Spec, lead_exports


def measured(drawn: Drawn) -> LeadMetrics:
    export = leads_from_rows(drawn.rows(), time_zone=drawn.time_zone, missing_as_empty=True)
    return measure(export, drawn.as_of)


@given(lead_exports())
def test_lead_shares_lie_between_zero_and_one(drawn: Drawn) -> None:
    metrics = measured(drawn)
    for month in metrics.months:
        for metric in SHARES:
            value = metrics.figure(month, metric).value
            assert value is None or 0 <= value <= 1
        for metric in COUNTS:
            figure = metrics.figure(month, metric)
            assert isinstance(figure.value, int)
            assert figure.denominator is None or 0 <= figure.value <= figure.denominator


@given(lead_exports())
def test_each_figure_is_the_size_of_its_trace(drawn: Drawn) -> None:
    metrics = measured(drawn)
    for month in metrics.months:
        for metric in METRICS:
            figure, trace = metrics.figure(month, metric), metrics.trace(month, metric)
            assert set(trace.numerator) <= set(trace.denominator) or metric == "leads_delivered"
            if metric == "marketing_revenue_share":
                export = metrics.export
                amounts = [export.lead(i).amount or Decimal(0) for i in trace.numerator]
                assert sum(amounts, Decimal(0)) == figure.numerator
                total = [export.lead(i).amount or Decimal(0) for i in trace.denominator]
                assert sum(total, Decimal(0)) == figure.denominator
            else:
                assert len(trace.numerator) == figure.numerator
                assert len(trace.denominator) == (figure.denominator or 0)


@given(lead_exports())
def test_the_months_add_up_to_the_export(drawn: Drawn) -> None:
    metrics = measured(drawn)
    leads = metrics.export.leads
    delivered = sum(metrics.figure(m, "leads_delivered").value or 0 for m in metrics.months)
    accepted = sum(metrics.figure(m, "sal_to_sql").denominator or 0 for m in metrics.months)
    revenue = sum(
        (metrics.figure(m, "marketing_revenue_share").denominator or 0 for m in metrics.months),
        Decimal(0),
    )
    assert delivered == len(leads)
    assert accepted == sum(lead.accepted is not None for lead in leads)
    assert revenue == sum((lead.amount or Decimal(0) for lead in leads), Decimal(0))


@given(lead_exports())
def test_the_review_list_holds_what_the_final_figures_miss(drawn: Drawn) -> None:
    metrics = measured(drawn)
    listed = Counter((row.month, row.rule) for row in review_list(metrics))
    for month in metrics.months:
        followed = metrics.figure(month, "followed_up_48h")
        if not followed.pending:
            assert (
                listed[month, ReviewRule.NOT_HANDLED] == followed.denominator - followed.numerator
            )
        no_reason = metrics.figure(month, "rejected_without_reason")
        assert listed[month, ReviewRule.REJECTED_WITHOUT_REASON] == no_reason.value
        sal = metrics.figure(month, "sal_to_sql")
        if not sal.pending:
            assert listed[month, ReviewRule.NOT_QUALIFIED] == sal.denominator - sal.numerator


def _as_of(spec: Spec, cut: Drawn) -> Spec | None:
    """``spec`` as an export taken at ``cut.as_of`` shows it: later events not yet there."""
    as_of = cut.as_of
    if spec.delivered > as_of:
        return None
    early = lambda moment: moment if moment is not None and moment <= as_of else None  # noqa: E731
    rejected = early(spec.rejected)
    won = early(spec.won)
    return replace(
        spec,
        accepted=early(spec.accepted),
        rejected=rejected,
        reason=spec.reason if rejected else "",
        qualified=early(spec.qualified) if early(spec.accepted) or not spec.accepted else None,
        won=won,
        amount=spec.amount if won else None,
    )


FINAL_FOR_GOOD = ("leads_delivered", "followed_up_48h", "sal_to_sql", "marketing_revenue_share")


@given(lead_exports(), st.lists(st.integers(1, 72 * 60), min_size=1))
def test_a_final_figure_never_changes_when_later_events_arrive(
    drawn: Drawn, delays: list[int]
) -> None:
    """The export as of its "as of" instant, then the whole export, and then the export
    as of then with every lead still open accepted within three days after."""
    then = tuple(s for s in (_as_of(spec, drawn) for spec in drawn.specs) if s is not None)
    earlier = measured(replace(drawn, specs=then))
    answered = tuple(
        spec
        if spec.accepted or spec.reason or spec.qualified
        else replace(spec, accepted=drawn.as_of + timedelta(minutes=delays[i % len(delays)]))
        for i, spec in enumerate(then)
    )
    for later in (drawn.specs, answered):
        after = measured(replace(drawn, specs=later, as_of=drawn.as_of + timedelta(days=3650)))
        for month in earlier.months:
            for metric in FINAL_FOR_GOOD:
                figure = earlier.figure(month, metric)
                if not figure.pending:
                    assert after.figure(month, metric).value == figure.value, (month, metric)
