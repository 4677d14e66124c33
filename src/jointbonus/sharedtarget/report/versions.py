"""The Markdown views of a plan's versions: which version paid each month, and why each is neutral.

The JSON of them is :func:`~jointbonus.sharedtarget.report.documents.versions_document`.
A plan without later versions shows none of this, so its outputs are the
same as before versions existed. A plan with them shows, in the JSON, the
tables and the transparency report, each version's months, curve, scale,
weights and the evidence that the change was neutral: the cost it was
neutral to (the budget for the first version; for a later one, what the
version before was expected to cost in its months), its expected cost of
its months, its residual and rounding bound.
"""

from __future__ import annotations

from jointbonus.core.money import Currency
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from jointbonus.sharedtarget.report.documents import (
    minor_text,
    number_text,
    ratio_text,
)
from jointbonus.sharedtarget.report.pages import cap_limits, md
from jointbonus.sharedtarget.results import Result
from jointbonus.sharedtarget.versions import VersionCalibration, plan_expected_cost

__all__ = ["goal_periods_text", "version_label", "version_sentences", "versions_lines"]


def version_label(version: VersionCalibration) -> str:
    """``2 (from 2026-07)``."""
    return f"{version.number} (from {version.start})"


def _months_text(version: VersionCalibration) -> str:
    first, last = version.months[0], version.months[-1]
    return str(first) if first == last else f"{first} to {last}"


def goal_periods_text(version: VersionCalibration) -> str:
    """``goals over 2026-Q2, 2026-Q3, 2026-Q4``: the goal periods, longer than the shared
    one, whose goals the version pays (a plan year by its label, months and all); ``""``
    where its goals run otherwise."""
    periods = version.goal_periods
    if not periods:
        return ""
    quarters = version.design.goal_length is PeriodLength.QUARTER
    return "goals over " + ", ".join(
        p.label.split(" ", 1)[0] if quarters else p.label for p in periods
    )


def _paid_text(version: VersionCalibration) -> str:
    """The version's months, and the goal periods it pays where they are longer."""
    goals = goal_periods_text(version)
    return _months_text(version) + (f" ({goals})" if goals else "")


def versions_lines(plan: Plan, versions: tuple[VersionCalibration, ...]) -> list[str]:
    """The Markdown section on ``plan``'s versions (none for a plan without versions):
    ``jointbonus run``'s and ``jointbonus calibrate``'s."""
    if not versions:
        return []
    currency = plan.currency
    code = currency.code
    out = [
        "## Plan versions",
        "",
        "The plan changed from a month on. Each month is paid by the version in force for "
        "it. Each change is itself neutral: a later version is calibrated so that its "
        "expected cost from its first month to the plan's end equals what the version "
        "before was expected to cost in those months, so the year is still expected to "
        "cost the budget.",
        "",
        f"| Version | Months | Curve | Scale | Shared weights | Neutral to ({code}) "
        f"| Expected cost ({code}) | Residual ({code}) | Bound ({code}) |",
        "|---|---|---|--:|---|--:|--:|--:|--:|",
    ]
    for version in versions:
        design = version.design
        calibration = version.calibration
        weights = (
            ", ".join(
                f"{md(w.team)} {number_text(w.nominal)}"
                + (f" (for {ratio_text(w.wanted)} expected)" if w.wanted is not None else "")
                for w in calibration.weights
            )
            or "all shared"
        )
        scale = minor_text(currency, calibration.scale * currency.scale)
        if design.funding is not FundingStyle.POOL:
            scale = f"x {number_text(calibration.scale)}"
        out.append(
            f"| {version_label(version)} | {_paid_text(version)} "
            f"| {md(design.curve.describe())} | {scale} | {weights} "
            f"| {_neutral_to(version, currency)} "
            f"| {_expected(version, currency)} "
            f"| {minor_text(currency, calibration.residual, 4)} "
            f"| {minor_text(currency, calibration.rounding_bound, 4)} |"
        )
    year = minor_text(currency, plan_expected_cost(versions))
    out += [
        "",
        f"The year's expected cost, each month by the version in force for it: {year} {code}.",
        "",
        *_caps_lines(versions),
    ]
    return out


def _caps_lines(versions: tuple[VersionCalibration, ...]) -> list[str]:
    """Which caps each version pays its months under (nothing when no version has a cap)."""
    if not any(v.design.functional.caps.any for v in versions):
        return []
    limits = "; ".join(
        f"version {v.number}, {_months_text(v)}: {' and '.join(cap_limits(v.design)) or 'no cap'}"
        for v in versions
    )
    yearly = any(v.design.functional.caps.per_year is not None for v in versions)
    return [
        f"Caps per member: {limits}."
        + (
            " A cap per plan year counts what the member was paid earlier in the plan year, "
            "whatever version paid it; a version that starts inside a plan year is costed, "
            "along each historical path, after what that path paid earlier in the year, "
            "each earlier month by the version in force for it."
            if yearly
            else ""
        ),
        "",
    ]


def _neutral_to(version: VersionCalibration, currency: Currency) -> str:
    """What the version was calibrated to cost: the first over the year, a later one in its
    months."""
    amount = minor_text(currency, version.neutral_cost)
    if version.number == 1:
        return f"{amount} (the budget, over the whole plan)"
    return f"{amount} (from {version.start} to the plan's end)"


def _expected(version: VersionCalibration, currency: Currency) -> str:
    """The version's expected cost of its months (the first's over the whole plan, too)."""
    amount = minor_text(currency, version.expected_cost)
    if version.number != 1:
        return amount
    whole = minor_text(currency, version.calibration.expected_cost)
    return f"{amount} ({whole} over the whole plan)"


def version_sentences(result: Result) -> list[str]:
    """For a statement: which version paid which months (none for a plan without versions)."""
    if not result.versions:
        return []
    parts = [
        f"{_paid_text(v)} by version {v.number} (curve: {md(v.design.curve.describe())})"
        for v in result.versions
    ]
    return [
        "## Plan versions",
        "",
        "The plan changed from a month on, each change neutral for the year's expected "
        f"cost. Your months are paid: {'; '.join(parts)}.",
        "",
    ]
