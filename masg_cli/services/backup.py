"""A consistent copy of the store while others may be writing, and proof that it opens.

SQLite's online backup API copies the database page by page under a read transaction, so a
co-ordinator committing at the same moment never leaves the copy half-changed (a file copy of a
live WAL database can). The copy is made 0600, switched to a single file (no -wal), checked
with PRAGMA integrity_check and only then renamed onto --out. A store on a database server is
backed up with the server's own tool: pg_dump when it is installed here (its custom format,
checked by reading its table of contents back with pg_restore), else the command to run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from masg_cli.errors import Refused

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


@dataclass
class BackupResult:
    path: Path
    referrals: int
    size: int
    checked: str = "integrity check ok"


def pg_dump_command(location, out: Path) -> str:
    """The pg_dump command for a server store (the URL without any password)."""
    url = location.describe().replace("postgresql+psycopg://", "postgresql://")
    return f"pg_dump --format=custom --file '{out}' '{url}'"


def refuse_server_store(location, out: Path) -> None:
    """Before connecting: a store on a database server is backed up with the server's tool, so
    without pg_dump here the co-ordinator is given the command to run where it is installed."""
    if not location.is_sqlite and not shutil.which("pg_dump"):
        raise Refused("this store is on a database server: back it up with the server's tool, "
                      f"for example: {pg_dump_command(location, Path(out).expanduser())}")


def backup(uow: UnitOfWork, out: Path, *, overwrite: bool = False) -> BackupResult:
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
    if location.path is not None and out.resolve() == location.path.resolve():
        raise Refused("--out is the store itself; choose another file")
    from masg_cli.documents.render import prepare_folder

    prepare_folder(out.parent)  # made 0700 if missing, as the documents' --out is
    if not location.is_sqlite:
        return _dump_server_store(uow, out)
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
            head = _seal_copy(target, location)
        except sqlite3.DatabaseError as exc:
            raise Refused(f"the backup could not be made ({exc}); run 'masg doctor' on the store") from None
        finally:
            target.close()
            source.close()
        if result != ["ok"]:
            raise Refused(f"the copy failed its integrity check ({result[0]}); nothing was written; "
                          "run 'masg doctor' on the store")
        size = tmp.stat().st_size
        uow.record("backup", None, {"referrals": referrals, "integrity": "ok",
                                    "audit_entries": head.entries, "audit_head": head.hash})
    return BackupResult(out, referrals, size)


def _seal_copy(target, location):
    """The copy keeps the head its trail had (``masg doctor --seal BACKUP`` checks a later trail
    extends it); the live trail's backup entry names it too."""
    import json

    from masg_cli.services.anchor import GENESIS, SEAL_SETTING, Head, as_seal

    count, entry = target.execute("SELECT COUNT(*), MAX(id) FROM audit_entry").fetchone()
    last = target.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    head = Head(int(count), entry, last[0] if last else GENESIS)
    target.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                   "excluded.value", (SEAL_SETTING, json.dumps(as_seal(head, location))))
    target.commit()
    return head


def _dump_server_store(uow: UnitOfWork, out: Path) -> BackupResult:
    """pg_dump's custom format (one consistent snapshot, restored with pg_restore), checked by
    listing its contents, and audited: the file appears only with the record that it was made."""
    from sqlalchemy import func, select
    from sqlalchemy.engine import make_url

    from masg_cli.models import Referral
    from masg_cli.services.anchor import current_head
    from masg_cli.services.export import output_on_commit

    from masg_cli.services.access import limited

    if limited(uow.session):
        raise Refused("only the store's owner backs up a team store: your role sees only some of its "
                      "cases, so its copy would not be the store; ask the owner (see docs/team-store.md)")
    url = make_url(uow.location.url)
    env = dict(os.environ)
    if url.password:  # never on the command line, where other users of the machine could see it
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    referrals = uow.session.execute(select(func.count()).select_from(Referral)).one()[0]
    with output_on_commit(uow, out) as tmp:
        dump = subprocess.run(["pg_dump", "--format=custom", "--no-password", "--file", str(tmp), conninfo],
                              env=env, capture_output=True, text=True)
        if dump.returncode != 0:
            lines = dump.stderr.strip().splitlines() or ["no reason given"]
            # pg_dump's 'error:' line names the cause; the 'detail:' lines after it only quote SQL.
            reason = next((line for line in lines if "error:" in line.lower()), lines[-1])
            raise Refused(f"pg_dump could not back up the store ({reason}); check that pg_dump's "
                          "version is at least the server's, and your role may read every table")
        if shutil.which("pg_restore"):
            listed = subprocess.run(["pg_restore", "--list", str(tmp)], capture_output=True, text=True)
            if listed.returncode != 0 or "TABLE DATA public referral" not in listed.stdout:
                raise Refused("the backup pg_dump wrote cannot be read back by pg_restore; nothing was "
                              "written; run 'masg doctor' on the store")
        size = tmp.stat().st_size
        head = current_head(uow.session)  # this transaction's snapshot; pg_dump takes its own
        uow.record("backup", None, {"referrals": referrals, "format": "pg_dump custom",
                                    "audit_entries": head.entries, "audit_head": head.hash})
    return BackupResult(out, referrals, size, "pg_dump custom format, read back by pg_restore")
