"""The audit trail's head kept outside the store, so that a rewritten trail is noticed.

The hash chain alone proves nothing to someone who can rewrite the store: they can recompute
every hash and the head. So every command that writes also keeps the head (its entry's id, the
number of entries up to it, and its hash) in a small file the store does not hold: beside a
SQLite store (``masg.db.audit-head``), or, for a server store, in the user's data folder, keyed by
the database URL without its password. ``masg audit seal`` writes the same facts for a manager to
keep elsewhere, and ``backup`` writes them into the backup copy. A later trail must extend each
of them: the entry with that id still has that hash and still has that many entries up to it
(with the chain verified, it then holds everything the anchor saw, unchanged).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from masg_cli.dates import now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

GENESIS = "0" * 64
SEAL_SETTING = "audit_seal"  # the head a backup copy held when it was made


@dataclass(frozen=True)
class Head:
    """A point on the chain: the newest entry's id, how many entries up to it, and its hash."""

    entries: int
    entry: int | None
    hash: str

    def short(self) -> str:
        return f"entry {self.entry} of {self.entries}, {self.hash[:12]}" if self.entry else "an empty trail"


def current_head(session: Session) -> Head:
    """The trail's head as this transaction sees it (one statement: one snapshot)."""
    count, entry, digest = session.execute(text(
        "SELECT (SELECT COUNT(*) FROM audit_entry), (SELECT MAX(id) FROM audit_entry), "
        "(SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1)")).one()
    return Head(int(count), entry, digest or GENESIS)


def holds(session: Session, head: Head) -> bool:
    """Whether the trail still holds ``head`` where it was: same id, same hash, same count up to it."""
    if not head.entry:
        return True
    row = session.execute(text(
        "SELECT hash, (SELECT COUNT(*) FROM audit_entry WHERE id <= :id) FROM audit_entry WHERE id = :id"),
        {"id": head.entry}).first()
    return row is not None and row[0] == head.hash and int(row[1]) == head.entries


def still_holds(session: Session, head: Head) -> bool:
    """``holds``, allowing for a head newer than this transaction's snapshot: another
    co-ordinator's command may have committed and anchored since it began (looked at afresh)."""
    if holds(session, head):
        return True
    if head.entries <= current_head(session).entries:
        return False
    from sqlmodel import Session

    with Session(session.get_bind()) as fresh:
        try:
            return holds(fresh, head)
        finally:
            fresh.rollback()


def anchor_path(location) -> Path:
    """Beside a SQLite store; for a server store, in the user's data folder, one file per database."""
    if location.is_sqlite:
        return Path(f"{location.path}.audit-head")
    from platformdirs import user_data_dir

    key = hashlib.sha256(location.describe().encode("utf-8")).hexdigest()[:24]
    return Path(user_data_dir("masg", appauthor=False)) / "audit-heads" / f"{key}.json"


def as_seal(head: Head, location, **extra) -> dict:
    return {"masg_audit_seal": 1, "store": location.describe(), **asdict(head),
            "sealed_at": now_utc().isoformat(timespec="seconds"), **extra}


def _head_of(data: dict) -> Head:
    return Head(int(data["entries"]), data.get("entry"), str(data["hash"]))


def read_seal(path: Path) -> Head | None:
    """A seal file, an anchor file or a masg backup (the head it recorded); None if none is there."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    if raw.startswith(b"SQLite format 3\x00"):
        return _seal_in_backup(Path(path))
    try:
        return _head_of(json.loads(raw.decode("utf-8")))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        from masg_cli.errors import Refused

        raise Refused(f"{path} is not a masg audit seal (written by 'masg audit seal --out FILE')") from None


def _seal_in_backup(path: Path) -> Head | None:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", (SEAL_SETTING,)).fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    return _head_of(json.loads(row[0])) if row else None


def write_private(path: Path, data: dict) -> None:
    """Write ``data`` as JSON, 0600, atomically (a temporary file renamed over the old one)."""
    from masg_cli.folders import make_private, restrict

    make_private(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        restrict(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass
class Pending:
    """What a writing transaction leaves to do once it has committed: move the anchor on."""

    path: Path
    seal: dict | None  # None: the anchor stays as it is
    warning: str | None = None
    fresh: bool = False  # replaces whatever anchor is there


def prepare(session: Session, location, *, fresh: bool = False) -> Pending:
    """Inside the transaction, before it commits: may the anchor move to this head?

    Only when the trail still holds the head anchored before: an anchor the trail no longer
    holds is evidence, kept for 'masg doctor' to report, never overwritten. ``fresh``: a store
    this transaction created or filled from empty (init of a new file, store copy), whose
    anchor starts again whatever an earlier store of that name left.
    """
    path = anchor_path(location)
    from masg_cli.services.access import limited

    if limited(session):  # it sees its localities' entries only: the owner's commands anchor the trail
        return Pending(path, None)
    head = current_head(session)
    try:
        anchored = read_seal(path)
    except Exception:  # noqa: BLE001 - an unreadable anchor is doctor's to report
        anchored = None
    if anchored == head:
        return Pending(path, None)
    # A writer holds the write lock (SQLite) or sees every commit (PostgreSQL's read committed):
    # nothing newer than what it reads can have been anchored, so no fresh look is needed.
    if anchored is not None and not fresh and not holds(session, anchored):
        return Pending(path, None, f"warning: the audit trail no longer holds the head kept in {path} "
                                   f"({anchored.short()}); run 'masg doctor'")
    return Pending(path, as_seal(head, location), fresh=fresh)


def finish(pending: Pending) -> str | None:
    """After the commit: write the new anchor; a failure is a warning (the change is saved)."""
    if pending.seal is None:
        return pending.warning
    try:
        newer = None if pending.fresh else read_seal(pending.path)
    except Exception:  # noqa: BLE001 - unreadable: replaced by this head
        newer = None
    if newer is not None and newer.entries > pending.seal["entries"]:
        return None  # another command committed after this one and anchored its newer head
    try:
        write_private(pending.path, pending.seal)
    except OSError as exc:
        return (f"warning: the change is saved, but the audit head could not be written to "
                f"{pending.path} ({exc.strerror}); run 'masg doctor'")
    return None
