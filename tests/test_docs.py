"""The examples in README.md and docs/ run as written.

Every ```python block is executed (the blocks of one document in order, in one
namespace, as a reader would type them), and every ``jointbonus ...`` command in a
```sh block is run through the CLI, in a scratch copy of the repository's
examples, so the documentation cannot rot.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from jointbonus.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(language: str) -> list[tuple[str, int, str]]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in re.finditer(rf"```{language}\n(.*?)```", text, re.S):
            line = text.count("\n", 0, match.start()) + 1
            found.append((document.name, line, match[1]))
    return found


PYTHON_BLOCKS = _blocks("python")
PYTHON_DOCUMENTS = sorted({name for name, _, _ in PYTHON_BLOCKS})
COMMANDS = [
    (name, line, command.strip())
    for name, line, block in _blocks("sh")
    for command in block.splitlines()
    if command.strip().startswith("jointbonus ")
]


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_docs_have_examples_to_run() -> None:
    assert len(PYTHON_BLOCKS) >= 4
    assert len(COMMANDS) >= 3


@pytest.mark.parametrize("document", PYTHON_DOCUMENTS)
def test_python_examples_run(
    document: str, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for name, line, code in PYTHON_BLOCKS:
        if name == document:
            exec(compile(code, f"{name}:{line}", "exec"), namespace)
    assert capsys.readouterr().out.strip(), f"the examples of {document} printed nothing"


@pytest.mark.parametrize("source", COMMANDS, ids=[command for _, _, command in COMMANDS])
def test_shell_command_runs(
    source: tuple[str, int, str], scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, command = source
    arguments = shlex.split(command)[1:]
    assert main(arguments) == 0
    assert capsys.readouterr().out.strip()
    if "--out" in arguments:
        folder = scratch / arguments[arguments.index("--out") + 1]
        assert sorted(p.name for p in folder.iterdir()) == [
            "lines.csv",
            "months.csv",
            "result.json",
        ]
