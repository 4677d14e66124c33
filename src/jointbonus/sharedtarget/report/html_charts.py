"""Charts for the HTML transparency page: inline SVG, no script, no font, no file.

Three shapes, each an ``<svg>`` that scales to the width it is given (a
``viewBox`` 360 units wide, about a phone's width, so its text stays
readable there) with a ``<title>`` a screen reader reads:

* :func:`bar_chart`: one bar a month (an attainment, a share), coloured by
  a class (``hit``, ``miss``, ``plain``), its value written above it, with
  an optional reference line (100% of target) and a mark for each month's
  own target; a month without a value (pending) shows its label and no bar;
* :func:`stacked_chart`: one column a month made of parts (what each team
  was paid), its total above it;
* :func:`funnel_chart`: horizontal bars from the widest step down (leads
  delivered, accepted, sales-qualified), each with its count;
* :func:`grouped_chart`: groups of bars side by side, one bar a series (two
  designs' figures, series ``s0`` and ``s1``), each with its value above
  it, and an optional reference line (the budget); it may be wider than 360
  units when it has many groups.

Coordinates are worked out as fractions and written with one decimal:
the same figures give the same bytes. Every text is escaped.

>>> svg = bar_chart("Attainment", [Bar("Jan", Fraction(1), "100%", "hit")],
...                 reference=Fraction(1))
>>> svg.startswith('<svg class="chart" viewBox="0 0 360 200" role="img"')
True
>>> "<title>Attainment</title>" in svg and 'class="bar hit"' in svg
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from jointbonus.core.number import decimal_text
from jointbonus.sharedtarget.report.html_parts import Markup, esc

__all__ = ["Bar", "bar_chart", "compact", "funnel_chart", "grouped_chart", "stacked_chart"]

WIDTH = 360
HEIGHT = 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 6, 6, 18, 22
#: The widest bar of a grouped chart, however few its groups.
_WIDEST = 64


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label under it, its value (``None``: no bar), the text above it,
    its class (``hit``, ``miss``, ``plain``) and an optional mark (its own target)."""

    label: str
    value: Fraction | None
    text: str
    kind: str = "plain"
    mark: Fraction | None = None


def _n(value: Fraction | int) -> str:
    """A coordinate with one decimal at most: ``12.5``, ``40``."""
    return decimal_text(Fraction(value), 1).removesuffix(".0")


def _open(
    title: str, height: int = HEIGHT, width: int = WIDTH, at: tuple[int, int] | None = None
) -> str:
    # ``at``: placed at (x, y) at its own size inside an enclosing SVG document.
    place = "" if at is None else f'x="{at[0]}" y="{at[1]}" width="{width}" height="{height}" '
    return (
        f'<svg class="chart" {place}viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(title)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{esc(title)}</title>"
    )


def _text(x: Fraction | int, y: Fraction | int, text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{cls}>{esc(text)}</text>'


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    reference: Fraction | None = None,
) -> Markup:
    """One bar a month, with a dashed reference line and marks (module docstring)."""
    values = [b.value for b in bars if b.value is not None]
    values += [b.mark for b in bars if b.mark is not None]
    if reference is not None:
        values.append(reference)
    top = max([v for v in values if v > 0], default=Fraction(1)) * Fraction(11, 10)
    plot = HEIGHT - _TOP - _BOTTOM
    slot = Fraction(WIDTH - _LEFT - _RIGHT, max(len(bars), 1))
    width = slot * Fraction(2, 3)

    def y(value: Fraction) -> Fraction:
        return _TOP + plot * (1 - max(value, Fraction(0)) / top)

    out = [_open(title)]
    base = y(Fraction(0))
    out.append(
        f'<line class="axis" x1="{_LEFT}" y1="{_n(base)}" x2="{WIDTH - _RIGHT}" y2="{_n(base)}"/>'
    )
    for index, bar in enumerate(bars):
        middle = _LEFT + slot * index + slot / 2
        x = middle - width / 2
        above = base if bar.mark is None else min(base, y(bar.mark) - 1)
        if bar.value is not None:
            height = base - y(bar.value)
            out.append(
                f'<rect class="bar {esc(bar.kind)}" x="{_n(x)}" y="{_n(base - height)}" '
                f'width="{_n(width)}" height="{_n(height)}"/>'
            )
            out.append(_text(middle, min(above, base - height) - 3, bar.text, "value"))
        else:
            out.append(_text(middle, above - 3, bar.text, "value muted"))
        if bar.mark is not None:
            level = y(bar.mark)
            out.append(
                f'<line class="mark" x1="{_n(x - 2)}" y1="{_n(level)}" '
                f'x2="{_n(x + width + 2)}" y2="{_n(level)}"/>'
            )
        out.append(_text(middle, HEIGHT - 8, bar.label, "label"))
    if reference is not None:
        level = y(reference)
        out.append(
            f'<line class="reference" x1="{_LEFT}" y1="{_n(level)}" '
            f'x2="{WIDTH - _RIGHT}" y2="{_n(level)}"/>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def stacked_chart(
    title: str,
    columns: Sequence[tuple[str, Sequence[int], str]],
) -> Markup:
    """One column a month of parts (series ``s0``, ``s1``, ...), its total text above it.

    ``columns``: ``(label, parts, total text)``; parts are non-negative amounts.
    """
    top = max((sum(parts) for _, parts, _ in columns), default=0)
    scale = Fraction(top * 11, 10) if top > 0 else Fraction(1)
    plot = HEIGHT - _TOP - _BOTTOM
    slot = Fraction(WIDTH - _LEFT - _RIGHT, max(len(columns), 1))
    width = slot * Fraction(2, 3)
    base = Fraction(HEIGHT - _BOTTOM)
    out = [_open(title)]
    out.append(
        f'<line class="axis" x1="{_LEFT}" y1="{_n(base)}" x2="{WIDTH - _RIGHT}" y2="{_n(base)}"/>'
    )
    for index, (label, parts, total) in enumerate(columns):
        middle = _LEFT + slot * index + slot / 2
        x = middle - width / 2
        level = base
        for series, part in enumerate(parts):
            if part <= 0:
                continue
            height = plot * Fraction(part) / scale
            level -= height
            out.append(
                f'<rect class="part s{series}" x="{_n(x)}" y="{_n(level)}" '
                f'width="{_n(width)}" height="{_n(height)}"/>'
            )
        out.append(_text(middle, level - 3, total, "value"))
        out.append(_text(middle, HEIGHT - 8, label, "label"))
    out.append("</svg>")
    return Markup("".join(out))


def funnel_chart(title: str, steps: Sequence[tuple[str, int, str]]) -> Markup:
    """Horizontal bars, one a step: ``(label, count, text)``, the first the widest."""
    row = 46
    height = row * len(steps) + 6
    widest = max((count for _, count, _ in steps), default=0) or 1
    room = WIDTH - _LEFT - _RIGHT
    out = [_open(title, height)]
    for index, (label, count, text) in enumerate(steps):
        top = 4 + row * index
        width = Fraction(room * count, widest)
        out.append(_text(_LEFT, top + 14, f"{label}: {text}", "step"))
        out.append(
            f'<rect class="part s{index % 4}" x="{_LEFT}" y="{top + 20}" '
            f'width="{_n(width)}" height="18"/>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def compact(value: Fraction | int) -> str:
    """An amount in major units, short, for a chart: ``12345.67`` -> ``12.3k``, ``-2.5M``."""
    whole = Fraction(value)
    for size, suffix in ((10**9, "bn"), (10**6, "M"), (10**3, "k")):
        if abs(whole) >= size:
            return f"{decimal_text(whole / size, 1)}{suffix}"
    return decimal_text(whole, 0)


def grouped_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[tuple[Fraction, str]]]],
    *,
    reference: Fraction | None = None,
    width: int = WIDTH,
    at: tuple[int, int] | None = None,
) -> Markup:
    """Groups of bars side by side: ``(label, bars)``, each bar ``(value, text)`` of series
    ``s0``, ``s1``, ... in order; negative values are drawn as 0. A dashed line marks
    ``reference``. ``at`` places the chart at (x, y), at its own size, inside an enclosing
    SVG document.

    >>> svg = grouped_chart("Cost", [("Mean", [(Fraction(5), "5"), (Fraction(7), "7")])],
    ...                     at=(0, 40))
    >>> svg.startswith('<svg class="chart" x="0" y="40" width="360" height="200" viewBox=')
    True
    >>> svg.count('class="part s0"'), svg.count('class="part s1"')
    (1, 1)
    """
    values = [v for _, bars in groups for v, _ in bars]
    if reference is not None:
        values.append(reference)
    top = max([v for v in values if v > 0], default=Fraction(1)) * Fraction(11, 10)
    plot = HEIGHT - _TOP - _BOTTOM
    slot = Fraction(width - _LEFT - _RIGHT, max(len(groups), 1))
    series = max((len(bars) for _, bars in groups), default=1) or 1
    bar = min(slot * Fraction(4, 5) / series, Fraction(_WIDEST))

    def y(value: Fraction) -> Fraction:
        return _TOP + plot * (1 - max(value, Fraction(0)) / top)

    base = y(Fraction(0))
    out = [_open(title, width=width, at=at)]
    out.append(
        f'<line class="axis" x1="{_LEFT}" y1="{_n(base)}" x2="{width - _RIGHT}" y2="{_n(base)}"/>'
    )
    for index, (label, bars) in enumerate(groups):
        middle = _LEFT + slot * index + slot / 2
        left = middle - bar * len(bars) / 2
        for number, (value, text) in enumerate(bars):
            x = left + bar * number
            height = base - y(value)
            out.append(
                f'<rect class="part s{number}" x="{_n(x)}" y="{_n(base - height)}" '
                f'width="{_n(bar)}" height="{_n(height)}"/>'
            )
            out.append(_text(x + bar / 2, base - height - 3, text, "value"))
        out.append(_text(middle, HEIGHT - 8, label, "label"))
    if reference is not None:
        level = y(reference)
        out.append(
            f'<line class="reference" x1="{_LEFT}" y1="{_n(level)}" '
            f'x2="{width - _RIGHT}" y2="{_n(level)}"/>'
        )
    out.append("</svg>")
    return Markup("".join(out))
