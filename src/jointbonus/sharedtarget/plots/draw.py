"""Drawing the pictures with matplotlib, imported only when a picture is drawn.

Each function takes the data of :mod:`jointbonus.sharedtarget.plots.data` and returns PNG
bytes. matplotlib draws on its non-interactive Agg canvas (no screen, no
pyplot and its global state), in its default style whatever the user's
settings, and the files carry no time or software version. Without the
``plot`` extra every function here raises :class:`~jointbonus.MissingExtraError`.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import itertools
import textwrap
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jointbonus.core.money import Currency
from jointbonus.core.number import percent_text, round_half_up
from jointbonus.errors import argument
from jointbonus.io.extras import require_extra
from jointbonus.io.files import path_argument, staged_folder, write_bytes
from jointbonus.sharedtarget.compare import Comparison
from jointbonus.sharedtarget.plots.data import (
    AttainmentPicture,
    CostPanel,
    CostPicture,
    CurvePicture,
    attainment_picture,
    cost_picture,
    curve_picture,
)
from jointbonus.sharedtarget.results import Result, result_argument
from jointbonus.sharedtarget.risk import CostRisk, RiskMethod, cost_risk

if TYPE_CHECKING:  # pragma: no cover - matplotlib's types; at run time it is imported to draw
    # Without the plot extra these names are Any to mypy (hence the ignores), with it typed.
    from matplotlib.axes import Axes  # type: ignore[import-not-found, unused-ignore]
    from matplotlib.figure import Figure  # type: ignore[import-not-found, unused-ignore]
    from matplotlib.ticker import Formatter  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "ATTAINMENT_FILE",
    "COST_FILE",
    "CURVE_FILE",
    "PICTURE_FILES",
    "draw_attainment",
    "draw_comparison",
    "draw_cost",
    "draw_curve",
    "matplotlib_version",
    "write_pictures",
]

#: File names of the pictures :func:`write_pictures` writes.
CURVE_FILE = "payout-curve.png"
ATTAINMENT_FILE = "attainment.png"
COST_FILE = "cost-risk.png"
PICTURE_FILES = (CURVE_FILE, ATTAINMENT_FILE, COST_FILE)

_PURPOSE = "drawing pictures"
_HIT, _MISS, _CURVE = "#2e7d32", "#c62828", "#1f4e79"
_BUDGET, _MEAN, _BAND, _BARS = "#c62828", "#222222", "#d9e2ec", "#4a7fb0"
_DESIGNS = ("#1f5fae", "#e07b00")  # design A, design B: the SVG comparison's colours
_SIZE = (9.0, 5.0)
_DPI = 110


def matplotlib_version() -> str:
    """The version of matplotlib, which draws the pictures.

    Raises :class:`MissingExtraError` when it is not installed.
    """
    return str(require_extra("matplotlib", "plot", _PURPOSE).__version__)


def draw_curve(picture: CurvePicture) -> bytes:
    """The payout curve as PNG bytes: the factor by attainment, the paid months on it.

    With pool funding a right-hand axis gives the month's pool at each factor.
    """
    with _drawing():
        figure, (axes,) = _figure()
        xs = [float(a) for a, _ in picture.outline]
        ys = [float(f) for _, f in picture.outline]
        axes.plot(xs, ys, color=_CURVE, linewidth=2.2, label="payout factor", zorder=2)
        for hit in (True, False):
            chosen = [m for m in picture.months if m.hit is hit]
            if chosen:
                axes.scatter(
                    [float(m.attainment) for m in chosen],
                    [float(m.factor) for m in chosen],
                    s=46,
                    color=_HIT if hit else _MISS,
                    edgecolor="white",
                    linewidth=0.8,
                    zorder=3,
                    label=f"{_count(len(chosen), 'month')} {'hit' if hit else 'missed'}",
                )
        top = max(*ys, 0.1)
        axes.set_xlim(float(picture.low), float(picture.high))
        axes.set_ylim(-0.04 * top, 1.2 * top)
        axes.xaxis.set_major_formatter(_percent_formatter())
        axes.yaxis.set_major_formatter(_amount_formatter(2))
        axes.set_xlabel("Attainment (actual / target)")
        axes.set_ylabel("Payout factor")
        _grid(axes, "both")
        if picture.pool_at_target:
            pool = picture.pool_at_target / 10**picture.minor_unit
            amount = Currency(picture.currency, picture.minor_unit).format(picture.pool_at_target)
            axes.plot([], [], " ", label=f"pool at target: {amount} {picture.currency} a month")

            def to_pool(factor: Any) -> Any:
                return factor * pool

            def to_factor(amount: Any) -> Any:
                return amount / pool

            right = axes.secondary_yaxis("right", functions=(to_pool, to_factor))
            right.set_ylabel(f"Pool of the month ({picture.currency})")
            right.yaxis.set_major_formatter(_amount_formatter(2))
        axes.legend(loc="upper left", frameon=False)
        _titles(figure, "The payout curve", picture.title, picture.description)
        return _png(figure)


def draw_attainment(picture: AttainmentPicture) -> bytes:
    """Each month's attainment against its target as PNG bytes: hits up, misses down.

    Bars start at 100% (the target): a hit rises above it, a miss falls below
    it, each labelled with its attainment; a pending month says so.
    """
    with _drawing():
        figure, (axes,) = _figure()
        months = picture.months
        reached = [float(m.attainment) - 1 for m in months if m.attainment is not None]
        spread = max([abs(d) for d in reached] + [abs(float(picture.threshold) - 1), 0.02])
        room = spread * 0.04  # between a bar's end and its label
        for hit in (True, False):
            chosen = [(i, m) for i, m in enumerate(months) if m.hit is hit]
            if chosen:
                axes.bar(
                    [i for i, _ in chosen],
                    [float(m.attainment or 0) - 1 for _, m in chosen],
                    bottom=1.0,
                    width=0.62,
                    color=_HIT if hit else _MISS,
                    label="hit: 100% of target or more" if hit else "missed",
                    zorder=2,
                )
        for i, month in enumerate(months):
            if month.attainment is None:
                axes.text(
                    i,
                    1 + room,
                    "pending",
                    ha="center",
                    va="bottom",
                    rotation=90,
                    fontsize=9,
                    color="#666666",
                )
                continue
            above = month.attainment >= 1
            axes.text(
                i,
                float(month.attainment) + (room if above else -room),
                percent_text(month.attainment),
                ha="center",
                va="bottom" if above else "top",
                fontsize=8.5,
            )
        axes.axhline(1.0, color="#222222", linewidth=1.2, label="target", zorder=3)
        if picture.threshold != 1:
            axes.axhline(
                float(picture.threshold),
                color="#666666",
                linewidth=1.0,
                linestyle="--",
                label=picture.pays_from,
                zorder=1,
            )
        axes.set_ylim(1 - spread * 1.35, 1 + spread * 1.6)
        axes.set_xlim(-0.6, len(months) - 0.4)
        axes.set_xticks(list(range(len(months))), [str(m.month) for m in months])
        if len(months) > 12:
            axes.tick_params(axis="x", labelrotation=60)
        axes.yaxis.set_major_formatter(_percent_formatter())
        axes.set_ylabel("Attainment (actual / target)")
        _grid(axes, "y")
        handles, labels = axes.get_legend_handles_labels()
        bars_first = sorted(
            range(len(labels)), key=lambda i: labels[i] in ("target", picture.pays_from)
        )
        axes.legend(
            [handles[i] for i in bars_first],
            [labels[i] for i in bars_first],
            loc="upper left",
            frameon=False,
            ncols=4,
            fontsize=9,
        )
        summary = (
            f"{picture.hits} of the {_count(picture.paid, 'month')} paid hit the target"
            if picture.paid
            else "no month paid yet"
        )
        if picture.pending:
            summary += f"; {picture.pending} pending"
        _titles(figure, "Attainment against target, month by month", picture.title, summary)
        return _png(figure)


def draw_cost(picture: CostPicture) -> bytes:
    """The distribution of the year's cost as PNG bytes, the budget marked.

    One panel per distribution (the year under the norm; once months are
    paid, the year given them), on the same cost axis: the bars, the budget,
    the mean, and the 5th to 95th percentile range shaded.
    """
    scale = 10**picture.minor_unit
    money = Currency(picture.currency, picture.minor_unit)
    with _drawing():
        figure, panels = _figure(len(picture.panels))
        for axes, panel in zip(panels, picture.panels, strict=True):
            lows = [bar.low / scale for bar in panel.bars]
            chances = [float(bar.chance) for bar in panel.bars]
            edge = 0.0  # a cost drawn as a bar: the shaded range covers the whole bar
            if panel.binned:
                widths = [(bar.high - bar.low + 1) / scale for bar in panel.bars]
                axes.bar(lows, chances, width=widths, align="edge", color=_BARS, zorder=2)
            else:
                gaps = [b - a for a, b in itertools.pairwise(lows)]
                width = 0.7 * min(gaps) if gaps else max(abs(lows[0]) * 0.02, 1 / scale)
                axes.bar(lows, chances, width=width, color=_BARS, zorder=2)
                edge = width / 2
            axes.axvspan(
                panel.percentile_5 / scale - edge,
                panel.percentile_95 / scale + edge,
                color=_BAND,
                zorder=0,
                label="5th to 95th percentile",
            )
            budget = money.format(picture.budget)
            axes.axvline(
                picture.budget / scale,
                color=_BUDGET,
                linewidth=2.0,
                zorder=3,
                label=f"budget {budget} {picture.currency}",
            )
            mean = money.format(round_half_up(panel.mean))
            axes.axvline(
                float(panel.mean) / scale,
                color=_MEAN,
                linewidth=1.3,
                linestyle="--",
                zorder=3,
                label=f"mean {mean} {picture.currency}",
            )
            axes.set_ylim(0, max(chances) * 1.4)  # room for the legend
            axes.set_yticks([tick for tick in axes.get_yticks() if 0 <= tick <= 1])
            axes.yaxis.set_major_formatter(_percent_formatter())
            axes.set_ylabel("Share of simulated years" if panel.years else "Probability")
            _grid(axes, "y")
            above = percent_text(panel.chance_above_budget, 2)
            axes.set_title(
                f"{panel.label[0].upper()}{panel.label[1:]}\n"
                f"{_method_text(panel)}; chance of costing more than the budget: {above}",
                fontsize=9.5,
                loc="left",
            )
            axes.legend(loc="upper right", frameon=True, framealpha=0.92, fontsize=8.5)
        panels[-1].set_xlabel(f"Cost of the plan year ({picture.currency})")
        panels[-1].xaxis.set_major_formatter(_amount_formatter(picture.minor_unit))
        _titles(
            figure,
            "What the plan year may cost",
            picture.title,
            "each month performs like a historical month, drawn independently of the others",
        )
        return _png(figure)


def write_pictures(
    result: Result, folder: str | Path, risk: CostRisk | None = None
) -> tuple[Path, ...]:
    """Write :data:`PICTURE_FILES` for ``result`` into ``folder``, all or nothing.

    ``risk`` defaults to :func:`~jointbonus.cost_risk` of the plan at the
    result's calibration (every version's, for a plan with versions) with its
    default settings (the figures of ``jointbonus simulate PLAN``). Returns the
    paths written. Raises :class:`MissingExtraError` before computing anything
    when matplotlib is not installed.
    """
    result = result_argument(result)
    folder = path_argument("folder", folder)
    risk = argument("risk", risk, (CostRisk, type(None)), "a CostRisk (from cost_risk) or None")
    matplotlib_version()
    if risk is None:  # each month by the version in force for it, as the result paid it
        risk = cost_risk(result.plan, result.calibration, versions=result.versions or None)
    pictures = {
        CURVE_FILE: draw_curve(curve_picture(result)),
        ATTAINMENT_FILE: draw_attainment(attainment_picture(result)),
        COST_FILE: draw_cost(cost_picture(result.plan, risk)),
    }
    out = Path(folder)
    with staged_folder(out) as stage:
        for name, data in pictures.items():
            write_bytes(stage / name, data)
    return tuple(out / name for name in PICTURE_FILES)


def draw_comparison(comparison: Comparison) -> bytes:
    """Two designs side by side as PNG bytes: the cost of the year (expected, percentiles,
    last year) against the budget, each team's expected earnings, and last year month by
    month; the same three charts as :func:`~jointbonus.comparison_svg`."""
    a, b = comparison.designs
    currency = a.plan.currency
    scale = currency.scale

    def major(units: Fraction | int) -> float:
        return float(Fraction(units) / scale)

    Group = tuple[str, Fraction | int, Fraction | int]  # a label, A's amount, B's
    cost: list[Group] = [("Expected", a.expected_cost, b.expected_cost)]
    cost += [(f"P{p}", a.percentile(p), b.percentile(p)) for p in comparison.percentiles]
    panels: list[tuple[str, list[Group]]] = []
    if a.last_year is not None and b.last_year is not None:
        cost.append(("Last year", a.last_year.total, b.last_year.total))
    panels.append((f"Cost of the year ({currency.code}); dashed: the budget", cost))
    panels.append(
        (
            f"Expected earnings per team ({currency.code})",
            [(x.team, x.expected, y.expected) for x, y in zip(a.teams, b.teams, strict=True)],
        )
    )
    if a.last_year is not None and b.last_year is not None:
        panels.append(
            (
                f"Last year replayed, month by month ({currency.code})",
                [
                    (str(x.month), x.cost, y.cost)
                    for x, y in zip(a.last_year.months, b.last_year.months, strict=True)
                ],
            )
        )
    with _drawing():
        figure, axes_list = _figure(len(panels), share=False)
        for number, (axes, (title, groups)) in enumerate(zip(axes_list, panels, strict=True)):
            places = range(len(groups))
            for series, name in enumerate(("A", "B")):
                amounts = [group[1] if series == 0 else group[2] for group in groups]
                axes.bar(
                    [x - 0.2 + 0.4 * series for x in places],
                    [major(amount) for amount in amounts],
                    width=0.4,
                    color=_DESIGNS[series],
                    label=name,
                )
            axes.set_xticks(list(places), [group[0] for group in groups])
            axes.tick_params(axis="x", labelsize=8)
            if number == 0:
                axes.axhline(major(a.budget), color=_MEAN, linestyle="--", linewidth=1)
                axes.legend(loc="upper left", frameon=False)
            axes.set_title(title, fontsize=10, loc="left")
            axes.yaxis.set_major_formatter(_amount_formatter(0))
            _grid(axes, "y")
        _titles(figure, "Two designs side by side", f"A: {a.label}", f"B: {b.label}")
        return _png(figure)


# -- matplotlib, imported only here ------------------------------------------------

#: Height of the title block at the top of every picture, inches.
_TITLE_BLOCK = 0.78


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    """matplotlib's default style, whatever the user's settings; MissingExtraError without it."""
    require_extra("matplotlib", "plot", _PURPOSE)
    with _matplotlib("style").context("default"):
        yield


def _matplotlib(module: str) -> Any:
    """``matplotlib.<module>``, imported when a picture is drawn (after :func:`_drawing`)."""
    return importlib.import_module(f"matplotlib.{module}")


def _figure(rows: int = 1, *, share: bool = True) -> tuple[Figure, list[Axes]]:
    """A figure on the Agg canvas (no screen) with ``rows`` panels sharing the x axis
    (unless not ``share``)."""
    height = _SIZE[1] + 2.8 * (rows - 1)
    top = 1 - _TITLE_BLOCK / height  # the title block is above the panels
    layout = _matplotlib("layout_engine").ConstrainedLayoutEngine(rect=(0, 0, 1, top))
    figure: Figure = _matplotlib("figure").Figure(
        figsize=(_SIZE[0], height), dpi=_DPI, layout=layout
    )
    _matplotlib("backends.backend_agg").FigureCanvasAgg(figure)
    grid = figure.subplots(rows, 1, sharex=share, squeeze=False)
    return figure, [row[0] for row in grid]


def _titles(figure: Figure, heading: str, name: str, note: str) -> None:
    """The title block: what the picture shows, the plan's name, a note."""
    height = figure.get_figheight()
    lines = (  # text, characters that fit the width, font size, weight, colour
        (heading, 80, 13, "bold", "#111111"),
        (name, 125, 10, "normal", "#333333"),
        (note, 140, 9, "normal", "#555555"),
    )
    top = 0.14
    for text, width, size, weight, color in lines:
        figure.text(
            0.012,
            1 - top / height,
            textwrap.shorten(text, width, placeholder=" ..."),
            fontsize=size,
            fontweight=weight,
            color=color,
            va="top",
        )
        top += size / 72 * 1.45


def _grid(axes: Axes, which: Literal["both", "x", "y"]) -> None:
    axes.grid(True, axis=which, color="#e4e4e4", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _png(figure: Figure) -> bytes:
    """The figure as PNG bytes, without the software version (no time is written)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _percent_formatter() -> Formatter:
    """Ratios as percentages: 0.975 is ``97.5%``, 1 is ``100%`` (or ``100.0%`` beside it)."""
    return _amount_formatter(3, times=100, suffix="%")


def _amount_formatter(places: int, times: int = 1, suffix: str = "") -> Formatter:
    """Tick labels with thousands separators and as few decimals as the ticks need.

    The ticks of one axis share their number of decimals, at most ``places``;
    a value is shown ``times`` itself, followed by ``suffix``.
    """

    def label(x: float, pos: int | None = None) -> str:
        ticks: list[float] = getattr(formatter.axis, "get_majorticklocs", list)()
        shown = [tick * times for tick in ticks] or [x * times]
        decimals = next(
            (
                d
                for d in range(places + 1)
                if all(abs(v * 10**d - round(v * 10**d)) < 1e-6 for v in shown)
            ),
            places,
        )
        value = x * times
        if abs(value) < 0.5 * 10**-decimals:
            value = 0.0  # never "-0"
        return f"{value:,.{decimals}f}{suffix}"

    formatter: Formatter = _matplotlib("ticker").FuncFormatter(label)
    return formatter


def _method_text(panel: CostPanel) -> str:
    if panel.method is RiskMethod.EXACT:
        return "exact: every combination of historical months"
    return f"{panel.years:,} simulated years, seed {panel.seed}"


def _count(number: int, noun: str) -> str:
    """``1 month``, ``2 months``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
