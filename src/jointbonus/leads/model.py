"""A lead and an export of leads: plain, immutable values, checked when made.

A :class:`Lead` holds what the metrics need and nothing else:

* ``delivered``, ``accepted`` and ``rejected`` are instants (aware
  datetimes, kept in UTC): the 48 hours are counted between them;
* ``qualified`` and ``won`` are the local days (plan time zone) the lead
  became sales-qualified and was won: both metrics count calendar days and
  months, and a CRM often records them as dates;
* ``amount`` is the amount won (a :class:`~decimal.Decimal`, at least 0),
  given exactly when ``won`` is;
* ``reason`` is the reason given for a rejection (``None``: none given);
* ``file`` and ``line`` say where the lead was read, when it was.

A lead's events follow its delivery: accepted and rejected at or after it
(a lead may be both: rejected, then accepted after all, or the reverse).
:class:`LeadExport` also checks what needs the plan time zone: qualified on
or after the day of acceptance (or of delivery, for a lead never accepted),
won on or after the day of delivery; and that each lead id is there once.

>>> from datetime import datetime, timezone
>>> lead = Lead("L1", datetime(2026, 1, 5, 9, tzinfo=timezone.utc), marketing=True,
...             rejected=datetime(2026, 1, 5, 15, tzinfo=timezone.utc))
>>> lead.handled is None, lead.rejected_without_reason
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, compress, repeat
from operator import and_, is_, is_not
from typing import NamedTuple, TypeVar

from jointbonus.core.number import D, NumberError
from jointbonus.errors import PlanError, Problem, problem
from jointbonus.leads.zone import UTC, DayTable, Zone, instant_us, us_instant

__all__ = ["Lead", "LeadColumns", "LeadExport", "handled_at", "rejected_silently"]


class _Facts(NamedTuple):
    id: str
    delivered: datetime
    marketing: bool
    accepted: datetime | None
    rejected: datetime | None
    reason: str | None
    qualified: date | None
    won: date | None
    amount: Decimal | None
    attribution: str | None
    file: str | None
    line: int | None


class Lead(_Facts):
    """One lead delivered to sales and what became of it (module docstring).

    Immutable: a named tuple of its facts, checked when made (aware times are
    kept in UTC); all but the first three are given by name. The reader makes
    leads it has checked itself without checking them again.
    """

    __slots__ = ()

    def __new__(
        cls,
        id: str,
        delivered: datetime,
        marketing: bool,
        *,
        accepted: datetime | None = None,
        rejected: datetime | None = None,
        reason: str | None = None,
        qualified: date | None = None,
        won: date | None = None,
        amount: Decimal | None = None,
        attribution: str | None = None,
        file: str | None = None,
        line: int | None = None,
    ) -> Lead:
        lead = tuple.__new__(
            cls,
            (id, delivered, marketing, accepted, rejected, reason, qualified, won, amount,
             attribution, file, line),
        )  # fmt: skip
        if (
            type(delivered) is datetime
            and delivered.tzinfo is UTC
            and (accepted is None or (type(accepted) is datetime and accepted.tzinfo is UTC))
            and (rejected is None or (type(rejected) is datetime and rejected.tzinfo is UTC))
            and isinstance(id, str)
            and id
            and type(marketing) is bool
            and (accepted is None or accepted >= delivered)
            and (rejected is None or rejected >= delivered)
            and (reason is None or (isinstance(reason, str) and reason))
            and (qualified is None or type(qualified) is date)
            and won is None
            and amount is None
            and (attribution is None or isinstance(attribution, str))
            and (file is None or isinstance(file, str))
            and (line is None or type(line) is int)
        ):
            return lead
        found = lead._problems()
        if found:
            raise PlanError(found)
        delivered, accepted, rejected = lead._times()
        return tuple.__new__(cls, (id, delivered, marketing, accepted, rejected, *lead[5:]))

    def _times(self) -> tuple[datetime, datetime | None, datetime | None]:
        """``delivered``, ``accepted`` and ``rejected`` in UTC (all checked to be aware)."""
        return (
            self.delivered.astimezone(UTC),
            None if self.accepted is None else self.accepted.astimezone(UTC),
            None if self.rejected is None else self.rejected.astimezone(UTC),
        )

    def _problems(self) -> list[Problem]:
        """Every problem of a lead made through the API; normalises aware times to UTC."""
        found: list[Problem] = []
        where = f"lead {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            found.append(problem("lead.id", self.id, "a lead id (text)"))
        if type(self.marketing) is not bool:
            found.append(problem(f"{where}.marketing", self.marketing, "True or False"))
        times: dict[str, datetime | None] = {}
        for name in ("delivered", "accepted", "rejected"):
            value = getattr(self, name)
            if value is None and name != "delivered":
                times[name] = None
            elif not isinstance(value, datetime) or value.tzinfo is None:
                found.append(problem(f"{where}.{name}", value, "an aware datetime (with its zone)"))
                times[name] = None
            else:
                try:
                    times[name] = value.astimezone(UTC)
                except (OverflowError, ValueError):
                    found.append(problem(f"{where}.{name}", value, "a datetime in range"))
                    times[name] = None
        delivered = times["delivered"]
        for name in ("accepted", "rejected"):
            value = times[name]
            if value is not None and delivered is not None and value < delivered:
                found.append(
                    problem(
                        f"{where}.{name}", value, f"a time on or after the delivery {delivered}"
                    )
                )
        if self.reason is not None and (not isinstance(self.reason, str) or not self.reason):
            found.append(problem(f"{where}.reason", self.reason, "a reason (text), or None"))
        for name in ("qualified", "won"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
                found.append(problem(f"{where}.{name}", value, "a date (the local day)"))
        if (self.won is None) is not (self.amount is None):
            found.append(
                problem(f"{where}.amount", self.amount, "an amount exactly when the lead was won")
            )
        if self.amount is not None:
            try:
                if not isinstance(self.amount, Decimal) or D(self.amount) < 0:
                    raise NumberError("not an amount")
            except NumberError:
                found.append(problem(f"{where}.amount", self.amount, "a Decimal of at least 0"))
        if self.attribution is not None and not isinstance(self.attribution, str):
            found.append(problem(f"{where}.attribution", self.attribution, "text, or None"))
        if self.file is not None and not isinstance(self.file, str):
            found.append(problem(f"{where}.file", self.file, "a file name, or None"))
        if self.line is not None and type(self.line) is not int:
            found.append(problem(f"{where}.line", self.line, "a line number, or None"))
        return found

    @property
    def handled(self) -> datetime | None:
        """When sales handled the lead: the first of its acceptance and a rejection with a reason.

        A rejection without a reason does not handle a lead (:func:`handled_at`).
        """
        return handled_at((self.accepted,), (self.rejected,), (self.reason,))[0]

    @property
    def rejected_without_reason(self) -> bool:
        """Whether sales rejected the lead without giving a reason (:func:`rejected_silently`)."""
        return rejected_silently((self.rejected,), (self.reason,))[0]

    @property
    def source(self) -> str:
        """Where the lead was read, ``file:line``, or ``(API)``."""
        if self.file is None:
            return "(API)"
        return self.file if self.line is None else f"{self.file}:{self.line}"


#: An instant: an aware datetime, or whole microseconds since 1970 UTC (:func:`instant_us`).
_Instant = TypeVar("_Instant", datetime, int)
_NONES = repeat(None)


def _present(values: Sequence[_Instant | None]) -> Iterator[_Instant]:
    """The values that are not ``None``."""
    return compress(values, map(is_not, values, _NONES))  # type: ignore[arg-type]


def handled_at(
    accepted: Iterable[_Instant | None],
    rejected: Iterable[_Instant | None],
    reasons: Iterable[str | None],
) -> list[_Instant | None]:
    """When each lead was handled, from its acceptance, rejection and reason side by side:
    the first of its acceptance and a rejection with a reason (``None``: never).

    A rejection without a reason does not handle a lead. The rule's one statement:
    a lead's :attr:`Lead.handled`, and a whole export's (:meth:`LeadColumns.handled`).
    """
    return [
        accepted
        if rejected is None or reason is None
        else rejected
        if accepted is None or rejected < accepted
        else accepted
        for accepted, rejected, reason in zip(accepted, rejected, reasons, strict=True)
    ]


def rejected_silently(
    rejected: Iterable[_Instant | None], reasons: Iterable[str | None]
) -> list[bool]:
    """Whether each lead was rejected without a reason, from its rejection and reason side
    by side. The rule's one statement: a lead's :attr:`Lead.rejected_without_reason`, and
    a whole export's (:meth:`LeadColumns.rejected_silently`)."""
    return list(map(and_, map(is_not, rejected, _NONES), map(is_, reasons, _NONES)))


@dataclass(frozen=True, slots=True, eq=True)
class LeadColumns:
    """The leads of an export a fact at a time: a list per fact, a lead per position.

    The facts of :class:`Lead`, with its instants as whole microseconds
    since 1970-01-01 UTC (:func:`~jointbonus.leads.zone.instant_us`): the
    metrics and the review list compare and subtract ints, and half a
    million leads are a dozen tuples rather than half a million tuples of
    datetimes. Tuples of plain values, which Python's garbage collector
    stops following once it has seen them (lists it would walk again at
    every full collection).
    """

    ids: tuple[str, ...]
    delivered: tuple[int, ...]
    marketing: tuple[bool, ...]
    accepted: tuple[int | None, ...]
    rejected: tuple[int | None, ...]
    reason: tuple[str | None, ...]
    qualified: tuple[date | None, ...]
    won: tuple[date | None, ...]
    amount: tuple[Decimal | None, ...]
    attribution: tuple[str | None, ...]
    file: tuple[str | None, ...]
    line: tuple[int | None, ...]

    @classmethod
    def of(cls, leads: Sequence[Lead]) -> LeadColumns:
        """The columns of ``leads`` (checked, their instants in UTC)."""
        if not leads:
            return cls((), (), (), (), (), (), (), (), (), (), (), ())
        facts = list(zip(*leads, strict=True))
        for index in (1, 3, 4):  # delivered, accepted, rejected
            facts[index] = tuple(None if t is None else instant_us(t) for t in facts[index])
        return cls(*facts)

    def __len__(self) -> int:
        return len(self.ids)

    def leads(self) -> tuple[Lead, ...]:
        """The leads, as :class:`Lead` values."""
        new, instant = tuple.__new__, us_instant
        return tuple(
            new(Lead, (lead_id, instant(delivered), marketing,
                       None if accepted is None else instant(accepted),
                       None if rejected is None else instant(rejected), *rest))
            for lead_id, delivered, marketing, accepted, rejected, *rest in zip(
                *(getattr(self, f.name) for f in fields(self)), strict=True
            )
        )  # fmt: skip

    def handled(self) -> tuple[int | None, ...]:
        """:attr:`Lead.handled` of each lead (:func:`handled_at`)."""
        return tuple(handled_at(self.accepted, self.rejected, self.reason))

    def rejected_silently(self) -> tuple[bool, ...]:
        """:attr:`Lead.rejected_without_reason` of each lead (:func:`rejected_silently`)."""
        return tuple(rejected_silently(self.rejected, self.reason))

    def source(self, index: int) -> str:
        """:attr:`Lead.source` of the lead at ``index``."""
        file, line = self.file[index], self.line[index]
        if file is None:
            return "(API)"
        return file if line is None else f"{file}:{line}"


class LeadExport:
    """The leads of one or more exports, and the plan time zone their times are read in.

    ``time_zone``: an IANA name, or ``None`` for UTC (see
    :mod:`jointbonus.leads.zone`). Made from leads built in Python, it checks
    what needs the time zone (module docstring) and that each id is there
    once, raising :class:`~jointbonus.errors.PlanError` with every problem.
    """

    __slots__ = ("_by_id", "_days", "_leads", "columns", "zone")

    def __init__(self, leads: Iterable[Lead], time_zone: str | None = None) -> None:
        listed: tuple[Lead, ...] = tuple(leads)
        self.zone = Zone(time_zone)
        found: list[Problem] = []
        first: dict[str, Lead] = {}
        for lead in listed:
            if not isinstance(lead, Lead):
                found.append(problem("leads", lead, "Lead values"))
                continue
            if lead.id in first:
                found.append(
                    problem(
                        f"lead {lead.id!r}",
                        lead.source,
                        f"each lead once (also at {first[lead.id].source})",
                    )
                )
                continue
            first[lead.id] = lead
            found.extend(_order_problems(lead, self.zone))
        if found:
            raise PlanError(found)
        self._leads: tuple[Lead, ...] | None = listed
        self.columns = LeadColumns.of(listed)
        self._by_id: dict[str, int] | None = None
        self._days: DayTable | None = None

    @classmethod
    def _checked(cls, columns: LeadColumns, zone: Zone) -> LeadExport:
        """An export of leads the reader has already checked, each id once and in order."""
        export = cls.__new__(cls)
        export.columns = columns
        export.zone = zone
        export._leads = None
        export._by_id = None
        export._days = None
        return export

    @property
    def leads(self) -> tuple[Lead, ...]:
        """The leads, in the order read (made from :attr:`columns` when first asked for)."""
        if self._leads is None:
            self._leads = self.columns.leads()
        return self._leads

    @property
    def time_zone(self) -> str | None:
        """The plan time zone's name; ``None``: UTC."""
        return self.zone.name

    def days(self) -> DayTable | None:
        """The local days from the first delivery to the last event with a time of day
        (``None``: no leads)."""
        if self._days is None and self.columns.ids:
            columns = self.columns
            first = min(columns.delivered)  # accepted and rejected follow the delivery
            last = max(
                chain(columns.delivered, _present(columns.accepted), _present(columns.rejected))
            )
            self._days = DayTable(self.zone, first, last)
        return self._days

    def lead(self, lead_id: str) -> Lead:
        """The lead with id ``lead_id`` (``KeyError`` if there is none)."""
        if self._by_id is None:
            self._by_id = {lead_id: index for index, lead_id in enumerate(self.columns.ids)}
        return self.leads[self._by_id[lead_id]]

    def __len__(self) -> int:
        return len(self.columns)

    def __iter__(self) -> Iterator[Lead]:
        return iter(self.leads)

    def __repr__(self) -> str:
        return f"LeadExport({len(self)} leads, time_zone={self.zone.name!r})"


def _order_problems(lead: Lead, zone: Zone) -> list[Problem]:
    """The day-level order problems of ``lead`` in ``zone``: qualified and won too early."""
    found: list[Problem] = []
    if lead.qualified is not None:
        start = lead.accepted if lead.accepted is not None else lead.delivered
        if lead.qualified < zone.local_day(start):
            what = "acceptance" if lead.accepted is not None else "delivery"
            found.append(
                problem(
                    f"lead {lead.id!r}.qualified",
                    lead.qualified,
                    f"a day on or after the {what} ({zone.shown(start)})",
                )
            )
    if lead.won is not None and lead.won < zone.local_day(lead.delivered):
        found.append(
            problem(
                f"lead {lead.id!r}.won",
                lead.won,
                f"a day on or after the delivery ({zone.shown(lead.delivered)})",
            )
        )
    return found
