"""Writing files so that a failure never leaves a half-written one behind.

Every file jointbonus writes is first written in full under a temporary name
in the folder it belongs in (so on the same file system), flushed to disk,
and only then renamed over its final name, which replaces the old file in
one step (:func:`os.replace`). A run that fails midway -- a full disk, a
killed process, an error in the data -- leaves the earlier file, or none,
never a partial one.

A set of files that belong together (a run's results and its manifest) is
staged in a hidden folder inside the output folder by :func:`staged_folder`
and moved into place only when every file of the set is complete; the files
named last (the manifest) are moved last, so a manifest in place always
describes files that are in place too.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_text(Path(folder) / "notes.txt", lambda handle: handle.write("done\\n"))
...     path.read_text(encoding="utf-8")
'done\\n'
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

__all__ = ["sha256_of", "staged_files", "staged_folder", "write_bytes", "write_text"]

_CHUNK = 1 << 20


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk where the system allows it."""
    if os.name != "posix":  # pragma: no cover - folders cannot be opened elsewhere
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder that cannot be opened for reading
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    staged = Path(temporary)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (the folder is created if needed)."""
    return _write(Path(path), lambda handle: handle.write(data))


def write_text(path: str | Path, write: Callable[[TextIO], object]) -> Path:
    """Write the text ``write`` puts into its handle to ``path`` atomically, in UTF-8.

    The handle translates no newlines (``"\\n"`` stays ``"\\n"``), so the file
    is the same on every system.
    """

    def text(handle: BinaryIO) -> None:
        wrapper = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        write(wrapper)
        wrapper.flush()
        wrapper.detach()  # the binary handle stays open for _write to sync and close

    return _write(Path(path), text)


def _sync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


@contextlib.contextmanager
def staged_folder(folder: str | Path, *, last: Collection[str] = ()) -> Iterator[Path]:
    """Stage files for ``folder``; move them in when the block ends without an error.

    Yields a hidden staging folder inside ``folder`` (created if needed). When
    the ``with`` block completes, every file written into the staging folder
    is moved into ``folder`` -- the names in ``last`` after the others -- and
    the staging folder is removed. When the block raises, the staging folder
    is removed with everything in it and ``folder`` is left as it was.
    Files in subfolders keep their place (``statements/A.md``); files and
    folders whose names start with a dot (temporaries) are never moved.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".jointbonus-", dir=out))
    try:
        yield stage
        names = staged_files(stage)
        ordered = [n for n in names if n not in last] + [n for n in names if n in last]
        for name in ordered:  # refuse before moving anything: all or nothing
            if (out / name).is_dir():
                raise IsADirectoryError(21, "Is a directory: cannot replace it", str(out / name))
            for parent in Path(name).parents:
                home = out / parent
                if parent != Path() and home.exists() and not home.is_dir():
                    raise NotADirectoryError(20, "Not a directory: cannot write into it", str(home))
            _sync_file(stage / name)
        for name in ordered:
            target = out / name
            if target.parent != out:
                target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / name, target)
        _sync_folder(out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def staged_files(folder: Path) -> list[str]:
    """The files under ``folder`` as relative paths with ``/``, sorted; hidden ones left out.

    A file or folder whose name starts with a dot (a temporary) is skipped.
    """
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found.append(relative.as_posix())
    return sorted(found)


def sha256_of(path: str | Path) -> tuple[str, int]:
    """The SHA-256 (hex) and the size in bytes of the file at ``path``."""
    digest = hashlib.sha256()
    size = 0
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
