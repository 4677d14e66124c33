"""The review list: every lead that breaks one of the rules both teams are paid on.

Each row names the lead, the month whose figure it weighs on, the rule it
breaks and the details a person needs to look into it:

==============================  ============  ==========================================
rule                            month         listed when
==============================  ============  ==========================================
not_handled_within_48h          delivery      the lead's hours ran out (as counted) and it
                                              was not accepted, nor rejected with a
                                              reason, in them
rejected_without_reason         delivery      sales rejected it without giving a reason
not_qualified_within_a_month    acceptance    its month after acceptance has ended and it
                                              did not become sales-qualified in it
missing_attribution             won           it was won, is marketing generated, and the
                                              CRM's attribution field is empty (its
                                              revenue counts for marketing all the same)
==============================  ============  ==========================================

A lead whose window is still open is not listed yet: a lead delivered an
hour before the export is not late. Rows come by month, then in the order of
the rules above, then by lead id. :func:`review_csv` writes them as CSV whose
cells a spreadsheet cannot run as formulas (:mod:`jointbonus.io.cells`);
:func:`review_document` gives them as JSON-ready dictionaries.

>>> from datetime import datetime, timezone
>>> from jointbonus.leads.metrics import measure
>>> from jointbonus.leads.model import Lead, LeadExport
>>> t = lambda day, hour: datetime(2026, 1, day, hour, tzinfo=timezone.utc)
>>> export = LeadExport([Lead("=B7", t(5, 9), True, rejected=t(6, 9))])
>>> rows = review_list(measure(export, as_of=t(20, 0)))
>>> [row.rule.value for row in rows]
['not_handled_within_48h', 'rejected_without_reason']
>>> rows[1].details
'rejected 2026-01-06 09:00 UTC without a reason'
>>> print(review_csv(rows[1:]), end="")
lead_id,month,rule,details,source
'=B7,2026-01,rejected_without_reason,rejected 2026-01-06 09:00 UTC without a reason,(API)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from enum import Enum
from itertools import repeat
from operator import and_
from typing import NamedTuple, overload

from jointbonus.core.periods import Month
from jointbonus.io.cells import csv_columns_text
from jointbonus.leads.clocks import HOUR_US
from jointbonus.leads.metrics import LeadMetrics
from jointbonus.leads.zone import instant_us

__all__ = [
    "REVIEW_COLUMNS",
    "ReviewList",
    "ReviewRow",
    "ReviewRule",
    "review_csv",
    "review_document",
    "review_list",
]

#: The columns of :func:`review_csv`, and the keys of :func:`review_document`.
REVIEW_COLUMNS = ("lead_id", "month", "rule", "details", "source")


class ReviewRule(Enum):
    """A rule a lead can break, in the order rows list them."""

    NOT_HANDLED = "not_handled_within_48h"
    REJECTED_WITHOUT_REASON = "rejected_without_reason"
    NOT_QUALIFIED = "not_qualified_within_a_month"
    MISSING_ATTRIBUTION = "missing_attribution"


class ReviewRow(NamedTuple):
    """One lead breaking one rule; ``source`` is where it was read (``file:line``)."""

    lead_id: str
    month: Month
    rule: ReviewRule
    details: str
    source: str

    def cells(self) -> tuple[str, str, str, str, str]:
        """The row's cells in :data:`REVIEW_COLUMNS` order."""
        return (self.lead_id, str(self.month), self.rule.value, self.details, self.source)


def review_list(metrics: LeadMetrics) -> ReviewList:
    """Every lead of ``metrics``' export that breaks a rule, as of its "as of" instant.

    One pass per month over what measuring it derived: the leads its figures
    count as late, rejected without a reason and not qualified in time
    (``LeadMetrics._month``, so each rule is tested in one place), listed
    by lead id. A month whose figure is final has every such lead's window
    closed; only a pending month's leads are held to the "as of" instant.
    What depends on a day alone (the qualifying deadline of an acceptance on
    it and when that window closes, how its times are written) is worked out
    once per day, and a row's details only for the leads listed. The list is
    kept a column at a time (:class:`ReviewList`).
    """
    export = metrics.export
    days = export.days()
    if days is None:
        return ReviewList((), (), (), ())
    columns, zone, clock = export.columns, export.zone, metrics.clock
    ids, delivered, accepted, rejected = (
        columns.ids,
        columns.delivered,
        columns.accepted,
        columns.rejected,
    )
    reasons, handled, delivered_on = columns.reason, metrics._handled, metrics._delivered_at
    as_of = instant_us(metrics.as_of)
    shown, position = days.shown, days.position
    by_id = ids.__getitem__
    # The rows are found as four lists side by side (each row's month and rule, lead id,
    # position and details), not as a tuple per row: tuples the garbage collector would
    # walk again at each of the hundreds of collections a third of a million set off.
    keys: list[int] = []
    lead_ids: list[str] = []
    listed: list[int] = []
    texts: list[str] = []

    def add(key: int, positions: list[int], details: Iterable[str]) -> None:
        keys.extend(repeat(key, len(positions)))
        lead_ids.extend(map(by_id, positions))
        listed.extend(positions)
        texts.extend(details)

    hours, unit, closes = clock.describe(), clock.unit, clock.closes_us

    def late_details(i: int) -> str:
        start, end = delivered[i], handled[i]
        text = f"delivered {shown(start, delivered_on[i])}; "
        if end is not None:
            what = "accepted" if end == accepted[i] else "rejected with a reason"
            took = _tenths(clock.elapsed_us(start, end))
            text += f"{what} {shown(end, position(end))}, {took} {unit} after (limit {hours})"
        else:
            due = closes(start)
            text += (
                f"not accepted nor rejected with a reason by {shown(due, position(due))} ({hours})"
            )
        rejection = rejected[i]
        if rejection is not None and reasons[i] is None:
            text += f"; rejected {shown(rejection, position(rejection))} without a reason"
        return text

    deadline_of, qualified_on, one_day = metrics._deadline_of, columns.qualified, timedelta(days=1)
    closed = {  # the deadlines whose window has closed, each with what not qualifying by it says
        deadline: f"; not sales-qualified by {deadline} (one calendar month)"
        for deadline in set(deadline_of)
        if deadline is not None and as_of >= instant_us(zone.day_start(deadline + one_day))
    }
    accepted_at = metrics._accepted_at
    marketing, attribution, amounts, won_on = (
        columns.marketing,
        columns.attribution,
        columns.amount,
        columns.won,
    )
    for month in metrics.months:
        group = metrics._groups[month]
        figures = metrics._figures[month]
        key = (month.year * 12 + month.month - 1) * 4

        late = group.late
        if figures["followed_up_48h"].pending:  # only leads whose hours have run out
            late = [i for i in late if as_of >= closes(delivered[i])]
        late = sorted(late, key=by_id)
        add(key, late, map(late_details, late))

        silent = sorted(group.silent, key=by_id)
        when: list[int] = [rejected[i] for i in silent]  # type: ignore[misc]
        add(
            key + 1,
            silent,
            [
                f"rejected {text} without a reason"
                for text in days.shown_all(when, map(position, when))
            ],
        )

        unqualified = group.unqualified
        if figures["sal_to_sql"].pending:  # only leads whose month after acceptance has ended
            unqualified = [i for i in unqualified if deadline_of[i] in closed]
        unqualified = sorted(unqualified, key=by_id)
        add(
            key + 2,
            unqualified,
            [
                f"accepted {text}{closed[deadline]}"  # type: ignore[index]
                if (qualified := qualified_on[i]) is None
                else f"accepted {text}; became sales-qualified {qualified}, after {deadline} "
                "(one calendar month)"
                for i, text, deadline in zip(
                    unqualified,
                    days.shown_all(
                        [accepted[i] for i in unqualified],  # type: ignore[misc]
                        [accepted_at[i] for i in unqualified],
                    ),
                    [deadline_of[i] for i in unqualified],
                    strict=True,
                )
            ],
        )

        unattributed = sorted(
            [i for i in group.won if marketing[i] and attribution[i] is None], key=by_id
        )
        add(
            key + 3,
            unattributed,
            [
                f"won {won_on[i]} for {amounts[i]}; marketing generated, so counted for "
                "marketing, but the attribution field is empty"
                for i in unattributed
            ],
        )

    if not keys:
        return ReviewList((), (), (), ())
    files = list(map(columns.file.__getitem__, listed))
    lines = list(map(columns.line.__getitem__, listed))
    if None in files or None in lines:
        sources = tuple(map(columns.source, listed))
    else:
        sources = tuple(map("{}:{}".format, files, lines))
    return ReviewList(tuple(keys), tuple(lead_ids), tuple(texts), sources)


class ReviewList(Sequence[ReviewRow]):
    """The rows of the review list, in order: a sequence of :class:`ReviewRow`.

    Kept a column at a time -- lead ids, details and sources as text, the
    month and rule of each row as one number, ``month * 4 + rule`` -- and a
    row made when it is asked for: tuples of plain values, which Python's
    garbage collector stops following, rather than a third of a million rows
    it would walk again and again. :func:`review_csv` and
    :func:`review_document` write the columns as they are.
    """

    __slots__ = ("_details", "_ids", "_keys", "_months", "_sources")

    def __init__(
        self,
        keys: tuple[int, ...],
        ids: tuple[str, ...],
        details: tuple[str, ...],
        sources: tuple[str, ...],
    ) -> None:
        self._keys, self._ids, self._details, self._sources = keys, ids, details, sources
        self._months = {
            key: Month((key >> 2) // 12, (key >> 2) % 12 + 1) for key in dict.fromkeys(keys)
        }

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> ReviewRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[ReviewRow, ...]: ...

    def __getitem__(self, index: int | slice) -> ReviewRow | tuple[ReviewRow, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        key = self._keys[index]
        return ReviewRow(
            self._ids[index],
            self._months[key],
            _RULES[key & 3],
            self._details[index],
            self._sources[index],
        )

    def __iter__(self) -> Iterator[ReviewRow]:
        return map(
            tuple.__new__,
            repeat(ReviewRow),
            zip(
                self._ids,
                map(self._months.__getitem__, self._keys),
                map(_RULES.__getitem__, map(and_, self._keys, repeat(3))),
                self._details,
                self._sources,
                strict=True,
            ),
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReviewList):
            return (self._keys, self._ids, self._details, self._sources) == (
                other._keys,
                other._ids,
                other._details,
                other._sources,
            )
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._keys, self._ids, self._details, self._sources))

    def __repr__(self) -> str:
        return f"ReviewList({len(self)} rows)"

    def columns(self) -> tuple[tuple[str, ...], ...]:
        """The cells of every row a column at a time, in :data:`REVIEW_COLUMNS` order."""
        months = {key: str(month) for key, month in self._months.items()}
        rules = {key: _RULES[key & 3].value for key in self._months}
        return (
            self._ids,
            tuple(map(months.__getitem__, self._keys)),
            tuple(map(rules.__getitem__, self._keys)),
            self._details,
            self._sources,
        )


#: The rules by their order: a row's key is ``month * 4 + order``.
_RULES = tuple(ReviewRule)


def _tenths(us: int) -> str:
    """Microseconds as hours with one decimal, rounded half up: ``89.8``."""
    tenths = (20 * us + HOUR_US) // (2 * HOUR_US)
    return f"{tenths // 10}.{tenths % 10}"


def review_csv(rows: Iterable[ReviewRow]) -> str:
    """The rows as CSV text with :data:`REVIEW_COLUMNS`, every cell safe from formulas."""
    return csv_columns_text(REVIEW_COLUMNS, _columns(rows))


def review_document(rows: Iterable[ReviewRow]) -> list[dict[str, str]]:
    """The rows as JSON-ready dictionaries keyed by :data:`REVIEW_COLUMNS`."""
    return list(map(dict, map(zip, repeat(REVIEW_COLUMNS), zip(*_columns(rows), strict=True))))


def _columns(rows: Iterable[ReviewRow]) -> Sequence[Sequence[str]]:
    """The cells of ``rows`` a column at a time (:meth:`ReviewList.columns`)."""
    if isinstance(rows, ReviewList):
        return rows.columns()
    cells = [row.cells() for row in rows]
    if not cells:
        return tuple(() for _ in REVIEW_COLUMNS)
    return tuple(zip(*cells, strict=True))
