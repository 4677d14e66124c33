"""The HTML transparency page as a file: self-contained, every text escaped, the figures there.

What a person sees in a browser is tested in ``test_html_browser.py``.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jointbonus.cli import EXIT_BAD_INPUT, main
from jointbonus.sharedtarget.engine import run
from jointbonus.sharedtarget.loader import load_plan
from jointbonus.sharedtarget.report.html_page import render_transparency_page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE_NAME = "<script>alert('name')</script> & \"Co\""
HOSTILE_ID = "<img src=x onerror=alert(1)>"
HOSTILE_TEAM = "<b>mar&keting</b>"


class Page(HTMLParser):
    """The tags, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def names(self) -> set[str]:
        return {tag for tag, _ in self.tags}


def page_of(folder: Path) -> str:
    return render_transparency_page(run(load_plan(folder / "plan.toml")))


@pytest.fixture(scope="module")
def leads_page() -> str:
    return page_of(EXAMPLES / "digital_manufacturing_leads")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The lead example with a plan name, a team and a lead id made of markup."""
    folder = tmp_path_factory.mktemp("hostile") / "dm"
    shutil.copytree(EXAMPLES / "digital_manufacturing_leads", folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    name = 'name = "Digital Manufacturing, measured from the leads"'
    assert name in text
    escaped = HOSTILE_NAME.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace(name, f'name = "{escaped}"').replace(
        "teams.marketing", f'teams."{HOSTILE_TEAM}"'
    )
    plan.write_text(text, encoding="utf-8")
    roster = folder / "data" / "roster.csv"
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text.replace(",marketing,", f",{HOSTILE_TEAM},"), encoding="utf-8")
    leads = folder / "data" / "leads.csv"
    text = leads.read_text(encoding="utf-8")
    row = "\n00QDM005303,2026-03-03T00:59:27.000Z,Web,"  # on March's review list
    assert row in text
    leads.write_text(text.replace(row, f'\n"{HOSTILE_ID}",2026-03-03T00:59:27.000Z,Web,'), "utf-8")
    return page_of(folder)


def test_the_page_loads_nothing_and_runs_nothing(leads_page: str) -> None:
    page = Page(leads_page)
    assert {"script", "link", "img", "iframe", "object", "embed", "base"}.isdisjoint(page.names)
    assert not re.search(r"https?:|url\(|@import|@font-face|\bsrc=", leads_page)
    (policy,) = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert policy["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert leads_page.startswith("<!DOCTYPE html>\n") and leads_page.endswith("</html>\n")
    assert sum(t == "svg" for t, _ in page.tags) == 4  # attainment, paid by team, funnel, SLA
    assert sum(t == "svg" for t, _ in Page(page_of(EXAMPLES / "alpine_outfitters")).tags) == 2


def test_every_text_is_escaped(hostile_page: str) -> None:
    page = Page(hostile_page)
    assert {"script", "img", "b"}.isdisjoint(page.names)
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    text = "".join(page.text)
    assert text.count(f"Transparency: {HOSTILE_NAME}") == 2  # the title and the heading
    assert HOSTILE_ID in text
    assert text.count(HOSTILE_TEAM) >= 3  # the legend, the team totals, the goals
    labels = {a["data-label"] for t, a in page.tags if t == "td"}
    assert f"Accepted (goal of {HOSTILE_TEAM})" in labels
    assert (
        "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt; &amp; &quot;Co&quot;" in hostile_page
    )


def test_every_cell_names_its_column_for_the_phone_layout(leads_page: str) -> None:
    page = Page(leads_page)
    cells = [a for t, a in page.tags if t == "td"]
    assert len(cells) > 1000
    assert all(a.get("data-label") for a in cells)


def test_the_page_shows_the_months_the_pools_and_the_leads(leads_page: str) -> None:
    text = " ".join(" ".join(Page(leads_page).text).split())
    result = run(load_plan(EXAMPLES / "digital_manufacturing_leads" / "plan.toml"))
    march = result.months[2]
    assert (str(march.month), march.hit, march.pool) == ("2026-03", True, 1231320)
    for figure in [
        "Transparency: Digital Manufacturing, measured from the leads",
        "2026-03 1,338,000.00 1,437,643.00 107.45% hit 1.0000 12,313.20 19,467.61",
        "2026-05 1,312,000.00 1,277,085.00 97.34% miss 0.0000 0.00 6,872.36",
        "2026-12 1,299,000.00 pending",
        "Months hit 7 of 10",
        "160 / 190 84.2% 90.0%",  # March: handled within 48 hours, SLA, target
        "116 / 153 75.8%",  # January: accepted of delivered
        "Delivered to sales: 1,701",
        "The review list",
        "All 1,057 leads on the review list",
        f"Paid to date (USD) {result.plan.currency.format(result.summary.paid_to_date)}",
    ]:
        assert figure in text, figure


def test_a_plan_without_leads_has_no_lead_section() -> None:
    text = page_of(EXAMPLES / "digital_manufacturing")
    assert 'id="shared"' in text and 'id="goals"' in text
    assert 'id="funnel"' not in text and 'id="review"' not in text


def test_the_page_is_the_same_bytes_every_time(leads_page: str) -> None:
    assert page_of(EXAMPLES / "digital_manufacturing_leads") == leads_page


def test_statements_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    plan = str(EXAMPLES / "alpine_outfitters" / "plan.toml")
    assert main(["statements", plan, "--format", "html"]) == 0
    assert capsys.readouterr().out == page_of(EXAMPLES / "alpine_outfitters")
    assert main(["statements", plan, "--format", "html", "--member", "AO-01"]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert "the web page is the transparency report: leave out --member" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_a_quarterly_plan_says_which_quarter_each_month_is_in() -> None:
    page = page_of(EXAMPLES / "digital_manufacturing_quarterly")
    result = run(load_plan(EXAMPLES / "digital_manufacturing_quarterly" / "plan.toml"))
    decided = [m for m in result.months if m.ends_period and m.hit is not None]
    assert f"Quarters hit</dt><dd>{sum(m.hit for m in decided)} of {len(decided)}" in page
    assert "share one revenue target per quarter" in page
    january = re.search(r"<tr[^>]*><td[^>]*>2026-01</td>(.*?)</tr>", page, re.S)
    assert january is not None
    # January has its actual but is paid with the quarter: not a pending month, not a miss.
    assert "in 2026-Q1" in january.group(1)
    assert "pending" not in january.group(1) and "miss" not in january.group(1)
