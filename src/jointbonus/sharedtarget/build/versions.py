"""A plan's later versions: a new design from a month on, checked as a whole plan.

A version restates only what changes (:class:`VersionSpec`); whatever it
leaves out carries over from the version before. Each version's design is
built by :func:`~jointbonus.build_plan` itself, with the plan's own
arguments and the version's changes, so a version is checked by the very
rules a plan is. What cannot change mid-plan (the currency, the months, the
roster, the history, the metric, the funding style, the neutrality) is
simply not a field of a version.

A problem of a version is named ``versions[<k>].<argument>`` (``k`` from 0 for
the first later version), so that the loader can point at the ``[[versions]]``
table and setting it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from jointbonus.core.curves import Curve
from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError, PlanError
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.goals import MetricSpec, TeamSpec
from jointbonus.sharedtarget.plan import Plan, PlanVersion, Split

__all__ = ["CALIBRATE", "NONE", "VersionSpec", "build_versions", "used_metrics"]

CALIBRATE = "calibrate"
"""A version's ``scale``: calibrate the version's scale (for a plan whose scale was fixed)."""
NONE = "none"
"""A version's gate or cap: the version has none (where the version before had one)."""

Setting = Decimal | str | int | None


@dataclass(frozen=True, slots=True)
class VersionSpec:
    """What a later version of a plan changes, from its first month ``start`` on.

    Each field left ``None`` carries over from the version before. ``scale``
    fixes the version's pool at target (or target bonus multiplier), or is
    ``"calibrate"``; ``teams`` restates the teams it names (each one's shared
    weight or wanted expected split, and its goals), the others carrying over;
    a gate or cap of ``"none"`` removes it.
    """

    start: str | Month
    curve: Curve | None = None
    scale: Setting = None
    split: Split | str | None = None
    teams: Sequence[str | TeamSpec] | None = None
    functional_gate: Setting = None
    shared_gate: Setting = None
    cap_per_month: Setting = None
    cap_per_year: Setting = None


_CARRIED = (
    "curve",
    "scale",
    "split",
    "teams",
    "functional_gate",
    "shared_gate",
    "cap_per_month",
    "cap_per_year",
)


def used_metrics(
    teams: Sequence[str | TeamSpec], metrics: Sequence[MetricSpec]
) -> list[MetricSpec]:
    """The metrics ``teams``' goals measure, in ``metrics``' order."""
    measured = {g.metric for t in teams if isinstance(t, TeamSpec) for g in t.goals}
    return [m for m in metrics if m.name in measured]


def build_versions(
    checks: Checks,
    specs: Sequence[VersionSpec],
    arguments: Mapping[str, Any],
    first: Plan,
    build: Callable[..., Plan],
) -> tuple[PlanVersion, ...]:
    """Each later version's design, built with ``build`` from the plan's ``arguments``
    and the changes of every version up to it; problems are added to ``checks``."""
    calendar = [m.month for m in first.months]
    current = dict(arguments)
    metrics: Sequence[MetricSpec] = current.pop("metrics", ())
    built: list[PlanVersion] = []
    previous = calendar[0] if calendar else None
    for k, spec in enumerate(specs):
        at = f"versions[{k}]"
        if not isinstance(spec, VersionSpec):
            checks.add(at, spec, "a VersionSpec")
            continue
        start = _start(checks, spec.start, f"{at}.from", calendar, previous)
        if start is not None:
            previous = start
        for name in _CARRIED:
            value = getattr(spec, name)
            if value is None:
                continue
            removed = CALIBRATE if name == "scale" else NONE
            if isinstance(value, str) and value == removed:
                value = None
            if name == "teams":
                value = _merged_teams(current.get("teams", ()), value)
            current[name] = value
        try:
            design = build(**current, metrics=used_metrics(current.get("teams", ()), metrics))
        except PlanError as error:
            checks.problems.extend(replace(p, field=f"{at}.{p.field}") for p in error.problems)
            continue
        if design.norm.sample != first.norm.sample:
            longer = next((p for p in (design, first) if p.goals_over_longer), None)
            why = (
                f" (goals over the {longer.goal_length.noun} read only the historical "
                f"{longer.goal_length.noun}s, aligned with the plan's, that history holds whole)"
                if longer is not None and design.goal_length is not first.goal_length
                else ""
            )
            checks.add(
                f"{at}.teams",
                f"{len(design.norm.sample)} historical months",
                f"goals whose metrics have history in the same {len(first.norm.sample)} months "
                f"as the plan's: a version may not change the history calibration reads{why}",
            )
            continue
        keys = [g.key for g in first.goals]
        if [g.key for g in design.goals] != keys:
            checks.add(
                f"{at}.teams",
                ", ".join(g.key for g in design.goals) or "no goals",
                f"the plan's goals ({', '.join(keys) or 'none'}), in that order: a version may "
                "change each goal's weight, curve and gate and each team's shared weight or "
                "split, not which goals there are",
            )
            continue
        if start is not None:
            built.append(PlanVersion(start, calendar.index(start), design))
    return tuple(built)


def _merged_teams(
    before: Sequence[str | TeamSpec], restated: Sequence[str | TeamSpec]
) -> list[str | TeamSpec]:
    """The teams of the version before, each restated one replaced (a team not restated
    carries over); a team new to the plan comes last."""
    named = {_team_name(t): t for t in restated}
    merged = [named.pop(_team_name(t), t) for t in before]
    return [*merged, *named.values()]


def _team_name(team: str | TeamSpec) -> str:
    return team.name if isinstance(team, TeamSpec) else team


def _start(
    checks: Checks, value: object, name: str, calendar: Sequence[Month], previous: Month | None
) -> Month | None:
    """A version's first month: a plan month after the first and after the version before."""
    try:
        month = value if isinstance(value, Month) else Month.parse(str(value))
    except JointBonusError:
        checks.add(name, value, "the version's first month, written YYYY-MM")
        return None
    if month not in calendar[1:]:
        span = f"{calendar[1]} to {calendar[-1]}" if len(calendar) > 1 else "none: one month"
        checks.add(name, value, f"a month of the plan after its first ({span})")
        return None
    if previous is not None and month <= previous:
        checks.add(name, value, f"a month after {previous}: versions are in month order")
        return None
    return month
