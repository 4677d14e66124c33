"""The kinds of plan the command line runs, in one table.

A plan file that says ``kind = "gainsharing"`` is a gainsharing plan; one
without a ``kind`` is a shared-target plan. Each kind is a module of this
package that says what the commands do with its plans (:class:`PlanKind`):
how a plan is loaded, run and shown, what ``--out`` writes, what the
manifest records, what ``validate`` says of a valid plan, and the commands
of its own (``calibrate``, ``simulate``, ...). The command line reads the
plan's kind and dispatches through :data:`KINDS`; it never asks what a plan
or a result is.

A kind's module is imported only when a plan of that kind is run, so a
shared-target command never loads the gainsharing code, and the reverse.
"""

from __future__ import annotations

import argparse
import importlib
import shlex
import tomllib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, cast

from jointbonus.io.reading import Collector, read_bytes
from jointbonus.manifest import RunFiles

__all__ = ["KINDS", "PlanKind", "files_step", "kind_named", "kind_of"]

#: Each kind of plan: the name a plan file's ``kind`` gives (``None``: no kind, the
#: shared-target plan), and the module of this package that runs it.
KINDS: dict[str | None, str] = {
    None: "jointbonus.cli.shared",
    "gainsharing": "jointbonus.cli.gainsharing",
}


def files_step(where: str, out: Path | None, files: str) -> tuple[str, str]:
    """The step after ``jointbonus run`` on the plan at ``where`` (quoted): writing the
    ``files`` it names, or, once written to ``out``, checking that folder."""
    if out is None:
        return f"jointbonus run {where} --out results", f"write {files}"
    folder = shlex.quote(str(out))
    return f"jointbonus verify {where} {folder}", "check the folder against a fresh run"


#: The name ``jointbonus schema --kind`` gives each kind.
SCHEMA_NAMES: dict[str, str | None] = {"shared": None, "gainsharing": "gainsharing"}


class PlanKind(Protocol):
    """What the command line needs of a kind of plan."""

    NAME: str
    """The kind in words: ``shared-target``, ``gainsharing``."""
    FORMATS: tuple[str, ...]
    """The formats ``jointbonus run`` can print a result in."""
    RUN_FILES: RunFiles
    """What ``--out`` writes."""
    RUN_OPTIONS: tuple[str, ...]
    """The options of ``jointbonus run --out`` that change what it writes (recorded in the
    manifest, so that ``verify`` writes the same files)."""
    COMMANDS: Mapping[str, Callable[[argparse.Namespace], str | Iterable[str]]]
    """The commands of the kind's own, besides run, validate, verify: each takes the
    parsed arguments and returns the text to print (or its pieces, printed as made)."""

    def load(self, path: Path) -> Any:
        """The plan at ``path``; :class:`~jointbonus.errors.JointBonusError` if it is bad."""

    def run(self, plan: Any) -> Any:
        """The plan's result."""

    def render(self, result: Any, format: str, *, details: bool = False) -> Iterable[str]:
        """``jointbonus run``'s output in ``format``, in pieces: each is printed as it is
        made, so a large output is never held whole. The table is a summary unless
        ``details`` asks for everything."""

    def next_steps(
        self, path: Path, result: Any, arguments: argparse.Namespace
    ) -> list[tuple[str, str]]:
        """The commands to run after ``jointbonus run`` printed its table, each with what it
        shows: (command, what)."""

    def refuse_run(self, arguments: argparse.Namespace) -> str | None:
        """Why ``jointbonus run`` with these options does not apply (``None``: it does)."""

    def refuse(self, command: str, plan: Path) -> str:
        """Why ``command`` does not apply to a plan of this kind."""

    def write(self, result: Any, stage: Path, options: Mapping[str, bool]) -> None:
        """Write the files of ``--out`` (with ``options``) into the staging folder."""

    def extras(self, options: Mapping[str, bool]) -> dict[str, str]:
        """The versions of the optional extras that write a file with ``options``."""

    def settings(self, path: Path) -> dict[str, Any]:
        """The plan file's settings, every default filled in, as JSON data (the manifest)."""

    def summary(self, path: Path) -> str:
        """What ``validate`` says of a valid plan (it loads and checks the plan)."""

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the kind's plan file."""


def kind_named(name: str | None) -> PlanKind:
    """The kind of plan a plan file's ``kind`` names."""
    return cast("PlanKind", importlib.import_module(KINDS[name]))


def kind_of(path: Path) -> PlanKind:
    """The kind of the plan file at ``path``: the ``kind`` it declares, if any.

    A file that cannot be read, is not TOML or names no kind is taken for a
    shared-target plan, whose loader then says what is wrong; any ``kind``
    is taken for a gainsharing plan, whose loader checks its value.
    """
    raw = read_bytes(path, path.name, Collector([]))
    if raw is None:
        return kind_named(None)
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError):
        return kind_named(None)
    return kind_named(None if data.get("kind") is None else "gainsharing")
