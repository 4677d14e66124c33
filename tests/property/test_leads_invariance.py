"""Properties of reading lead exports: how the export is laid out changes no figure.

Permuting its rows, splitting it into two files (with their columns in
different orders), writing its times with other UTC offsets: the figures and
the review list stay the same.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jointbonus.leads import (
    LeadMetrics,
    leads_from_rows,
    measure,
    metrics_document,
    read_leads,
    review_document,
    review_list,
)
from leads_strategies import COLUMNS, OFFSETS, Drawn, lead_exports


def outcome(metrics: LeadMetrics) -> tuple[object, ...]:
    """Everything the metrics say, as values: figures, traces and the review list (but the
    file and line each lead was read from)."""
    traces = [
        (month, metric, metrics.trace(month, metric))
        for month in metrics.months
        for metric in ("followed_up_48h", "sal_to_sql", "median_response_hours")
    ]
    review = [
        {key: value for key, value in row.items() if key != "source"}  # where it was read
        for row in review_document(review_list(metrics))
    ]
    return metrics_document(metrics), traces, review


def from_rows(drawn: Drawn, rows: list[dict[str, str]]) -> LeadMetrics:
    export = leads_from_rows(rows, time_zone=drawn.time_zone, missing_as_empty=True)
    return measure(export, drawn.as_of)


@given(lead_exports(), st.randoms(use_true_random=False))
def test_permuting_the_rows_changes_nothing(drawn: Drawn, rng: random.Random) -> None:
    rows = drawn.rows()
    shuffled = rows[:]
    rng.shuffle(shuffled)
    assert outcome(from_rows(drawn, shuffled)) == outcome(from_rows(drawn, rows))


@given(lead_exports(), st.integers(0, 30), st.randoms(use_true_random=False))
def test_splitting_the_export_into_two_files_changes_nothing(
    drawn: Drawn, cut: int, rng: random.Random
) -> None:
    rows = drawn.rows()
    other_order = list(COLUMNS)
    rng.shuffle(other_order)
    with tempfile.TemporaryDirectory() as folder:
        whole, first, second = (Path(folder) / n for n in ("all.csv", "a.csv", "b.csv"))
        whole.write_text(drawn.csv(rows), encoding="utf-8")
        first.write_text(drawn.csv(rows[:cut]), encoding="utf-8")
        second.write_text(drawn.csv(rows[cut:], other_order), encoding="utf-8")
        one = read_leads(whole, time_zone=drawn.time_zone)
        two = read_leads(first, second, time_zone=drawn.time_zone)
    assert [lead.id for lead in two] == [lead.id for lead in one]
    assert outcome(measure(two, drawn.as_of)) == outcome(measure(one, drawn.as_of))


@given(lead_exports(), st.lists(st.sampled_from(OFFSETS), min_size=1, max_size=4))
def test_writing_the_times_with_other_offsets_changes_nothing(
    drawn: Drawn, offsets: list[object]
) -> None:
    again = from_rows(drawn, drawn.rows(offsets))  # type: ignore[arg-type]
    assert outcome(again) == outcome(from_rows(drawn, drawn.rows()))
