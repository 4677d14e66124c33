"""The pieces of the HTML transparency page: escaped text, tables, sections.

Every text that reaches the page goes through :func:`esc` (``&``, ``<``,
``>``, ``"`` and ``'`` become entities), so a plan name, a team, a member id
or a lead id such as ``<script>`` shows as the characters it is and never
becomes markup. Markup made here is :class:`Markup`; a table cell that is
not :class:`Markup` is escaped.

A table carries each cell's column name in ``data-label``: on a narrow
screen the page's style sheet lays each row out as a card of "name value"
lines, so nothing is wider than the phone (:mod:`.html_page`).

>>> print(table(["Team", "Paid"], [["<b>", "1.00"]], align="lr"))
<div class="table"><table>
<thead><tr><th class="l">Team</th><th class="r">Paid</th></tr></thead>
<tbody>
<tr><td class="l" data-label="Team">&lt;b&gt;</td><td class="r" data-label="Paid">1.00</td></tr>
</tbody>
</table></div>
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["Cell", "Markup", "esc", "section", "table", "tag"]


class Markup(str):
    """Text that is already HTML: made by this page, never from an input."""

    __slots__ = ()


Cell = str | Markup


def esc(text: object) -> str:
    """``text`` as HTML text or attribute value: every markup character an entity."""
    return html.escape(str(text), quote=True)


def tag(name: str, text: Cell, attributes: Mapping[str, str] | None = None) -> Markup:
    """``<name attributes>text</name>``; ``text`` escaped unless it is :class:`Markup`."""
    attrs = "".join(f' {key}="{esc(value)}"' for key, value in (attributes or {}).items())
    inner = text if isinstance(text, Markup) else esc(text)
    return Markup(f"<{name}{attrs}>{inner}</{name}>")


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    align: str,
    row_classes: Sequence[str] | None = None,
) -> Markup:
    """A table: ``align`` has one letter per column (``l`` or ``r``); see the module."""
    head = "".join(
        tag("th", header, {"class": cls}) for header, cls in zip(headers, align, strict=True)
    )
    body = []
    for index, row in enumerate(rows):
        cells = "".join(
            tag("td", cell, {"class": cls, "data-label": header})
            for cell, cls, header in zip(row, align, headers, strict=True)
        )
        extra = row_classes[index] if row_classes is not None else ""
        body.append(f'<tr class="{esc(extra)}">{cells}</tr>' if extra else f"<tr>{cells}</tr>")
    rows_text = "\n".join(body)
    return Markup(
        '<div class="table"><table>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows_text}\n</tbody>\n</table></div>"
    )


def section(key: str, title: str, *parts: str) -> Markup:
    """A section of the page with its heading; ``parts`` are markup already."""
    return Markup(
        f'<section id="{esc(key)}">\n<h2>{esc(title)}</h2>\n' + "\n".join(parts) + "\n</section>"
    )
