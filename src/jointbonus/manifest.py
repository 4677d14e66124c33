"""The manifest: what a run read, what it wrote, and how to check it again.

Every run that writes its results to a folder (``jointbonus run PLAN --out
DIR``) also writes ``DIR/manifest.json``:

* ``jointbonus`` and ``python``: the versions that made the files, and
  ``extras``: the version of each optional extra that wrote one (openpyxl
  for ``results.xlsx``);
* ``options``: the run's options that change what it writes
  (``statements``, ``xlsx``), so that a re-run writes the same files;
* ``plan``: the plan file's name, SHA-256 and size in bytes;
* ``inputs``: each input file the plan names (its setting, such as
  ``roster.file`` or ``leads.files[0]``, its path relative to the plan file,
  SHA-256 and size);
* ``settings``: the plan file's settings as the library read them, with
  every default filled in (numbers as exact decimal text);
* ``outputs``: each file written, with SHA-256 and size;
* ``results_digest``: one SHA-256 for all the outputs: the SHA-256 of the
  text ``sha256sum`` prints for them in name order (``HASH  NAME`` and a
  newline per file). In the output folder,
  ``sha256sum lines.csv months.csv payroll.csv result.json | sha256sum``
  prints it too.

Nothing in the manifest depends on the time, the output folder or the
current directory, so the same plan and inputs run by the same versions give
the same manifest, byte for byte, and the same results digest. (The digest
covers the outputs alone, so it is the same under any Python version that
gives the same outputs.)

:func:`publish` writes the results and the manifest into a new folder and
puts it in ``DIR``'s place in one step (:func:`jointbonus.io.files.publish_folder`):
``DIR`` holds the earlier run's complete set of files or the new one's,
never a mix, whatever fails or is killed when. It refuses an output folder
that holds the plan file or an input file (:func:`check_output_folder`) or
files no run wrote, and a second run into a folder that a run is writing.

:func:`verify` checks a folder against its manifest and against a fresh run:
the inputs are unchanged, the folder holds exactly the files the manifest
lists (no more, none missing, none a symbolic link), each as the run wrote
it, and running again reproduces them byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jointbonus._version import __version__
from jointbonus.errors import JointBonusError
from jointbonus.io.files import (
    OutputFolderError,
    folder_entries,
    publish_folder,
    sha256_of,
    write_text,
)
from jointbonus.io.render import render_json

__all__ = [
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "FileDigest",
    "Inputs",
    "Manifest",
    "ManifestError",
    "RunFiles",
    "Verification",
    "check_output_folder",
    "publish",
    "read_manifest",
    "record_inputs",
    "results_digest",
    "verify",
]

MANIFEST_NAME = "manifest.json"
#: The manifest's own format; a reader refuses a format it does not know.
MANIFEST_VERSION = 1

_SHA256 = r"^[0-9a-f]{64}$"


class ManifestError(JointBonusError, ValueError):
    """A manifest that cannot be read, or a plan whose inputs cannot be recorded."""


@dataclass(frozen=True, slots=True)
class FileDigest:
    """A file's name (relative to its folder, ``/`` between parts), SHA-256 and size."""

    name: str
    sha256: str
    size: int
    setting: str | None = None
    """For an input: the plan setting that names it (``roster.file``)."""

    def document(self) -> dict[str, Any]:
        head = {} if self.setting is None else {"setting": self.setting}
        return {**head, "file": self.name, "sha256": self.sha256, "bytes": self.size}


def results_digest(outputs: Sequence[FileDigest]) -> str:
    """The SHA-256 of ``HASH  NAME\\n`` for each output, in name order (``sha256sum``'s text)."""
    listing = "".join(f"{d.sha256}  {d.name}\n" for d in sorted(outputs, key=lambda d: d.name))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a run read: the plan file, each input file, and the settings."""

    plan: FileDigest
    files: tuple[FileDigest, ...]
    settings: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Manifest:
    """A run's manifest: versions, inputs, settings, outputs and the results digest."""

    jointbonus: str
    python: str
    plan: FileDigest
    inputs: tuple[FileDigest, ...]
    settings: Mapping[str, Any]
    outputs: tuple[FileDigest, ...]
    extras: Mapping[str, str] = field(default_factory=dict)
    """Versions of the optional extras that wrote an output (``{"openpyxl": "3.1.5"}``)."""
    options: Mapping[str, bool] = field(default_factory=dict)
    """The run's options that change what is written (``{"statements": true}``)."""

    @property
    def results_digest(self) -> str:
        return results_digest(self.outputs)

    def document(self) -> dict[str, Any]:
        """The manifest as JSON-ready data, in the order ``manifest.json`` has it."""
        return {
            "manifest": MANIFEST_VERSION,
            "jointbonus": self.jointbonus,
            "python": self.python,
            "extras": dict(self.extras),
            "options": dict(self.options),
            "plan": self.plan.document(),
            "inputs": [d.document() for d in self.inputs],
            "settings": dict(self.settings),
            "outputs": [d.document() for d in self.outputs],
            "results_digest": self.results_digest,
        }


# -- reading the inputs --------------------------------------------------------------


def _changed_settings(
    recorded: Mapping[str, Any], current: Mapping[str, Any], prefix: str = ""
) -> list[str]:
    """The recorded settings the plan file now reads differently, as dotted names.

    A setting the recorded run did not know (one a later version added, read
    at its default) is not a difference: the outputs, run again, show
    whether it changed anything.
    """
    changed = []
    for key, was in recorded.items():
        name = f"{prefix}{key}"
        if key not in current:
            changed.append(name)
            continue
        now = current[key]
        if isinstance(was, Mapping) and isinstance(now, Mapping):
            changed.extend(_changed_settings(was, now, f"{name}."))
        elif was != now:
            changed.append(name)
    return changed


def _digest(path: Path, name: str, setting: str | None = None) -> FileDigest:
    try:
        sha256, size = sha256_of(path)
    except OSError as error:
        raise ManifestError(f"{name}: cannot read it: {error.strerror or error}") from None
    return FileDigest(name, sha256, size, setting)


def record_inputs(plan_path: str | Path, settings: Mapping[str, Any]) -> Inputs:
    """The plan file's and every input file's digest, and the settings, of a valid plan.

    ``settings`` are the plan file's settings as its kind of plan reads them,
    every default filled in, as JSON data. Input files are the ``file`` of each
    section of them (the roster, the months, the history, ...) and each of a
    section's ``files`` (the lead exports), named as the plan names them.
    """
    path = Path(plan_path)
    folder = path.resolve().parent
    files = []
    for section, value in settings.items():
        name = value.get("file") if isinstance(value, dict) else None
        if isinstance(name, str):
            shown = Path(name).as_posix()
            files.append(_digest(folder / name, shown, f"{section}.file"))
        names = value.get("files") if isinstance(value, dict) else None
        for index, each in enumerate(names if isinstance(names, list) else ()):
            if isinstance(each, str):
                shown = Path(each).as_posix()
                files.append(_digest(folder / each, shown, f"{section}.files[{index}]"))
    return Inputs(_digest(path, path.name), tuple(files), dict(settings))


# -- writing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunFiles:
    """What a kind of plan writes into a run's folder: its files, and folders of files.

    A folder that holds anything else is the user's, and is not replaced.
    """

    files: frozenset[str]
    """The files a run writes, by name (``lines.csv``); the manifest is one of them."""
    folders: frozenset[str] = frozenset()
    """Folders whose Markdown files a run writes (``statements``)."""

    def holds(self, name: str) -> bool:
        """Whether a run writes ``name`` (a file, or a folder ending in ``/``).

        The temporary files an earlier version could leave behind count too:
        ``.lines.csv.x1y2`` beside the files, ``.ID.md.x1y2`` in a folder.
        """
        files = self.files | {MANIFEST_NAME}
        if name.endswith("/") and name[:-1] in self.folders:
            return True
        folder, _, base = name.rpartition("/")
        if not folder:
            return name in files or any(base.startswith(f".{n}.") for n in files)
        if folder not in self.folders:
            return False
        return base.endswith(".md") or (base.startswith(".") and ".md." in base)


def _listed(folder: Path) -> frozenset[str]:
    """The outputs the manifest in ``folder`` lists, when it has one that can be read."""
    path = folder / MANIFEST_NAME
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return frozenset()
        return frozenset(d.name for d in read_manifest(path).outputs)
    except (OSError, ManifestError):
        return frozenset()


def check_output_folder(folder: str | Path, plan_path: str | Path, inputs: Inputs) -> None:
    """Refuse an output folder that is, or holds, the plan file or a file the plan names.

    Paths are compared resolved (symbolic links followed), so a folder named
    another way (``.``, ``../plan``, a link) is caught too. Raises
    :class:`~jointbonus.io.files.OutputFolderError` naming the inputs.
    """
    target = Path(os.path.realpath(folder))
    plan = Path(plan_path)
    home = plan.resolve().parent
    named = [(str(plan), plan), *((d.name, home / d.name) for d in inputs.files)]
    held = []
    for shown, path in named:
        where = Path(os.path.realpath(path))
        if where == target or target in where.parents:
            held.append(shown)
    if held:
        raise OutputFolderError(
            f"{folder}: holds {', '.join(held)}, which the plan reads; the results replace "
            "their folder as a whole: write them into a folder of their own"
        )


def publish(
    folder: str | Path,
    plan_path: str | Path,
    write: Callable[[Path], object],
    *,
    settings: Mapping[str, Any],
    run_files: RunFiles,
    extras: Mapping[str, str] | None = None,
    options: Mapping[str, bool] | None = None,
) -> Manifest:
    """Write a run's files and its manifest, then make them ``folder`` in one step.

    ``write`` is called with an empty staging folder and writes the results
    there. Then the inputs of ``plan_path`` and every file written are
    hashed, the manifest is added, and the staging folder replaces ``folder``
    as a whole (:func:`jointbonus.io.files.publish_folder`): ``folder`` holds
    the earlier set of files or the new one, never a mix, and nothing else.
    If anything fails, ``folder`` is left as it was. ``extras`` and
    ``options`` are recorded as they are: the versions of optional extras that
    wrote a file, and the options a re-run needs to write the same files.
    ``settings`` are the plan file's settings as its kind reads them
    (:func:`record_inputs`); ``run_files`` what its runs write.

    Refused before anything is written (:class:`~jointbonus.io.files.OutputFolderError`):
    a ``folder`` that holds the plan file or an input (:func:`check_output_folder`),
    and one that holds files no run writes (the user's own, which replacing the
    folder would remove). A second run into ``folder`` while one is writing
    it raises :class:`~jointbonus.io.files.FolderBusyError`.
    """
    check_output_folder(folder, plan_path, record_inputs(plan_path, settings))
    listed = functools.cache(lambda: _listed(Path(os.path.realpath(folder))))

    def replaceable(name: str) -> bool:
        return run_files.holds(name) or name in listed()

    def build(stage: Path) -> Manifest:
        write(stage)
        names = [name for name, kind in folder_entries(stage).items() if kind == "file"]
        outputs = tuple(_digest(stage / name, name) for name in names if name != MANIFEST_NAME)
        inputs = record_inputs(plan_path, settings)
        manifest = Manifest(
            jointbonus=__version__,
            python=platform.python_version(),
            plan=inputs.plan,
            inputs=inputs.files,
            settings=inputs.settings,
            outputs=outputs,
            extras=dict(sorted((extras or {}).items())),
            options=dict(sorted((options or {}).items())),
        )
        text = render_json(manifest.document())
        write_text(stage / MANIFEST_NAME, lambda handle: handle.write(text))
        return manifest

    return publish_folder(folder, build, replaceable=replaceable)


# -- reading a manifest ----------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _FileEntry(_Model):
    setting: str | None = None
    file: str = Field(min_length=1)
    sha256: str = Field(pattern=_SHA256)
    bytes: int = Field(ge=0)


class _ManifestFile(_Model):
    manifest: int
    jointbonus: str
    python: str
    extras: dict[str, str]
    options: dict[str, bool]
    plan: _FileEntry
    inputs: list[_FileEntry]
    settings: dict[str, Any]
    outputs: list[_FileEntry]
    results_digest: str = Field(pattern=_SHA256)


def _entry(entry: _FileEntry) -> FileDigest:
    return FileDigest(entry.file, entry.sha256, entry.bytes, entry.setting)


def read_manifest(path: str | Path) -> Manifest:
    """The manifest at ``path`` (a ``manifest.json`` or the folder holding one).

    Raises :class:`ManifestError` for a file that is missing, is not JSON, is
    not a manifest, or whose results digest does not match its outputs.
    """
    file = Path(path)
    if file.is_dir():
        file = file / MANIFEST_NAME
    shown = str(file)
    try:
        data = json.loads(file.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ManifestError(f"{shown}: cannot read it: {error.strerror or error}") from None
    except (UnicodeError, ValueError, RecursionError) as error:
        raise ManifestError(f"{shown}: not a JSON manifest: {error}") from None
    if isinstance(data, dict) and data.get("manifest") not in (None, MANIFEST_VERSION):
        raise ManifestError(
            f"{shown}: manifest: got {data.get('manifest')!r}, expected format "
            f"{MANIFEST_VERSION}: written by another version of jointbonus"
        )
    try:
        model = _ManifestFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'manifest'}: {item['msg']}"
            for item in error.errors()
        )
        raise ManifestError(f"{shown}: not a jointbonus manifest: {problems}") from None
    manifest = Manifest(
        jointbonus=model.jointbonus,
        python=model.python,
        plan=_entry(model.plan),
        inputs=tuple(_entry(e) for e in model.inputs),
        settings=model.settings,
        outputs=tuple(_entry(e) for e in model.outputs),
        extras=model.extras,
        options=model.options,
    )
    if manifest.results_digest != model.results_digest:
        raise ManifestError(
            f"{shown}: results_digest: got {model.results_digest}, expected "
            f"{manifest.results_digest}, the digest of the outputs it lists: the manifest "
            "was changed after it was written"
        )
    return manifest


# -- verifying ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verification:
    """What :func:`verify` found: each check with its outcome, and the differences."""

    checks: tuple[tuple[str, str], ...]
    """``(what, outcome)`` for every file checked, in order."""
    differences: tuple[str, ...]
    """Every check that failed, in words; empty when the run reproduces."""
    notes: tuple[str, ...]
    """What differs without failing (another Python version, for instance)."""

    @property
    def reproduced(self) -> bool:
        return not self.differences


def _short(sha256: str) -> str:
    return sha256[:12]


def verify(folder: str | Path, recorded: Manifest, current: Manifest) -> Verification:
    """Compare ``folder`` and a fresh run's manifest ``current`` with the ``recorded`` one.

    Checks that the plan file and every input are unchanged, that ``folder``
    holds exactly the files the manifest lists (each one missing, and each
    file, folder or symbolic link the manifest does not list, is named as a
    difference; links are never followed), that each is the file the
    recorded run wrote, and that the fresh run wrote the same files with the
    same content (the same results digest).
    """
    out = Path(folder)
    checks: list[tuple[str, str]] = []
    differences: list[str] = []
    notes: list[str] = []
    if recorded.jointbonus != current.jointbonus:
        notes.append(
            f"written by jointbonus {recorded.jointbonus}, checked with {current.jointbonus}"
        )
    if recorded.python != current.python:
        notes.append(f"written under Python {recorded.python}, checked under {current.python}")

    def compare_input(was: FileDigest | None, now: FileDigest | None, name: str) -> None:
        if was is None:
            outcome = "new: the plan reads it, the recorded run did not"
        elif now is None:
            outcome = "no longer read by the plan"
        elif was.sha256 != now.sha256:
            outcome = f"changed: sha256 {_short(now.sha256)}..., recorded {_short(was.sha256)}..."
        else:
            checks.append((name, "unchanged"))
            return
        checks.append((name, outcome))
        differences.append(f"input {name}: {outcome}")

    compare_input(recorded.plan, current.plan, f"plan {current.plan.name}")
    was_inputs = {d.name: d for d in recorded.inputs}
    now_inputs = {d.name: d for d in current.inputs}
    for name in [*was_inputs, *(n for n in now_inputs if n not in was_inputs)]:
        compare_input(was_inputs.get(name), now_inputs.get(name), name)
    if recorded.plan.sha256 == current.plan.sha256:
        changed = _changed_settings(recorded.settings, current.settings)
        if changed:
            differences.append(
                "settings: read differently from the same plan file: " + ", ".join(changed)
            )

    now_outputs = {d.name: d for d in current.outputs}
    found = folder_entries(out)
    for entry in recorded.outputs:
        kind = found.get(entry.name)
        if kind is None:
            outcome = "missing from the folder"
            differences.append(f"{entry.name}: {outcome}")
        elif kind != "file":
            outcome = f"not the file written: a {kind}"
            differences.append(f"{entry.name}: {outcome}")
        else:
            sha256, _size = sha256_of(out / entry.name, follow_symlinks=False)
            if sha256 != entry.sha256:
                outcome = "changed since it was written"
                differences.append(f"{entry.name}: {outcome} (sha256 {_short(sha256)}...)")
            else:
                outcome = "as written"
        rerun = now_outputs.get(entry.name)
        if rerun is None:
            outcome += "; not written again"
            differences.append(f"{entry.name}: the run did not write it again")
        elif rerun.sha256 != entry.sha256:
            outcome += "; the run gives different content"
            differences.append(
                f"{entry.name}: running again gives sha256 {_short(rerun.sha256)}..., "
                f"recorded {_short(entry.sha256)}..."
            )
        else:
            outcome += "; reproduced"
        checks.append((entry.name, outcome))
    recorded_names = {d.name for d in recorded.outputs}
    if found.get(MANIFEST_NAME, "file") != "file":
        checks.append((MANIFEST_NAME, f"not the file written: a {found[MANIFEST_NAME]}"))
        differences.append(f"{MANIFEST_NAME}: not the file written: a {found[MANIFEST_NAME]}")
    holders = {str(parent) for name in recorded_names for parent in Path(name).parents}
    for name, kind in found.items():
        if name in recorded_names or name == MANIFEST_NAME or name in holders:
            continue
        checks.append((name, f"not in the manifest: a {kind} the run did not write"))
        differences.append(f"{name}: in the folder but not in the manifest (a {kind})")
    for name in sorted(set(now_outputs) - recorded_names):
        checks.append((name, "written by the run, not in the manifest"))
        differences.append(f"{name}: written by the run but not in the manifest")
    if recorded.results_digest != current.results_digest:
        differences.append(
            f"results digest: running again gives {current.results_digest}, recorded "
            f"{recorded.results_digest}"
        )
    return Verification(tuple(checks), tuple(differences), tuple(notes))
