"""masg backup: a checked, private copy, even while others write, in place with its audit entry."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import out_folder, refuse_audit_entry, store_path
from conftest import ok, run


WRITER = """
import sys, time
from datetime import date
from masg_cli.cli.context import options, unit_of_work
from masg_cli.services.referrals import NewReferral, add_referral
options.db, options.user = sys.argv[1], "writer"
stop = time.monotonic() + float(sys.argv[2])
while time.monotonic() < stop:
    with unit_of_work(write=True) as uow:
        add_referral(uow, NewReferral(children=[("Zoë Example", date(2015, 2, 3))], locality="North",
            referrer_name="Alex Teacher", referrer_agency="Northside Primary", consent_date=date(2026, 11, 1),
            consent_by="parent", needs="Anxiety", received=date(2026, 11, 2)))
"""


# --- A private, checked copy -------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_backup_is_private_checked_and_opens_as_a_store(accepted, tmp_path):
    out = tmp_path / "backups" / "masg-backup.db"
    out.parent.mkdir()
    shown = ok("backup", "--out", out).stdout
    assert "Backed up 1 referrals" in shown and "integrity check ok" in shown
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert copy.execute("SELECT reference, status FROM referral").fetchall() == [(accepted, "accepted")]
    copy.close()
    assert not Path(f"{out}-wal").exists()
    restored = ok("--db", out, "referral", "show", accepted, "--json").json
    assert restored["status"] == "accepted"
    assert "FAIL" not in ok("--db", out, "doctor").stdout


@pytest.mark.sqlite_only
def test_a_backup_never_overwrites_unless_asked_and_never_onto_the_store(accepted, tmp_path):
    out = tmp_path / "b.db"
    out.write_text("yesterday's backup")
    result = run("backup", "--out", out)
    assert result.exit_code == 1 and "--overwrite" in result.stderr
    assert out.read_text() == "yesterday's backup"
    ok("backup", "--out", out, "--overwrite")
    assert out.read_bytes().startswith(b"SQLite format 3")
    assert run("backup", "--out", store_path(), "--overwrite").exit_code == 1


@pytest.mark.sqlite_only
def test_a_backup_without_a_store_is_refused_and_a_missing_folder_is_made(tmp_path):
    assert "masg init" in run("backup", "--out", tmp_path / "b.db").stderr
    ok("init")
    ok("backup", "--out", tmp_path / "no" / "b.db")
    assert (tmp_path / "no" / "b.db").exists()


def test_without_pg_dump_a_server_store_backup_gives_the_command_and_never_the_password(tmp_path, monkeypatch):
    import shutil

    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "pg_dump" else real(name, *a, **k))
    result = run("--db", "postgresql+psycopg://masg:secret@db.example/masg", "backup", "--out", tmp_path / "x.dump")
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.stderr and "db.example/masg" in result.stderr
    assert "secret" not in result.stderr


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_backups_taken_while_another_co_ordinator_writes_are_each_whole(store, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store_path()), "6"])
    try:
        time.sleep(1.5)
        counts = []
        for n in range(4):
            out = tmp_path / f"b{n}.db"
            ok("backup", "--out", out)
            copy = sqlite3.connect(out)
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            referrals, audited = copy.execute(
                "SELECT (SELECT COUNT(*) FROM referral), (SELECT COUNT(*) FROM audit_entry "
                "WHERE action = 'referral add')").fetchone()
            assert referrals == audited  # each copy holds whole transactions only
            counts.append(referrals)
            copy.close()
    finally:
        writer.wait(timeout=60)
    assert counts == sorted(counts) and counts[-1] > 0
    assert "FAIL" not in ok("doctor").stdout


# --- A folder is a folder, and a missing folder is made ----------------------------------------------


@pytest.mark.sqlite_only
def test_backup_into_a_folder_says_it_is_a_folder_with_or_without_overwrite(accepted, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    for extra in ((), ("--overwrite",)):
        result = run("backup", "--out", f"{folder}/", *extra)
        assert result.exit_code == 1
        assert "is a folder; give --out a file name" in result.stderr
        assert "already exists" not in result.stderr


@pytest.mark.sqlite_only
def test_backup_creates_a_missing_folder_readable_by_you_only(accepted, tmp_path):
    out = tmp_path / "backups" / "masg.db"
    ok("backup", "--out", out)
    assert out.exists() and stat.S_IMODE(out.parent.stat().st_mode) == 0o700


# --- The file appears only with its audit entry ------------------------------------------------------


def test_a_backup_whose_audit_entry_cannot_be_written_leaves_no_file(accepted, tmp_path, monkeypatch):
    refuse_audit_entry(monkeypatch, "backup")
    folder = out_folder(tmp_path)
    result = run("backup", "--out", folder / "b.db")
    assert result.exit_code != 0
    assert list(folder.iterdir()) == []

