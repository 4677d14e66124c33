"""The one atomic writer: no failure, crash or reader ever sees half of what is written.

Every file jointbonus writes goes through this module, at one of three scales.

**One file** (:func:`write_bytes`, :func:`write_binary`, :func:`write_text`). The file is written in
full under a temporary name beside its final name (created exclusively, so
never through a symbolic link), flushed to disk, and renamed over the final
name in one step (:func:`os.replace`). A failure or a killed process leaves
the earlier file, or none, never a partial one. On Linux the system is asked
to start writing a large file to disk while the rest of it is still being
made (:class:`_EarlyWriteback`), so that the flush waits for little more
than its last megabytes; the flush alone still makes the file durable. A symbolic link at the final
name is replaced by the file, never followed. A new file gets the permissions
any program's new file gets: read and write for everyone, less the user's
umask (``0644`` under the usual umask ``022``, ``0664`` under ``002``, so
colleagues sharing a drive can open it; ``0600`` under ``077``). A file that
replaces an existing one keeps that file's permissions, so a ``chmod`` a user
made survives the next run; this holds for every scale below as well.

**Files into a folder** (:func:`staged_folder`). The files are written into a
hidden staging folder inside the folder (``.jointbonus-XXXXXXXX``), flushed
to disk, and moved in, one rename each, only when every one of them is
complete; a failure before that leaves the folder as it was. (A file written
into a staging folder is flushed once, by the staging folder's owner, just
before it becomes visible, not again by each step on the way.) Each file is whole at every moment,
but a reader may see some new files beside old ones while the renames run:
files that must change together are published instead (below). A subfolder
that is a symbolic link is refused, never written through. Each staging
folder is locked while its writer lives; a writer finds the staging folders
of writers that were killed (unlocked ones) and removes them.

**A folder as a whole** (:func:`publish_folder`), for the results of a run,
which belong together (the manifest lists the other files' digests). How it
works, for an output folder ``DIR``:

1. Beside ``DIR``, in its parent folder, jointbonus keeps a hidden folder of
   its own, ``.DIR.jointbonus``, holding a lock file ``lock`` and, while a
   run writes, its staging folder. The run takes the lock (``flock``,
   exclusive, without waiting) and holds it until ``DIR`` is complete. A
   second run into ``DIR`` meanwhile is refused at once with
   :class:`FolderBusyError`, naming the process that writes: two runs
   writing one folder at the same time is a mistake to report, not a queue
   in which the later run silently replaces what the earlier one published.
   The system releases the lock when its process ends, however it ends, so
   a killed run never blocks the next one.
2. Holding the lock, the run first cleans up after a run that was killed:
   it removes every staging folder left in ``.DIR.jointbonus`` (finishing a
   publication that was interrupted between its two renames, below).
3. It checks that everything in ``DIR`` is something it may replace (the
   caller says what: for a run, the files jointbonus writes) and refuses a
   folder that holds anything else (:class:`OutputFolderError`): publishing
   replaces the whole folder, and a user's own files in it must not vanish.
4. It writes the new files, complete, into a new staging folder in
   ``.DIR.jointbonus`` (on the same file system as ``DIR``), and flushes
   every file and folder to disk.
5. It swaps the staging folder and ``DIR`` in one step: on Linux with
   ``renameat2(RENAME_EXCHANGE)``. ``DIR`` stays a plain folder (no symbolic
   link for tools to trip on), and at every moment its name leads to the old
   complete set of files or to the new one, never to a mix and never to
   nothing. The old set, now in the staging folder's place, is removed.

Everything in ``DIR`` is replaced, so nothing in it is ever written through:
a symbolic link left in ``DIR`` (``statements`` linked elsewhere, a linked
``lines.csv``) disappears with the old folder, and what it pointed to is
never touched. ``DIR`` itself, when it is a symbolic link, is followed once
(the run is published where it points); nothing inside it ever is.

Guarantees, per platform:

* **Linux** (ext4, XFS, Btrfs, tmpfs and other file systems that support
  ``RENAME_EXCHANGE``): the change from the old set to the new one is one
  atomic step, for every reader and across a crash or a power cut at any
  moment.
* **Other POSIX systems** (macOS, the BSDs) **and Linux file systems without
  the exchange** (some network file systems): the swap is two renames, ``DIR``
  into the staging area and the new folder to ``DIR``. A reader never sees a
  mix, but between the two renames (microseconds) ``DIR`` does not exist. A
  crash in that moment leaves both sets complete beside each other, and the
  next run into ``DIR`` finishes the swap before anything else. The lock
  works as on Linux.
* **Windows** has no ``flock``: there is no lock, and the swap is the two
  renames above (which fail while another program has a file in ``DIR``
  open). The project's tests run on Linux.

What the guarantee cannot cover: a program that reads several files of
``DIR`` one after another may read one before a swap and one after it (read
under the shared lock, as :func:`reading_lock` and ``jointbonus verify`` do,
to see one set); a program whose current folder is ``DIR`` stays in the old
folder, which is removed (a run refuses to publish the folder its own process
is in). Publishing needs write access to ``DIR``'s parent folder, and
``DIR`` cannot be a mount point (the swap stays within one file system).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_text(Path(folder) / "notes.txt", lambda handle: handle.write("done\\n"))
...     path.read_text(encoding="utf-8")
'done\\n'
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import io
import os
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar, cast

from jointbonus.errors import ArgumentError, JointBonusError, argument

if sys.platform != "win32":
    import fcntl

__all__ = [
    "LOCK_NAME",
    "FolderBusyError",
    "OutputFolderError",
    "folder_entries",
    "path_argument",
    "publish_folder",
    "reading_lock",
    "sha256_of",
    "staged_folder",
    "workshop_of",
    "write_binary",
    "write_bytes",
    "write_text",
]

_CHUNK = 1 << 20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
#: The permissions a new file asks for; the system takes the umask off them.
_FILE_MODE = 0o666

#: The lock file in a published folder's workshop (``.DIR.jointbonus/lock``).
LOCK_NAME = "lock"
#: Staging folders of :func:`staged_folder` start with this.
_STAGE_PREFIX = ".jointbonus-"
#: Files the operating system leaves in folders it shows; replaced like the outputs.
_SYSTEM_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
#: How many of a folder's unexpected entries an error names.
_SHOWN = 10

_T = TypeVar("_T")

#: The staging folders open in this context, outermost first. A file written under one
#: is flushed to disk by the outermost one's owner, once, before it becomes visible.
_STAGING: ContextVar[tuple[Path, ...]] = ContextVar("jointbonus_staging", default=())


def path_argument(name: str, value: object, *, nul: bool = False) -> Path:
    """``value`` as a :class:`~pathlib.Path` if it is text or a path, else
    :class:`~jointbonus.errors.ArgumentError` naming argument ``name``.

    A NUL character, which no file name may hold, is refused here too, unless
    ``nul``: the caller reports it in its own words (a plan file's problem).
    """
    path = argument(name, value, (str, os.PathLike), "a path (text or a pathlib.Path)")
    text = os.fspath(cast("str | os.PathLike[str]", path))
    if not isinstance(text, str) or ("\x00" in text and not nul):
        raise ArgumentError(
            f"{name}: got {type(value).__name__} {value!r}, expected a path: text without NUL"
        )
    return Path(text)


def _staged(path: Path) -> bool:
    """Whether ``path`` is inside a staging folder open in this context."""
    where = Path(os.path.abspath(path))
    return any(where.is_relative_to(stage) for stage in _STAGING.get())


@contextlib.contextmanager
def _staging(stage: Path) -> Iterator[None]:
    token = _STAGING.set((*_STAGING.get(), Path(os.path.abspath(stage))))
    try:
        yield
    finally:
        _STAGING.reset(token)


class OutputFolderError(JointBonusError, ValueError):
    """An output folder that cannot be written as asked (it holds an input, or files
    jointbonus did not write, or a symbolic link where a folder goes); nothing was written."""


class FolderBusyError(JointBonusError, BlockingIOError):
    """Another process holds the output folder's lock: a run writing it, or one reading it."""

    def __init__(self, folder: str, holder: int | None, *, reading: bool = False) -> None:
        then = "verify it" if reading else "try again"
        if holder is not None:
            message = f"jointbonus (process {holder}) is writing this folder now; {then} when "
            message += "that run has finished"
        else:  # a reader holds it (only a run can keep a reader out), or the writer is unknown
            message = "another jointbonus process is using this folder now (a run writing it "
            message += f"or `jointbonus verify` reading it); {then} when it has finished"
        super().__init__(errno.EWOULDBLOCK, message, folder)


# -- one file ----------------------------------------------------------------------------


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk where the system allows it."""
    if os.name != "posix":  # pragma: no cover - folders cannot be opened elsewhere
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:  # pragma: no cover - a folder that cannot be opened for reading
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside ``path``: its descriptor and its path.

    Created exclusively (``O_EXCL``, never through a symbolic link) like
    :func:`tempfile.mkstemp`, but with :data:`_FILE_MODE`, so the system gives
    it the permissions the umask allows (mkstemp's are ``0600`` whatever the
    umask). The umask is never read or changed: changing it is process-wide
    and would race with other threads.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(100):
        staged = path.parent / f".{path.name}.{secrets.token_hex(6)}"
        try:
            return os.open(staged, flags, _FILE_MODE), staged
        except FileExistsError:  # pragma: no cover - 48 random bits met a name in use
            continue
    raise FileExistsError(  # pragma: no cover - a hundred names in a row in use
        errno.EEXIST, "no free temporary name", str(path.parent)
    )


def _old_mode(path: Path) -> int | None:
    """The permissions of the regular file at ``path``, or None (none there, or no file)."""
    try:
        found = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    return stat.S_IMODE(found) if stat.S_ISREG(found) else None


def _keep_modes(stage: Path, out: Path, names: list[str]) -> None:
    """Give each file ``stage/name`` the permissions of the file ``out/name`` it replaces."""
    for name in names:
        mode = _old_mode(out / name)
        if mode is not None:
            os.chmod(stage / name, mode)  # a regular file of the stage's own


#: ``sync_file_range``'s flag that starts writing a range to disk without waiting for it.
_SYNC_FILE_RANGE_WRITE = 2


@functools.cache
def _sync_file_range() -> Any:
    """libc's ``sync_file_range`` (Linux), or None where there is none."""
    if not sys.platform.startswith("linux"):  # pragma: no cover - Linux only
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):  # pragma: no cover - a C library without it
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


class _EarlyWriteback(io.FileIO):
    """A new file that asks the system to start writing each :data:`STEP` bytes of it to
    disk as soon as they are written, without waiting (``sync_file_range``, Linux).

    The 135 MB of ``lines.csv`` at 100,000 members took 50 to 80 ms to flush at
    the end (:func:`os.fsync`), with nothing left to do meanwhile; started early,
    the disk writes while the rest is made. This is a hint, not a guarantee: the
    file is durable when :func:`os.fsync` returns, as before, and a system that
    refuses the hint only loses the overlap.
    """

    STEP = 8 << 20

    def __init__(self, descriptor: int, start: Callable[[int, int, int, int], int]) -> None:
        super().__init__(descriptor, "wb")
        self._start = start
        self._written = 0
        self._started = 0  # the bytes whose writing to disk has been started

    def write(self, data: Any, /) -> int:
        written = super().write(data)
        self._written += written
        if self._written - self._started >= self.STEP:
            self._start(
                self.fileno(), self._started, self._written - self._started, _SYNC_FILE_RANGE_WRITE
            )
            self._started = self._written
        return written


def _new_file(descriptor: int) -> BinaryIO:
    """The new file ``descriptor`` opened to write, its writing to disk started early
    where the system can (:class:`_EarlyWriteback`)."""
    start = _sync_file_range()
    if start is None:  # pragma: no cover - not Linux
        return os.fdopen(descriptor, "wb")
    return io.BufferedWriter(_EarlyWriteback(descriptor, start))


def _write(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    sync = not _staged(path)  # in a staging folder, its owner flushes the file
    descriptor, staged = _temporary(path)
    try:
        with _new_file(descriptor) as handle:
            write(handle)
            handle.flush()
            mode = _old_mode(path)
            if mode is not None:  # replacing a file: keep its permissions
                os.chmod(handle.fileno() if os.chmod in os.supports_fd else staged, mode)
            if sync:
                os.fsync(handle.fileno())
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    if sync:
        _sync_folder(folder)
    return path


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (the folder is created if needed)."""
    return _write(Path(path), lambda handle: handle.write(data))


def write_binary(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write the bytes ``write`` puts into its handle to ``path`` atomically.

    For a writer that encodes its text itself: ``lines.csv`` encodes each
    distinct text once, where a text handle would encode each of its 1.2
    million rows.
    """
    return _write(Path(path), write)


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


def sha256_of(path: str | Path, *, follow_symlinks: bool = True) -> tuple[str, int]:
    """The SHA-256 (hex) and the size in bytes of the file at ``path``.

    With ``follow_symlinks=False`` a symbolic link at ``path`` is not followed:
    it raises :class:`OSError` (``ELOOP``).
    """
    digest = hashlib.sha256()
    size = 0
    flags = os.O_RDONLY | _CLOEXEC | (0 if follow_symlinks else _NOFOLLOW)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# -- what a folder holds -------------------------------------------------------------------


def _kind(entry: os.DirEntry[str]) -> str:
    if entry.is_symlink():
        return "symbolic link"
    if entry.is_dir(follow_symlinks=False):
        return "folder"
    if entry.is_file(follow_symlinks=False):
        return "file"
    return "special file"


def folder_entries(folder: str | Path) -> dict[str, str]:
    """Everything under ``folder``: ``{relative name: kind}``, names with ``/``, sorted.

    The kind is ``file``, ``folder``, ``symbolic link`` or ``special file``.
    Symbolic links are listed, never followed; hidden entries are listed too.
    """
    found: dict[str, str] = {}

    def visit(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                name = f"{prefix}{entry.name}"
                found[name] = _kind(entry)
                if found[name] == "folder":
                    visit(entry.path, f"{name}/")

    visit(os.fspath(folder), "")
    return dict(sorted(found.items()))


def _regular_files(folder: Path, *, hidden: bool) -> list[str]:
    """The files under ``folder`` (relative, ``/``), sorted; anything but files and folders
    is refused. With ``hidden=False`` entries whose names start with a dot are left out."""
    names = []
    for name, kind in folder_entries(folder).items():
        if not hidden and any(part.startswith(".") for part in name.split("/")):
            continue
        if kind == "file":
            names.append(name)
        elif kind != "folder":
            raise OutputFolderError(f"{folder / name}: a {kind}, not a file written here")
    return names


def _sync_files(folder: Path, names: list[str]) -> None:
    """Flush each file and every folder under ``folder`` to disk."""
    for name in names:
        descriptor = os.open(folder / name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    for subfolder in sorted({(folder / name).parent for name in names}, reverse=True):
        _sync_folder(subfolder)
    _sync_folder(folder)


def _remove(path: Path) -> None:
    """Remove a file, a symbolic link or a whole folder (never following a link)."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass


# -- locks -------------------------------------------------------------------------------


def _try_lock(descriptor: int, *, shared: bool = False) -> bool:
    """Take an ``flock`` on ``descriptor`` without waiting; False when another holds it."""
    if sys.platform == "win32":  # pragma: no cover - no flock: nothing to wait for
        return True
    try:
        fcntl.flock(descriptor, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(descriptor: int) -> int | None:
    """The running process that wrote its id into the lock file, if there is one.

    A run writes its id when it takes the lock and wipes it when it lets go; a
    killed run leaves it, so an id is named only while its process still runs.
    """
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeError):
        return None
    if not text.isdigit():
        return None
    try:
        os.kill(int(text), 0)  # signal 0: is it there? (nothing is sent)
    except PermissionError:
        return int(text)  # there, another user's
    except (OSError, OverflowError):
        return None
    return int(text)


@contextlib.contextmanager
def _held(lock: Path, shown: str, *, shared: bool) -> Iterator[None]:
    """Hold the lock file ``lock`` (created for an exclusive lock) or raise FolderBusyError."""
    flags = os.O_RDONLY if shared else os.O_RDWR | os.O_CREAT
    descriptor = os.open(lock, flags | _NOFOLLOW | _CLOEXEC, 0o666)
    try:
        if not _try_lock(descriptor, shared=shared):
            raise FolderBusyError(shown, _holder(descriptor), reading=shared)
        if not shared:  # who holds it, for the message of a run that is refused
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            if not shared:
                os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # releases the lock


def workshop_of(folder: str | Path) -> Path:
    """The hidden folder beside ``folder`` that holds its lock and its staging folders.

    ``results`` -> ``.results.jointbonus``, in the same parent folder (``folder``
    resolved first, as :func:`publish_folder` does).
    """
    target = Path(os.path.realpath(folder))
    name = f".{target.name}.jointbonus"
    if len(os.fsencode(name)) > 255:  # a name the file system cannot hold: shortened
        digest = hashlib.sha256(os.fsencode(target.name)).hexdigest()[:12]
        name = f".{target.name[:100]}-{digest}.jointbonus"
    return target.parent / name


@contextlib.contextmanager
def reading_lock(folder: str | Path) -> Iterator[None]:
    """Hold ``folder``'s lock shared while reading it, so no run replaces it meanwhile.

    Raises :class:`FolderBusyError` when a run is writing the folder. A folder
    no run has published (no lock file beside it) is read without a lock, and
    nothing is ever created: reading writes nothing.
    """
    lock = workshop_of(folder) / LOCK_NAME
    try:
        is_lock = stat.S_ISREG(os.lstat(lock).st_mode)
    except OSError:
        is_lock = False
    if not is_lock:
        yield
        return
    with _held(lock, str(folder), shared=True):
        yield


# -- files into a folder -----------------------------------------------------------------


def _remove_abandoned_stages(folder: Path) -> None:
    """Remove the staging folders in ``folder`` whose writers are gone (not locked)."""
    with os.scandir(folder) as entries:
        stages = [
            Path(e.path)
            for e in entries
            if e.name.startswith(_STAGE_PREFIX) and e.is_dir(follow_symlinks=False)
        ]
    for stage in stages:
        try:
            descriptor = os.open(stage, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
        except OSError:
            continue
        try:
            if sys.platform != "win32" and _try_lock(descriptor):
                shutil.rmtree(stage, ignore_errors=True)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def _stage_in(folder: Path) -> Iterator[Path]:
    """A new staging folder in ``folder``, locked while the block runs, removed after it."""
    for _ in range(10):
        stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=folder))
        try:
            descriptor = os.open(stage, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
        except FileNotFoundError:  # pragma: no cover - taken for abandoned before it was opened
            continue
        _try_lock(descriptor)  # just made: nobody else has it
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(descriptor), os.lstat(stage)):
                break
        os.close(descriptor)  # pragma: no cover - taken for abandoned before it was locked
    else:  # pragma: no cover - ten removals in a row
        raise OSError(errno.EAGAIN, "cannot keep a staging folder", str(folder))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        os.close(descriptor)


def _check_destination(out: Path, name: str) -> None:
    """Refuse a file whose place is a folder, or whose folders are files or symbolic links."""
    target = out / name
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISDIR(os.lstat(target).st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory: cannot replace it", str(target))
    for parent in reversed(Path(name).parents[:-1]):  # statements/, then deeper ones
        home = out / parent
        try:
            mode = os.lstat(home).st_mode
        except FileNotFoundError:
            return  # made when the files move in
        if stat.S_ISLNK(mode):
            raise OutputFolderError(
                f"{home}: a symbolic link where jointbonus writes a folder; jointbonus never "
                "writes through a link: remove it or choose another folder"
            )
        if not stat.S_ISDIR(mode):
            raise NotADirectoryError(
                errno.ENOTDIR, "Not a directory: cannot write into it", str(home)
            )


@contextlib.contextmanager
def staged_folder(folder: str | Path) -> Iterator[Path]:
    """Stage files for ``folder``; move them in when the block ends without an error.

    Yields a hidden staging folder inside ``folder`` (created if needed). When
    the ``with`` block completes, every file written into the staging folder
    is moved into ``folder`` and the staging folder is removed. When the block
    raises, the staging folder is removed with everything in it and ``folder``
    is left as it was. Files in subfolders keep their place
    (``statements/A.md``); files and folders whose names start with a dot
    (temporaries) are never moved. Everything is checked before anything
    moves: a file whose place is a folder, or a subfolder that is a file or a
    symbolic link, fails the whole set.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_stages(out)
    sync = not _staged(out)  # staging into a staging folder: the outer owner flushes
    with _stage_in(out) as stage:
        with _staging(stage):
            yield stage
        names = _regular_files(stage, hidden=False)
        for name in names:  # refuse before moving anything: all or nothing
            _check_destination(out, name)
        _keep_modes(stage, out, names)
        if sync:
            _sync_files(stage, names)
        for name in names:
            target = out / name
            if target.parent != out:
                target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / name, target)
        if sync:
            for subfolder in sorted({(out / name).parent for name in names}, reverse=True):
                _sync_folder(subfolder)


# -- a folder as a whole -----------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Any:
    """libc's ``renameat2``, or None where the C library has none."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # pragma: no cover - a C library without it
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders' names in one atomic step; False where the system cannot."""
    if not sys.platform.startswith("linux"):  # pragma: no cover - Linux only
        return False
    function = _renameat2()
    if function is None:  # pragma: no cover - a C library without it
        return False
    status = function(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if status == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # this kernel or file system cannot exchange: two renames instead
    raise OSError(number, os.strerror(number), str(second))


def _swap(stage: Path, target: Path, workshop: Path) -> Path:
    """Put ``stage`` in ``target``'s place; returns where the old folder now is."""
    try:
        exchanged = _exchange(stage, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EBUSY):
            raise
        raise OSError(
            error.errno,
            f"{error.strerror}: the folder is a mount point or on another file system than "
            "its parent folder, so it cannot be replaced in one step; write the results into "
            "a folder inside it",
            str(target),
        ) from None
    if exchanged:
        return stage
    suffix = stage.name.removeprefix("new-")
    ready, retired = workshop / f"ready-{suffix}", workshop / f"old-{suffix}"
    os.rename(stage, ready)  # complete: a crash from here on rolls forward
    _sync_folder(workshop)
    os.rename(target, retired)
    try:
        os.rename(ready, target)
    except BaseException:
        os.rename(retired, target)
        raise
    return retired


def _recover(workshop: Path, target: Path) -> None:
    """Finish a swap a crash interrupted, then remove everything a killed run left."""
    names = sorted(os.listdir(workshop))
    if not os.path.lexists(target):  # killed between the two renames of _swap
        ready = [n for n in names if n.startswith("ready-")]
        old = [n for n in names if n.startswith("old-")]
        if ready:
            os.rename(workshop / ready[-1], target)
        elif old:
            os.rename(workshop / old[-1], target)
    for name in os.listdir(workshop):
        if name != LOCK_NAME:
            _remove(workshop / name)


def _output_folder(folder: str | Path) -> Path:
    """``folder`` resolved (a symbolic link named by the user is followed once), checked."""
    target = Path(os.path.realpath(folder))
    if target.parent == target:
        raise OutputFolderError(f"{folder}: cannot replace the root folder; give a folder in it")
    here = Path.cwd().resolve()
    if here == target or target in here.parents:
        raise OutputFolderError(
            f"{folder}: it is (or holds) the current folder; the results replace the "
            "folder as a whole, which would leave this process in the old one: run from "
            "another folder or write the results elsewhere"
        )
    return target


def _foreign(target: Path, replaceable: Callable[[str], bool]) -> list[str]:
    """What in ``target`` may not be replaced: entries ``replaceable`` does not claim."""
    foreign = []
    skipped: list[str] = []
    for name, kind in folder_entries(target).items():
        if any(name.startswith(f"{s}/") for s in skipped):
            continue
        base = name.rsplit("/", 1)[-1]
        if base.startswith(_STAGE_PREFIX) and kind == "folder":
            skipped.append(name)  # a staging folder of an earlier version: its own leftover
            continue
        if base in _SYSTEM_LITTER:
            continue
        claims = [f"{name}/"] if kind == "folder" else [name]
        if kind == "symbolic link":
            claims.append(f"{name}/")  # a link where a file or a folder is written
        if not any(replaceable(claim) for claim in claims):
            foreign.append(name if kind in ("file", "folder") else f"{name} ({kind})")
    return foreign


def publish_folder(
    folder: str | Path,
    write: Callable[[Path], _T],
    *,
    replaceable: Callable[[str], bool] = lambda name: False,
) -> _T:
    """Replace ``folder`` as a whole with what ``write`` writes, in one atomic step.

    ``write`` is called with an empty staging folder and writes the new files
    there; what it returns is returned. ``replaceable`` says which of the
    entries already in ``folder`` may go: it is called with each entry's
    relative name (``lines.csv``, ``statements/A.md``, and ``statements/`` for
    a folder); anything it does not claim makes the call raise
    :class:`OutputFolderError` before anything is written. See the module's
    docstring for how the swap, the lock and the clean-up work.

    Raises :class:`FolderBusyError` when another process is publishing the
    same folder. If ``write`` or anything else fails, ``folder`` is left as
    it was (created, empty, if it did not exist).
    """
    target = _output_folder(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    workshop = workshop_of(target)
    with contextlib.suppress(FileExistsError):
        workshop.mkdir()
    if not stat.S_ISDIR(os.lstat(workshop).st_mode):
        raise OutputFolderError(
            f"{workshop}: not a folder (a file or a symbolic link); jointbonus keeps the lock "
            f"and the staging folders of {folder} there: remove it"
        )
    with _held(workshop / LOCK_NAME, str(folder), shared=False):
        _recover(workshop, target)
        try:
            target.mkdir()
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(target).st_mode):
                raise NotADirectoryError(
                    errno.ENOTDIR, "Not a directory: cannot write a folder there", str(folder)
                ) from None
        foreign = _foreign(target, replaceable)
        if foreign:
            more = f" and {len(foreign) - _SHOWN} more" if len(foreign) > _SHOWN else ""
            raise OutputFolderError(
                f"{folder}: holds {', '.join(foreign[:_SHOWN])}{more}, which jointbonus did not "
                "write; the results replace the folder as a whole: move them elsewhere or "
                "write the results into another folder"
            )
        stage = Path(tempfile.mkdtemp(prefix="new-", dir=workshop))
        try:
            os.chmod(stage, stat.S_IMODE(os.stat(target).st_mode))
            with _staging(stage):
                value = write(stage)
            written = _regular_files(stage, hidden=True)
            _keep_modes(stage, target, written)
            _sync_files(stage, written)
            retired = _swap(stage, target, workshop)
        except BaseException:
            _remove(stage)
            raise
        _sync_folder(target.parent)
        with contextlib.suppress(OSError):  # the new set is in place; the next run retries
            _remove(retired)
        _sync_folder(workshop)
    return value
