"""ruff and mypy --strict are part of the test run, not a wiki page.

Each tool runs as ``python -m TOOL`` with this interpreter, from the
repository root, with its configuration from pyproject.toml. A tool that is not
installed is skipped with the reason; ``pip install -e '.[test]'`` installs them.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(tool: str, *arguments: str) -> None:
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed; pip install -e '.[test]' installs it")
    completed = subprocess.run(
        [sys.executable, "-m", tool, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{tool} {' '.join(arguments)} exited {completed.returncode}:\n"
        f"{completed.stdout}\n{completed.stderr}"
    )


def test_ruff_check() -> None:
    _run("ruff", "check", ".")


def test_ruff_format() -> None:
    _run("ruff", "format", "--check", ".")


def test_mypy_strict() -> None:
    _run("mypy")
