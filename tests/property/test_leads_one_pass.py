"""The figures and the review list, derived together, against each lead taken on its own.

Measuring a month derives once the leads that break a rule (late, rejected
without a reason, not qualified in time), and both the figures and the
review list are made from that. So that a mistake there cannot hide by
showing in both alike, each is checked here against the rules applied to
one lead at a time, with datetimes and the plan time zone's days, as the
module docstrings of :mod:`jointbonus.leads.metrics` and
:mod:`jointbonus.leads.review` state them. Handling times and "as of"
instants are drawn at the 48 hours and a microsecond either side.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from jointbonus.core.periods import Month
from jointbonus.leads import BusinessHours, Lead, ReviewRule, leads_from_rows, measure, review_list
from jointbonus.leads.metrics import qualifying_deadline
from jointbonus.leads.zone import Zone
from leads_strategies import Drawn, lead_exports

LIMIT = timedelta(hours=48)
MICROSECOND = timedelta(microseconds=1)
#: A microsecond before, at and after the limit.
EDGES = st.sampled_from((-1, 0, 1)).map(lambda us: LIMIT + timedelta(microseconds=us))


@st.composite
def edgy_exports(draw: st.DrawFn) -> Drawn:
    """Exports some of whose leads are handled at the limit, give or take a microsecond,
    perhaps seen "as of" one such instant, and some qualified at the edges of the last
    day that counts."""
    drawn = draw(lead_exports(max_leads=12))
    specs = list(drawn.specs)
    for n, spec in enumerate(specs):
        if draw(st.integers(0, 2)) == 0:
            handled = spec.delivered + draw(EDGES)
            qualified = spec.qualified and max(spec.qualified, handled)
            if draw(st.booleans()):
                specs[n] = replace(spec, accepted=handled, qualified=qualified)
            else:
                rejected = {"accepted": None, "rejected": handled, "reason": "Duplicate"}
                specs[n] = replace(spec, qualified=qualified, **rejected)  # type: ignore[arg-type]
    zone = Zone(drawn.time_zone)
    for n, spec in enumerate(specs):
        if spec.accepted is not None and draw(st.integers(0, 2)) == 0:
            # Qualified at the first or last microsecond of the last day that counts, or
            # at the first of the day after.
            last = qualifying_deadline(zone.local_day(spec.accepted))
            after = zone.day_start(last + timedelta(days=1))
            edge = draw(st.sampled_from((zone.day_start(last), after - MICROSECOND, after)))
            specs[n] = replace(spec, qualified=edge)
    as_of = drawn.as_of
    if specs and draw(st.booleans()):
        as_of = draw(st.sampled_from(specs)).delivered + draw(EDGES)
    return replace(drawn, specs=tuple(specs), as_of=as_of)


def _handled(lead: Lead) -> object:
    times = [lead.accepted] if lead.accepted is not None else []
    if lead.rejected is not None and lead.reason is not None:
        times.append(lead.rejected)
    return min(times, default=None)


def _one_at_a_time(leads: tuple[Lead, ...], zone: Zone, drawn: Drawn) -> tuple[Counter, set]:  # type: ignore[type-arg]
    """Each month's counts of the leads breaking each rule (windows open or not), and
    the rows of the review list (windows closed), worked out one lead at a time."""
    counts: Counter[tuple[Month, ReviewRule]] = Counter()
    rows: set[tuple[str, Month, ReviewRule]] = set()
    as_of = drawn.as_of

    def month(day: object) -> Month:
        return Month.of(day)  # type: ignore[arg-type]

    for lead in leads:
        delivered_in = month(zone.local_day(lead.delivered))
        handled = _handled(lead)
        if handled is None or handled - lead.delivered > LIMIT:  # type: ignore[operator]
            counts[delivered_in, ReviewRule.NOT_HANDLED] += 1
            if as_of >= lead.delivered + LIMIT:
                rows.add((lead.id, delivered_in, ReviewRule.NOT_HANDLED))
        if lead.rejected is not None and lead.reason is None:
            counts[delivered_in, ReviewRule.REJECTED_WITHOUT_REASON] += 1
            rows.add((lead.id, delivered_in, ReviewRule.REJECTED_WITHOUT_REASON))
        if lead.accepted is not None:
            accepted_on = zone.local_day(lead.accepted)
            deadline = qualifying_deadline(accepted_on)
            if lead.qualified is None or lead.qualified > deadline:
                counts[month(accepted_on), ReviewRule.NOT_QUALIFIED] += 1
                if as_of >= zone.day_start(deadline + timedelta(days=1)):
                    rows.add((lead.id, month(accepted_on), ReviewRule.NOT_QUALIFIED))
        if lead.won is not None and lead.marketing and lead.attribution is None:
            rows.add((lead.id, month(lead.won), ReviewRule.MISSING_ATTRIBUTION))
    return counts, rows


@given(edgy_exports())
def test_figures_and_review_list_are_each_lead_taken_on_its_own(drawn: Drawn) -> None:
    export = leads_from_rows(drawn.rows(), time_zone=drawn.time_zone, missing_as_empty=True)
    metrics = measure(export, drawn.as_of)
    counts, rows = _one_at_a_time(export.leads, export.zone, drawn)
    listed = review_list(metrics)
    assert {(row.lead_id, row.month, row.rule) for row in listed} == rows
    assert len(listed) == len(rows)
    for month in metrics.months:
        followed = metrics.figure(month, "followed_up_48h")
        assert followed.denominator is not None
        late = followed.denominator - followed.numerator  # type: ignore[operator]
        assert late == counts[month, ReviewRule.NOT_HANDLED]
        silent = metrics.figure(month, "rejected_without_reason").value
        assert silent == counts[month, ReviewRule.REJECTED_WITHOUT_REASON]
        sal = metrics.figure(month, "sal_to_sql")
        assert sal.denominator is not None
        unqualified = sal.denominator - sal.numerator  # type: ignore[operator]
        assert unqualified == counts[month, ReviewRule.NOT_QUALIFIED]
        for metric, rule in (
            ("followed_up_48h", ReviewRule.NOT_HANDLED),
            ("sal_to_sql", ReviewRule.NOT_QUALIFIED),
        ):
            trace = metrics.trace(month, metric)
            missed = set(trace.denominator) - set(trace.numerator)
            assert len(missed) == counts[month, rule]
            if not metrics.figure(month, metric).pending:
                assert missed == {i for i, m, r in rows if m == month and r == rule}


@given(edgy_exports(), st.booleans())
def test_one_lead_is_judged_as_its_month_judges_it(drawn: Drawn, business: bool) -> None:
    """What explain says of one lead -- handled in time, qualified in time, rejected without
    a reason, handled at all -- is what its month's figures count of it."""
    export = leads_from_rows(drawn.rows(), time_zone=drawn.time_zone, missing_as_empty=True)
    metrics = measure(export, drawn.as_of, business_hours=BusinessHours() if business else None)
    counted: dict[str, set[str]] = {}
    for month in metrics.months:
        for metric in ("followed_up_48h", "sal_to_sql", "rejected_without_reason"):
            counted.setdefault(metric, set()).update(metrics.trace(month, metric).numerator)
        handled = metrics.trace(month, "median_response_hours").denominator
        counted.setdefault("handled", set()).update(handled)
    for lead in export.leads:
        assert metrics.in_time(lead) == (lead.id in counted.get("followed_up_48h", set()))
        if lead.accepted is not None:
            assert metrics.qualified_in_time(lead) == (lead.id in counted.get("sal_to_sql", set()))
        else:
            assert not metrics.qualified_in_time(lead)
        silent = lead.id in counted.get("rejected_without_reason", set())
        assert lead.rejected_without_reason == silent
        assert (lead.handled is not None) == (lead.id in counted.get("handled", set()))
        assert (metrics.response_us(lead) is None) == (lead.handled is None)
