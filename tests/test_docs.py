"""Every example and every command in README.md and docs/ runs as written.

Each document is followed from top to bottom, as a reader would, in a scratch
folder holding a copy of the repository's ``examples/`` and ``broken/`` (the
Digital Manufacturing plan with the two mistakes docs/cli.md shows). Its
fenced blocks are handled by their info string:

* a block with ``title="PATH"`` (``toml title="plan.toml"``) is a file the
  reader saves: it is written to PATH, relative to the current folder;
* ``python``: run in one namespace per document, in the current folder;
* ``pycon``: doctest examples in that same namespace; outputs must match
  (``...`` elides);
* ``sh``: every line is a command, and it runs: ``jointbonus ...`` (or
  ``python3 -m jointbonus ...``) through the command line, which must exit 0
  and print something (or write it to the file after ``>``); ``mkdir``,
  ``cd``, ``ls``, ``cat`` and ``echo`` as a shell would. ``pip install``
  and ``pytest``, the README's quick start, are what CI runs: the test
  command must be in ``.ci/run`` verbatim and the install must have given the
  ``jointbonus`` command with the extras named;
* ``console``: ``$ COMMAND`` lines run as in ``sh`` (any exit code), and the
  lines after each must be what it prints, standard output then standard
  error; a line ``...`` stands for any number of lines;
* a block without a language whose lines start with ``jointbonus `` is a
  synopsis: the command must exist and each ``--option`` shown must be in
  its ``--help``.

A command this file does not know how to run is an error, and so is a
``bash`` block or an unmarked ``$ `` session, so a document can only show
commands that are run.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib.metadata
import io
import os
import re
import shlex
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from jointbonus.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CI_SCRIPT = ROOT / ".ci" / "run"


@dataclass(frozen=True)
class Block:
    document: str
    line: int
    language: str
    title: str | None
    body: str


def blocks(document: Path) -> list[Block]:
    """The fenced code blocks of ``document``, in order."""
    found = []
    lines = document.read_text(encoding="utf-8").split("\n")
    opened: tuple[int, str] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        if opened is None and line.startswith("```"):
            opened, body = (number, line[3:].strip()), []
        elif opened is not None and line.rstrip() == "```":
            start, info = opened
            language = info.split(" ", 1)[0] if info else ""
            title = re.search(r'title="([^"]+)"', info)
            found.append(
                Block(document.name, start, language, title and title[1], "\n".join(body) + "\n")
            )
            opened = None
        elif opened is not None:
            body.append(line)
    assert opened is None, f"{document.name}:{opened[0]}: a code block is never closed"
    return found


ALL_BLOCKS = {document.name: blocks(document) for document in DOCUMENTS}


def commands_of(block: Block) -> list[str]:
    """The commands of a ``sh`` block: lines joined at ``\\``, comments and blanks dropped."""
    text = block.body.replace("\\\n", " ")
    return [line.strip() for line in text.split("\n") if line.strip() and not line.startswith("#")]


def _ellipsis_match(expected: list[str], actual: list[str]) -> bool:
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_ellipsis_match(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _ellipsis_match(expected[1:], actual[1:])


def _trimmed(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass
class Reader:
    """Someone following one document: a current folder, a Python session, a last exit code."""

    home: Path
    cwd: Path
    namespace: dict[str, object] = field(default_factory=lambda: {"__name__": "__docs__"})
    status: int = 0
    printed: list[str] = field(default_factory=list)

    def at(self, block: Block) -> str:
        return f"{block.document}:{block.line}"

    def path(self, name: str) -> Path:
        path = (self.cwd / name).resolve()
        assert path.is_relative_to(self.home), f"{name} leaves the scratch folder"
        return path

    # -- blocks ---------------------------------------------------------------

    def follow(self, block: Block) -> None:
        os.chdir(self.cwd)
        if block.title is not None:
            target = self.path(block.title)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.language == "python":
            with contextlib.redirect_stdout(io.StringIO()) as out:
                exec(compile(block.body, self.at(block), "exec"), self.namespace)
            self.printed.append(out.getvalue())
        elif block.language == "pycon":
            self.doctest(block)
        elif block.language == "sh":
            for line in commands_of(block):
                for command in line.split(" && "):
                    out = self.run(command, block)
                    assert self.status == 0, f"{self.at(block)}: `{command}` failed:\n{out}"
        elif block.language == "console":
            self.console(block)
        elif block.language == "" and block.body.startswith("jointbonus "):
            self.synopsis(block)
        else:
            assert block.language not in {"bash", "shell", "zsh", "shell-session"}, (
                f"{self.at(block)}: mark commands `sh` (or `console` with output) so they run"
            )
            assert not block.body.startswith("$ "), (
                f"{self.at(block)}: mark a terminal session `console` so it runs"
            )

    def doctest(self, block: Block) -> None:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.body, self.namespace, self.at(block), block.document, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        report = io.StringIO()
        result = runner.run(test, out=report.write, clear_globs=False)
        assert result.attempted, f"{self.at(block)}: a pycon block without examples"
        assert result.failed == 0, report.getvalue()
        self.namespace.update(test.globs)
        self.printed.append("pycon")

    def console(self, block: Block) -> None:
        session = re.split(r"^\$ (.*)\n", block.body, flags=re.M)
        assert not session[0].strip(), f"{self.at(block)}: a console block starts with `$ `"
        for command, expected in zip(session[1::2], session[2::2], strict=True):
            out = self.run(command, block)
            assert _ellipsis_match(_trimmed(expected), _trimmed(out)), (
                f"{self.at(block)}: `{command}` printed:\n{out}\nbut the document shows:\n"
                f"{expected}"
            )

    def synopsis(self, block: Block) -> None:
        for line in block.body.replace("\n ", " ").split("\n"):
            if not line.strip():
                continue
            words = line.split()
            assert words[0] == "jointbonus", f"{self.at(block)}: {line}"
            command = [] if words[1].startswith("-") else [words[1]]
            with (
                contextlib.redirect_stdout(io.StringIO()) as out,
                pytest.raises(SystemExit) as leaving,
            ):
                main([*command, "--help"])
            assert leaving.value.code == 0, f"{self.at(block)}: no such command: {line}"
            for option in re.findall(r"--[a-z][a-z-]*", line):
                assert option in out.getvalue(), f"{self.at(block)}: {option} of `{line}`"

    # -- commands -------------------------------------------------------------

    def run(self, command: str, block: Block) -> str:
        """Run one shell command as the document shows it; returns what it printed."""
        words = shlex.split(command)
        assert "|" not in words, f"{self.at(block)}: pipes are not run: `{command}`"
        if ">" in words[:-1]:  # `COMMAND > FILE`: what it prints goes to FILE
            at = words.index(">")
            printed = self.run(shlex.join(words[:at]), block)
            self.path(words[at + 1]).write_text(printed, encoding="utf-8")
            return ""
        name, arguments = words[0], words[1:]
        if name in ("python3", "python") and arguments[:2] == ["-m", "jointbonus"]:
            name, arguments = "jointbonus", arguments[2:]
        if name == "jointbonus":
            return self.jointbonus(arguments, block, command)
        previous, self.status = self.status, 0
        if name == "cd":
            self.cwd = self.path(arguments[0])
            return ""
        if name == "mkdir":
            for folder in (a for a in arguments if not a.startswith("-")):
                self.path(folder).mkdir(parents="-p" in arguments, exist_ok="-p" in arguments)
            return ""
        if name == "ls":
            folders = arguments or ["."]
            listings = [
                "\n".join(sorted(p.name for p in self.path(f).iterdir()))
                + ("\n" if any(self.path(f).iterdir()) else "")
                for f in folders
            ]
            if len(folders) == 1:
                return listings[0]
            return "\n".join(f"{f}:\n{text}" for f, text in zip(folders, listings, strict=True))
        if name == "cat":
            return "".join(self.path(a).read_text(encoding="utf-8") for a in arguments)
        if name == "echo":
            return " ".join(str(previous) if a == "$?" else a for a in arguments) + "\n"
        if name in ("python3", "python") and arguments[:3] == ["-m", "pip", "install"]:
            return self.pip_install(arguments[3:], block)
        if name in ("python3", "python") and arguments[:2] == ["-m", "pytest"]:
            assert command in CI_SCRIPT.read_text(encoding="utf-8"), (
                f"{self.at(block)}: `{command}` is not what CI runs (.ci/run)"
            )
            return ""
        raise AssertionError(
            f"{self.at(block)}: tests/test_docs.py does not know how to run `{command}`"
        )

    def jointbonus(self, arguments: list[str], block: Block, command: str) -> str:
        with (
            contextlib.redirect_stdout(io.StringIO()) as out,
            contextlib.redirect_stderr(io.StringIO()) as err,
        ):
            try:
                self.status = main(arguments)
            except SystemExit as leaving:  # argparse: --help, --version or a usage error
                self.status = leaving.code if isinstance(leaving.code, int) else 2
        printed = out.getvalue() + err.getvalue()
        if self.status == 0:
            assert out.getvalue().strip(), f"{self.at(block)}: `{command}` printed nothing"
        if self.status == 0 and "--out" in arguments:
            folder = self.path(arguments[arguments.index("--out") + 1])
            written = {p.name for p in folder.iterdir()}
            expected = {"lines.csv", "months.csv", "result.json"}
            if "--statements" in arguments:
                expected |= {"transparency.md", "statements"}
            assert expected <= written, f"{self.at(block)}: {sorted(written)}"
        return printed

    def pip_install(self, arguments: list[str], block: Block) -> str:
        """What ``pip install`` promises: the package, its command and the extras named."""
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        extras = project["project"].get("optional-dependencies", {})
        for target in (a for a in arguments if not a.startswith("-")):
            match = re.fullmatch(r"\.(?:\[([a-z,]+)\])?", target)
            assert match, f"{self.at(block)}: installs {target!r}, not this project"
            for extra in (match[1] or "").split(","):
                assert not extra or extra in extras, f"{self.at(block)}: no extra {extra!r}"
        scripts = importlib.metadata.distribution("jointbonus").entry_points
        assert any(e.name == "jointbonus" and e.group == "console_scripts" for e in scripts)
        return ""


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    broken = tmp_path / "broken"
    shutil.copytree(ROOT / "examples" / "digital_manufacturing", broken)
    roster = broken / "data" / "roster.csv"
    rows = roster.read_text(encoding="utf-8").split("\n")
    rows[3] = rows[3].replace(",1,", ",1.5,", 1)  # line 4: an FTE above 1
    rows[8] = "DM-S02" + rows[8][len("DM-S08") :]  # line 9: a row overlapping line 3's
    roster.write_text("\n".join(rows), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.mark.parametrize("document", list(ALL_BLOCKS))
def test_document_runs_as_written(document: str, scratch: Path) -> None:
    reader = Reader(home=scratch.resolve(), cwd=scratch.resolve())
    for block in ALL_BLOCKS[document]:
        reader.follow(block)
    if any(b.language in ("python", "pycon") for b in ALL_BLOCKS[document]):
        assert "".join(reader.printed).strip(), f"the examples of {document} printed nothing"


def test_the_docs_have_examples_to_run() -> None:
    languages = [b.language for found in ALL_BLOCKS.values() for b in found]
    assert languages.count("python") >= 4
    assert languages.count("sh") + languages.count("console") >= 5
    tutorial = ALL_BLOCKS["tutorial.md"]
    assert sum(b.title is not None for b in tutorial) >= 4  # the plan and its CSV files
    assert any("--statements" in b.body for b in tutorial)


def test_every_command_shown_is_one_this_file_runs() -> None:
    shown = [
        (block, command)
        for found in ALL_BLOCKS.values()
        for block in found
        if block.language == "sh"
        for command in commands_of(block)
    ]
    assert shown
    for block, command in shown:
        name = shlex.split(command)[0]
        assert name in {"jointbonus", "python3", "python", "cd", "mkdir", "ls", "cat", "echo"}, (
            f"{block.document}:{block.line}: {command}"
        )


def test_the_readme_test_command_is_what_ci_runs() -> None:
    readme = [c for b in ALL_BLOCKS["README.md"] if b.language == "sh" for c in commands_of(b)]
    tests = [c for c in readme if "pytest" in c]
    assert tests
    assert all(c in CI_SCRIPT.read_text(encoding="utf-8").split("\n") for c in tests)


def test_console_output_must_match_around_the_elisions() -> None:
    shown = ["first", "...", "last"]
    assert _ellipsis_match(shown, ["first", "a", "b", "last"])
    assert _ellipsis_match(shown, ["first", "last"])
    assert not _ellipsis_match(shown, ["first", "a", "lost"])
    assert not _ellipsis_match(["only"], ["only", "more"])
    assert _trimmed("a  \nb\n\n") == ["a", "b"]
