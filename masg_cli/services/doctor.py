"""masg doctor: is the store whole, up to date, private, and its audit trail unbroken?"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from masg_cli import migrations
from masg_cli.errors import MasgError
from masg_cli.services import anchor, audit
from masg_cli.services.access import limited

if TYPE_CHECKING:
    from sqlmodel import Session
    from masg_cli.store import UnitOfWork


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    applicable: bool = True  # False: a SQLite file's check, on a server database
    warning: bool = False  # ok, but something the co-ordinator should know (shown as 'warn')


def _not_applicable(name: str, why: str) -> Check:
    return Check(name, True, f"not applicable ({why})", applicable=False)


def _server_checks(session: Session) -> list[Check]:
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


def _tables_check(session: Session) -> Check:
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    import masg_cli.models  # noqa: F401 - the tables' definitions

    present = set(inspect(session.connection()).get_table_names())
    missing = sorted(set(SQLModel.metadata.tables) - present)
    if missing:
        return Check("tables", False, f"missing {', '.join(missing)}; restore the store from a backup")
    return Check("tables", True, f"ok ({len(SQLModel.metadata.tables)} tables)")


def _sqlite_checks(session: Session, path: Path) -> list[Check]:
    checks = []
    result = [row[0] for row in session.connection().exec_driver_sql("PRAGMA integrity_check").fetchall()]
    checks.append(Check("integrity", result == ["ok"],
                        "ok" if result == ["ok"] else f"{result[0]}; restore from a backup"))
    broken = session.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    checks.append(Check("foreign keys", not broken,
                        "ok" if not broken else f"{len(broken)} rows point at missing records; restore from a backup"))
    checks.append(_permissions_check(path))
    return checks


def _permissions_check(path: Path) -> Check:
    """The store's file and companions are the user's alone: a mode of 0600, or, on Windows (no
    modes), a place inside the user's profile."""
    from masg_cli.folders import in_profile, on_windows, private_hint

    if on_windows():
        if in_profile(path):
            return Check("permissions", True, "ok (Windows: inside your profile, which only you and "
                                              "administrators can read)")
        return Check("permissions", True, f"the store is outside your profile, so it has its folder's "
                                          f"permissions; {private_hint(path)}", warning=True)
    loose = []
    for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if companion.exists() and stat.S_IMODE(companion.stat().st_mode) & 0o077:
            loose.append(companion.name)
    return Check("permissions", not loose,
                 "ok (0600)" if not loose else f"{', '.join(loose)} readable by others; run chmod 600 on them")


def _pdf_check() -> Check:
    """Which converter --pdf will use; none is a warning (documents still work, PDFs do not)."""
    from masg_cli.documents import pdf

    found = pdf.converter()
    if found is None:
        return Check("pdf converter", True, f"none found: {pdf.what_to_install()}", warning=True)
    return Check("pdf converter", True, f"ok ({found.name}: {found.where})")


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


def _wipe_check(session: Session) -> Check:
    """Removed cases whose old pages another program's open read kept in the store file."""
    from masg_cli import wipe

    if wipe.is_pending(session):
        return Check("retention wipe", False,
                     f"removed cases' old pages are still in the store file: {wipe.BUSY}; close it, "
                     "then run any masg command")
    return Check("retention wipe", True, "ok (nothing pending)")


def read_seal_option(seal: str | None):
    """--seal FILE as (path, the head it holds), read before the store is examined."""
    if not seal:
        return None
    path = Path(seal).expanduser()
    if not path.is_file():
        from masg_cli.errors import Refused

        raise Refused(f"there is no seal at {path}; give the file 'masg audit seal --out' or 'masg backup' wrote")
    return path, anchor.read_seal(path)


def examine(uow: UnitOfWork, seal=None) -> list[Check]:
    """Each check as ok, or with what to do about it; ``seal``: (path, Head) to check against."""
    session = uow.session
    location = uow.location
    checks: list[Check] = []
    applied = migrations.applied_names(session.get_bind()) or []
    known = migrations.known_names()
    checks.append(Check("schema", applied == known,
                        f"ok ({known[-1]})" if applied == known else
                        f"at {applied[-1] if applied else 'nothing'}, expected {known[-1]}; "
                        "run any masg command to upgrade"))
    if location.path is not None:
        checks.extend(_sqlite_checks(session, location.path))
        checks.append(_wipe_check(session))
    else:
        checks.extend(_server_checks(session))
    checks.append(_tables_check(session))
    kept_to_some_rows = limited(session)
    if location.path is None:
        checks.append(_access_check(session, kept_to_some_rows))
    if kept_to_some_rows:
        why = "your role sees only its localities' entries; the owner's 'masg doctor' checks the whole trail"
        checks += [_not_applicable("audit trail", why), _not_applicable("audit anchor", why)]
        if seal is not None:
            checks.append(Check("seal", False, f"not checked: {why}"))
    else:
        chain = audit.verify(session)
        checks.append(_chain_check(chain, _referral_count(session)))
        checks.append(_anchor_check(session, location, may_reanchor=chain.ok))
        if seal is not None:
            checks.append(_seal_check(session, seal))
    checks.append(_records_check(session))
    checks.append(_unfinished_output_check())
    checks.append(_attachments_check(session))
    checks.append(_pdf_check())
    return checks


def _access_check(session: Session, kept_to_some_rows: bool) -> Check:
    """On a team store: what the connected role may see, as the database's row security has it."""
    from sqlalchemy import text

    from masg_cli.services.access import listing, owner

    granted = listing(session)
    if not kept_to_some_rows:
        if not granted and _referral_count(session):
            return Check("access", True, "no role has been granted access: co-ordinators' and managers' roles "
                                         "see no case until 'masg store grant ROLE --locality NAME' (or "
                                         "--manager); see docs/team-store.md", warning=True)
        return Check("access", True, f"ok (this role sees every case: the owner is {owner(session)}; "
                                     f"{len(granted)} roles granted access)")
    role = session.execute(text("SELECT current_user")).scalar_one()
    mine = [a for a in granted if a.role == role]
    seen = f"{_referral_count(session)} referrals visible"
    if not mine:
        return Check("access", True, f"this role ({role}) sees cases through a group role, or none; {seen}",
                     warning=True)
    what = "reads every case (manager)" if mine[0].access == "manager" else \
        f"co-ordinates {', '.join(mine[0].localities)}"
    return Check("access", True, f"ok ({role} {what}; {seen})")


def _referral_count(session: Session) -> int:
    from sqlalchemy import func, select

    from masg_cli.models import Referral

    return session.execute(select(func.count()).select_from(Referral)).scalar_one()


def _chain_check(chain, referrals: int) -> Check:
    if chain.ok and not chain.entries and referrals:
        return Check("audit trail", False, f"empty, but the store holds {referrals} referrals: its entries "
                                           "were removed; restore the store from a backup")
    if chain.ok:
        return Check("audit trail", True, f"ok ({chain.entries} entries)")
    where = f"at entry {chain.broken_at}" if chain.broken_at else "at its start"
    return Check("audit trail", False, f"broken {where}: {chain.detail}; restore the store from a backup")


def _anchor_check(session: Session, location, *, may_reanchor: bool) -> Check:
    """The head kept outside the store: still in the trail (moved on if the trail grew, and the
    chain verifies: a broken chain is never anchored)?"""
    path = anchor.anchor_path(location)
    head = anchor.current_head(session)
    try:
        anchored = anchor.read_seal(path)
    except MasgError:
        return Check("audit anchor", False, f"{path} is not an audit head file; restore it from a backup")
    if anchored is not None and not anchor.still_holds(session, anchored):
        return Check("audit anchor", False,
                     f"the trail no longer holds the head kept in {path} ({anchored.short()}): entries "
                     "were removed or rewritten; restore the store from a backup (if you restored one on "
                     "purpose, move that file aside)")
    if anchored is not None and anchored.entries >= head.entries:  # equal, or newer than this check
        return Check("audit anchor", True, f"ok ({anchored.short()}, kept in {path})")
    if not may_reanchor:
        return Check("audit anchor", True, f"not moved on to a broken chain (kept in {path})", warning=True)
    _reanchor(path, head, location)
    if anchored is None:
        return Check("audit anchor", True, f"anchored now at {head.short()} in {path}",
                     warning=bool(head.entries) and location.is_sqlite)
    if not location.is_sqlite:  # other co-ordinators' changes: the normal case on a team store
        return Check("audit anchor", True, f"ok (moved on from {anchored.short()} to {head.short()})")
    return Check("audit anchor", True,
                 f"the store is {head.entries - anchored.entries} entries ahead of {path} (a command "
                 "stopped between saving and anchoring?); the anchored head is still in the trail: "
                 "re-anchored", warning=True)


def _reanchor(path, head, location) -> None:
    try:
        anchor.write_private(path, anchor.as_seal(head, location))
    except OSError:
        pass  # reported again at the next doctor or change


def _seal_check(session: Session, seal) -> Check:
    path, head = seal
    if head is None:
        return Check("seal", False, f"{path} holds no audit seal (a backup from before masg kept one?)")
    if anchor.holds(session, head):
        return Check("seal", True, f"ok (the trail extends {path}: {head.short()})")
    return Check("seal", False, f"the trail does not extend {path} ({head.short()}): entries were removed "
                                "or rewritten since it was sealed; restore the store from a backup")


def _records_check(session: Session) -> Check:
    """Every referral agrees with what the trail's entries say about it."""
    from masg_cli.services.replay import disagreements

    problems = disagreements(session)
    total = _referral_count(session)
    if not problems:
        return Check("records", True, f"ok ({total} referrals agree with the trail)")
    shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
    return Check("records", False, f"{len(problems)} disagree with the audit trail: {shown}; "
                                   "changed outside masg: restore the store from a backup")


def _attachments_check(session) -> Check:
    """Every attachment's pieces still give the size and SHA-256 it was stored with."""
    from masg_cli.services.attachments import damaged, megabytes

    checked, total, bad = damaged(session)
    if not bad:
        return Check("attachments", True, f"ok ({checked} files, {megabytes(total) if checked else 'none'}; "
                                          "SHA-256 verified)")
    shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
    return Check("attachments", False, f"{len(bad)} of {checked} no longer match their SHA-256 ({shown}); "
                                       "restore the store from a backup")
