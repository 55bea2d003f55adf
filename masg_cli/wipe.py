"""Removed cases wiped from a SQLite store's file itself: at once, or at the next command that can.

Deleting rows (with PRAGMA secure_delete) writes zeroed pages to the write-ahead log; the old
pages, children's names and all, stay in the database file (and older frames in the -wal) until
a checkpoint copies the new ones over them. ``PRAGMA wal_checkpoint(TRUNCATE)`` cannot do that
while another connection is reading an older snapshot, and it does not raise: it returns a row
``(busy, log, checkpointed)`` with busy = 1. So retention records a pending wipe in the store
(the ``setting`` table, in the same transaction as the removal), this module clears it only
once a checkpoint has really emptied the log, and every command that opens the store tries again
while it is pending.

Only the standard library's sqlite3: it runs outside SQLAlchemy's pool, after the command's own
transaction has ended (retention) or before it begins (every other command).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

PENDING = "retention wipe pending"
VACUUM, CHECKPOINT = "vacuum", "checkpoint"  # what the pending wipe still needs
WAIT_AFTER_REMOVAL_MS = 5_000  # retention --apply waits this long for a reader to finish
WAIT_AT_START_MS = 200  # any other command: a moment, never a noticeable delay

BUSY = ("another program is reading the store (a masg command, or a database browser left open)")


def finish(path: Path, *, wait_ms: int) -> str | None:
    """Finish a pending wipe of ``path``: None when none is pending (any more), else why not."""
    try:
        connection = sqlite3.connect(path, timeout=wait_ms / 1000, isolation_level=None)
    except sqlite3.DatabaseError as exc:
        return f"the store could not be opened ({exc})"
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        connection.execute("PRAGMA secure_delete = ON")
        row = connection.execute("SELECT value FROM setting WHERE key = ?", (PENDING,)).fetchone()
        return _wipe(connection, row[0]) if row else None
    except sqlite3.DatabaseError as exc:  # busy or locked: the wipe stays pending
        return f"the store was busy ({exc})"
    finally:
        connection.close()


def _checkpoint_busy(connection) -> bool:
    """Copy the log into the file and empty it; True when a reader kept that from happening."""
    busy, _log, _done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy)


def _wipe(connection, needs: str) -> str | None:
    # Probe first: while a reader holds old pages, a VACUUM (a whole copy of the store) is wasted.
    if _checkpoint_busy(connection):
        return BUSY
    if needs != CHECKPOINT:
        connection.execute("VACUUM")  # rebuild: no freed page keeps anything, the file shrinks
        connection.execute("UPDATE setting SET value = ? WHERE key = ?", (CHECKPOINT, PENDING))
        if _checkpoint_busy(connection):
            return BUSY
    connection.execute("DELETE FROM setting WHERE key = ?", (PENDING,))
    _checkpoint_busy(connection)  # only the setting's own page can be left in the log now
    return None


def finish_pending(path: Path) -> None:
    """At a command's start: finish a wipe an earlier retention could not (quietly; doctor tells)."""
    finish(path, wait_ms=WAIT_AT_START_MS)


def is_pending(session: Session) -> bool:
    from sqlalchemy import text

    row = session.execute(text("SELECT value FROM setting WHERE key = :key"), {"key": PENDING}).first()
    return row is not None
