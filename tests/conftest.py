"""Each test gets its own store; nothing touches the user's data folder."""

from __future__ import annotations

import itertools
import json as jsonlib
import os
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from masg_cli.cli.app import app
from masg_cli.cli.context import options


# The back end the whole suite runs on: SQLite files (the default), or PostgreSQL with
# MASG_TEST_DB=postgresql (a server at MASG_TEST_PG_URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432,
# else one the tests start themselves from Debian's packages). Each test gets its own new database.
BACKEND = os.environ.get("MASG_TEST_DB", "sqlite").lower()
ON_POSTGRES = BACKEND in ("postgresql", "postgres", "pg")


def pytest_report_header(config):
    today = os.environ.get("MASG_TEST_TODAY")
    frozen = f"; today frozen at {today} (MASG_TEST_TODAY)" if today else ""
    return f"masg store back end: {'PostgreSQL' if ON_POSTGRES else 'SQLite'}{frozen}"


def pytest_runtest_setup(item):
    if ON_POSTGRES and item.get_closest_marker("sqlite_only"):
        pytest.skip("about SQLite store files (PRAGMAs, file bytes, permissions); not run on PostgreSQL")


@pytest.fixture(scope="session")
def pg_server_url():
    """The PostgreSQL server the tests may use: MASG_TEST_PG_URL, else one started here."""
    url = os.environ.get("MASG_TEST_PG_URL")
    if url:
        yield url.rstrip("/")
        return
    import pg_server

    try:
        server = pg_server.start(owner_pid=os.getpid())  # stopped even if pytest is killed
    except pg_server.ServerUnavailable as exc:
        if ON_POSTGRES:
            pytest.exit(f"MASG_TEST_DB=postgresql but no server could start: {exc}", returncode=1)
        pytest.skip(f"needs a PostgreSQL server, and none could start here: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


_databases = itertools.count(1)


def _admin(server_url: str):
    import psycopg

    conninfo = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    return psycopg.connect(conninfo, autocommit=True)


@pytest.fixture
def pg_database(pg_server_url):
    """A factory of new, empty PostgreSQL databases (URLs), all dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = f"masg_test_{os.getpid()}_{next(_databases)}"
        with _admin(pg_server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{pg_server_url}/{name}"

    yield make
    from masg_cli.store import dispose_engines

    dispose_engines()
    with _admin(pg_server_url) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def frozen_today():
    """With MASG_TEST_TODAY=YYYY-MM-DD, every test runs as if it were that day (09:00 in London).

    The tests' own data sits in November and December 2026; running the suite as if it were one of
    those days finds any test that passes only because today is some other day. A test that starts
    a real masg process sees the real clock, so it gives its dates (--as-of, --date) itself.
    """
    day = os.environ.get("MASG_TEST_TODAY")
    if not day:
        yield
        return
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    morning = datetime.combine(date.fromisoformat(day), time(9, 0), tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(morning, tick=True):
        yield


@pytest.fixture(autouse=True)
def own_store(request, tmp_path, monkeypatch):
    """Point masg at the test's own store, and forget the previous test's options."""
    if ON_POSTGRES:
        monkeypatch.setenv("MASG_DB", request.getfixturevalue("pg_database")())
    else:
        monkeypatch.setenv("MASG_DB", str(tmp_path / "store" / "masg.db"))
    monkeypatch.setenv("MASG_USER", "test-coordinator")
    monkeypatch.delenv("MASG_TEMPLATES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    options.db = options.user = options.templates = None
    yield
    from masg_cli.store import dispose_engines

    dispose_engines()


# --- Looking inside the test's store, on either back end ----------------------------------------


def store_url() -> str:
    """The test's store as a database URL (sqlite:///... or postgresql+psycopg://...)."""
    from masg_cli.store import locate

    return locate(os.environ["MASG_DB"]).url


def sql(statement: str, params: dict | None = None, *, url: str | None = None) -> list[tuple]:
    """Run one SQL statement (``:name`` parameters) straight on the store, outside masg, and commit.

    Like a plain sqlite3 connection, it does not switch SQLite's foreign keys on.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from masg_cli.store import dispose_engines

    dispose_engines()
    engine = create_engine(url or store_url(), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params or {})
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def store_rows(url: str | None = None) -> list[str]:
    """Every row of every table, in a stable order: equal before and after means nothing changed.

    Views are left out: on a team store each 'referral show' records one, and a look is not a change
    (tests/test_team_access.py checks the views themselves)."""
    from sqlalchemy import create_engine, inspect, select, text
    from sqlalchemy.pool import NullPool
    from sqlmodel import SQLModel

    import masg_cli.models  # noqa: F401 - the tables' column types
    from masg_cli.store import dispose_engines

    dispose_engines()
    engine = create_engine(url or store_url(), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            lines = []
            for table in sorted(set(inspect(conn).get_table_names()) - {"case_view"}):
                # Through the models' column types, so that both back ends give the same values.
                known = SQLModel.metadata.tables.get(table)
                query = select(known) if known is not None else text(f'SELECT * FROM "{table}"')
                rows = conn.execute(query).fetchall()
                lines.extend(sorted(f"{table}: {tuple(row)!r}" for row in rows))
            return lines
    finally:
        engine.dispose()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return jsonlib.loads(self.stdout)


def run(*args: str, input: str | None = None) -> Result:
    """Run one masg command as a co-ordinator would, and return what they would see."""
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def ok(*args: str) -> Result:
    """Run a command that must succeed."""
    result = run(*args)
    assert result.exit_code == 0, f"masg {' '.join(map(str, args))} failed: {result.stderr}"
    return result


REFERRAL = [
    "--child", "Zoë Example", "--dob", "2015-02-03",
    "--locality", "North",
    "--referrer", "Alex Teacher", "--referrer-agency", "Northside Primary",
    "--referrer-email", "alex.teacher@example.org",
    "--consent-date", "2026-11-01", "--consent-by", "parent",
    "--needs", "Attendance and anxiety",
    "--agency", "School nursing", "--agency", "CAMHS", "--agency", "Early Help",
    "--received", "2026-11-02",
]


def add_referral(*extra: str) -> str:
    """Log a referral with sensible fictional details; extra options override or add.

    The same child each time unless told otherwise, so the known-family check is told that it is
    another child (--not-duplicate); tests of that check run `referral add` themselves."""
    return ok("referral", "add", *REFERRAL, *extra, "--not-duplicate").stdout.strip()


@pytest.fixture
def store():
    """A MASG store with the North locality."""
    ok("init", "--panel", "MASG")
    ok("locality", "add", "North", "--weekday", "tue", "--start", "09:30", "--end", "12:30",
       "--slot-minutes", "20", "--venue", "Northgate Family Hub", "--coordinator", "Pat Example",
       "--contact", "pat.example@example.gov.uk")
    return None


@pytest.fixture
def accepted(store):
    """A referral accepted at triage, waiting for an agenda."""
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    return ref
