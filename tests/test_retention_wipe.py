"""Retention's removal reaches the store file itself, even when another program was reading.

While a reader holds an older snapshot, SQLite cannot copy the zeroed pages over the old ones
(the checkpoint answers busy, in a result row): the removed children's names stay in the file.
retention --apply says so, and the next command that can finishes the wipe.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from conftest import ok, run, sql
from builders import store_path, stored_case, write

NAME = "Ottoline Wipeable"


@pytest.fixture
def a_case_past_retention(store):
    write(lambda uow: stored_case(uow, "MASG-2020-0001", status="closed", closed_reason="completed",
                           received=date(2020, 1, 6), closed_on=date(2020, 9, 1),
                           children=((NAME, date(1999, 5, 1)),)))


def in_store_files() -> bool:
    """Whether the removed child's name is anywhere in the database file or its write-ahead log."""
    path = store_path()
    return any(NAME.encode() in p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


@pytest.mark.sqlite_only
def test_a_wipe_a_reader_holds_up_is_warned_of_and_finished_by_the_next_command(a_case_past_retention):
    assert in_store_files()
    # A connection left idle (as another masg's pool, or a browser window, keeps one): the reader's
    # closing is then not the store's last, which would checkpoint by itself and hide the fault.
    idle = sqlite3.connect(store_path())
    reader = sqlite3.connect(store_path(), isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM child").fetchone()[0] == 1  # holds its snapshot
    try:
        applied = run("retention", "--as-of", "2026-11-23", "--apply")
        assert applied.exit_code == 0 and "MASG-2020-0001" in applied.stdout
        assert "still in the store file" in applied.stderr and "next masg command" in applied.stderr
        assert NAME not in applied.stderr
        assert in_store_files()
        assert "FAIL retention wipe" in run("doctor").stdout  # still held: doctor says so
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert in_store_files()  # nothing wiped it by itself
    ok("referral", "list")
    assert not in_store_files()
    assert sql("SELECT COUNT(*) FROM setting WHERE key = 'retention wipe pending'") == [(0,)]
    assert "ok   retention wipe" in ok("doctor").stdout
    idle.close()


@pytest.mark.sqlite_only
def test_without_a_reader_the_wipe_is_done_at_once_and_nothing_stays_pending(a_case_past_retention):
    idle = sqlite3.connect(store_path())
    applied = ok("retention", "--as-of", "2026-11-23", "--apply")
    assert "warning" not in applied.stderr
    assert not in_store_files()
    assert sql("SELECT COUNT(*) FROM setting WHERE key = 'retention wipe pending'") == [(0,)]
    idle.close()
