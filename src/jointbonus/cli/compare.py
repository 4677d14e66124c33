"""``jointbonus compare``: two designs of a shared-target plan side by side.

::

    jointbonus compare PLAN_A PLAN_B [--format table|json] [--picture FILE.svg|FILE.png]
                       [--method auto|exact|bootstrap] [--years N] [--seed S]

Both plans are loaded and checked first, each problem located in its own
file; then the designs are compared on their shared history and roster
(:func:`~jointbonus.sharedtarget.compare.compare_plans`), the picture is
written (complete or not at all), and the table or JSON document printed.
A gainsharing plan is refused: it has no shared target to compare. The
command's parser is in :mod:`jointbonus.cli.commands`; this module is
imported when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jointbonus.cli.kinds import kind_of
from jointbonus.errors import JointBonusError, PlanError, problem
from jointbonus.io.files import write_bytes
from jointbonus.io.render import render_json
from jointbonus.sharedtarget.compare import Comparison, compare_plans
from jointbonus.sharedtarget.loader import load_plan
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.compare import (
    comparison_document,
    comparison_svg,
    render_comparison_table,
)

__all__ = ["PICTURES", "PlanInputError", "compare_command", "load_pair"]

#: The picture formats ``--picture`` writes, by file name ending.
PICTURES = (".svg", ".png")


class PlanInputError(JointBonusError, ValueError):
    """A problem of one of the two plans: ``path`` is the plan it is in."""

    def __init__(self, path: Path, cause: JointBonusError | str) -> None:
        super().__init__(str(cause))
        self.path = path


def load_pair(arguments: argparse.Namespace) -> tuple[Plan, Plan]:
    """The two plans, each checked; a problem is a :class:`PlanInputError` naming its plan."""
    picture: Path | None = arguments.picture
    if picture is not None and picture.suffix.lower() not in PICTURES:
        raise PlanInputError(
            picture,
            PlanError([problem("--picture", str(picture), "a file name ending in .svg or .png")]),
        )
    plans = []
    for path in (arguments.plan, arguments.other):
        if kind_of(path).NAME != "shared-target":
            raise PlanInputError(
                path,
                "`jointbonus compare` compares shared-target plans; this is a gainsharing "
                "plan, with no shared target, budget neutrality or cost risk to compare",
            )
        try:
            plans.append(load_plan(path))
        except JointBonusError as error:
            raise PlanInputError(path, error) from None
    return plans[0], plans[1]


def compare_command(arguments: argparse.Namespace, plans: tuple[Plan, Plan]) -> str:
    """The comparison of ``plans`` in the chosen format; the picture written first."""
    picture: Path | None = arguments.picture
    png = picture is not None and picture.suffix.lower() == ".png"
    if png:  # the extra is there before any work is done
        from jointbonus.sharedtarget.plots import matplotlib_version  # noqa: PLC0415

        matplotlib_version()
    a, b = plans
    comparison = compare_plans(
        a,
        b,
        labels=(f"{a.name} ({arguments.plan})", f"{b.name} ({arguments.other})"),
        method=arguments.method,
        years=arguments.years,
        seed=arguments.seed,
    )
    if picture is not None:
        write_bytes(picture, _picture(comparison, png=png))
    if arguments.format == "json":
        return render_json(comparison_document(comparison))
    return render_comparison_table(comparison)


def _picture(comparison: Comparison, *, png: bool) -> bytes:
    if png:
        from jointbonus.sharedtarget.plots import draw_comparison  # noqa: PLC0415

        return draw_comparison(comparison)
    return comparison_svg(comparison).encode("utf-8")
