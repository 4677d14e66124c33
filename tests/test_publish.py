"""``jointbonus run PLAN --out DIR`` as a user meets it: killed, run twice at once, run
into a folder with leftovers, links or inputs in it, and checked by ``jointbonus verify``.

A run's folder changes from the old complete set of files to the new one in one step
(:func:`jointbonus.io.files.publish_folder`); these tests hold real processes to that.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jointbonus import read_manifest
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main
from jointbonus.io.files import LOCK_NAME, folder_entries, workshop_of

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "one_lifeboat"
SCANLON = ROOT / "examples" / "gainsharing"
#: Members of the plan the killed runs pay: enough statements that writing them takes a while.
MEMBERS = 150
#: The longest any one process may take before the test gives up on it.
PATIENCE = 120


def widen_roster(plan_folder: Path, members: int) -> None:
    """Give the plan ``members`` members, each like one of the fixture's, with its own id."""
    roster = plan_folder / "data" / "roster.csv"
    header, *rows = roster.read_text(encoding="utf-8").splitlines()
    wide = [f"M{n:04d}," + rows[n % len(rows)].split(",", 1)[1] for n in range(members)]
    roster.write_text("\n".join([header, *wide]) + "\n", encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise LookupError(f"{old!r} is not in {path.name}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def listing(folder: Path) -> dict[str, bytes | str]:
    """Everything in ``folder``: each file's bytes, and the kind of anything else."""
    return {
        name: (folder / name).read_bytes() if kind == "file" else kind
        for name, kind in folder_entries(folder).items()
    }


def quietly(*arguments: str) -> int:
    """``main`` with what it prints thrown away."""
    with open(os.devnull, "w", encoding="utf-8") as sink:
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        try:
            return main(list(arguments))
        finally:
            sys.stdout, sys.stderr = saved


def run_command(plan: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "jointbonus", "run", str(plan), "--out", str(out),
            "--statements", "--format", "csv"]  # fmt: skip


def make_versions(home: Path, members: int | None) -> dict[str, Path]:
    """Two versions of one plan (the second restates November's actual), each in a folder;
    with ``members``, the roster is widened to that many."""
    shutil.copytree(EXAMPLE, home / "a")
    if members is not None:
        widen_roster(home / "a", members)
    shutil.copytree(home / "a", home / "b")
    replace_in(
        home / "b" / "data" / "plan_months.csv", "2026-11,1389000,", "2026-11,1389000,1402000"
    )
    return {"a": home / "a" / "plan.toml", "b": home / "b" / "plan.toml"}


def make_references(versions: dict[str, Path], home: Path) -> dict[str, dict[str, bytes | str]]:
    """What a whole run of each version leaves in its folder, file by file."""
    found = {}
    for version, plan in versions.items():
        assert quietly("run", str(plan), "--out", str(home / version), "--statements") == EXIT_OK
        found[version] = listing(home / version)
    assert found["a"] != found["b"]
    assert found["a"].keys() == found["b"].keys()
    return found


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The plan's two versions with MEMBERS members: for runs that are killed or race."""
    return make_versions(tmp_path_factory.mktemp("versions"), MEMBERS)


@pytest.fixture(scope="module")
def references(
    versions: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, bytes | str]]:
    return make_references(versions, tmp_path_factory.mktemp("references"))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The plan's two versions with the fixture's 15 members: for quicker runs."""
    return make_versions(tmp_path_factory.mktemp("small"), None)


@pytest.fixture(scope="module")
def small_references(
    small: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, bytes | str]]:
    return make_references(small, tmp_path_factory.mktemp("small-references"))


def which(found: dict[str, bytes | str], references: dict[str, dict[str, bytes | str]]) -> str:
    """The version whose complete set ``found`` is; fails on anything else."""
    for version, expected in references.items():
        if found == expected:
            return version
    differing = sorted(
        name
        for name in found.keys() | references["a"].keys()
        if found.get(name) not in (references["a"].get(name), references["b"].get(name))
        or name not in found
    )
    raise AssertionError(f"neither complete set: {differing[:10]}")


# -- killed at any moment ------------------------------------------------------------------


def test_a_run_killed_at_any_moment_leaves_the_old_set_or_the_new_one(
    versions: dict[str, Path],
    references: dict[str, dict[str, bytes | str]],
    tmp_path: Path,
    thorough: bool,
) -> None:
    """Kill real ``jointbonus run`` processes (SIGKILL) at moments drawn from a seeded
    generator: after each kill the folder is one version's complete set and ``verify`` says
    so. Most kills come a random while after the run's staging folder appears, so that they
    land while it writes and publishes (the first as soon as it appears); some at any moment;
    one at once; one never."""
    kills = 60 if thorough else 8
    out = tmp_path / "out"
    workshop = workshop_of(out)
    started = time.monotonic()
    done = subprocess.run(
        run_command(versions["a"], out), capture_output=True, timeout=PATIENCE, check=False
    )
    assert done.returncode == EXIT_OK, done.stderr
    whole = time.monotonic() - started
    current = which(listing(out), references)
    draw = random.Random(20260611)
    # (how to kill, how long to wait): "now"; "never"; "any" moment after the start;
    # "writing": that long after the staging folder appears
    schedule = [("now", 0.0), ("never", 0.0), ("writing", 0.0)] + [
        ("any", draw.uniform(0.0, 1.1) * whole)
        if draw.random() < 0.25
        else ("writing", draw.uniform(0.0, 0.5) * whole)
        for _ in range(kills - 2)
    ]
    killed = mid_publication = 0
    for how, delay in schedule:
        other = "b" if current == "a" else "a"
        process = subprocess.Popen(
            run_command(versions[other], out),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if how == "writing":  # wait for the run to start writing, then a while more
            deadline = time.monotonic() + PATIENCE
            while process.poll() is None and time.monotonic() < deadline:
                if any(name.startswith("new-") for name in os.listdir(workshop)):
                    break
                time.sleep(0.001)
            time.sleep(delay)
        elif how == "any":
            time.sleep(delay)
        if how != "never":
            process.kill()
            killed += 1
        _, stderr = process.communicate(timeout=PATIENCE)
        assert process.returncode in (EXIT_OK, -9), stderr
        if process.returncode == -9 and set(os.listdir(workshop)) != {LOCK_NAME}:
            mid_publication += 1  # its staging folder was left behind
        current = which(listing(out), references)
        assert quietly("verify", str(versions[current]), str(out)) == EXIT_OK
    assert killed >= kills
    assert mid_publication >= 1
    assert quietly("run", str(versions["a"]), "--out", str(out), "--statements") == EXIT_OK
    assert listing(out) == references["a"]
    assert sorted(os.listdir(workshop)) == [LOCK_NAME]  # every leftover was cleaned
    print(  # the kills' tally, for `pytest -s`
        f"{killed} kills, {mid_publication} during a run's writing or publishing, "
        f"{time.monotonic() - started:.1f}s"
    )


# -- two runs at once ---------------------------------------------------------------------


def test_two_runs_into_one_folder_at_once_never_mix(
    versions: dict[str, Path], references: dict[str, dict[str, bytes | str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    for _ in range(3):
        runs = [
            subprocess.Popen(
                run_command(versions[v], out),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for v in ("a", "b")
        ]
        ended = [(p.communicate(timeout=PATIENCE)[1], p.returncode) for p in runs]
        assert sorted(code for _, code in ended) in ([EXIT_OK, EXIT_OK], [EXIT_OK, EXIT_FAILURE])
        for stderr, code in ended:
            if code == EXIT_FAILURE:  # refused: the other run held the lock
                named = re.fullmatch(  # the other run, unless it let go as this one looked
                    f"jointbonus: cannot write {re.escape(str(out))}: (jointbonus \\(process "
                    "[0-9]+\\) is writing this folder now; try again when that run has finished|"
                    "another jointbonus process is using this folder now \\(a run writing it or "
                    "`jointbonus verify` reading it\\); try again when it has finished)\n",
                    stderr,
                )
                assert named, stderr
            else:
                assert stderr == ""
        current = which(listing(out), references)
        assert quietly("verify", str(versions[current]), str(out)) == EXIT_OK


@pytest.fixture
def lock_of() -> Iterator[list[int]]:
    """Folder locks the test takes as a running ``jointbonus run`` would hold them."""
    held: list[int] = []
    yield held
    for descriptor in held:
        os.close(descriptor)


def hold(out: Path, held: list[int]) -> None:
    descriptor = os.open(workshop_of(out) / LOCK_NAME, os.O_RDWR)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    held.append(descriptor)


def test_a_run_into_a_folder_being_written_is_refused_with_exit_1(
    small: dict[str, Path],
    tmp_path: Path,
    lock_of: list[int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out)]) == EXIT_OK
    before = listing(out)
    hold(out, lock_of)
    capsys.readouterr()
    assert main(["run", str(small["b"]), "--out", str(out)]) == EXIT_FAILURE
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert stderr == (
        f"jointbonus: cannot write {out}: jointbonus (process {os.getpid()}) is writing this "
        "folder now; try again when that run has finished\n"
    )
    assert main(["verify", str(small["a"]), str(out)]) == EXIT_FAILURE
    assert capsys.readouterr().err == (
        f"jointbonus: cannot read {out}: jointbonus (process {os.getpid()}) is writing this "
        "folder now; verify it when that run has finished\n"
    )
    assert listing(out) == before


def test_a_gainsharing_run_into_a_folder_being_written_is_refused_too(
    tmp_path: Path, lock_of: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "gainsharing"
    shutil.copytree(SCANLON, plan)
    out = tmp_path / "out"
    assert main(["run", str(plan / "scanlon.toml"), "--out", str(out)]) == EXIT_OK
    before = listing(out)
    hold(out, lock_of)
    capsys.readouterr()
    assert main(["run", str(plan / "scanlon.toml"), "--out", str(out)]) == EXIT_FAILURE
    assert "is writing this folder now" in capsys.readouterr().err
    assert listing(out) == before


# -- what an earlier run or an earlier version left -----------------------------------------


def test_leftovers_of_killed_runs_and_of_earlier_versions_are_cleaned(
    small: dict[str, Path],
    small_references: dict[str, dict[str, bytes | str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out), "--statements"]) == EXIT_OK
    # a run killed while it wrote: its staging folder, with part of the pay in it
    stage = workshop_of(out) / "new-k1ll3d"
    (stage / "statements").mkdir(parents=True)
    (stage / "payroll.csv").write_text("member_id,team,period,currency,amount\nM0001,", "utf-8")
    # what the earlier version's staging left inside the folder itself
    old_stage = out / ".jointbonus-abc123"
    old_stage.mkdir()
    (old_stage / "lines.csv").write_text("member_id,team\nM0002,", encoding="utf-8")
    (out / ".payroll.csv.x1y2z3").write_text("member_id,", encoding="utf-8")
    (out / "statements" / ".DM-S03.md.q9w8e7").write_text("# Stat", encoding="utf-8")
    (out / "statements" / "LEFT-2025.md").write_text("a leaver's old statement", "utf-8")
    assert main(["run", str(small["b"]), "--out", str(out), "--statements"]) == EXIT_OK
    capsys.readouterr()
    assert listing(out) == small_references["b"]
    assert sorted(os.listdir(workshop_of(out))) == [LOCK_NAME]
    assert main(["verify", str(small["b"]), str(out)]) == EXIT_OK


def test_hidden_files_of_the_users_stop_a_run_too(
    small: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out), "--statements"]) == EXIT_OK
    (out / ".gitignore").write_text("*\n", encoding="utf-8")
    (out / ".notes.md.bak").write_text("mine\n", encoding="utf-8")
    before = listing(out)
    capsys.readouterr()
    assert main(["run", str(small["b"]), "--out", str(out), "--statements"]) == EXIT_BAD_INPUT
    assert f"{out}: holds .gitignore, .notes.md.bak, which jointbonus did not write" in (
        capsys.readouterr().err
    )
    assert listing(out) == before


def test_a_run_without_statements_leaves_no_statements_from_the_run_before(
    small: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out), "--statements"]) == EXIT_OK
    assert main(["run", str(small["a"]), "--out", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert sorted(os.listdir(out)) == [
        "lines.csv", "manifest.json", "months.csv", "payroll.csv", "result.json",
    ]  # fmt: skip
    assert main(["verify", str(small["a"]), str(out)]) == EXIT_OK


# -- links are never followed ---------------------------------------------------------------


def test_a_symlinked_statements_folder_is_replaced_never_written_through(
    small: dict[str, Path],
    small_references: dict[str, dict[str, bytes | str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out), "--statements"]) == EXIT_OK
    elsewhere = tmp_path / "elsewhere"
    shutil.move(out / "statements", elsewhere)
    (out / "statements").symlink_to(elsewhere, target_is_directory=True)
    shared = tmp_path / "shared-lines.csv"
    shared.write_text("someone else's file\n", encoding="utf-8")
    (out / "lines.csv").unlink()
    (out / "lines.csv").symlink_to(shared)
    kept = listing(elsewhere)
    assert main(["run", str(small["b"]), "--out", str(out), "--statements"]) == EXIT_OK
    capsys.readouterr()
    assert listing(out) == small_references["b"]  # real files and a real folder, no link
    assert listing(elsewhere) == kept
    assert shared.read_text(encoding="utf-8") == "someone else's file\n"


def test_an_input_that_is_a_link_is_read_and_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Links are never followed in the output folder; an input may be one."""
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE, plan)
    shared = plan / "kept" / "history.csv"  # the loader keeps inputs inside the plan's folder
    shared.parent.mkdir()
    (plan / "data" / "history.csv").rename(shared)
    (plan / "data" / "history.csv").symlink_to(shared)
    out = tmp_path / "out"
    assert main(["run", str(plan / "plan.toml"), "--out", str(out)]) == EXIT_OK
    recorded = {d.name: d.sha256 for d in read_manifest(out).inputs}
    assert recorded["data/history.csv"] == hashlib.sha256(shared.read_bytes()).hexdigest()
    assert main(["verify", str(plan / "plan.toml"), str(out)]) == EXIT_OK
    capsys.readouterr()


# -- verify: exactly the files the manifest lists ---------------------------------------------


def test_verify_names_every_file_the_manifest_does_not_list_and_every_one_missing(
    small: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out), "--statements"]) == EXIT_OK
    (out / "payroll_fixed.csv").write_text("member_id,amount\nM0001,99999.00\n", "utf-8")
    (out / "statements" / "OLD-2025.md").write_text("a statement of an earlier run", "utf-8")
    (out / ".jointbonus-abc123").mkdir()
    (out / "statements" / "DM-S07.md").unlink()
    (out / "months.csv").unlink()
    (out / "result.json").rename(tmp_path / "result.json")
    (out / "result.json").symlink_to(tmp_path / "result.json")
    capsys.readouterr()
    assert main(["verify", str(small["a"]), str(out)]) == EXIT_FAILURE
    printed = capsys.readouterr().out
    differences = [line for line in printed.splitlines() if line.startswith("difference: ")]
    assert differences == [
        "difference: months.csv: missing from the folder",
        "difference: result.json: not the file written: a symbolic link",
        "difference: statements/DM-S07.md: missing from the folder",
        "difference: .jointbonus-abc123: in the folder but not in the manifest (a folder)",
        "difference: payroll_fixed.csv: in the folder but not in the manifest (a file)",
        "difference: statements/OLD-2025.md: in the folder but not in the manifest (a file)",
    ]
    assert printed.rstrip().endswith("NOT reproduced")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda out: (out / "notes.txt").write_text("mine", "utf-8"), id="extra"),
        pytest.param(lambda out: (out / "statements" / "DM-S01.md").unlink(), id="missing"),
    ],
)
def test_verify_fails_on_one_extra_or_one_missing_file(
    small: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out), "--statements"]) == EXIT_OK
    assert main(["verify", str(small["a"]), str(out)]) == EXIT_OK
    change(out)  # type: ignore[operator]
    capsys.readouterr()
    assert main(["verify", str(small["a"]), str(out), "--format", "json"]) == EXIT_FAILURE
    assert '"reproduced": false' in capsys.readouterr().out


# -- an --out that holds an input -------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes | str]:
    return listing(folder)


@pytest.mark.parametrize(
    ("out", "held"),
    [
        pytest.param(".", "plan.toml, data/roster.csv, data/plan_months.csv", id="the-plan-folder"),
        pytest.param("data", "data/roster.csv, data/plan_months.csv", id="the-data-folder"),
        pytest.param("data/roster.csv", "data/roster.csv", id="an-input-file"),
        pytest.param("link-to-data", "data/roster.csv", id="a-link-to-the-data"),
        pytest.param("data/../data", "data/roster.csv", id="another-spelling"),
    ],
)
def test_an_out_holding_an_input_is_refused_and_nothing_is_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    out: str,
    held: str,
) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE, plan)
    (plan / "link-to-data").symlink_to(plan / "data", target_is_directory=True)
    before = snapshot(tmp_path)
    monkeypatch.chdir(plan)
    assert main(["run", "plan.toml", "--out", out, "--statements"]) == EXIT_BAD_INPUT
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert stderr.startswith(f"jointbonus: plan.toml: {out}: holds {held}")
    assert stderr.endswith(
        "which the plan reads; the results replace their folder as a whole: write them into "
        "a folder of their own\n"
    )
    assert snapshot(tmp_path) == before  # no file written, no lock made


def test_a_gainsharing_out_holding_an_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "gainsharing"
    shutil.copytree(SCANLON, plan)
    before = snapshot(tmp_path)
    assert main(["run", str(plan / "scanlon.toml"), "--out", str(plan / "data")]) == (
        EXIT_BAD_INPUT
    )
    assert "holds data/roster.csv, data/periods.csv, which the plan reads" in (
        capsys.readouterr().err
    )
    assert snapshot(tmp_path) == before


def test_plot_refuses_an_out_holding_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE, plan)
    before = snapshot(tmp_path)
    assert main(["plot", str(plan / "plan.toml"), "--out", str(plan)]) == EXIT_BAD_INPUT
    assert f"{plan}: holds {plan / 'plan.toml'}, data/roster.csv" in capsys.readouterr().err
    assert snapshot(tmp_path) == before


def test_a_run_from_inside_its_out_folder_is_refused(
    small: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(small["a"]), "--out", str(out)]) == EXIT_OK
    before = listing(out)
    monkeypatch.chdir(out)
    capsys.readouterr()
    assert main(["run", str(small["b"]), "--out", "."]) == EXIT_BAD_INPUT
    assert "it is (or holds) the current folder" in capsys.readouterr().err
    assert listing(out) == before


def test_a_run_into_a_file_exits_1(
    small: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder", encoding="utf-8")
    assert main(["run", str(small["a"]), "--out", str(taken)]) == EXIT_FAILURE
    assert capsys.readouterr().err == (
        f"jointbonus: cannot write {taken}: Not a directory: cannot write a folder there\n"
    )
    assert taken.read_text(encoding="utf-8") == "a file, not a folder"
