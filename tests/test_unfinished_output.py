"""A command stopped half-way leaves no copy of children's records where nothing finds it again.

Backups, exports, report workbooks and calendars are written in a private staging folder in
masg's data folder (one per command, named by its process), moved onto --out when whole; the
next masg command that opens a store removes the folders of commands that are gone, and
doctor names what it found.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import add_referral, ok
from builders import store_path


def staging_root() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "masg" / "staging"


def leftovers() -> list[Path]:
    root = staging_root()
    return sorted(root.iterdir()) if root.exists() else []


def a_dead_pid() -> int:
    """The pid of a process that has finished (and been reaped)."""
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def left_behind(pid: int) -> Path:
    """A staging folder as a command killed mid-write leaves it: owner marker and a .part file."""
    folder = staging_root() / f"{pid}-0badf00d"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "owner").write_text(f'{{"pid": {pid}, "started": null}}')
    (folder / "masg-x.db.part").write_bytes("SQLite format 3 Zoë Example".encode())
    return folder


def test_the_next_command_removes_what_a_stopped_command_left_and_keeps_a_running_ones(store):
    dead = left_behind(a_dead_pid())
    running = left_behind(os.getpid())  # this very process: still running
    ok("referral", "list")
    assert not dead.exists()
    assert running.exists()


def test_doctor_names_the_leftovers_it_finds_by_folder_and_count_only(store):
    folder = left_behind(a_dead_pid())
    report = ok("doctor").stdout
    line = next(x for x in report.splitlines() if "unfinished output" in x)
    assert "removed 1" in line and folder.name in line and str(staging_root()) in line
    assert "Zoë" not in report
    assert "none left" in next(x for x in ok("doctor").stdout.splitlines() if "unfinished output" in x)


def test_a_folder_whose_pid_was_reused_by_another_process_counts_as_left_behind(store):
    folder = left_behind(os.getpid())
    (folder / "owner").write_text(f'{{"pid": {os.getpid()}, "started": "1"}}')  # not when we started
    if not Path(f"/proc/{os.getpid()}/stat").exists():
        pytest.skip("process start times are read from /proc")
    ok("referral", "list")
    assert not folder.exists()


def test_outputs_are_written_in_a_private_staging_folder_and_never_beside_out(store, tmp_path, monkeypatch):
    from masg_cli import staging

    add_referral()
    seen: list[tuple[Path, int, int]] = []
    real_publish = staging.publish

    def watching(staged: Path, target: Path) -> None:
        seen.append((staged, stat.S_IMODE(staged.parent.stat().st_mode), stat.S_IMODE(staged.stat().st_mode)))
        assert not [p for p in target.parent.iterdir() if p.name.endswith(".part")]
        real_publish(staged, target)

    monkeypatch.setattr(staging, "publish", watching)
    out = tmp_path / "out"
    ok("export", "--format", "xlsx", "--out", out / "cases.xlsx")
    ok("export", "--format", "csv", "--out", out / "cases.csv")
    ok("report", "summary", "--from", "2026-01-01", "--to", "2026-12-31", "--xlsx", out / "report.xlsx")
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
    ok("meeting", "ics", "--out", out / "meetings.ics")
    assert len(seen) == 4
    for staged, folder_mode, file_mode in seen:
        assert staged.parent.parent == staging_root()
        assert (folder_mode, file_mode) == (0o700, 0o600)
    assert sorted(p.name for p in out.iterdir()) == ["cases.csv", "cases.xlsx", "meetings.ics", "report.xlsx"]
    assert leftovers() == []  # each command's staging folder goes when its output is in place


def test_an_output_on_another_drive_is_copied_privately_and_the_staged_copy_removed(store, tmp_path, monkeypatch):
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)) or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs a second filesystem (/dev/shm) to move across")
    import tempfile

    with tempfile.TemporaryDirectory(dir=shm) as other_drive:
        monkeypatch.setenv("XDG_DATA_HOME", other_drive)
        add_referral()
        out = tmp_path / "export.json"
        ok("export", "--format", "json", "--out", out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "Zoë Example" in out.read_text(encoding="utf-8")
        assert list((Path(other_drive) / "masg" / "staging").iterdir()) == []
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


# --- A real kill -9 in the middle of a backup ---------------------------------------------------------


def make_large(path: Path, megabytes: int = 150) -> None:
    """A store whose backup takes a while: many cases' worth of text (fictional)."""
    with sqlite3.connect(path) as db:
        filler = ("Fictional needs text for a large store. " * 25)[:1000]
        db.execute("UPDATE referral SET needs = ? WHERE id = (SELECT MIN(id) FROM referral)",
                   ("".join(filler for _ in range(megabytes * 1000)),))
    db.close()


def kill_mid_backup(out: Path) -> None:
    """Start `masg backup` as a co-ordinator would, and kill -9 it while its copy is being written."""
    command = subprocess.Popen([sys.executable, "-m", "masg_cli", "backup", "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and command.poll() is None:
            writing = [*out.parent.glob(".masg-*.part"), *(p for f in leftovers() for p in f.glob("*.part"))]
            if any(p.stat().st_size > 0 for p in writing):
                break
            time.sleep(0.005)
        assert command.poll() is None, "the backup finished before it could be killed: make the store larger"
        command.send_signal(signal.SIGKILL)
    finally:
        command.wait()


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_backup_killed_half_way_leaves_nothing_beside_out_and_the_next_command_removes_its_copy(store, tmp_path):
    add_referral()
    make_large(store_path())
    backups = tmp_path / "backups"
    kill_mid_backup(backups / "masg.db")
    assert [f.name for f in backups.iterdir()] == []  # nothing beside --out, where nothing would find it
    [folder] = leftovers()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert any(p.stat().st_size > 0 for p in folder.glob("*.part"))
    ok("referral", "list")
    assert leftovers() == []

    kill_mid_backup(backups / "masg.db")
    [folder] = leftovers()
    line = next(x for x in ok("doctor").stdout.splitlines() if "unfinished output" in x)
    assert f"removed 1 left by stopped commands in {staging_root()} ({folder.name})" in line
    assert leftovers() == [] and [f.name for f in backups.iterdir()] == []


def test_help_does_not_look_for_leftovers(store):
    folder = left_behind(a_dead_pid())
    ok("--help")
    ok("backup", "--help")
    assert folder.exists()  # only a command that opens a store sweeps: help stays fast
