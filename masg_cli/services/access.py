"""Team access: granting a database role its localities (or a manager's reading), and who looked.

masg records who may see what in ``store_access`` and grants the role its privileges; the
database's row-level security (``row_security.py``) does the rest. Nothing here filters a query:
a role that may not see a case is never given its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlmodel import col, select

from masg_cli.dates import now_utc
from masg_cli.errors import Refused
from masg_cli.models import CaseView, Locality, Referral, StoreAccess

if TYPE_CHECKING:
    from sqlmodel import Session

    from masg_cli.store import UnitOfWork

ONE_USER = ("a SQLite store has one user, who sees every case; roles are for a team's PostgreSQL "
            "store (see docs/team-store.md)")
COORDINATOR = "co-ordinator"
MANAGER = "manager"


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def limited(session: Session) -> bool:
    """Whether row-level security keeps the connected role to some rows (a co-ordinator's or a
    manager's role; never the owner's, nor a SQLite store's one user)."""
    return _on_server(session) and bool(
        session.execute(text("SELECT row_security_active('referral')")).scalar_one())


def owner(session: Session) -> str:
    """The role that holds the store's tables (and so sees every row)."""
    return session.execute(text(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'referral'"
    )).scalar_one()


@dataclass(frozen=True)
class Access:
    role: str
    access: str  # co-ordinator | manager
    localities: list[str]
    granted_on: str  # the first grant's day (UTC)

    def as_json(self) -> dict:
        return {"role": self.role, "access": self.access, "localities": self.localities,
                "granted_on": self.granted_on}


def listing(session: Session) -> list[Access]:
    """Every role granted access, by name; a co-ordinator's localities by name."""
    rows = session.exec(
        select(StoreAccess, Locality.name).join(Locality, col(Locality.id) == StoreAccess.locality_id, isouter=True)
        .order_by(StoreAccess.role, Locality.name)).all()
    found: dict[str, Access] = {}
    for grant, locality in rows:
        was = found.get(grant.role)
        day = grant.granted_at.date().isoformat()
        if was is None:
            found[grant.role] = Access(grant.role, MANAGER if grant.manager else COORDINATOR,
                                       [locality] if locality else [], day)
        else:
            found[grant.role] = Access(was.role, was.access, was.localities + ([locality] if locality else []),
                                       min(was.granted_on, day))
    return list(found.values())


def _check_role(session: Session, role: str) -> None:
    """The role exists, is not the owner or a superuser (whom no rule limits), and we may grant."""
    found = session.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :role"),
                            {"role": role}).first()
    if found is None:
        raise Refused(f"there is no database role {role}; the administrator makes it first "
                      f"(CREATE ROLE {role} LOGIN, see docs/team-store.md), then grant it")
    holder = owner(session)
    if role == holder:
        raise Refused(f"{role} owns the store's tables and sees every case whatever is granted; "
                      "grant a co-ordinator's or a manager's own role")
    if found[0]:
        raise Refused(f"{role} is a superuser and sees every case whatever is granted; "
                      "grant a co-ordinator's or a manager's own role")
    _check_granter(session, holder)


def _check_granter(session: Session, holder: str | None = None) -> None:
    """Only the owner (or a superuser) grants and revokes."""
    holder = holder or owner(session)
    you = session.execute(text("SELECT current_user")).scalar_one()
    if you != holder and not session.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar_one():
        raise Refused(f"only the store's owner ({holder}) grants and revokes access; connect as {holder}")


def grant(uow: UnitOfWork, role: str, *, localities: list[str], manager: bool) -> Access:
    """Let ``role`` co-ordinate these localities (read and write their cases), or manage (read all)."""
    from masg_cli.services.setup import get_locality

    session = uow.session
    if not _on_server(session):
        raise Refused(ONE_USER)
    _check_role(session, role)
    held = session.exec(select(StoreAccess).where(StoreAccess.role == role)).all()
    wanted = MANAGER if manager else COORDINATOR
    if held and any(g.manager for g in held) != manager:
        was = next(a for a in listing(session) if a.role == role)
        what = "manages" if was.access == MANAGER else f"co-ordinates {', '.join(was.localities)}"
        raise Refused(f"{role} {what}; run 'masg store revoke {role}' first, then grant it as a {wanted}")
    at = now_utc()
    added: list[str] = []
    if manager:
        if not held:
            session.add(StoreAccess(role=role, locality_id=None, manager=True, granted_at=at))
    else:
        have = {g.locality_id for g in held}
        for name in localities:
            locality = get_locality(session, name)
            if locality.id not in have:
                session.add(StoreAccess(role=role, locality_id=locality.id, manager=False, granted_at=at))
                have.add(locality.id)
                added.append(locality.name)
    session.flush()
    _give_privileges(uow, role, manager=manager)
    now = next(a for a in listing(session) if a.role == role)
    uow.record("store grant", None, {"role": role, "access": wanted,
                                     **({} if manager else {"localities": added})})
    return now


def _give_privileges(uow: UnitOfWork, role: str, *, manager: bool) -> None:
    """GRANT what the role needs; row security then narrows it to rows. Connecting to the database
    is the administrator's to give where the owner does not own the database itself."""
    from sqlalchemy.exc import DBAPIError

    from masg_cli.row_security import grant_statements

    session = uow.session
    database = session.execute(text("SELECT current_database()")).scalar_one()
    connect, *rest = grant_statements(role, manager=manager, database=database)
    try:
        with session.begin_nested():
            session.execute(text(connect))
    except DBAPIError:
        uow.warn(f"warning: the owner may not let {role} connect to the database {database}; the "
                 f"administrator runs: GRANT CONNECT ON DATABASE {database} TO {role}")
    for statement in rest:
        session.execute(text(statement))


def revoke(uow: UnitOfWork, role: str, *, locality: str | None = None) -> Access | None:
    """Take away ``role``'s access (or one locality of it); what it still has, or None."""
    from masg_cli.row_security import revoke_statements
    from masg_cli.services.setup import get_locality

    session = uow.session
    if not _on_server(session):
        raise Refused(ONE_USER)
    held = session.exec(select(StoreAccess).where(StoreAccess.role == role)).all()
    if not held:
        raise Refused(f"{role} has no access granted on this store; 'masg store access' lists who has")
    exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
    if exists:
        _check_role(session, role)
    else:  # dropped since it was granted: only its rows here are left to remove
        _check_granter(session)
    if locality is not None:
        place = get_locality(session, locality)
        gone = [g for g in held if g.locality_id == place.id]
        if not gone:
            raise Refused(f"{role} does not co-ordinate {place.name}; 'masg store access' lists what it has")
        names = [place.name]
    else:
        gone = list(held)
        names = next(a for a in listing(session) if a.role == role).localities
    for row in gone:
        session.delete(row)
    session.flush()
    remaining = [a for a in listing(session) if a.role == role]
    if not remaining and exists:
        for statement in revoke_statements(role):
            session.execute(text(statement))
    uow.record("store revoke", None, {"role": role, **({"localities": names} if names else {})})
    return remaining[0] if remaining else None


def regrant(conn) -> None:
    """Give every granted role its privileges again, on the tables as they now are (after a
    migration added one). Run as the owner, by the migrations."""
    from masg_cli.row_security import grant_statements

    database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
    rows = conn.exec_driver_sql(
        "SELECT a.role, bool_or(a.manager) FROM store_access a JOIN pg_roles r ON r.rolname = a.role "
        "GROUP BY a.role").all()
    for role, manager in rows:
        for statement in grant_statements(role, manager=bool(manager), database=database):
            conn.exec_driver_sql(statement)


# --- Who looked at a case ------------------------------------------------------------------------

VIEWS = ("referral show", "person export")


def record_view(uow: UnitOfWork, reference: str, view: str) -> None:
    """On a team store, note that the acting role looked at this case (SQLite: one user, no note)."""
    session = uow.session
    if not _on_server(session):
        return
    referral_id = session.exec(select(Referral.id).where(Referral.reference == reference.strip().upper())).first()
    if referral_id is not None:
        session.add(CaseView(referral_id=referral_id, at=now_utc(), user=uow.user, view=view))


def views(session: Session, reference: str) -> list[dict]:
    """Who looked at a case and when, oldest first."""
    from masg_cli.services.referrals import get_referral

    referral = get_referral(session, reference)
    rows = session.exec(select(CaseView).where(CaseView.referral_id == referral.id)
                        .order_by(col(CaseView.at), col(CaseView.id))).all()
    return [{"at": row.at.isoformat(), "user": row.user, "reference": referral.reference, "view": row.view}
            for row in rows]
