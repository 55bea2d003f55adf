"""Where the store lives, how it is opened, and the one transaction each command runs in.

Everything that depends on the database engine (SQLite now, PostgreSQL for teams) is here.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from masg_cli.errors import StoreProblem
from masg_cli.folders import on_windows

if TYPE_CHECKING:  # SQLAlchemy and SQLModel load only when a command opens the store
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Location:
    """The store a command works on: a SQLite file, or a server database's URL."""

    url: str
    path: Path | None  # None for a server database

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        # Never show a password that may be in the URL; the role name stays (it says who connects).
        scheme, _, rest = self.url.partition("://")
        userinfo, at, hostpart = rest.rpartition("@")
        role = userinfo.split(":", 1)[0]
        return f"{scheme}://{role}@{hostpart}" if at and role else f"{scheme}://{hostpart}"


def default_path() -> Path:
    from masg_cli.folders import data_folder

    return data_folder() / "masg.db"


def locate(db: str | None) -> Location:
    """Turn --db / MASG_DB (a file path or a database URL) into a Location."""
    if db and "://" in db:
        if db.startswith("sqlite:///"):
            return Location(db, Path(db[len("sqlite:///"):]).expanduser())
        scheme, _, rest = db.partition("://")
        if scheme in ("postgresql", "postgres"):  # as psql and pg_dump write it: use psycopg 3
            db = f"postgresql+psycopg://{rest}"
        elif not scheme.startswith("postgresql+"):
            raise StoreProblem(f"--db {scheme}://... is not a store masg can use: give a SQLite file path "
                               "or a PostgreSQL URL (postgresql+psycopg://USER@HOST/DB)")
        return Location(db, None)
    path = Path(db).expanduser() if db else default_path()
    return Location(f"sqlite:///{path}", path)


# --- Opening ------------------------------------------------------------------------------------


def create_sqlite_file(path: Path) -> None:
    """Make an empty store file readable by its owner only, in a folder only they can open."""
    if path.is_dir():
        raise StoreProblem(f"{path} is a folder; give --db a file name such as {path / 'masg.db'}")
    if not path.parent.exists():
        try:
            from masg_cli.folders import make_private

            make_private(path.parent)
        except OSError as exc:
            raise StoreProblem(f"cannot create the folder {path.parent} ({exc.strerror})") from None
    try:
        from masg_cli.folders import restrict

        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        restrict(path, 0o600)
    except OSError as exc:
        raise StoreProblem(f"cannot create the store {path} ({exc.strerror}); choose another --db") from None


def check_sqlite_file(path: Path) -> None:
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # e.g. a folder on the way that we may not open
        raise StoreProblem(f"the store {path} cannot be reached ({exc.strerror}); check the "
                           "folders' permissions") from None
    if is_dir:
        raise StoreProblem(f"{path} is a folder, not a store; give --db the store's file")
    if not exists:
        raise StoreProblem(f"there is no store at {path}; run 'masg init' first (or give --db)")
    if not os.access(path, os.R_OK):
        fix = "check its permissions" if on_windows() else "check its permissions (chmod 600)"
        raise StoreProblem(f"the store {path} cannot be read; {fix}")


_engines: dict[str, Engine] = {}


def engine_for(location: Location) -> Engine:
    """One engine per store per process, with SQLite's PRAGMAs on every connection."""
    if location.url in _engines:
        return _engines[location.url]
    from sqlalchemy import create_engine, event

    if location.is_sqlite:
        engine = create_engine(location.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Autocommit at the driver, so that we, not pysqlite, say how each transaction begins.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            # A deferred transaction that reads and then writes fails with SQLITE_BUSY without
            # waiting for the busy timeout; writers take the lock up front instead.
            write = conn.get_execution_options().get("masg_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
    else:
        try:
            engine = create_engine(location.url, pool_pre_ping=True)
        except ImportError:
            raise StoreProblem("the PostgreSQL driver is not installed; run: pip install 'psycopg[binary]'") from None
        except Exception as exc:  # noqa: BLE001 - a URL SQLAlchemy cannot read or has no driver for
            raise StoreProblem(f"--db {location.describe()} is not a database URL masg can use "
                               f"({type(exc).__name__}); give a file path or "
                               "postgresql+psycopg://USER@HOST/DB") from None

        @event.listens_for(engine, "before_cursor_execute", retval=True)
        def _without_nul(conn, cursor, statement, parameters, context, executemany):
            # PostgreSQL's text cannot hold U+0000 (SQLite's can): keep the rest of the value and
            # show where the NUL was, rather than refuse the whole command.
            return statement, _replace_nul(parameters)
    _engines[location.url] = engine
    return engine


def _replace_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: _replace_nul(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_replace_nul(item) for item in value)
    return value


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def translate_database_error(exc: Exception, location: Location) -> StoreProblem:
    """One line for a database failure: what happened to the store and what to do."""
    if os.environ.get("MASG_DEBUG"):  # a developer chasing a failure wants the database's own words
        raise exc
    text = str(getattr(exc, "orig", exc)).lower()
    where = location.describe()
    if "locked" in text or "busy" in text:
        return StoreProblem(f"the store {where} is busy with another co-ordinator's command; try again")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreProblem(
            f"the store {where} is damaged or is not a masg store; restore it from a backup "
            "or point --db at the right file"
        )
    if "readonly" in text or "read-only" in text:
        return StoreProblem(f"the store {where} is read-only; check the file's permissions")
    if "unable to open" in text:
        return StoreProblem(f"the store {where} cannot be opened; check the path and permissions")
    if not location.is_sqlite:
        server = _server_problem(text, where)
        if server:
            return server
    return StoreProblem(f"the store {where} could not be used ({type(exc).__name__}); run 'masg doctor'")


def _server_problem(text: str, where: str) -> StoreProblem | None:
    """PostgreSQL's failures in co-ordinators' words (the server's text is never shown: it may
    quote a child's details from the statement)."""
    if "row-level security" in text:
        return outside_its_localities(where)
    if "permission denied" in text or "must be owner" in text:
        return StoreProblem(f"your database role may not do this on {where} (permission denied); "
                            "ask the store's administrator for a co-ordinator's role")
    if "does not exist" in text and "database" in text:
        return StoreProblem(f"the database {where} does not exist; ask the administrator to create it "
                            "(see docs/team-store.md), then set it up with 'masg init' or fill it with "
                            "'masg store copy'")
    if "password authentication failed" in text or "no password supplied" in text \
            or "role" in text and "does not exist" in text:
        return StoreProblem(f"the server refused the login to {where}; check the role name and its "
                            f"password (PGPASSWORD or {_pgpass()})")
    if "connection refused" in text or "could not translate host name" in text \
            or "timeout expired" in text or "connection failed" in text or "server closed" in text:
        return StoreProblem(f"the database server of {where} cannot be reached; check the URL and "
                            "that the server is running")
    if "could not serialize" in text or "deadlock detected" in text or "lock timeout" in text:
        return StoreProblem(f"the store {where} is busy with another co-ordinator's command; try again")
    return None


def outside_its_localities(where: str) -> StoreProblem:
    """A team store's row security kept a role from a record of another locality."""
    return StoreProblem(f"your database role may not do this on {where}: it would add or change a record "
                        "outside the localities it co-ordinates; ask the store's owner ('masg store access' "
                        "lists who has which)")


def _pgpass() -> str:
    """Where libpq reads saved passwords on this platform."""
    return r"%APPDATA%\postgresql\pgpass.conf" if on_windows() else "~/.pgpass"


# --- Copying a whole store (masg store copy) -------------------------------------------------------


def prepare_bulk_copy(conn, tables: list[str]) -> None:
    """Keep other writers out of the target while it is checked empty and filled.

    SQLite: the write transaction (BEGIN IMMEDIATE) already holds the one write lock. PostgreSQL:
    lock every table against writes (readers still read), until the transaction ends.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")


def renumber_after_bulk_copy(conn, tables: list[str]) -> None:
    """After rows were inserted with their ids, the next id of each table follows the largest.

    SQLite's INTEGER PRIMARY KEY does so by itself; PostgreSQL's identity sequences must be set,
    and its statistics gathered.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
    # The planner's statistics, at once rather than when autovacuum next passes: a bulk-filled
    # table is otherwise planned as if it were empty.
    conn.exec_driver_sql("ANALYZE")


# --- Transactions ------------------------------------------------------------------------------


@dataclass
class UnitOfWork:
    """One command's transaction: its session, who is acting, and the audit trail.

    ``user`` is who the audit trail names: ``--user`` / ``MASG_USER`` when given; else, on a
    server database, the database role the command connected as (``SELECT current_user``: each
    co-ordinator of a team has their own role); else, on a SQLite file, the login name.
    ``templates`` is the co-ordinator's own templates folder (--templates / MASG_TEMPLATES), or
    None for the shipped ones: the documents a command makes are filled from it.
    """

    session: Session
    given_user: str | None
    location: Location
    warnings: list[str]
    _user: str | None = None
    templates: Path | None = None
    fresh_anchor: bool = False  # a new or newly filled store: its audit anchor starts again
    unsigned: bool = False  # --unsigned: a document its locality cannot sign is a deliberate draft

    @property
    def user(self) -> str:
        if self._user is None:
            self._user = self.given_user or default_user(self.session, self.location)
        return self._user

    def record(self, action: str, reference: str | None, changes: dict) -> None:
        from masg_cli.services.audit import append

        append(self.session, user=self.user, reference=reference, action=action, changes=changes)

    def record_many(self, entries) -> int:
        """Audit many changes at once, in order: (reference, action, changes) each (an import's rows)."""
        from masg_cli.services.audit import append_many

        return append_many(self.session, user=self.user, entries=entries)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @contextmanager
    def reading(self) -> Iterator:
        """A read transaction of its own beside this unit's, for the reading and checking that must
        not hold the write lock (a whole tracker, before its rows are written). Open it before this
        unit's session touches the store: on SQLite the write lock is taken at its first statement."""
        from sqlmodel import Session

        engine = self.session.get_bind().execution_options(masg_write=False)
        with Session(engine, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()


def default_user(session: Session, location: Location) -> str:
    """Who acts when --user is not given: the database role on a server, else the login name."""
    if not location.is_sqlite:
        from sqlalchemy import text

        return session.execute(text("SELECT current_user")).scalar_one()
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def open_store(location: Location, *, create: bool = False) -> Engine:
    """The engine of a store that exists (or is being created), migrated to this version."""
    from sqlalchemy.exc import DBAPIError

    from masg_cli import migrations, staging

    staging.sweep()  # leftovers of commands that were killed: here, so that --help never pays
    if location.path is not None:
        if create and not location.path.exists():
            create_sqlite_file(location.path)
        else:
            check_sqlite_file(location.path)
    engine = engine_for(location)
    try:
        migrations.bring_up_to_date(engine, create=create)
    except DBAPIError as exc:
        text = str(getattr(exc, "orig", exc)).lower()
        if not location.is_sqlite and "permission denied for schema" in text:
            # A co-ordinator's role may change rows, not tables.
            raise StoreProblem(f"the store {location.describe()} needs setting up or upgrading for this "
                               "version of masg, and your database role may not change its tables; ask "
                               "the store's owner to run 'masg init' (a new store) or 'masg doctor' once") from None
        raise translate_database_error(exc, location) from None
    if location.path is not None:
        from masg_cli.wipe import finish_pending

        finish_pending(location.path)  # removed cases' old pages, if a reader kept them last time
        tighten_permissions(location.path)
    return engine


def tighten_permissions(path: Path) -> None:
    """The store's -wal/-shm companions are readable by their owner only.

    The store file itself is made 0600 when masg creates it; if someone loosens it later,
    'masg doctor' reports it (tightening it silently here would hide that from doctor).
    Windows has no such modes: there the store's folder decides (``folders.restrict``).
    """
    if on_windows():
        return
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if companion.exists() and stat.S_IMODE(companion.stat().st_mode) != 0o600:
                os.chmod(companion, 0o600)
        except OSError:
            pass


@contextmanager
def transaction(
    location: Location, *, user: str | None, write: bool, create: bool = False,
    templates: Path | None = None, overwrite: bool = False,
) -> Iterator[UnitOfWork]:
    """Run one command: commit if it finishes, roll back everything if anything fails.

    ``user`` None: the audit trail names the database role or the login name (``default_user``).
    The documents it writes are held until it has committed (outputs.py); ``overwrite``: it may
    replace files that exist.
    """
    from masg_cli import outputs

    with outputs.held(overwrite=overwrite) as held:
        with _transaction(location, user=user, write=write, create=create, templates=templates) as uow:
            yield uow
        held.publish()  # committed: the record and audit of each document are saved
        uow.warnings.extend(outputs.replaced())


@contextmanager
def _transaction(
    location: Location, *, user: str | None, write: bool, create: bool = False,
    templates: Path | None = None,
) -> Iterator[UnitOfWork]:
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm.exc import StaleDataError
    from sqlmodel import Session

    new_file = bool(create and location.path is not None and not location.path.exists())
    engine = open_store(location, create=create)
    if write:
        engine = engine.execution_options(masg_write=True)
    session = Session(engine, expire_on_commit=False, autoflush=True)
    uow = UnitOfWork(session=session, given_user=user, location=location, warnings=[],
                     templates=templates, fresh_anchor=new_file)
    pending = None
    try:
        yield uow
        if write:
            from masg_cli.services import anchor

            pending = anchor.prepare(session, location, fresh=uow.fresh_anchor)
            session.commit()
        else:
            session.rollback()
    except DBAPIError as exc:
        session.rollback()
        raise translate_database_error(exc, location) from None
    except StaleDataError:
        session.rollback()
        if location.is_sqlite:
            raise
        # A row the role may read but not change (another locality's): its UPDATE matched nothing.
        raise outside_its_localities(location.describe()) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    if location.path is not None and write:
        tighten_permissions(location.path)
    if pending is not None:
        # Only now: an anchor ahead of what the store committed would look like tampering.
        from masg_cli.services import anchor

        warning = anchor.finish(pending)
        if warning:
            uow.warn(warning)
