"""The review list kept a column at a time gives exactly what its rows give.

:func:`~jointbonus.leads.review.review_list` keeps the list as columns
(:class:`~jointbonus.leads.review.ReviewList`), words the local times of a
whole rule's rows at once (:meth:`DayTable.shown_all
<jointbonus.leads.zone.DayTable.shown_all>`), and the writers write the
columns through one csv writer (:func:`~jointbonus.io.cells.csv_columns_text`).
Each is checked here against the plain way, which stays the definition: a
:class:`~jointbonus.leads.review.ReviewRow` at a time, the zone wording one
instant (:meth:`Zone.shown <jointbonus.leads.zone.Zone.shown>`), and
:func:`~jointbonus.io.cells.csv_text` writing a line at a time.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from jointbonus.io.cells import csv_columns_text, csv_text
from jointbonus.leads import (
    REVIEW_COLUMNS,
    ReviewRow,
    leads_from_rows,
    measure,
    review_csv,
    review_document,
    review_list,
)
from jointbonus.leads.zone import us_instant
from leads_strategies import Drawn, lead_exports

#: Cells a spreadsheet or a CSV reader could trip on: formula triggers, an apostrophe,
#: quotes, commas, line ends, spaces and letters beyond ASCII.
_CELLS = st.text(alphabet=st.sampled_from("=+-@'\t\r\n\",; aZ9é€"), max_size=8)


def _tables(width: int) -> st.SearchStrategy[tuple[int, list[list[str]]]]:
    rows = st.lists(st.lists(_CELLS, min_size=width, max_size=width), max_size=6)
    return rows.map(lambda drawn: (width, drawn))


@given(st.integers(1, 4).flatmap(_tables))
def test_writing_columns_at_once_is_writing_each_line(table: tuple[int, list[list[str]]]) -> None:
    width, rows = table
    header = [f"c{i}" for i in range(width)]
    columns = [[row[i] for row in rows] for i in range(width)]
    assert csv_columns_text(header, columns) == csv_text(header, rows)


@given(lead_exports())
def test_the_review_lists_columns_are_its_rows(drawn: Drawn) -> None:
    export = leads_from_rows(drawn.rows(), time_zone=drawn.time_zone, missing_as_empty=True)
    rows = review_list(measure(export, drawn.as_of))
    made = [rows[i] for i in range(len(rows))]
    assert list(rows) == made
    assert all(type(row) is ReviewRow for row in made)
    assert rows == tuple(made)
    cells = [row.cells() for row in made]
    assert review_csv(rows) == csv_text(REVIEW_COLUMNS, cells) == review_csv(made)
    plain = [dict(zip(REVIEW_COLUMNS, row, strict=True)) for row in cells]
    assert review_document(rows) == plain == review_document(made)
    keys = [(row.month, list(type(row.rule)).index(row.rule), row.lead_id) for row in made]
    assert keys == sorted(keys)


@given(lead_exports())
def test_a_days_times_worded_at_once_are_the_zones(drawn: Drawn) -> None:
    export = leads_from_rows(drawn.rows(), time_zone=drawn.time_zone, missing_as_empty=True)
    days = export.days()
    if days is None:
        return
    columns = export.columns
    instants = [
        us
        for column in (columns.delivered, columns.accepted, columns.rejected)
        for us in column
        if us is not None
    ]
    shown = days.shown_all(instants, map(days.position, instants))
    assert shown == [export.zone.shown(us_instant(us)) for us in instants]


@given(lead_exports(), st.randoms(use_true_random=False))
def test_the_review_list_is_in_order_whatever_the_order_of_the_export(
    drawn: Drawn, rng: random.Random
) -> None:
    # The strategy names its leads in the order it lists them; listed in another
    # order, the rows still come by month, rule and lead id, and are the same rows.
    rows = drawn.rows()
    shuffled = list(rows)
    rng.shuffle(shuffled)
    found = []
    for listed in (rows, shuffled):
        export = leads_from_rows(listed, time_zone=drawn.time_zone, missing_as_empty=True)
        found.append([row[:4] for row in review_list(measure(export, drawn.as_of))])
    keys = [(month, list(type(rule)).index(rule), lead_id) for lead_id, month, rule, _ in found[1]]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert found[1] == found[0]
