"""Where a loaded plan's inputs for one member and month are: the files and lines."""

from __future__ import annotations

from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.explain.model import Sources
from jointbonus.sharedtarget.plan import Plan

__all__ = ["find_sources"]


def find_sources(plan: Plan, member_id: str, month: str | Month) -> Sources:
    """Where ``plan``'s inputs for ``member_id`` and ``month`` are: files and lines.

    Read from the plan's :class:`~jointbonus.sharedtarget.plan.Provenance`;
    a plan built in Python has none, and gets empty sources.
    """
    source = plan.provenance
    if source is None:
        return Sources()
    try:
        wanted: Month | None = month if isinstance(month, Month) else Month.parse(month)
    except JointBonusError:
        wanted = None

    def located(name: str, line: int | None) -> str:
        return name if line is None else f"{name}:{line}"

    return Sources(
        plan=source.plan_file,
        member=located(source.roster_file, source.member_lines.get(member_id)),
        month=located(
            source.months_file, source.month_lines.get(wanted) if wanted is not None else None
        ),
        history=source.history_file,
    )
