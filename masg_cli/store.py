"""Where the store lives, how it is opened, and the one transaction each command runs in.

Everything that depends on the database engine (SQLite now, PostgreSQL for teams) is here.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from masg_cli.errors import StoreProblem

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
        # Never show a password that may be in the URL.
        scheme, _, rest = self.url.partition("://")
        return f"{scheme}://{rest.rsplit('@', 1)[-1]}"


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("masg", appauthor=False)) / "masg.db"


def locate(db: str | None) -> Location:
    """Turn --db / MASG_DB (a file path or a database URL) into a Location."""
    if db and "://" in db:
        if db.startswith("sqlite:///"):
            return Location(db, Path(db[len("sqlite:///"):]).expanduser())
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
            path.parent.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise StoreProblem(f"cannot create the folder {path.parent} ({exc.strerror})") from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
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
        raise StoreProblem(f"the store {path} cannot be read; check its permissions (chmod 600)")


_engines: dict[str, object] = {}


def engine_for(location: Location):
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
        engine = create_engine(location.url, pool_pre_ping=True)
    _engines[location.url] = engine
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def translate_database_error(exc: Exception, location: Location) -> StoreProblem:
    """One line for a database failure: what happened to the store and what to do."""
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
    return StoreProblem(f"the store {where} could not be used ({type(exc).__name__}); run 'masg doctor'")


# --- Transactions ------------------------------------------------------------------------------


@dataclass
class UnitOfWork:
    """One command's transaction: its session, who is acting, and the audit trail."""

    session: object
    user: str
    location: Location
    warnings: list[str]

    def record(self, action: str, reference: str | None, changes: dict) -> None:
        from masg_cli.services.audit import append

        append(self.session, user=self.user, reference=reference, action=action, changes=changes)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def open_store(location: Location, *, create: bool = False):
    """The engine of a store that exists (or is being created), migrated to this version."""
    from sqlalchemy.exc import DBAPIError

    from masg_cli import migrations

    if location.is_sqlite:
        if create and not location.path.exists():
            create_sqlite_file(location.path)
        else:
            check_sqlite_file(location.path)
    engine = engine_for(location)
    try:
        migrations.bring_up_to_date(engine, create=create)
    except DBAPIError as exc:
        raise translate_database_error(exc, location) from None
    if location.is_sqlite:
        tighten_permissions(location.path)
    return engine


def tighten_permissions(path: Path) -> None:
    """The store's -wal/-shm companions are readable by their owner only.

    The store file itself is made 0600 when masg creates it; if someone loosens it later,
    'masg doctor' reports it (tightening it silently here would hide that from doctor).
    """
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if companion.exists() and stat.S_IMODE(companion.stat().st_mode) != 0o600:
                os.chmod(companion, 0o600)
        except OSError:
            pass


@contextmanager
def transaction(
    location: Location, *, user: str, write: bool, create: bool = False
) -> Iterator[UnitOfWork]:
    """Run one command: commit if it finishes, roll back everything if anything fails."""
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    engine = open_store(location, create=create)
    if write:
        engine = engine.execution_options(masg_write=True)
    session = Session(engine, expire_on_commit=False, autoflush=True)
    uow = UnitOfWork(session=session, user=user, location=location, warnings=[])
    try:
        yield uow
        if write:
            session.commit()
        else:
            session.rollback()
    except DBAPIError as exc:
        session.rollback()
        raise translate_database_error(exc, location) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    if location.is_sqlite and write:
        tighten_permissions(location.path)
