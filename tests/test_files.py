"""The one atomic writer (:mod:`jointbonus.io.files`): one file, files into a folder,
and a folder replaced as a whole, with its lock and the clean-up after a crash."""

from __future__ import annotations

import errno
import fcntl
import itertools
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jointbonus.io import files
from jointbonus.io.files import (
    LOCK_NAME,
    FolderBusyError,
    OutputFolderError,
    folder_entries,
    publish_folder,
    reading_lock,
    sha256_of,
    staged_folder,
    workshop_of,
    write_bytes,
    write_text,
)

OLD = {"a.txt": b"old a\n", "sub/b.txt": b"old b\n", "gone.txt": b"only in the old set\n"}
NEW = {"a.txt": b"new a\n", "sub/b.txt": b"new b\n", "sub/c.txt": b"new c\n", "d.txt": b"d\n"}
#: The exit status of a child process that dies as ``kill -9`` would kill it.
KILLED = 137


def contents(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` with its bytes (links are not followed)."""
    return {
        name: (folder / name).read_bytes()
        for name, kind in folder_entries(folder).items()
        if kind == "file"
    }


def put(wanted: dict[str, bytes]) -> Callable[[Path], None]:
    """A writer for publish_folder that writes ``wanted`` into its staging folder."""

    def write(stage: Path) -> None:
        for name, data in wanted.items():
            write_bytes(stage / name, data)

    return write


def everything(name: str) -> bool:
    return True


def workshop_names(out: Path) -> list[str]:
    return sorted(os.listdir(workshop_of(out)))


@pytest.fixture
def held_lock() -> Iterator[Callable[[Path], Callable[[], None]]]:
    """Take a folder's lock as another run would (another open file, so another lock);
    returns what releases it (as that run's end would)."""
    opened: set[int] = set()

    def take(out: Path) -> Callable[[], None]:
        descriptor = os.open(workshop_of(out) / LOCK_NAME, os.O_RDWR)
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        opened.add(descriptor)

        def release() -> None:
            opened.discard(descriptor)
            os.close(descriptor)

        return release

    yield take
    for descriptor in opened:
        os.close(descriptor)


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for one test; the old one comes back after it."""
    old = os.umask(0o022)
    os.umask(old)

    def set_to(value: int) -> None:
        os.umask(value)

    yield set_to
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def modes(folder: Path) -> dict[str, int]:
    """The permissions of every regular file under ``folder``."""
    return {n: mode(folder / n) for n, k in folder_entries(folder).items() if k == "file"}


# -- one file ------------------------------------------------------------------------------


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_permissions_the_umask_allows(
    tmp_path: Path, umask: Callable[[int], None], mask: int, expected: int
) -> None:
    umask(mask)
    assert mode(write_bytes(tmp_path / "payroll.csv", b"amount\n1.00\n")) == expected
    assert mode(write_text(tmp_path / "sub" / "a.md", lambda h: h.write("a\n"))) == expected


def test_a_large_file_is_whole_and_its_writing_to_disk_started_step_by_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each :attr:`STEP <jointbonus.io.files._EarlyWriteback.STEP>` bytes written, the
    system is asked to start writing them to disk: ranges that follow one another from the
    file's start; the file is whole, written through binary and text handles alike."""
    asked: list[tuple[int, int]] = []
    real = files._sync_file_range()
    assert real is not None  # Linux has it

    def start(descriptor: int, offset: int, count: int, flags: int) -> int:
        asked.append((offset, count))
        return int(real(descriptor, offset, count, flags))  # the real call: only a hint

    monkeypatch.setattr(files, "_sync_file_range", lambda: start)
    monkeypatch.setattr(files._EarlyWriteback, "STEP", 10_000)
    sizes = [10, 9_999, 1, 40_000, 7, 25_000, 3]  # below and above the handle's buffer
    pieces = [bytes([n]) * size for n, size in enumerate(sizes)]
    path = files.write_binary(tmp_path / "lines.csv", lambda h: [h.write(p) for p in pieces])
    data = b"".join(pieces)
    assert path.read_bytes() == data
    ends = list(itertools.accumulate(count for _, count in asked))
    assert [offset for offset, _ in asked] == [0, *ends[:-1]]
    assert len(asked) > 1
    assert all(count >= 10_000 for _, count in asked)
    assert len(data) - 10_000 < ends[-1] <= len(data)
    text = "é" * 3000
    assert write_text(tmp_path / "a.md", lambda h: h.write(text)).read_text("utf-8") == text


def test_a_replaced_file_keeps_its_permissions(
    tmp_path: Path, umask: Callable[[int], None]
) -> None:
    umask(0o022)
    path = write_bytes(tmp_path / "payroll.csv", b"old\n")
    path.chmod(0o640)  # the user chose who reads it
    write_bytes(path, b"new\n")
    assert (path.read_bytes(), mode(path)) == (b"new\n", 0o640)
    (tmp_path / "link.csv").symlink_to(path)
    write_bytes(tmp_path / "link.csv", b"ours\n")  # a link's target's mode is not taken
    assert mode(tmp_path / "link.csv") == 0o644
    assert (path.read_bytes(), mode(path)) == (b"new\n", 0o640)


def test_files_staged_or_published_get_the_umask_and_keep_old_permissions(
    tmp_path: Path, umask: Callable[[int], None]
) -> None:
    umask(0o027)
    staged = tmp_path / "staged"
    with staged_folder(staged) as stage:
        put(OLD)(stage)
    assert modes(staged) == dict.fromkeys(OLD, 0o640)
    (staged / "a.txt").chmod(0o600)
    with staged_folder(staged) as stage:
        put(NEW)(stage)
    assert modes(staged) == {**dict.fromkeys(NEW, 0o640), "gone.txt": 0o640, "a.txt": 0o600}
    umask(0o002)
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    assert modes(out) == dict.fromkeys(OLD, 0o664)
    (out / "sub" / "b.txt").chmod(0o444)
    publish_folder(out, put(NEW), replaceable=everything)
    assert modes(out) == {**dict.fromkeys(NEW, 0o664), "sub/b.txt": 0o444}


def test_a_file_replaces_a_symbolic_link_and_never_writes_through_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("theirs\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "lines.csv").symlink_to(outside)
    write_text(out / "lines.csv", lambda handle: handle.write("ours\n"))
    assert not (out / "lines.csv").is_symlink()
    assert (out / "lines.csv").read_text(encoding="utf-8") == "ours\n"
    assert outside.read_text(encoding="utf-8") == "theirs\n"
    assert sorted(os.listdir(out)) == ["lines.csv"]  # no temporary left


def test_sha256_of_follows_a_link_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_bytes(b"data")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    assert sha256_of(tmp_path / "real.csv")[1] == 4
    assert sha256_of(tmp_path / "link.csv") == sha256_of(tmp_path / "real.csv")  # an input
    with pytest.raises(OSError) as raised:
        sha256_of(tmp_path / "link.csv", follow_symlinks=False)  # an output
    assert raised.value.errno == errno.ELOOP


def test_folder_entries_lists_links_and_hidden_entries_without_following(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text("not listed", encoding="utf-8")
    out = tmp_path / "out"
    (out / "statements").mkdir(parents=True)
    (out / "statements" / "A.md").write_text("a", encoding="utf-8")
    (out / ".hidden").write_text("h", encoding="utf-8")
    (out / "linked").symlink_to(elsewhere)
    assert folder_entries(out) == {
        ".hidden": "file",
        "linked": "symbolic link",
        "statements": "folder",
        "statements/A.md": "file",
    }


# -- files into a folder ---------------------------------------------------------------------


def test_a_staged_folder_moves_files_and_subfolders_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_folder(out) as stage:
        write_text(stage / "z.json", lambda h: h.write("{}\n"))
        write_text(stage / "sub" / "a.md", lambda h: h.write("a\n"))
        (stage / ".hidden").write_text("temporary", encoding="utf-8")
    assert contents(out) == {"sub/a.md": b"a\n", "z.json": b"{}\n"}
    with pytest.raises(RuntimeError, match="midway"), staged_folder(out) as stage:
        write_text(stage / "z.json", lambda h: h.write("changed\n"))
        raise RuntimeError("midway")
    assert contents(out) == {"sub/a.md": b"a\n", "z.json": b"{}\n"}
    (out / "blocker").mkdir()
    with pytest.raises(IsADirectoryError), staged_folder(out) as stage:
        write_text(stage / "a.txt", lambda h: h.write("first\n"))
        write_text(stage / "blocker", lambda h: h.write("a file where a folder is\n"))
    assert not (out / "a.txt").exists()  # nothing moved: the check comes first
    assert sorted(p.name for p in out.iterdir()) == ["blocker", "sub", "z.json"]
    (out / "notes").write_text("a file where a folder would go\n", encoding="utf-8")
    with pytest.raises(NotADirectoryError), staged_folder(out) as stage:
        write_text(stage / "a.txt", lambda h: h.write("first\n"))
        write_text(stage / "notes" / "b.md", lambda h: h.write("b\n"))
    assert not (out / "a.txt").exists()


def test_a_staged_folder_refuses_a_symlinked_subfolder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "statements").symlink_to(elsewhere, target_is_directory=True)
    with (
        pytest.raises(OutputFolderError, match="symbolic link where jointbonus writes a folder"),
        staged_folder(out) as stage,
    ):
        write_text(stage / "lines.csv", lambda h: h.write("lines\n"))
        write_text(stage / "statements" / "A.md", lambda h: h.write("pay\n"))
    assert list(elsewhere.iterdir()) == []
    assert sorted(os.listdir(out)) == ["statements"]
    assert (out / "statements").is_symlink()


def test_a_staged_folder_removes_abandoned_staging_and_keeps_a_live_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = out / ".jointbonus-dead1234"
    dead.mkdir(parents=True)
    (dead / "payroll.csv").write_text("member_id,amount\nA,10", encoding="utf-8")
    live = out / ".jointbonus-live5678"
    live.mkdir()
    descriptor = os.open(live, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # its writer is still at work
    try:
        with staged_folder(out) as stage:
            write_text(stage / "a.txt", lambda h: h.write("a\n"))
        assert sorted(os.listdir(out)) == [".jointbonus-live5678", "a.txt"]
    finally:
        os.close(descriptor)
    with staged_folder(out) as stage:
        write_text(stage / "b.txt", lambda h: h.write("b\n"))
    assert sorted(os.listdir(out)) == ["a.txt", "b.txt"]


# -- a folder as a whole ---------------------------------------------------------------------


def test_publishing_replaces_the_whole_folder_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert publish_folder(out, lambda stage: put(OLD)(stage) or "returned") == "returned"
    assert contents(out) == OLD
    out.chmod(0o750)
    publish_folder(out, put(NEW), replaceable=everything)
    assert contents(out) == NEW  # gone.txt went with the old set
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert workshop_names(out) == [LOCK_NAME]  # no old run folder piles up
    assert sorted(os.listdir(tmp_path)) == [".out.jointbonus", "out"]


def test_publishing_refuses_what_the_caller_does_not_claim(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    (out / "mine.txt").write_text("the user's\n", encoding="utf-8")
    (out / "sub" / "mine.md").write_text("the user's too\n", encoding="utf-8")
    before = contents(out)

    def claims(name: str) -> bool:
        return name in OLD or name == "sub/"

    with pytest.raises(OutputFolderError) as refused:
        publish_folder(out, put(NEW), replaceable=claims)
    message = str(refused.value)
    assert message.startswith(f"{out}: holds mine.txt, sub/mine.md, which jointbonus did not")
    assert "a.txt" not in message
    assert contents(out) == before
    assert workshop_names(out) == [LOCK_NAME]


def test_desktop_litter_does_not_stop_a_publication(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    (out / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (out / "sub" / "Thumbs.db").write_bytes(b"\xd0\xcf")
    publish_folder(out, put(NEW), replaceable=lambda name: name in OLD or name == "sub/")
    assert contents(out) == NEW


def test_publishing_replaces_a_symbolic_link_and_never_writes_through_it(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.md").write_text("theirs\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    (out / "a.txt").symlink_to(elsewhere / "keep.md")
    publish_folder(out, put(NEW), replaceable=everything)
    assert contents(out) == NEW
    assert not (out / "sub").is_symlink()
    assert not (out / "a.txt").is_symlink()
    assert contents(elsewhere) == {"keep.md": b"theirs\n"}


def test_a_symbolic_link_named_as_the_folder_is_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    publish_folder(link, put(NEW))
    assert link.is_symlink()
    assert contents(real) == NEW
    assert workshop_of(link) == tmp_path / ".real.jointbonus"


def test_a_failing_writer_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"

    def failing(stage: Path) -> None:
        write_bytes(stage / "a.txt", b"half of the set")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        publish_folder(out, failing)
    assert list(out.iterdir()) == []  # a fresh folder stays empty
    publish_folder(out, put(OLD))
    with pytest.raises(OSError, match="No space left"):
        publish_folder(out, failing, replaceable=everything)
    assert contents(out) == OLD
    assert workshop_names(out) == [LOCK_NAME]


def test_a_second_publisher_is_refused_while_the_first_holds_the_lock(
    tmp_path: Path, held_lock: Callable[[Path], Callable[[], None]]
) -> None:
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    release = held_lock(out)
    with pytest.raises(FolderBusyError) as refused:
        publish_folder(out, put(NEW), replaceable=everything)
    assert refused.value.filename == str(out)
    assert refused.value.strerror == (
        f"jointbonus (process {os.getpid()}) is writing this folder now; try again when that "
        "run has finished"
    )
    assert isinstance(refused.value, BlockingIOError)
    assert contents(out) == OLD
    with (
        pytest.raises(FolderBusyError, match="verify it when that run has finished"),
        reading_lock(out),
    ):
        pass
    release()  # the first run ends: the lock is free
    publish_folder(out, put(NEW), replaceable=everything)
    assert contents(out) == NEW


def test_a_reader_holds_off_publishers_and_shares_with_readers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    with reading_lock(out):
        with reading_lock(out):
            assert contents(out) == OLD
        with pytest.raises(FolderBusyError) as refused:
            publish_folder(out, put(NEW), replaceable=everything)
        assert refused.value.strerror == (
            "another jointbonus process is using this folder now (a run writing it or "
            "`jointbonus verify` reading it); try again when it has finished"
        )
    assert contents(out) == OLD


def test_reading_a_folder_never_published_creates_nothing(tmp_path: Path) -> None:
    out = tmp_path / "copied"
    out.mkdir()
    (out / "lines.csv").write_text("x\n", encoding="utf-8")
    with reading_lock(out):
        assert contents(out) == {"lines.csv": b"x\n"}
    assert sorted(os.listdir(tmp_path)) == ["copied"]


def test_the_current_folder_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    for inside in (out, out / "sub"):
        monkeypatch.chdir(inside)
        with pytest.raises(OutputFolderError, match="the current folder"):
            publish_folder(out, put(NEW), replaceable=everything)
        assert contents(out) == OLD
    with pytest.raises(OutputFolderError, match="root folder"):
        publish_folder("/", put(NEW), replaceable=everything)


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    workshop = workshop_of(out)
    (workshop / "new-killed1").mkdir()
    (workshop / "new-killed1" / "payroll.csv").write_text("A,1", encoding="utf-8")
    (workshop / "old-killed2" / "statements").mkdir(parents=True)
    publish_folder(out, put(NEW), replaceable=everything)
    assert contents(out) == NEW
    assert workshop_names(out) == [LOCK_NAME]


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        pytest.param(("ready", "old"), NEW, id="both-sets-roll-forward"),
        pytest.param(("old",), OLD, id="only-the-old-set-comes-back"),
    ],
)
def test_a_swap_cut_between_its_two_renames_is_finished_first(
    tmp_path: Path, left: tuple[str, ...], expected: dict[str, bytes]
) -> None:
    """Without the exchange, a crash between the renames leaves no folder; the next run
    puts the complete new set (or, failing that, the old one) in place before anything."""
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    workshop = workshop_of(out)
    if "ready" in left:
        put(NEW)(workshop / "ready-x1")
    out.rename(workshop / "old-x1")
    seen: list[dict[str, bytes]] = []

    def look_then_write(stage: Path) -> None:
        seen.append(contents(out))
        put(OLD)(stage)

    publish_folder(out, look_then_write, replaceable=everything)
    assert seen == [expected]
    assert workshop_names(out) == [LOCK_NAME]


def test_without_the_exchange_two_renames_publish_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_exchange", lambda first, second: False)
    out = tmp_path / "out"
    publish_folder(out, put(OLD))
    publish_folder(out, put(NEW), replaceable=everything)
    assert contents(out) == NEW
    assert workshop_names(out) == [LOCK_NAME]


# -- a crash at every step -------------------------------------------------------------------

#: The file-system calls a publication makes; the child dies at one of them.
WATCHED = ("open", "mkdir", "chmod", "fsync", "rename", "replace", "unlink", "rmdir", "close")


def _publish_dying_at(step: int, out: Path, *, exchange: bool) -> int:
    """Publish NEW over ``out`` in a child process that dies at its ``step``-th watched call."""
    child = os.fork()
    if child == 0:  # pragma: no cover - measured in the parent
        try:
            calls = itertools.count(1)

            def dying(original: Any) -> Any:
                def call(*arguments: Any, **keywords: Any) -> Any:
                    if next(calls) == step:
                        os._exit(KILLED)
                    return original(*arguments, **keywords)

                return call

            for name in WATCHED:
                setattr(os, name, dying(getattr(os, name)))
            files._exchange = dying(files._exchange) if exchange else lambda a, b: False  # type: ignore[assignment]
            publish_folder(out, put(NEW), replaceable=everything)
        except BaseException:
            os._exit(3)
        os._exit(0)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_crash_at_any_step_leaves_the_old_set_or_the_new_one(
    tmp_path: Path, exchange: bool
) -> None:
    out = tmp_path / "out"
    outcomes: list[str] = []
    for step in itertools.count(1):
        publish_folder(out, put(OLD), replaceable=everything)
        status = _publish_dying_at(step, out, exchange=exchange)
        assert status in (0, KILLED), f"step {step}: the child failed ({status})"
        if not out.exists():
            assert not exchange, f"step {step}: no folder, though the swap is one exchange"
            outcomes.append("none")
            seen = publish_folder(out, lambda stage: contents(out), replaceable=everything)
            assert seen == NEW, f"step {step}: the next run did not finish the swap"
        else:
            found = contents(out)
            assert found in (OLD, NEW), f"step {step}: a mix: {sorted(found)}"
            outcomes.append("old" if found == OLD else "new")
        if status == 0:
            break
    assert outcomes[-1] == "new"
    assert "old" in outcomes and outcomes.count("new") >= 2  # killed before and after the swap
    assert ("none" in outcomes) is not exchange
    assert len(outcomes) > 20
    publish_folder(out, put(OLD), replaceable=everything)
    assert workshop_names(out) == [LOCK_NAME]
