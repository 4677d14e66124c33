"""Statements and the transparency report: right figures, well-formed Markdown, safe files."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import jointbonus as jb
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jointbonus.core.number import decimal_text, percent_text
from jointbonus.sharedtarget.report import pages, statements
from jointbonus.sharedtarget.report import writer as report
from jointbonus.sharedtarget.report.statements import (
    STATEMENTS_FOLDER,
    TRANSPARENCY_FILE,
    UnknownMemberError,
    render_statement,
    render_statements,
    render_transparency_report,
    statement_file_names,
    statement_files,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "fixtures" / "one_lifeboat" / "plan.toml"
SEASONAL = ROOT / "examples" / "alpine_outfitters" / "plan.toml"

_PIPE = re.compile(r"(?<!\\)\|")


def tables(markdown: str) -> list[list[list[str]]]:
    """Every Markdown table in ``markdown``: rows of cells (header, rule, body rows)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.split("\n"), ""]:
        if line.startswith("|"):
            current.append([cell.strip() for cell in _PIPE.split(line)[1:-1]])
        elif current:
            found.append(current)
            current = []
    return found


def table_after(markdown: str, heading: str) -> list[dict[str, str]]:
    """The first table after ``heading``, as one dict per body row."""
    rows = tables(markdown[markdown.index(heading) :])[0]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[2:]]


def assert_well_formed(markdown: str) -> None:
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")
    assert "\r" not in markdown
    for table in tables(markdown):
        widths = {len(row) for row in table}
        assert widths == {len(table[0])}, f"ragged table: {table[0]}"
        assert all(re.fullmatch(r"---:?", cell) for cell in table[1]), table[1]
    headings = [line for line in markdown.split("\n") if line.startswith("#")]
    assert headings[0].startswith("# ") and sum(h.startswith("# ") for h in headings) == 1


def amount(text: str) -> int:
    """``**1,234.56**`` -> 123456 (USD minor units)."""
    return int(text.strip("*").replace(",", "").replace(".", ""))


@pytest.fixture(scope="module")
def result() -> jb.Result:
    return jb.run(jb.load_plan(EXAMPLE))


def years_so_far(statement: str) -> int:
    rows = table_after(statement, "## Your months")
    assert rows[-1]["Month"] == "**Year so far**"
    return amount(rows[-1]["Total (USD)"])


# -- statements --------------------------------------------------------------


def test_statements_add_up_to_what_was_paid(result: jb.Result) -> None:
    totals = {member_id: years_so_far(text) for member_id, text in render_statements(result)}
    assert list(totals) == [m.id for m in result.plan.members]
    assert sum(totals.values()) == result.summary.paid_to_date == sum(m.paid for m in result.months)


def test_each_statement_shows_the_members_lines(result: jb.Result) -> None:
    lines = defaultdict(list)
    for line in result.lines():
        lines[line.member_id].append(line)
    currency = result.plan.currency
    for member_id, text in render_statements(result):
        rows = table_after(text, "## Your months")[:-1]
        assert [row["Month"] for row in rows] == [str(line.period) for line in lines[member_id]]
        for row, line in zip(rows, lines[member_id], strict=True):
            assert row["Days active"] == str(line.days)
            assert row["Weight"] == decimal_text(line.weight, 4)
            assert row["Total (USD)"] == currency.format(currency.to_minor(line.total))
            assert row["Shared (USD)"] == currency.format(currency.to_minor(line.shared))
            assert row["Note"] == line.reason
        total = sum(currency.to_minor(line.total) for line in lines[member_id])
        assert years_so_far(text) == total
        assert f"**{currency.format(total)} USD**" in text


def test_lines_member_by_member_are_the_results_lines(result: jb.Result) -> None:
    for plan in (result.plan, jb.load_plan(SEASONAL), individual_plan(), salary_plan()):
        paid = jb.run(plan)
        by_member = [line for _, lines in statements._lines_by_member(paid) for line in lines]
        expected = sorted(paid.lines(), key=lambda line: (line.member_id, line.period))
        assert by_member == expected


def test_a_mid_year_hire_sees_why_the_first_months_are_zero(result: jb.Result) -> None:
    text = render_statement(result, "DM-S09")
    rows = {row["Month"]: row for row in table_after(text, "## Your months")}
    for month in ("2026-01", "2026-06"):
        assert rows[month]["Note"] == "not yet started (starts 2026-07-15)"
        assert rows[month]["Total (USD)"] == "0.00"
    assert rows["2026-07"]["Days active"] == "17"
    assert rows["2026-07"]["Weight"] == "0.5484"  # 17 of July's 31 days
    assert rows["2026-07"]["Total (USD)"] == "1,022.20"
    assert rows["2026-11"]["Note"] == "pending: no actual for 2026-11 yet"
    assert "- Started: 2026-07-15" in text
    assert "It does not apply to you: you have no leaving date in the plan year." in text
    assert years_so_far(text) == 462640


def test_a_leaver_sees_the_rule_that_applied(result: jb.Result) -> None:
    text = render_statement(result, "DM-M05")
    assert "(`pay_leavers_for_exit_month = false`)" in text
    assert "It applied to you: you left on 2026-05-20, so 2026-05 is not paid." in text
    rows = {row["Month"]: row for row in table_after(text, "## Your months")}
    assert rows["2026-05"]["Days active"] == "20"
    assert rows["2026-05"]["Note"] == (
        "left on 2026-05-20, before the month ended; "
        "the plan does not pay leavers for their exit month"
    )
    assert rows["2026-06"]["Note"] == "left on 2026-05-20"
    assert years_so_far(text) == 3 * 180211


def test_a_part_timer_is_weighted_by_fte(result: jb.Result) -> None:
    text = render_statement(result, "DM-M04")
    assert "- FTE: 0.6" in text
    rows = {row["Month"]: row for row in table_after(text, "## Your months")}
    assert rows["2026-02"]["Weight"] == "0.6000"
    assert rows["2026-02"]["Total (USD)"] == "1,081.26"
    assert rows["2026-01"]["Note"] == (
        "target missed: attainment 93.7% earns no payout (the curve pays from 100%)"
    )


def test_a_statement_gives_the_plan_in_two_sentences(result: jb.Result) -> None:
    text = render_statement(result, "DM-S01")
    section = text.split("## The plan in two sentences\n\n")[1].split("\n")[0]
    assert section == (
        "Sales and marketing share one monthly revenue target: in a month that reaches it, "
        "everybody in the plan earns a bonus, and in a month that misses it, nobody does. "
        "The month's pool, 24,508.65 USD at target times the payout factor, is shared "
        "equally among everybody in the plan that month, in proportion to FTE and days active."
    )
    assert f"(`{TRANSPARENCY_FILE}`)" in text
    assert "`jointbonus explain PLAN --member DM-S01 --month YYYY-MM`" in text


def test_leavers_paid_for_their_exit_month_are_told_so() -> None:
    plan = small_plan(pay_leavers=True)
    text = render_statement(jb.run(plan), "L1")
    assert "(`pay_leavers_for_exit_month = true`)" in text
    assert "It applied to you: you left on 2026-02-10, so 2026-02 counts for the 10 days" in text
    rows = {row["Month"]: row for row in table_after(text, "## Your months")}
    assert rows["2026-02"]["Total (USD)"] != "0.00"


def test_leaving_on_a_months_last_day_is_not_leaving_early() -> None:
    text = render_statement(jb.run(small_plan()), "L2")
    assert "It did not apply to you: you left on 2026-01-31, the last day of 2026-01" in text


def test_an_unknown_member_is_a_clear_error(result: jb.Result) -> None:
    with pytest.raises(
        UnknownMemberError,
        match=r"member id: got 'DM-X99', expected a member id of the plan, such as",
    ):
        render_statement(result, "DM-X99")
    assert issubclass(UnknownMemberError, jb.JointBonusError)
    assert issubclass(UnknownMemberError, LookupError)


# -- the transparency report -------------------------------------------------


def test_the_months_table_is_the_results(result: jb.Result) -> None:
    currency = result.plan.currency
    rows = table_after(render_transparency_report(result), "## Months")
    assert [row["Month"] for row in rows] == [str(m.month) for m in result.months]
    for row, month in zip(rows, result.months, strict=True):
        assert amount(row["Paid (USD)"]) == month.paid
        assert row["Result"] == {True: "hit", False: "miss", None: "pending"}[month.hit]
        assert row["Target source"] == month.plan_month.target_source
        assert amount(row["Target (USD)"]) == currency.round_to_minor(month.plan_month.target)
        if month.pool is None:
            assert row["Pool (USD)"] == row["Actual (USD)"] == row["Attainment"] == ""
        else:
            assert amount(row["Pool (USD)"]) == month.pool
            assert row["Attainment"] == percent_text(month.attainment or 0)


def test_the_split_table_shows_who_shared_and_who_got_the_leftover(result: jb.Result) -> None:
    report_text = render_transparency_report(result)
    rows = {row["Month"]: row for row in table_after(report_text, "## How each pool was split")}
    lines = defaultdict(list)
    for line in result.lines():
        lines[str(line.period)].append(line)
    for month in result.months:
        row = rows[str(month.month)]
        if month.pool is None:
            assert row["Pool (USD)"] == "pending"
            continue
        sharing = [line for line in lines[str(month.month)] if line.weight]
        total_weight = sum((line.weight for line in sharing), Fraction(0))
        assert row["Members sharing"] == str(len(sharing))
        assert row["Total weight"] == decimal_text(total_weight, 4)
        exact = {
            line.member_id: Fraction(month.paid) * line.weight / total_weight for line in sharing
        }
        got = {line.member_id: amount(str(line.total)) for line in sharing}
        bumped = sorted(m for m in got if got[m] - (exact[m].numerator // exact[m].denominator))
        assert all(got[m] - int(exact[m]) in (0, 1) for m in got)
        assert row["Leftover units (0.01 USD each)"] == str(len(bumped))
        assert row["Leftover went to"] == (", ".join(bumped) if bumped else "nobody")
        share = Fraction(month.paid, 100) / total_weight
        assert row["Full-time, full-month share (USD)"].replace(",", "") == decimal_text(share, 6)
    assert rows["2026-06"]["Leftover went to"] == "DM-M01, DM-M04"


def test_the_report_gives_the_calibration_and_the_year_so_far(result: jb.Result) -> None:
    text = render_transparency_report(result)
    calibration = {r["Figure"]: r["Value"] for r in table_after(text, "## Calibration")}
    assert calibration["Budget (USD)"].startswith("138,882.34 (history: mean monthly payout")
    assert calibration["Pool at target per month (USD)"] == (
        "24,508.65 (solved for neutrality; exact 20832351/850)"
    )
    assert calibration["Residual after rounding (USD)"] == "0.010000 (bound 0.028333, within)"
    year = {r["Figure"]: r["Value"] for r in table_after(text, "## The year so far")}
    summary = result.summary
    assert amount(year["Paid to date (USD)"]) == summary.paid_to_date
    assert amount(year["Cost on current pace (USD)"]) == summary.cost_on_pace
    assert year["Months with actuals"] == "10 of 12"
    assert year["Months that paid money"] == "7 of 10"
    assert year["Months the target was hit"] == "7 of 10"
    assert year["Months pending (an actual missing)"] == "2"
    assert "Pending, with no actual yet and nothing paid: 2026-11, 2026-12." in text
    teams = {r["Team"]: amount(r["Paid to date (USD)"]) for r in table_after(text, "## Paid by")}
    assert teams["**All**"] == summary.paid_to_date == teams["sales"] + teams["marketing"]


def test_individual_funding_is_explained_line_by_line() -> None:
    paid = jb.run(individual_plan())
    text = render_transparency_report(paid)
    rows = table_after(text, "## How each pool was split")
    assert list(rows[0]) == ["Month", "Members paid", "Total weight", "Multiplier x factor",
                             "Paid (EUR)"]  # fmt: skip
    assert amount(rows[0]["Paid (EUR)"]) == paid.months[0].paid
    assert "nothing is left over to share" in text
    statement = render_statement(paid, "E100")
    assert "Each member earns their annual target bonus x" in statement
    assert_well_formed(text)
    assert_well_formed(statement)


def test_a_pool_split_by_salary_shows_the_rate_per_salary() -> None:
    paid = jb.run(salary_plan())
    text = render_transparency_report(paid)
    row = table_after(text, "## How each pool was split")[0]
    assert row["Full-time, full-month share (% of annual salary)"].endswith("%")
    assert "in proportion to FTE x days active x annual base salary" in text


# -- Markdown and determinism ------------------------------------------------


@pytest.mark.parametrize("path", [EXAMPLE, SEASONAL], ids=["digital", "alpine"])
def test_the_markdown_is_well_formed(path: Path) -> None:
    paid = jb.run(jb.load_plan(path))
    assert_well_formed(render_transparency_report(paid))
    for _, text in render_statements(paid):
        assert_well_formed(text)


def test_text_from_the_plan_cannot_break_the_markdown() -> None:
    plan = small_plan(ids=("a|b", "x*y_z", "<script>"), team="sales | ops")
    paid = jb.run(plan)
    for text in [render_transparency_report(paid), *(t for _, t in render_statements(paid))]:
        assert_well_formed(text)
        assert "<script>" not in re.sub(r"`[^`]*`", "", text)
    statement = render_statement(paid, "a|b")
    assert statement.startswith("# Bonus statement: a\\|b\n")
    assert "`jointbonus explain PLAN --member 'a|b' --month YYYY-MM`" in statement
    tick = render_statement(jb.run(small_plan(ids=("`x",))), "`x")
    assert "``jointbonus explain PLAN --member '`x' --month YYYY-MM``" in tick


def test_output_is_deterministic(result: jb.Result, tmp_path: Path) -> None:
    first = list(statement_files(result))
    assert first == list(statement_files(jb.run(jb.load_plan(EXAMPLE))))
    report.write_results(result, tmp_path / "a", statements=True)
    report.write_results(result, tmp_path / "b", statements=True)
    for name, text in first:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert (tmp_path / "a" / name).read_text(encoding="utf-8") == text


# -- files -------------------------------------------------------------------


HOSTILE = ["../x", "a/b", "..", ".", ".hidden", "/etc/passwd", "C:\\x", "CON", "nul.txt",
           "A1", "a1", "x" * 300, "ü", "x-d6b96a97d1", "a b"]  # fmt: skip


def test_hostile_ids_cannot_escape_the_folder(tmp_path: Path) -> None:
    plan = small_plan(ids=tuple(HOSTILE))
    out = tmp_path / "deep" / "out"
    written = report.write_results(jb.run(plan), out, statements=True)
    folder = (out / STATEMENTS_FOLDER).resolve()
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == len(plan.members)
    assert all(p.resolve().is_relative_to(out.resolve()) for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep"]
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["lines.csv", "months.csv", "result.json", STATEMENTS_FOLDER, TRANSPARENCY_FILE]
    )
    by_name = statement_file_names(HOSTILE)
    for member_id, name in by_name.items():
        text = (folder / name).read_text(encoding="utf-8")
        assert f"- Member: {pages.md(member_id)}\n" in text


def test_plain_ids_keep_their_names_and_others_are_made_safe() -> None:
    names = statement_file_names([*HOSTILE, "DM-S01"])
    assert names["DM-S01"] == "DM-S01.md"
    assert names["../x"] == "x-d6b96a97d1.md"
    assert names["a/b"] == "a_b-c14cddc033.md"
    assert names["A1"] != "A1.md" and names["a1"] != "a1.md"  # case-blind file systems
    assert names["CON"].startswith("CON-") and names["nul.txt"].startswith("nul.txt-")
    assert names["x-d6b96a97d1"] != names["../x"]
    assert len(set(n.casefold() for n in names.values())) == len(names)


@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=8, unique=True))
@example(["../x", "x-d6b96a97d1", ".."])
@example(["a/b", "a\\b", "a_b"])
def test_file_names_are_plain_unique_and_stay_in_the_folder(ids: list[str]) -> None:
    names = statement_file_names(ids)
    assert list(names) == ids
    for name in names.values():
        assert re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.md", name), name
        assert len(name) <= 150
        assert (Path("/out") / name).parent == Path("/out")
    assert len({name.casefold() for name in names.values()}) == len(ids)


def test_a_failed_write_leaves_no_partial_file(
    result: jb.Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / TRANSPARENCY_FILE).write_text("an earlier report\n", encoding="utf-8")

    def failing(paid: jb.Result) -> object:
        files = statement_files(paid)
        yield next(files)
        yield next(files)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "statement_files", failing)
    with pytest.raises(OSError, match="No space left"):
        report.write_results(result, out, statements=True)
    assert sorted(p.name for p in out.iterdir()) == [TRANSPARENCY_FILE]
    assert (out / TRANSPARENCY_FILE).read_text(encoding="utf-8") == "an earlier report\n"


# -- the command line --------------------------------------------------------


def test_the_statements_command_prints_every_statement_one_or_the_report(
    result: jb.Result, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["statements", str(EXAMPLE)]) == EXIT_OK
    assert capsys.readouterr().out == "\n".join(text for _, text in render_statements(result))
    assert main(["statements", str(EXAMPLE), "--report"]) == EXIT_OK
    assert capsys.readouterr().out == render_transparency_report(result)
    assert main(["statements", str(EXAMPLE), "--member", "DM-S09"]) == EXIT_OK
    assert capsys.readouterr().out == render_statement(result, "DM-S09")
    assert main(["statements", str(EXAMPLE), "--member", "nobody"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "member id: got 'nobody', expected a member id of the plan, such as" in err
    # A near miss is told the ids it was near, as explain tells it.
    assert main(["statements", str(EXAMPLE), "--member", "DM-S9"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "such as DM-S09" in err and "(15 in all)" in err


def test_run_writes_statements_with_its_results(
    result: jb.Result, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(EXAMPLE), "--out", str(out), "--statements"]) == EXIT_OK
    assert (
        f"\nWrote 21 files to {out}: lines.csv, months.csv, payroll.csv, result.json, "
        "transparency.md, manifest.json, statements/ (15 files)\n" in capsys.readouterr().out
    )
    for name, text in statement_files(result):
        assert (out / name).read_text(encoding="utf-8") == text
    assert len(list((out / STATEMENTS_FOLDER).iterdir())) == 15


def test_statements_need_an_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(EXAMPLE), "--statements"]) == EXIT_BAD_INPUT
    assert "give --out DIR as well" in capsys.readouterr().err


# -- plans built for these tests --------------------------------------------


def _history() -> list[jb.HistoryMonth]:
    actuals = ["98000", "104000", "99500", "101000", "97000", "103500",
               "100500", "96000", "102000", "99000", "105000", "100000"]  # fmt: skip
    return [
        jb.HistoryMonth(jb.Month(2025, m), jb.D(a), jb.D("100000"), jb.D("1500"))
        for m, a in zip(range(1, 13), actuals, strict=True)
    ]


def individual_plan() -> jb.Plan:
    members = [
        jb.Member("E100", "sales", date(2024, 3, 1), None, jb.D("1"), target_bonus=jb.D("12000")),
        jb.Member("E200", "marketing", date(2026, 1, 15), None, jb.D("0.6"),
                  target_bonus=jb.D("9000")),
    ]  # fmt: skip
    return jb.build_plan(
        name="Individual", currency="EUR", start="2026-01", members=members, history=_history(),
        targets={f"2026-{m:02d}": "100000" for m in range(1, 13)},
        actuals={"2026-01": "104000", "2026-02": "90000"},
        curve=jb.StepCurve(), budget="from_history", funding="individual",
    )  # fmt: skip


def salary_plan() -> jb.Plan:
    members = [
        jb.Member("S1", "sales", date(2024, 1, 1), None, jb.D("1"), salary=jb.D("90000")),
        jb.Member("S2", "sales", date(2024, 1, 1), None, jb.D("0.5"), salary=jb.D("60000")),
        jb.Member("M1", "marketing", date(2024, 1, 1), None, jb.D("1"), salary=jb.D("70000")),
    ]
    return jb.build_plan(
        name="By salary", currency="USD", start="2026-01", members=members, history=_history(),
        targets={f"2026-{m:02d}": "100000" for m in range(1, 13)},
        actuals={"2026-01": "101000"}, curve=jb.StepCurve(), budget="18000.00", split="salary",
    )  # fmt: skip


def small_plan(
    *, ids: tuple[str, ...] = (), team: str = "sales", pay_leavers: bool = False
) -> jb.Plan:
    members = [
        jb.Member("L1", "sales", date(2024, 1, 1), date(2026, 2, 10), jb.D("1")),
        jb.Member("L2", "marketing", date(2024, 1, 1), date(2026, 1, 31), jb.D("1")),
        jb.Member("K1", "marketing", date(2024, 1, 1), None, jb.D("1")),
        *(jb.Member(i, team, date(2024, 1, 1), None, jb.D("1")) for i in ids),
    ]
    return jb.build_plan(
        name="Small | plan", currency="USD", start="2026-01", members=members,
        history=_history(), targets={f"2026-{m:02d}": "100000" for m in range(1, 13)},
        actuals={"2026-01": "101000", "2026-02": "102000", "2026-03": "99000"},
        curve=jb.StepCurve(), budget="12000.00", pay_leavers_for_exit_month=pay_leavers,
    )  # fmt: skip
