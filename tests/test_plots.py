"""Pictures: the data each picture shows, the PNG files, the command and the missing extra.

The data of every picture is tested without matplotlib: it must be the
engine's and the cost risk's figures, exactly. The drawing tests need the
``plot`` extra and skip without it; the tests of what happens without it run
everywhere.
"""

from __future__ import annotations

import itertools
import re
import struct
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import jointbonus
from jointbonus import (
    D,
    HistoryMonth,
    LinearCurve,
    Member,
    MissingExtraError,
    Month,
    MonthStatus,
    Result,
    build_plan,
    cost_risk,
    load_plan,
    run,
)
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main
from jointbonus.sharedtarget.plots import (
    MAX_BINS,
    PICTURE_FILES,
    CostBar,
    attainment_picture,
    cost_picture,
    curve_picture,
    draw_attainment,
    draw_cost,
    draw_curve,
    write_pictures,
)
from jointbonus.sharedtarget.plots import draw as drawing
from jointbonus.sharedtarget.risk import CostDistribution, CostRisk, RiskMethod
from plans import hand_plan

ROOT = Path(__file__).resolve().parent.parent
DIGITAL = ROOT / "tests" / "fixtures" / "one_lifeboat" / "plan.toml"
ALPINE = ROOT / "examples" / "alpine_outfitters" / "plan.toml"
SCANLON = ROOT / "examples" / "gainsharing" / "scanlon.toml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def digital() -> Result:
    return run(load_plan(DIGITAL))


@pytest.fixture(scope="module")
def alpine() -> Result:
    return run(load_plan(ALPINE))


def interpolate(outline: tuple[tuple[Fraction, Fraction], ...], x: Fraction) -> Fraction:
    """The height of the drawn outline at ``x`` (the right-hand side of a jump)."""
    height = outline[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(outline):
        if x0 <= x < x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        if x >= x1:
            height = y1
    return height


# -- the payout curve ------------------------------------------------------------------


def test_the_step_curve_jumps_at_its_threshold(digital: Result) -> None:
    picture = curve_picture(digital)
    assert picture.outline == (
        (Fraction(4, 5), Fraction(0)),
        (Fraction(1), Fraction(0)),
        (Fraction(1), Fraction(1)),
        (Fraction(6, 5), Fraction(1)),
    )
    assert picture.threshold == 1
    assert picture.description == digital.plan.curve.describe()
    assert picture.title == digital.plan.name


def test_the_pool_axis_is_the_pool_a_hit_month_pays(digital: Result) -> None:
    picture = curve_picture(digital)
    pools = {m.pool for m in digital.months if m.factor == 1}
    assert pools == {picture.pool_at_target}
    assert digital.plan.currency.from_minor(picture.pool_at_target or 0) == D("24508.65")
    assert (picture.currency, picture.minor_unit) == ("USD", 2)


def test_the_paid_months_sit_on_the_curve(digital: Result) -> None:
    picture = curve_picture(digital)
    paid = [m for m in digital.months if m.status is MonthStatus.PAID]
    assert [(p.month, p.attainment, p.factor, p.hit) for p in picture.months] == [
        (m.month, m.attainment, m.factor, m.hit) for m in paid
    ]
    assert sum(p.hit for p in picture.months) == digital.summary.months_hit == 7
    for month in picture.months:
        assert picture.low < month.attainment < picture.high
        assert digital.plan.curve.factor(month.attainment) == month.factor


def test_the_outline_is_the_linear_curve(alpine: Result) -> None:
    picture = curve_picture(alpine)
    curve = alpine.plan.curve
    assert isinstance(curve, LinearCurve)
    assert picture.outline[0] == (Fraction(4, 5), Fraction(0))
    assert picture.outline[1:-1] == ((Fraction(19, 20), Fraction(0)), *curve.points)
    assert picture.outline[-1] == (Fraction(5, 4), curve.max_factor)
    for step in range(81):  # every half point of attainment from 80% to 120%
        x = Fraction(80, 100) + Fraction(step, 200)
        assert interpolate(picture.outline, x) == curve.factor(x), x


def test_a_curve_rising_from_zero_has_no_jump() -> None:
    curve = LinearCurve.of([("0.9", "0"), ("1", "1"), ("1.3", "2.5")])
    picture = curve_picture(run(hand_plan(curve=curve)))
    assert picture.outline == (
        (Fraction(4, 5), Fraction(0)),
        (Fraction(9, 10), Fraction(0)),
        (Fraction(1), Fraction(1)),
        (Fraction(13, 10), Fraction(5, 2)),
        (Fraction(7, 5), Fraction(5, 2)),
    )
    assert picture.months == ()


def test_the_axis_reaches_every_paid_month() -> None:
    result = run(hand_plan({"2026-01": "40", "2026-02": "400"}))
    picture = curve_picture(result)
    # 40 / 99 = 40.4% and 400 / 118.80 = 336.7%, 10 points beyond, rounded out to 5%
    assert (picture.low, picture.high) == (Fraction(3, 10), Fraction(7, 2))


def test_individual_funding_has_no_pool_axis() -> None:
    members = [Member("A", "sales", date(2025, 1, 1), None, D("1"), target_bonus=D("1200"))]
    plan = hand_plan(members=members, funding="individual", budget="200.00")
    assert curve_picture(run(plan)).pool_at_target is None


# -- attainment against target -----------------------------------------------------


def test_attainment_is_the_engine_s(digital: Result) -> None:
    picture = attainment_picture(digital)
    assert len(picture.months) == len(digital.months) == 12
    for shown, month in zip(picture.months, digital.months, strict=True):
        assert shown.month == month.month
        assert shown.target == month.plan_month.target
        assert shown.attainment == month.attainment
        assert shown.factor == month.factor
        assert shown.hit == month.hit
        assert shown.status is month.status
        if month.plan_month.actual is None:
            assert shown.actual is None
        else:
            assert shown.actual == Fraction(month.plan_month.actual)
            assert shown.attainment == shown.actual / shown.target
    summary = digital.summary
    assert (picture.hits, picture.paid, picture.pending) == (
        summary.months_hit,
        summary.months_paid,
        summary.months_pending,
    )
    assert [str(m.month) for m in picture.months if m.hit is False] == [
        "2026-01",
        "2026-05",
        "2026-09",
    ]


def test_the_threshold_line_is_where_the_curve_pays(alpine: Result) -> None:
    picture = attainment_picture(alpine)
    assert picture.threshold == Fraction(19, 20)
    assert picture.pays_from == "the curve pays from 95%"
    # a missed month above the threshold still paid
    paying_misses = [m for m in picture.months if m.hit is False and m.factor]
    assert paying_misses
    assert all(m.attainment is not None and m.attainment >= 0.95 for m in paying_misses)


# -- the cost risk ------------------------------------------------------------------


def test_an_exact_distribution_is_drawn_value_by_value(digital: Result) -> None:
    risk = cost_risk(digital.plan, digital.calibration)
    picture = cost_picture(digital.plan, risk)
    assert picture.budget == risk.budget == digital.plan.budget.amount
    assert (picture.currency, picture.minor_unit, picture.title) == (
        "USD",
        2,
        digital.plan.name,
    )
    assert len(picture.panels) == 2
    for panel, distribution in zip(picture.panels, risk.distributions, strict=True):
        assert not panel.binned
        assert tuple((bar.low, bar.chance) for bar in panel.bars) == distribution.points()
        assert panel.mean == distribution.mean
        assert panel.percentile_5 == distribution.percentile(5)
        assert panel.percentile_95 == distribution.percentile(95)
        assert panel.chance_above_budget == distribution.chance_above(risk.budget)
        assert panel.label == distribution.label
        assert panel.method is RiskMethod.EXACT
    year = picture.panels[0]
    assert year.mean == risk.expected_cost
    assert len(year.bars) == 13  # 0 to 12 months hit
    assert year.bars[1].low == 2450865  # one pool at target
    assert year.percentile_5 == 7352595
    assert year.chance_above_budget == risk.year.chance_above(13888234)


def test_a_bootstrap_is_cut_into_bins_of_equal_width(alpine: Result) -> None:
    risk = cost_risk(alpine.plan, alpine.calibration, years=20_000)
    panel = cost_picture(alpine.plan, risk).panels[0]
    distribution = risk.year
    assert panel.binned
    assert panel.method is RiskMethod.BOOTSTRAP
    assert (panel.years, panel.seed) == (20_000, 2026)
    bars = panel.bars
    assert len(bars) <= MAX_BINS
    assert bars[0].low == distribution.minimum
    assert bars[-1].high == distribution.maximum
    width = bars[0].high - bars[0].low + 1
    for before, after in itertools.pairwise(bars):
        assert after.low == before.high + 1
        assert before.high - before.low + 1 == width
    assert bars[-1].high - bars[-1].low + 1 <= width
    counts = Counter(distribution.amounts)
    for bar in bars:
        inside = sum(n for cost, n in counts.items() if bar.low <= cost <= bar.high)
        assert bar.chance == Fraction(inside, 20_000)
    assert sum(bar.chance for bar in bars) == 1


def test_an_exact_distribution_of_many_values_is_binned_exactly() -> None:
    amounts = tuple(range(0, 7 * 120, 7))  # 120 costs, weights 1, 2, 3, ...
    cumulative = tuple(n * (n + 1) // 2 for n in range(1, 121))
    distribution = CostDistribution(RiskMethod.EXACT, amounts, cumulative)
    risk = CostRisk(100, distribution.mean, 5, (), (), distribution, None)
    plan = hand_plan()
    panel = cost_picture(plan, risk).panels[0]
    assert panel.binned
    assert len(panel.bars) == MAX_BINS  # width ceil(834 / 50) = 17
    assert {bar.high - bar.low + 1 for bar in panel.bars[:-1]} == {17}
    assert panel.bars[0] == CostBar(0, 16, Fraction(1 + 2 + 3, cumulative[-1]))
    assert sum(bar.chance for bar in panel.bars) == 1
    assert panel.chance_above_budget == distribution.chance_above(100)


def test_a_year_with_every_month_paid_is_one_bar() -> None:
    plan = hand_plan({"2026-01": "100", "2026-02": "90"})
    panels = cost_picture(plan, cost_risk(plan)).panels
    assert len(panels) == 2
    assert [(bar.low, bar.high, bar.chance) for bar in panels[1].bars] == [
        (40000, 40000, Fraction(1))
    ]
    assert panels[1].percentile_5 == panels[1].percentile_95 == 40000


# -- the drawing (needs matplotlib) ----------------------------------------------------


def png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """``(type, body)`` of each chunk of a PNG file, checking every CRC."""
    assert data[:8] == PNG_SIGNATURE
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        yield kind, body
        at += 12 + length


def check_png(data: bytes, width: int, height: int) -> None:
    chunks = list(png_chunks(data))
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR"
    assert kinds[-1] == b"IEND"
    assert struct.unpack(">II", chunks[0][1][:8]) == (width, height)
    assert b"tIME" not in kinds  # no time of writing
    texts = b"".join(body for kind, body in chunks if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert b"Software" not in texts and b"matplotlib" not in texts.lower()
    assert 10_000 < len(data) < 300_000


@pytest.fixture
def matplotlib() -> Any:
    return pytest.importorskip("matplotlib")


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The figures drawn, kept instead of being turned into PNG bytes."""
    pytest.importorskip("matplotlib")
    figures: list[Any] = []

    def keep(figure: Any) -> bytes:
        figure.canvas.draw()
        figures.append(figure)
        return b""

    monkeypatch.setattr(drawing, "_png", keep)
    return figures


def test_the_pictures_are_pngs_of_the_right_size(
    digital: Result, tmp_path: Path, matplotlib: Any
) -> None:
    written = write_pictures(digital, tmp_path / "pictures")
    assert [p.name for p in written] == list(PICTURE_FILES)
    assert sorted(p.name for p in (tmp_path / "pictures").iterdir()) == sorted(PICTURE_FILES)
    sizes = {"payout-curve.png": (990, 550), "attainment.png": (990, 550)}
    sizes["cost-risk.png"] = (990, 858)  # two panels: the year, and the year given the paid months
    for path in written:
        check_png(path.read_bytes(), *sizes[path.name])


def test_the_same_result_gives_the_same_bytes(digital: Result, matplotlib: Any) -> None:
    picture = curve_picture(digital)
    assert draw_curve(picture) == draw_curve(picture)
    months = attainment_picture(digital)
    assert draw_attainment(months) == draw_attainment(months)
    risk = cost_picture(digital.plan, cost_risk(digital.plan, digital.calibration))
    assert draw_cost(risk) == draw_cost(risk)


def test_the_user_s_style_does_not_change_the_pictures(digital: Result, matplotlib: Any) -> None:
    picture = attainment_picture(digital)
    plain = draw_attainment(picture)
    with matplotlib.rc_context({"axes.facecolor": "black", "font.size": 30, "lines.linewidth": 9}):
        assert draw_attainment(picture) == plain


def test_the_curve_drawn_is_the_outline(digital: Result, drawn: list[Any]) -> None:
    picture = curve_picture(digital)
    draw_curve(picture)
    (figure,) = drawn
    axes = figure.axes[0]
    line = axes.get_lines()[0]
    assert list(line.get_xdata()) == [float(a) for a, _ in picture.outline]
    assert list(line.get_ydata()) == [float(f) for _, f in picture.outline]
    points = [tuple(map(float, xy)) for c in axes.collections for xy in c.get_offsets()]
    assert sorted(points) == sorted((float(m.attainment), float(m.factor)) for m in picture.months)
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert legend == [
        "payout factor",
        "7 months hit",
        "3 months missed",
        "pool at target: 24,508.65 USD a month",
    ]
    assert axes.get_xlabel() == "Attainment (actual / target)"
    assert "Pool of the month (USD)" in [a.get_ylabel() for a in axes.child_axes]
    figure_texts = [text.get_text() for text in figure.texts]
    assert figure_texts == ["The payout curve", digital.plan.name, picture.description]


def test_the_bars_drawn_are_the_attainments(digital: Result, drawn: list[Any]) -> None:
    picture = attainment_picture(digital)
    draw_attainment(picture)
    axes = drawn[0].axes[0]
    bars = {round(p.get_x() + p.get_width() / 2): p for p in axes.patches}
    for index, month in enumerate(picture.months):
        if month.attainment is None:
            assert index not in bars
            continue
        bar = bars[index]
        assert bar.get_y() == 1.0
        assert bar.get_height() == pytest.approx(float(month.attainment) - 1)
    labels = [t.get_text() for t in axes.texts]
    assert labels == ["93.7%", "102.0%", "107.4%", "104.5%", "97.3%", "102.8%", "101.4%",
                      "103.1%", "98.3%", "103.2%", "pending", "pending"]  # fmt: skip
    assert [t.get_text() for t in axes.get_xticklabels()] == [str(m.month) for m in picture.months]
    legend = [text.get_text() for text in axes.get_legend().get_texts()]
    assert legend == ["hit: 100% of target or more", "missed", "target"]
    assert drawn[0].texts[2].get_text() == "7 of the 10 months paid hit the target; 2 pending"


def test_the_cost_drawn_is_the_distribution_and_the_budget(
    digital: Result, drawn: list[Any]
) -> None:
    picture = cost_picture(digital.plan, cost_risk(digital.plan, digital.calibration))
    draw_cost(picture)
    year, given = drawn[0].axes
    for axes, panel in ((year, picture.panels[0]), (given, picture.panels[1])):
        bars = [p for p in axes.patches if p.get_label() != "5th to 95th percentile"]
        assert [(p.get_x() + p.get_width() / 2, p.get_height()) for p in bars] == [
            pytest.approx((bar.low / 100, float(bar.chance))) for bar in panel.bars
        ]
        lines = {line.get_label(): line.get_xdata()[0] for line in axes.get_lines()}
        assert lines["budget 138,882.34 USD"] == 138882.34
        mean = f"mean {'138,882.35' if axes is year else '194,707.61'} USD"
        assert lines[mean] == pytest.approx(float(panel.mean) / 100)
    assert year.get_xlabel() == "" and given.get_xlabel() == "Cost of the plan year (USD)"
    ticks = [t.get_text() for t in given.get_xticklabels() if t.get_text()]
    assert "100,000" in ticks and all("." not in t for t in ticks)
    assert [t.get_text() for t in year.get_yticklabels()][:3] == ["0%", "5%", "10%"]
    assert "53.59%" in year.get_title(loc="left")


def test_unusual_plans_draw(tmp_path: Path, matplotlib: Any) -> None:
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1"), target_bonus=D("120000")),
        Member("B", "sales", date(2026, 2, 1), None, D("1"), target_bonus=D("240000")),
    ]
    yen = hand_plan(
        {"2026-01": "100", "2026-02": "130"},
        members=members,
        funding="individual",
        budget="20000",
        currency="JPY",
        targets={"2026-01": "99", "2026-02": "119"},
    )
    history = [
        HistoryMonth(Month(2023 + m // 12, m % 12 + 1), D(str(90 + (m * 7) % 25)))
        for m in range(36)
    ]
    long = build_plan(
        name="Two years, nothing paid yet, " + "a very long name " * 12,
        currency="KWD",
        start="2026-04",
        months=24,
        members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
        history=history,
        curve=LinearCurve.of([("0.9", "0"), ("1", "1"), ("1.3", "2.5")]),
        budget="1234.567",
        norm="trailing_mean",
        window=3,
    )
    for name, plan in (("yen", yen), ("long", long), ("pending", hand_plan())):
        result = run(plan)
        written = write_pictures(result, tmp_path / name, cost_risk(plan, years=2_000))
        panels = 2 if any(m.status is MonthStatus.PAID for m in result.months) else 1
        sizes = [(990, 550), (990, 550), (990, 550 + 308 * (panels - 1))]
        for path, size in zip(written, sizes, strict=True):
            check_png(path.read_bytes(), *size)


def test_the_pictures_are_written_all_or_nothing(
    digital: Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, matplotlib: Any
) -> None:
    out = tmp_path / "out"
    (out / "attainment.png").parent.mkdir()
    (out / "attainment.png").write_bytes(b"the earlier picture")
    real = drawing.write_bytes

    def fail_on_the_last(path: Path, data: bytes) -> Path:
        if path.name == PICTURE_FILES[-1]:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(drawing, "write_bytes", fail_on_the_last)
    with pytest.raises(OSError, match="No space left"):
        write_pictures(digital, out)
    assert sorted(p.name for p in out.iterdir()) == ["attainment.png"]
    assert (out / "attainment.png").read_bytes() == b"the earlier picture"


def test_cli_plot_writes_the_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], matplotlib: Any
) -> None:
    out = tmp_path / "pictures"
    assert main(["plot", str(DIGITAL), "--out", str(out)]) == EXIT_OK
    stdout, stderr = capsys.readouterr()
    assert stdout.splitlines() == [str(out / name) for name in PICTURE_FILES]
    assert stderr == ""
    for name in PICTURE_FILES:
        assert (out / name).read_bytes()[:8] == PNG_SIGNATURE


def test_cli_plot_into_a_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], matplotlib: Any
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    assert main(["plot", str(DIGITAL), "--out", str(blocker)]) == EXIT_FAILURE
    assert "jointbonus: cannot write" in capsys.readouterr().err


# -- without matplotlib, and bad input (run everywhere) ---------------------------------


def test_without_matplotlib_drawing_says_what_to_install(
    digital: Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    picture = curve_picture(digital)  # the data needs no extra
    for draw in (
        lambda: draw_curve(picture),
        lambda: draw_attainment(attainment_picture(digital)),
        lambda: write_pictures(digital, tmp_path / "out"),
    ):
        with pytest.raises(MissingExtraError, match=r"pip install 'jointbonus\[plot\]'") as caught:
            draw()
        assert isinstance(caught.value, ImportError)
        assert "needs matplotlib" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_without_matplotlib_the_command_exits_1_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "out"
    assert main(["plot", str(DIGITAL), "--out", str(out)]) == EXIT_FAILURE
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert stderr == (
        "jointbonus: drawing pictures needs matplotlib, which is not installed; install the "
        "optional extra with: pip install 'jointbonus[plot]'\n"
    )
    assert not out.exists()


def test_the_core_never_imports_matplotlib() -> None:
    """A fresh interpreter: importing and running jointbonus leaves matplotlib unimported."""
    script = (
        "import sys\n"
        "import jointbonus, jointbonus.sharedtarget.plots, jointbonus.cli\n"
        f"result = jointbonus.run(jointbonus.load_plan({str(DIGITAL)!r}))\n"
        "plots = jointbonus.sharedtarget.plots\n"
        "plots.cost_picture(result.plan, jointbonus.cost_risk(result.plan))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (SCANLON, "`jointbonus plot` applies to shared-target plans"),
        (ROOT / "no-such-plan.toml", "expected an existing file"),
    ],
)
def test_cli_plot_of_bad_input_exits_2_and_writes_nothing(
    plan: Path, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["plot", str(plan), "--out", str(out)]) == EXIT_BAD_INPUT
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert message in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_cli_plot_needs_an_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as leaving:
        main(["plot", str(DIGITAL)])
    assert leaving.value.code == EXIT_BAD_INPUT
    assert "--out" in capsys.readouterr().err


def test_the_command_and_the_function_are_public(capsys: pytest.CaptureFixture[str]) -> None:
    assert jointbonus.write_pictures is write_pictures
    assert "write_pictures" in jointbonus.__all__
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "plot" in capsys.readouterr().out


def test_the_pictures_the_docs_show_are_there_and_small() -> None:
    text = (ROOT / "docs" / "pictures.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\((img/[^)]+\.png)\)", text)
    assert len(shown) == 5
    for name in shown:
        data = (ROOT / "docs" / name).read_bytes()
        check_png(data, 990, 858 if name.endswith("cost-risk.png") else 550)
        assert len(data) < 100_000, name
