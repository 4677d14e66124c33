"""The layering is a test: import-linter's contracts (pyproject.toml) hold, and would fail.

The contracts say the data flows one way: the core imports nothing above
it, the edges read files, each plan kind has its layers (files and views
above the engine, above the pay rule), no package has an import cycle, and
pydantic stays at the edges.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint(source: Path, config: Path) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("importlinter") is None:
        pytest.skip("import-linter is not installed; pip install -e '.[test]' installs it")
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())", "--config", str(config), "--no-cache"],
        cwd=source.parent,
        env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip


def test_every_contract_is_kept() -> None:
    completed = _lint(ROOT / "src", ROOT / "pyproject.toml")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 broken" in completed.stdout


@pytest.mark.parametrize(
    ("module", "back_edge", "contract"),
    [
        ("core/money.py", "import jointbonus.sharedtarget.engine", "The package's layers"),
        ("sharedtarget/pay/groups.py", "import jointbonus.sharedtarget.results", "layers"),
        ("sharedtarget/report/tables.py", "import jointbonus.sharedtarget.loader", "views"),
        ("sharedtarget/pay/cost.py", "import pydantic", "stay at the edges"),
    ],
    ids=["core-imports-engine", "pay-imports-results", "view-imports-loader", "pay-pydantic"],
)
def test_a_planted_back_edge_breaks_a_contract(
    tmp_path: Path, module: str, back_edge: str, contract: str
) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "jointbonus", source / "jointbonus")
    planted = source / "jointbonus" / module
    planted.write_text(planted.read_text(encoding="utf-8") + f"\n{back_edge}\n", encoding="utf-8")
    completed = _lint(source, ROOT / "pyproject.toml")
    assert completed.returncode != 0, completed.stdout
    broken = [line for line in completed.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(contract in line for line in broken) or contract in completed.stdout, (
        completed.stdout
    )
