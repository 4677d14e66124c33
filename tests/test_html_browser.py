"""The transparency page in a real browser: headless Chromium, as a person sees it.

Each page is opened 375 pixels wide (a phone) and 1280 wide. A copy of the
page with a measuring script (the page itself runs none: its content
security policy forbids scripts) writes, after layout, the document's
scroll width, every element that reaches past the right edge, and the text
the browser shows; the test reads it from ``--dump-dom``. A screenshot of
each width and a print to PDF are kept in the test's temporary folder.

Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it
when it is missing). Without it these tests fail, saying so: a page nobody
looked at is not tested.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from jointbonus.sharedtarget.engine import run
from jointbonus.sharedtarget.loader import load_plan
from jointbonus.sharedtarget.report.html_page import render_transparency_page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["digital_manufacturing_leads", "digital_manufacturing", "alpine_outfitters"]
PHONE = 375

MEASURE = """<script>
window.addEventListener("load", () => {
  const page = document.getElementById("page").contentDocument;
  const edge = page.documentElement.clientWidth;
  const wide = [];
  for (const element of page.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && (box.right > edge + 0.5 || box.left < -0.5)) {
      const name = `${element.tagName}.${element.getAttribute("class") || ""}`;
      wide.push(`${name} ${Math.round(box.right)}`);
    }
  }
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({
    clientWidth: edge,
    scrollWidth: page.documentElement.scrollWidth,
    wide: wide.slice(0, 20),
    text: page.body.innerText,
  });
  document.body.append(out);
});
</script>
"""


def chromium() -> str:
    """The path of Debian's headless Chromium, or the test fails saying what is missing."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "headless Chromium was not found (no `chromium` on PATH): the transparency page is "
        "tested in a real browser. Install Debian's chromium package "
        "(sudo apt-get install chromium); .ci/run installs it when it is missing.",
        pytrace=False,
    )


def browse(*arguments: str) -> str:
    """Run headless Chromium with ``arguments``; its standard output."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--force-device-scale-factor=1",
        *arguments,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def measured(page: Path, width: int) -> dict[str, object]:
    """What the browser laid out for ``page`` at ``width`` pixels (module docstring).

    The page is opened, unchanged, in a frame ``width`` pixels wide of a page
    that measures it (headless Chromium's window is at least 500 pixels wide).
    """
    probe = page.with_name(f"{page.stem}-measured-{width}.html")
    frame = (
        f'<iframe id="page" style="width:{width}px;height:900px;border:0" '
        f'srcdoc="{html.escape(page.read_text(encoding="utf-8"), quote=True)}"></iframe>'
    )
    probe.write_text(
        f"<!DOCTYPE html><html><body style='margin:0'>{frame}{MEASURE}</body></html>",
        encoding="utf-8",
    )
    dom = browse(
        "--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()
    )
    start = dom.index('<pre id="measured">') + len('<pre id="measured">')
    result: dict[str, object] = json.loads(html.unescape(dom[start : dom.index("</pre>", start)]))
    return result


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def write_page(name: str, folder: Path) -> Path:
    path = folder / f"{name}.html"
    result = run(load_plan(ROOT / "examples" / name / "plan.toml"))
    path.write_text(render_transparency_page(result), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=EXAMPLES)
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    name: str = request.param
    return write_page(name, tmp_path_factory.mktemp(name))


@pytest.fixture(scope="module")
def phone(page: Path) -> dict[str, object]:
    """What a phone 375 pixels wide shows of ``page``."""
    return measured(page, PHONE)


@pytest.fixture(scope="module")
def leads_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The largest page: the plan measured from leads, with its review list."""
    return write_page(EXAMPLES[0], tmp_path_factory.mktemp("desktop"))


def test_nothing_overflows_a_phone(phone: dict[str, object]) -> None:
    assert phone["clientWidth"] == PHONE, phone["clientWidth"]
    assert phone["scrollWidth"] == PHONE, phone["wide"]
    assert phone["wide"] == []


def test_a_person_sees_the_figures(page: Path, phone: dict[str, object]) -> None:
    text = " ".join(str(phone["text"]).split())
    assert "The shared target, month by month" in text
    assert "The pool and how it was split" in text
    if page.stem.startswith("digital_manufacturing"):
        # March's card: month, target, actual, attainment, result, factor, pool.
        assert "2026-03 1,338,000.00 1,437,643.00 107.45% hit 1.0000" in text
    if page.stem == "digital_manufacturing_leads":
        # March's SLA card and the review list (its column names are drawn by CSS).
        assert "2026-03 160 / 190 84.2% 90.0%" in text  # handled in time, SLA, target
        assert "The review list" in text and "All 1,057 leads on the review list" in text


def test_a_phone_screenshot_is_kept(page: Path) -> None:
    shot = page.with_name(f"{page.stem}-{PHONE}.png")
    browse(f"--window-size={PHONE},2400", f"--screenshot={shot}", page.as_uri())
    assert png_size(shot) == (PHONE, 2400)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one


def test_nothing_overflows_a_desktop(leads_page: Path) -> None:
    seen = measured(leads_page, 1280)
    assert seen["scrollWidth"] == seen["clientWidth"] == 1280, seen["wide"]
    shot = leads_page.with_name(f"{leads_page.stem}-1280.png")
    browse("--window-size=1280,2000", f"--screenshot={shot}", leads_page.as_uri())
    assert png_size(shot) == (1280, 2000)


def test_the_page_prints(leads_page: Path) -> None:
    pdf = leads_page.with_suffix(".pdf")
    browse("--no-pdf-header-footer", f"--print-to-pdf={pdf}", leads_page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 5, pages  # every section printed, not a blank sheet
