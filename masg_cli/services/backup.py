"""A consistent copy of the store while others may be writing, and proof that it opens.

SQLite's online backup API copies the database page by page under a read transaction, so a
co-ordinator committing at the same moment never leaves the copy half-changed (a file copy of a
live WAL database can). The copy is made 0600, switched to a single file (no -wal), checked
with PRAGMA integrity_check and only then renamed onto --out. A store on a database server is
backed up with the server's own tool, pg_dump.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from masg_cli.errors import Refused


@dataclass
class BackupResult:
    path: Path
    referrals: int
    size: int


def pg_dump_command(location, out: Path) -> str:
    """The pg_dump command for a server store (the URL without any password)."""
    url = location.describe().replace("postgresql+psycopg://", "postgresql://")
    return f"pg_dump --format=custom --file '{out}' '{url}'"


def refuse_server_store(location, out: Path) -> None:
    """Before connecting: a store on a database server is backed up with the server's tool."""
    if not location.is_sqlite:
        raise Refused("this store is on a database server: back it up with the server's tool, "
                      f"for example: {pg_dump_command(location, Path(out).expanduser())}")


def backup(uow, out: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the store to ``out`` with the backup API, open the copy and check it, and audit it:
    the copy is put in place only when the audit entry is committed with it."""
    from masg_cli.services.export import output_on_commit

    location = uow.location
    out = Path(out).expanduser()
    refuse_server_store(location, out)
    if out.is_dir():
        raise Refused(f"{out} is a folder; give --out a file name, e.g. {out / 'masg-backup.db'}")
    if out.exists() and not overwrite:
        raise Refused(f"{out} already exists; choose a new file name or give --overwrite")
    if out.resolve() == location.path.resolve():
        raise Refused("--out is the store itself; choose another file")
    from masg_cli.documents import prepare_folder

    prepare_folder(out.parent)  # made 0700 if missing, as the documents' --out is
    with output_on_commit(uow, out) as tmp:
        # The copy is read before this transaction writes anything: the write lock is taken by
        # the audit entry below, so other co-ordinators are not held up while the pages are copied.
        source = sqlite3.connect(f"file:{location.path}?mode=ro", uri=True, timeout=15)
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)  # all pages in one step: one consistent snapshot
            target.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
            result = [row[0] for row in target.execute("PRAGMA integrity_check")]
            referrals = target.execute("SELECT COUNT(*) FROM referral").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise Refused(f"the backup could not be made ({exc}); run 'masg doctor' on the store") from None
        finally:
            target.close()
            source.close()
        if result != ["ok"]:
            raise Refused(f"the copy failed its integrity check ({result[0]}); nothing was written; "
                          "run 'masg doctor' on the store")
        size = tmp.stat().st_size
        uow.record("backup", None, {"referrals": referrals, "integrity": "ok"})
    return BackupResult(out, referrals, size)
