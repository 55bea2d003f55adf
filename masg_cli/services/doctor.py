"""masg doctor: is the store whole, up to date, private, and its audit trail unbroken?"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from masg_cli import migrations
from masg_cli.services import audit


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    applicable: bool = True  # False: a SQLite file's check, on a server database


def _not_applicable(name: str, why: str) -> Check:
    return Check(name, True, f"not applicable ({why})", applicable=False)


def _server_checks(session) -> list[Check]:
    """A store on a database server: whom we are connected as; the file checks do not apply."""
    from sqlalchemy import text

    version, database, role = session.execute(
        text("SELECT current_setting('server_version'), current_database(), current_user")).one()
    return [
        Check("connection", True, f"ok (PostgreSQL {version}, database {database}, role {role})"),
        _not_applicable("integrity", "the server checks its own pages; back it up with pg_dump"),
        _not_applicable("foreign keys", "PostgreSQL enforces them on every write"),
        _not_applicable("permissions", "access is by PostgreSQL roles and GRANTs"),
    ]


def _tables_check(session) -> Check:
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    import masg_cli.models  # noqa: F401 - the tables' definitions

    present = set(inspect(session.connection()).get_table_names())
    missing = sorted(set(SQLModel.metadata.tables) - present)
    if missing:
        return Check("tables", False, f"missing {', '.join(missing)}; restore the store from a backup")
    return Check("tables", True, f"ok ({len(SQLModel.metadata.tables)} tables)")


def _sqlite_checks(session, path: Path) -> list[Check]:
    checks = []
    result = [row[0] for row in session.connection().exec_driver_sql("PRAGMA integrity_check").fetchall()]
    checks.append(Check("integrity", result == ["ok"],
                        "ok" if result == ["ok"] else f"{result[0]}; restore from a backup"))
    broken = session.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    checks.append(Check("foreign keys", not broken,
                        "ok" if not broken else f"{len(broken)} rows point at missing records; restore from a backup"))
    loose = []
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if companion.exists() and stat.S_IMODE(companion.stat().st_mode) & 0o077:
            loose.append(companion.name)
    checks.append(Check("permissions", not loose,
                        "ok (0600)" if not loose else f"{', '.join(loose)} readable by others; run chmod 600 on them"))
    return checks


def _unfinished_output_check() -> Check:
    """Output of commands that were stopped half-way: removed as this command opened the store
    (staging.sweep), named here by folder and count only (the files hold children's details)."""
    from masg_cli import staging

    found = staging.last_sweep()
    where = found.folder or staging.root()
    if found.not_removed:
        return Check("unfinished output", False,
                     f"{len(found.not_removed)} left by stopped commands in {where} could not be removed "
                     f"({', '.join(found.not_removed)}); delete those folders")
    if found.removed:
        return Check("unfinished output", True,
                     f"removed {len(found.removed)} left by stopped commands in {where} "
                     f"({', '.join(found.removed)})")
    running = f" ({found.running} of commands still running)" if found.running else ""
    return Check("unfinished output", True, f"none left by stopped commands in {where}{running}")


def _wipe_check(session) -> Check:
    """Removed cases whose old pages another program's open read kept in the store file."""
    from masg_cli import wipe

    if wipe.is_pending(session):
        return Check("retention wipe", False,
                     f"removed cases' old pages are still in the store file: {wipe.BUSY}; close it, "
                     "then run any masg command")
    return Check("retention wipe", True, "ok (nothing pending)")


def examine(uow) -> list[Check]:
    """Each check as ok, or with what to do about it."""
    session = uow.session
    location = uow.location
    checks: list[Check] = []
    applied = migrations.applied_names(session.get_bind()) or []
    known = migrations.known_names()
    checks.append(Check("schema", applied == known,
                        f"ok ({known[-1]})" if applied == known else
                        f"at {applied[-1] if applied else 'nothing'}, expected {known[-1]}; run any masg command to upgrade"))
    if location.is_sqlite:
        checks.extend(_sqlite_checks(session, location.path))
        checks.append(_wipe_check(session))
    else:
        checks.extend(_server_checks(session))
    checks.append(_tables_check(session))
    chain = audit.verify(session)
    if chain.ok:
        checks.append(Check("audit trail", True, f"ok ({chain.entries} entries)"))
    else:
        where = f"at entry {chain.broken_at}" if chain.broken_at else "at its start"
        checks.append(Check("audit trail", False,
                            f"broken {where}: {chain.detail}; restore the store from a backup"))
    checks.append(_unfinished_output_check())
    return checks
