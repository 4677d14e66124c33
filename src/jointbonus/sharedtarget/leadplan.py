"""A plan's functional actuals taken from its lead export: the ``[leads]`` section.

A plan file may name a CRM's lead export (``[leads]``: the files, the
mapping of their columns, the plan time zone, an optional business-hours
calendar and the "as of" instant the export was taken) and take a
functional metric's actuals from it (``[metrics.<metric>] source = "leads"``,
``figure = "followed_up_48h"``). The rules:

* the leads are read and measured by :mod:`jointbonus.leads`; every problem
  of the export is located by file, line and column, like a CSV file's;
* a plan month's actual is the month's lead figure once it is final; while
  its window is open (as of the plan's ``as_of``) the month is **pending**,
  as a month without an actual always is, and so is a month whose share has
  nothing to divide (no leads delivered, none accepted);
* a history month's actual is its lead figure, which must be final, in a
  month the export covers (from its first month with a lead on);
* a count is taken as it is; a share as its exact value rounded half away
  from zero to six decimals (:data:`PLACES`), as the lead metrics' files
  publish it -- the published figure is the input the plan pays on, and
  everything from it on is exact;
* an actual typed in the plan months or history file for such a metric must
  agree with the leads: a count exactly, a share when the lead figure rounded
  to the typed value's decimals is that value. A typed actual for a month
  whose figure is pending, or that disagrees, is refused with the lead figure
  it should be.

Only the loader uses this module: the engine and the pay rule never see a
lead, only the actuals it gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from jointbonus.core.number import decimal_places, decimal_text, round_half_up
from jointbonus.core.periods import Month
from jointbonus.errors import PlanError
from jointbonus.io.reading import Collector, inside, read_settings, toml_key_line
from jointbonus.leads.clocks import BusinessHours
from jointbonus.leads.mapping import MAPPINGS, DealStage, LeadMapping, LeadStatus
from jointbonus.leads.metrics import SHARES, Figure, LeadMetrics, measure
from jointbonus.leads.reader import read_leads
from jointbonus.sharedtarget.plan import LeadSources
from jointbonus.sharedtarget.schema import LEAD_FIGURES, LeadsSection, PlanFile

__all__ = ["PLACES", "LeadActuals", "actual_of", "lead_actuals", "load_lead_metrics"]

#: Decimals a share taken from the leads is published with.
PLACES = 6


@dataclass(frozen=True)
class LeadActuals:
    """What the leads give a plan: the sources, and each lead metric's actuals by month."""

    sources: LeadSources
    plan: Mapping[str, Mapping[Month, Decimal]]
    """Plan metric -> final actual of each plan month (pending months left out)."""
    history: Mapping[str, Mapping[Month, Decimal]]
    """Plan metric -> actual of each history month."""
    counts: Mapping[str, Mapping[Month, tuple[Decimal, Decimal]]] = field(default_factory=dict)
    """Plan metric that is a share -> ``(part, whole)`` of each month with a final figure,
    plan and history months alike (a plan month with nothing to divide included):
    what a goal over a longer period takes the period's share from."""


def actual_of(figure: Figure) -> Decimal | None:
    """The plan actual a final figure gives: a count as it is, a share to :data:`PLACES`.

    ``None`` for a figure without a value (a share of nothing).
    """
    value = figure.value
    if value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(decimal_text(value, PLACES))


def _agrees(typed: Decimal, value: int | Fraction) -> bool:
    """Whether a typed actual is the lead figure: exactly, or rounded to its decimals."""
    if isinstance(value, int):
        return Fraction(typed) == value
    places = decimal_places(typed)
    return bool(round_half_up(value * 10**places) == Fraction(typed) * 10**places)


def figure_words(figure: Figure) -> str:
    """A figure and what makes it, for a message: ``0.881890 (112/127)``."""
    value = figure.value
    if value is None:
        return "none (nothing to divide)"
    if isinstance(value, int):
        return str(value)
    return f"{decimal_text(value, PLACES)} ({figure.numerator}/{figure.denominator})"


def _mapping(section: LeadsSection, shown: str, text: str, problems: Collector) -> LeadMapping:
    """The mapping the section describes: a default, with its columns and lists replaced."""
    base = MAPPINGS[section.mapping]
    changes: dict[str, object] = {}
    for field_name, column in section.columns.items():
        changes[field_name] = (
            column if column.strip() or field_name not in ("status", "stage") else None
        )
    if changes.get("status", base.status) is None:
        changes["statuses"] = {}
    if changes.get("stage", base.stage) is None:
        changes["stages"] = {}
    if section.date_order is not None:
        changes["date_order"] = section.date_order
    for kind in ("marketing_sources", "other_sources"):
        values = getattr(section, kind)
        if values is not None:
            changes[kind] = frozenset(values)
    if section.statuses is not None:
        changes["statuses"] = {k: LeadStatus(v) for k, v in section.statuses.items()}
    if section.stages is not None:
        changes["stages"] = {k: DealStage(v) for k, v in section.stages.items()}
    if not changes:
        return base
    try:
        return replace(base, **changes)  # type: ignore[arg-type]
    except PlanError as error:
        for found in error.problems:
            key = found.field.removeprefix("mapping.")
            setting = ("leads", "columns", key) if key in section.columns else ("leads", key)
            problems.add(
                shown, toml_key_line(text, setting), ".".join(setting), found.value, found.expected
            )
        return base


def _business_hours(section: LeadsSection) -> BusinessHours | None:
    hours = section.business_hours
    if hours is None:
        return None
    return BusinessHours(
        frozenset(hours.weekdays), hours.start, hours.end, frozenset(hours.holidays)
    )


def _measured(
    section: LeadsSection, folder: Path, shown: str, text: str, problems: Collector
) -> LeadMetrics | None:
    """The lead figures of the section's export, or ``None`` (and its problems)."""
    before = len(problems.problems)
    mapping = _mapping(section, shown, text, problems)
    paths = [
        inside(folder, name, shown, "leads.files", text=text, problems=problems)
        for name in section.files
    ]
    if len(problems.problems) > before:
        return None
    found = [path for path in paths if path is not None]
    try:
        export = read_leads(
            *found, mapping=mapping, time_zone=section.time_zone, names=section.files
        )
    except PlanError as error:
        for item in error.problems:
            if item.file == "(time zone)":
                line = toml_key_line(text, ("leads", "time_zone"))
                problems.add(shown, line, "leads.time_zone", item.value, item.expected)
            else:
                problems.problems.append(item)
        return None
    return measure(
        export,
        section.as_of,
        business_hours=_business_hours(section),
        handling_hours=section.handling_hours,
    )


def load_lead_metrics(path: str | Path) -> LeadMetrics:
    """The lead figures of the plan file at ``path``'s ``[leads]`` section, as of its ``as_of``.

    Only the plan file and the export are read. Raises
    :class:`~jointbonus.errors.PlanError` with every problem of either, or
    when the plan has no ``[leads]`` section.
    """
    plan_path = Path(path)
    problems = Collector([])
    settings, text, _data = read_settings(plan_path, PlanFile, problems)
    shown = plan_path.name
    if settings is not None and settings.leads is None:
        problems.add(
            shown, None, "leads", None, "a [leads] section naming the lead export to measure"
        )
    if settings is None or settings.leads is None:
        raise PlanError(problems.problems)
    from_path = plan_path.resolve().parent
    metrics = _measured(settings.leads, from_path, shown, text, problems)
    if metrics is None:
        raise PlanError(problems.problems)
    return metrics


def lead_actuals(
    settings: PlanFile,
    *,
    folder: Path,
    shown: str,
    text: str,
    months: Sequence[Month],
    typed: Mapping[str, Mapping[Month, tuple[str, int, Decimal | None]]],
    problems: Collector,
) -> LeadActuals | None:
    """The actuals the plan's lead export gives its lead metrics (module docstring).

    ``months`` are the plan's months and ``typed`` the actuals the CSV files
    give each lead metric: ``{metric: {month: (file, line, cell)}}`` for every
    plan and history month. Problems are added to ``problems``; ``None`` when
    the plan takes nothing from leads or the export cannot be measured.
    """
    wanted = settings.from_leads
    for metric, named in wanted.items():
        if named not in LEAD_FIGURES:
            setting = ("metrics", metric, "figure")
            problems.add(
                shown,
                toml_key_line(text, setting),
                ".".join(setting),
                named,
                f"the lead figure metric {metric} takes its actuals from, one of "
                f"{', '.join(LEAD_FIGURES)} (metric {metric} is not one: name it)",
            )
    if settings.leads is None:
        for metric in wanted:
            setting = ("metrics", metric, "source")
            problems.add(
                shown,
                toml_key_line(text, setting),
                ".".join(setting),
                "leads",
                "a [leads] section naming the lead export the actuals come from",
            )
        return None
    metrics = _measured(settings.leads, folder, shown, text, problems)
    if metrics is None or any(named not in LEAD_FIGURES for named in wanted.values()):
        return None
    first = metrics.months[0] if metrics.months else None
    plan_months = set(months)
    plan: dict[str, dict[Month, Decimal]] = {}
    history: dict[str, dict[Month, Decimal]] = {}
    counts: dict[str, dict[Month, tuple[Decimal, Decimal]]] = {}
    for metric, name in wanted.items():
        plan[metric], history[metric] = {}, {}
        counted: dict[Month, tuple[Decimal, Decimal]] | None = None
        if name in SHARES:
            counted = counts[metric] = {}
        for month, (file, line, cell) in sorted(typed.get(metric, {}).items()):
            in_plan = month in plan_months
            figure = metrics.figure(month, name)
            column = f"{metric}_actual"
            words = f"the leads' {name} for {month}"
            if first is None or month < first:
                covers = f"from {first}" if first is not None else "no month"
                problems.add(
                    file,
                    line,
                    column,
                    cell,
                    f"a month the lead export covers ({covers}): {words} "
                    "cannot be measured from it",
                )
                continue
            if figure.pending:
                if in_plan and cell is None:
                    continue
                problems.add(
                    file,
                    line,
                    column,
                    cell,
                    f"an empty cell: {words} is still pending as of "
                    f"{settings.leads.as_of.isoformat()} (its window closes "
                    f"{figure.closes.isoformat()})"
                    if in_plan
                    else f"a final figure: {words} is still pending as of "
                    f"{settings.leads.as_of.isoformat()} (its window closes "
                    f"{figure.closes.isoformat()}); a history month must be over",
                )
                continue
            value = actual_of(figure)
            if (
                counted is not None
                and figure.denominator is not None
                and (value is not None or in_plan)
            ):
                counted[month] = (Decimal(figure.numerator), Decimal(figure.denominator))
            if (value is None or figure.value is None) and in_plan and cell is None:
                continue  # a share of nothing: the month has no actual, as if pending
            if value is None or figure.value is None:
                problems.add(
                    file,
                    line,
                    column,
                    cell,
                    f"a month the leads give {name} for: {words} has nothing to "
                    f"divide ({figure.denominator or 0} leads)",
                )
                continue
            if cell is not None and not _agrees(cell, figure.value):
                problems.add(
                    file,
                    line,
                    column,
                    cell,
                    f"the leads' figure {figure_words(figure)}, or an empty cell: metric "
                    f'{metric} takes its actuals from the leads (source = "leads")',
                )
                continue
            (plan if in_plan else history)[metric][month] = value
    sources = LeadSources(
        files=tuple(settings.leads.files),
        mapping=settings.leads.mapping,
        metrics=dict(wanted),
        measured=metrics,
    )
    return LeadActuals(sources, plan, history, counts)
