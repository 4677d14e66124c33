"""The manifest and atomic writes: an auditor re-runs a plan and gets the same bytes.

Every ``jointbonus run PLAN --out DIR`` writes ``manifest.json`` with the
versions, the inputs' SHA-256, the settings, the outputs' SHA-256 and a
results digest; ``jointbonus verify PLAN DIR`` checks a folder against it by
running the plan again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointbonus import ManifestError, read_manifest
from jointbonus import manifest as manifest_module
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main
from jointbonus.cli import commands as cli_module
from jointbonus.cli import shared as shared_kind
from jointbonus.manifest import MANIFEST_NAME, FileDigest, results_digest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "one_lifeboat"
GAINSHARING = ROOT / "examples" / "gainsharing"


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    return folder


def run_into(plan: Path, out: Path, *options: str) -> None:
    assert main(["run", str(plan), "--format", "json", "--out", str(out), *options]) == EXIT_OK


def contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise LookupError(f"{old!r} is not in {path.name}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- byte-identical re-runs -------------------------------------------------------------


def test_two_runs_write_byte_identical_files_and_digests(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    run_into(plan_dir / "plan.toml", first, "--statements")
    run_into(plan_dir / "plan.toml", second, "--statements")
    capsys.readouterr()
    assert contents(first) == contents(second)  # manifest.json included
    assert {"lines.csv", "months.csv", "result.json", "payroll.csv", MANIFEST_NAME} <= set(
        contents(first)
    )
    assert read_manifest(first).results_digest == read_manifest(second).results_digest


def test_the_same_plan_from_another_folder_gives_the_same_manifest(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No absolute path, current folder or time is recorded."""
    elsewhere = tmp_path / "elsewhere" / "copy"
    shutil.copytree(plan_dir, elsewhere)
    run_into(plan_dir / "plan.toml", tmp_path / "a")
    monkeypatch.chdir(elsewhere)
    run_into(Path("plan.toml"), Path("out"))
    capsys.readouterr()
    assert contents(tmp_path / "a") == contents(elsewhere / "out")
    text = (tmp_path / "a" / MANIFEST_NAME).read_text(encoding="utf-8")
    assert str(tmp_path) not in text


def test_the_manifest_records_inputs_settings_and_outputs(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run_into(plan_dir / "plan.toml", out)
    capsys.readouterr()
    document = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert list(document) == [
        "manifest", "jointbonus", "python", "extras", "options", "plan", "inputs", "settings",
        "outputs", "results_digest",
    ]  # fmt: skip
    assert document["jointbonus"] == cli_module.__version__
    plan_bytes = (plan_dir / "plan.toml").read_bytes()
    assert document["plan"] == {
        "file": "plan.toml",
        "sha256": hashlib.sha256(plan_bytes).hexdigest(),
        "bytes": len(plan_bytes),
    }
    assert [(i["setting"], i["file"]) for i in document["inputs"]] == [
        ("roster.file", "data/roster.csv"),
        ("shared.file", "data/plan_months.csv"),
        ("history.file", "data/history.csv"),
    ]
    for entry in document["inputs"]:
        data = (plan_dir / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    settings = document["settings"]
    assert settings["currency"] == "USD"
    assert settings["funding"] == {  # defaults filled in, numbers as exact text
        "style": "pool",
        "split": "equal",
        "pool_at_target": None,
        "target_bonus_multiplier": None,
        "holdback": "0",
    }
    assert settings["shared"]["curve"]["threshold"] == "1.00"
    names = [o["file"] for o in document["outputs"]]
    assert names == sorted(names) == ["lines.csv", "months.csv", "payroll.csv", "result.json"]
    for entry in document["outputs"]:
        assert entry["sha256"] == hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest()
    assert document["options"] == {"statements": False, "xlsx": False}
    assert "time" not in json.dumps(document).lower()


def test_the_results_digest_is_what_sha256sum_prints(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run_into(plan_dir / "plan.toml", out, "--statements")
    capsys.readouterr()
    manifest = read_manifest(out)
    names = [d.name for d in manifest.outputs]
    assert "statements/DM-S09.md" in names and "transparency.md" in names
    listing = "".join(
        f"{hashlib.sha256((out / name).read_bytes()).hexdigest()}  {name}\n" for name in names
    )
    assert manifest.results_digest == hashlib.sha256(listing.encode()).hexdigest()
    if shutil.which("sha256sum") is not None:
        printed = subprocess.run(
            ["sha256sum", *names], cwd=out, capture_output=True, check=True
        ).stdout
        assert hashlib.sha256(printed).hexdigest() == manifest.results_digest


def test_changing_an_input_changes_the_manifest(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_into(plan_dir / "plan.toml", tmp_path / "before")
    replace_in(plan_dir / "data/plan_months.csv", "2026-11,1389000,", "2026-11,1389000,1500000")
    run_into(plan_dir / "plan.toml", tmp_path / "after")
    capsys.readouterr()
    before, after = read_manifest(tmp_path / "before"), read_manifest(tmp_path / "after")
    changed = {
        d.name for d, e in zip(before.inputs, after.inputs, strict=True) if d.sha256 != e.sha256
    }
    assert changed == {"data/plan_months.csv"}
    assert before.plan == after.plan
    assert before.results_digest != after.results_digest
    outputs = {d.name: d.sha256 for d in before.outputs}
    assert {d.name for d in after.outputs if outputs[d.name] != d.sha256} >= {
        "lines.csv",
        "months.csv",
        "payroll.csv",
        "result.json",
    }


def test_a_gainsharing_run_writes_a_manifest_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "gainsharing"
    shutil.copytree(GAINSHARING, plan)
    run_into(plan / "scanlon.toml", tmp_path / "out")
    capsys.readouterr()
    manifest = read_manifest(tmp_path / "out")
    assert manifest.plan.name == "scanlon.toml"
    assert [d.setting for d in manifest.inputs] == ["roster.file", "gainsharing.file"]
    assert manifest.settings["kind"] == "gainsharing"
    assert {d.name for d in manifest.outputs} >= {"lines.csv", "periods.csv", "result.json"}
    assert main(["verify", str(plan / "scanlon.toml"), str(tmp_path / "out")]) == EXIT_OK


# -- verify ------------------------------------------------------------------------------


def test_verify_reproduces_a_run(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run_into(plan_dir / "plan.toml", out, "--statements")
    capsys.readouterr()
    before = contents(out)
    assert main(["verify", str(plan_dir / "plan.toml"), str(out)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "reproduced: the run writes the same files, byte for byte" in printed
    assert "lines.csv" in printed and "as written; reproduced" in printed
    assert contents(out) == before  # verify writes nothing into the folder


def test_verify_names_a_changed_input_and_a_changed_file(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run_into(plan_dir / "plan.toml", out)
    replace_in(plan_dir / "data/plan_months.csv", "2026-11,1389000,", "2026-11,1389000,1500000")
    with (out / "payroll.csv").open("a", encoding="utf-8") as payroll:
        payroll.write("DM-X99,sales,2026-11,USD,5000.00\n")
    capsys.readouterr()
    assert main(["verify", str(plan_dir / "plan.toml"), str(out), "--format", "json"]) == (
        EXIT_FAILURE
    )
    report = json.loads(capsys.readouterr().out)
    assert report["reproduced"] is False
    differences = "\n".join(report["differences"])
    assert "input data/plan_months.csv: changed" in differences
    assert "payroll.csv: changed since it was written" in differences
    assert "results digest: running again gives" in differences
    checks = {c["file"]: c["outcome"] for c in report["checks"]}
    assert checks["data/roster.csv"] == "unchanged"


def test_verify_accepts_a_setting_added_since_the_run_but_names_one_read_differently(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run_into(plan_dir / "plan.toml", out)
    path = out / MANIFEST_NAME
    recorded = json.loads(path.read_text(encoding="utf-8"))
    del recorded["settings"]["funding"]["holdback"]  # as a version without holdbacks wrote it
    path.write_text(json.dumps(recorded), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(plan_dir / "plan.toml"), str(out)]) == EXIT_OK
    recorded["settings"]["funding"]["split"] = "salary"
    path.write_text(json.dumps(recorded), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(plan_dir / "plan.toml"), str(out), "--format", "json"]) == (
        EXIT_FAILURE
    )
    differences = json.loads(capsys.readouterr().out)["differences"]
    assert "settings: read differently from the same plan file: funding.split" in differences


def test_verify_of_a_folder_without_a_manifest_is_bad_input(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(plan_dir / "plan.toml"), str(tmp_path)]) == EXIT_BAD_INPUT
    stderr = capsys.readouterr().err
    assert stderr.startswith(f"jointbonus: {tmp_path / MANIFEST_NAME}: cannot read it")


# -- reading a manifest ------------------------------------------------------------------


def _written_manifest(plan_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    run_into(plan_dir / "plan.toml", out)
    return out / MANIFEST_NAME


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda d: d.update(results_digest="0" * 64), "was changed", id="digest"),
        pytest.param(lambda d: d.update(manifest=2), "expected format 1", id="format"),
        pytest.param(lambda d: d.pop("outputs"), "outputs: Field required", id="no-outputs"),
        pytest.param(lambda d: d["plan"].update(sha256="xyz"), "plan.sha256", id="bad-sha"),
        pytest.param(lambda d: d.update(extra=1), "extra", id="unknown-key"),
    ],
)
def test_a_broken_manifest_is_refused_clearly(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: object,
    message: str,
) -> None:
    path = _written_manifest(plan_dir, tmp_path)
    capsys.readouterr()
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        read_manifest(path)
    assert main(["verify", str(plan_dir / "plan.toml"), str(path.parent)]) == EXIT_BAD_INPUT
    assert "Traceback" not in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_bytes_as_a_manifest_read_or_raise_manifest_error(content: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / MANIFEST_NAME
        path.write_bytes(content)
        try:
            read_manifest(path)
        except ManifestError as error:
            assert str(error).startswith(str(path))


def test_results_digest_ignores_the_order_given() -> None:
    a = FileDigest("a.csv", "1" * 64, 1)
    b = FileDigest("b.csv", "2" * 64, 2)
    assert results_digest([a, b]) == results_digest([b, a])
    expected = f"{'1' * 64}  a.csv\n{'2' * 64}  b.csv\n"
    assert results_digest([b, a]) == hashlib.sha256(expected.encode()).hexdigest()


# -- all or nothing ------------------------------------------------------------------------


def test_a_failure_while_writing_the_manifest_leaves_the_folder_as_it_was(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    run_into(plan_dir / "plan.toml", out)
    before = contents(out)
    replace_in(plan_dir / "data/plan_months.csv", "2026-11,1389000,", "2026-11,1389000,1500000")

    def no_space(path: object, write: object) -> Path:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(manifest_module, "write_text", no_space)
    capsys.readouterr()
    status = main(["run", str(plan_dir / "plan.toml"), "--out", str(out), "--statements"])
    assert status == EXIT_FAILURE
    assert "No space left on device" in capsys.readouterr().err
    assert contents(out) == before  # the old results, the old manifest, nothing staged
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


def test_a_failure_while_writing_payroll_leaves_a_fresh_folder_empty(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "fresh"

    def half_written(result: object, path: Path, **options: object) -> Path:
        path.write_text("member_id,team\nDM-M01,", encoding="utf-8")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(shared_kind, "write_payroll_csv", half_written)
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(out)]) == EXIT_FAILURE
    assert "Input/output error" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_verify_runs_as_a_process(plan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "jointbonus"]
    done = subprocess.run(
        [*command, "run", str(plan_dir / "plan.toml"), "--out", str(out)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    done = subprocess.run(
        [*command, "verify", str(plan_dir / "plan.toml"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout.rstrip().endswith("reproduced: the run writes the same files, byte for byte")


@pytest.mark.parametrize("example", ["digital_manufacturing", "harbor_software"])
def test_settings_a_plan_leaves_out_are_not_recorded(example: str) -> None:
    """A plan without [leads], lead-measured metrics or a goal's own gate records the
    settings it always did, so an earlier run's manifest still reads the same."""
    recorded = shared_kind.settings(ROOT / "examples" / example / "plan.toml")
    assert "leads" not in recorded
    for metric in recorded["metrics"].values():
        assert "source" not in metric
        assert "figure" not in metric
    for team in recorded["teams"].values():
        for goal in team["goals"]:
            assert "gate" not in goal


def test_settings_a_plan_states_are_recorded() -> None:
    recorded = shared_kind.settings(ROOT / "examples" / "digital_manufacturing_leads" / "plan.toml")
    assert recorded["leads"] is not None
    assert any(metric.get("source") == "leads" for metric in recorded["metrics"].values())
