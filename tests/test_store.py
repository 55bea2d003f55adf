"""The store: private files, SQLite's settings, one transaction per command, clear failures."""

import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from conftest import ON_POSTGRES, add_referral, ok, run, store_rows
from masg_cli import store as masg_store


def db_path() -> Path:
    return Path(os.environ["MASG_DB"])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dump(path: Path) -> list[str]:
    """The whole store, to compare before and after (SQL text on SQLite, every row on PostgreSQL)."""
    if not ON_POSTGRES:
        conn = sqlite3.connect(path)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()
    return store_rows()


def assert_one_line_error(result, exit_code=1, *words):
    assert result.exit_code == exit_code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("masg: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


# --- Private files ------------------------------------------------------------------------------

@pytest.mark.sqlite_only
def test_the_store_is_0600_in_a_0700_folder_that_masg_creates_even_with_a_loose_umask():
    old = os.umask(0)
    try:
        ok("init")
        ok("locality", "add", "North")
        add_referral()  # a write: SQLite now has its -wal and -shm files open
    finally:
        os.umask(old)
    path = db_path()
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert companion.exists(), companion
        assert mode(companion) == 0o600, companion


@pytest.mark.sqlite_only
def test_a_store_in_an_existing_folder_leaves_the_folder_as_it_was(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    ok("--db", str(folder / "masg.db"), "init")
    assert mode(folder) == 0o755
    assert mode(folder / "masg.db") == 0o600


# --- SQLite's settings on every connection ------------------------------------------------------

@pytest.mark.sqlite_only
def test_every_connection_has_foreign_keys_wal_full_sync_and_a_busy_timeout(store):
    engine = store_engine()
    connections = [engine.connect() for _ in range(3)]  # three distinct pooled connections
    try:
        for conn in connections:
            pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("foreign_keys") == 1
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("busy_timeout") > 0
    finally:
        for conn in connections:
            conn.close()


def store_engine():
    return masg_store.engine_for(masg_store.locate(str(db_path())))


# --- Writers take the lock up front; readers take none -----------------------------------------

def statements_of(command):
    from sqlalchemy import event

    seen = []
    engine = store_engine()

    def log(conn, cursor, statement, *args):
        seen.append(statement.strip().upper())

    event.listen(engine, "before_cursor_execute", log)
    try:
        command()
    finally:
        event.remove(engine, "before_cursor_execute", log)
    return seen


@pytest.mark.sqlite_only
def test_a_command_that_writes_begins_its_transaction_immediate(store):
    seen = statements_of(add_referral)
    begins = [s for s in seen if s.startswith("BEGIN")]
    assert begins and begins[-1] == "BEGIN IMMEDIATE"
    # The transaction that wrote the referral began IMMEDIATE, before its first read.
    first_insert = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO REFERENCE_COUNTER"))
    last_begin = max(i for i, s in enumerate(seen[:first_insert]) if s.startswith("BEGIN"))
    assert seen[last_begin] == "BEGIN IMMEDIATE"


@pytest.mark.sqlite_only
def test_a_read_only_command_begins_a_deferred_transaction(store):
    add_referral()
    seen = statements_of(lambda: ok("referral", "list", "--json"))
    assert "BEGIN IMMEDIATE" not in seen
    assert "BEGIN" in seen


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another co-ordinator in the middle of a command that writes."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE setting SET value = value WHERE key = 'panel'")
    return other


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_second_writer_waits_for_the_first_instead_of_failing(store):
    other = hold_write_lock(db_path())
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(ref=add_referral()))
    worker.start()
    time.sleep(1.0)
    assert worker.is_alive(), "the second writer should be waiting for the lock"
    other.execute("COMMIT")
    other.close()
    worker.join(20)
    assert outcome["ref"] == "MASG-2026-0001"


@pytest.mark.sqlite_only
def test_a_deferred_transaction_would_lose_its_write_which_is_why_writers_begin_immediate(store):
    """What BEGIN IMMEDIATE protects against, shown on plain SQLite: read, then write, fails at once."""
    path = db_path()
    reader = sqlite3.connect(path, isolation_level=None, timeout=5)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM referral").fetchone()
    writer = sqlite3.connect(path, isolation_level=None, timeout=5)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO setting (key, value) VALUES ('example', 'by the other co-ordinator')")
    writer.execute("COMMIT")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked|busy"):
        reader.execute("UPDATE setting SET value = value WHERE key = 'panel'")
    assert time.monotonic() - started < 2  # no waiting for the busy timeout
    reader.close()
    writer.close()


@pytest.mark.sqlite_only
def test_read_only_commands_work_while_another_co_ordinator_is_writing(store):
    ref = add_referral()
    other = hold_write_lock(db_path())
    try:
        started = time.monotonic()
        assert [r["reference"] for r in ok("referral", "list", "--json").json] == [ref]
        assert ok("referral", "show", ref, "--json").json["status"] == "received"
        ok("audit", "--json")
        ok("locality", "list", "--json")
        assert time.monotonic() - started < 5
    finally:
        other.execute("ROLLBACK")
        other.close()


# --- One command, one transaction ---------------------------------------------------------------

def test_an_add_that_fails_half_way_leaves_the_store_exactly_as_it_was(store, monkeypatch):
    add_referral()
    masg_store.dispose_engines()
    before = dump(db_path())

    def fail(self, *args, **kwargs):
        raise RuntimeError("the disk went away")

    with monkeypatch.context() as patch:
        patch.setattr(masg_store.UnitOfWork, "record", fail)
        patch.setattr(masg_store.UnitOfWork, "record_many", fail)  # a new case's entry goes in this way
        result = run("referral", "add", "--child", "Siân Sample", "--dob", "2014-05-06", "--locality", "North",
                     "--referrer", "Jo Nurse", "--referrer-agency", "Health", "--consent-date",
                     "2026-11-01", "--consent-by", "both", "--needs", "Example", "--received", "2026-11-02")
    assert_one_line_error(result, 1, "nothing was saved")
    assert "Siân" not in result.stderr
    masg_store.dispose_engines()
    assert dump(db_path()) == before
    assert add_referral() == "MASG-2026-0002"  # the number was not used up


def test_a_triage_that_fails_after_its_first_write_changes_nothing(store, monkeypatch):
    ref = add_referral()
    masg_store.dispose_engines()
    before = dump(db_path())
    from masg_cli.services import referrals

    real = referrals.set_status

    def set_status_then_fail(*args, **kwargs):
        real(*args, **kwargs)  # the status and the audit entry are written (flushed)...
        raise RuntimeError("power cut")  # ...then the command dies

    monkeypatch.setattr(referrals, "set_status", set_status_then_fail)
    result = run("referral", "triage", ref, "--outcome", "not-appropriate", "--note", "Discussed")
    assert_one_line_error(result, 1)
    masg_store.dispose_engines()
    assert dump(db_path()) == before


def test_a_refused_command_writes_nothing(store):
    ref = add_referral()
    masg_store.dispose_engines()
    before = dump(db_path())
    assert run("referral", "triage", ref, "--outcome", "single-agency").exit_code == 1
    assert run("referral", "info-received", ref).exit_code == 1
    masg_store.dispose_engines()
    assert dump(db_path()) == before


# --- A store that is missing, a folder, unreadable or damaged ----------------------------------

def test_a_missing_store_says_to_run_init():
    assert_one_line_error(run("referral", "list"), 1, "masg init")
    assert ON_POSTGRES or not db_path().exists()


def test_a_folder_given_as_the_store_is_refused(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for command in (["referral", "list"], ["init"], ["doctor"]):
        assert_one_line_error(run("--db", str(folder), *command), 1, "is a folder")


@pytest.mark.sqlite_only
def test_an_unreadable_store_is_refused(store, monkeypatch):
    path = db_path()
    os.chmod(path, 0)
    try:
        if os.geteuid() == 0:  # root reads any file: stand in for an ordinary user
            monkeypatch.setattr(masg_store.os, "access", lambda p, m: False)
        masg_store.dispose_engines()
        assert_one_line_error(run("referral", "list"), 1, "cannot be read")
    finally:
        os.chmod(path, 0o600)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-header"])
def test_a_damaged_store_is_one_line_and_nothing_more(store, damage):
    add_referral()
    masg_store.dispose_engines()
    path = db_path()
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        companion.unlink(missing_ok=True)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "truncated":
        path.write_bytes(data[:2000])
    else:
        path.write_bytes(b"\0" * 100 + data[100:])
    for command in (["referral", "list"], ["referral", "add", "--child", "X", "--dob", "2015-01-01"],
                    ["doctor"], ["audit"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 or command == ["doctor"]


@pytest.mark.sqlite_only
def test_a_sqlite_file_that_is_not_a_masg_store_is_refused(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE pets (name TEXT)")
    conn.commit()
    conn.close()
    assert_one_line_error(run("--db", str(other), "referral", "list"), 1, "not a masg store")
    assert_one_line_error(run("--db", str(other), "init"), 1, "not a masg store")


@pytest.mark.sqlite_only
def test_an_empty_file_needs_init_and_init_sets_it_up(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert_one_line_error(run("--db", str(empty), "referral", "list"), 1, "masg init")
    ok("--db", str(empty), "init")
    assert ok("--db", str(empty), "referral", "list", "--json").json == []


def test_the_data_folder_is_the_default_store(monkeypatch, tmp_path):
    monkeypatch.delenv("MASG_DB")
    ok("init")
    default = tmp_path / "xdg" / "masg" / "masg.db"
    assert default.exists() and mode(default) == 0o600
    assert mode(default.parent) == 0o700


@pytest.mark.sqlite_only
def test_db_option_and_masg_db_choose_the_store(tmp_path):
    ok("--db", str(tmp_path / "one.db"), "init", "--panel", "MAAG")
    ok("init", "--panel", "MASG")
    assert (tmp_path / "one.db").exists() and db_path().exists()
    assert "MAAG" in ok("--db", str(tmp_path / "one.db"), "init").stdout
    assert "MASG" in ok("init").stdout


def test_a_password_in_a_database_url_is_never_shown():
    location = masg_store.locate("postgresql+psycopg://coord:s3cret@db.example.org/masg")
    assert "s3cret" not in location.describe()
    assert location.describe() == "postgresql+psycopg://coord@db.example.org/masg"
    assert masg_store.locate("postgresql+psycopg://db.example.org/masg").describe() == \
        "postgresql+psycopg://db.example.org/masg"


# --- Stores masg cannot use --------------------------------------------------------------------------


def test_a_database_url_masg_cannot_use_is_named_as_such(store):
    result = run("--db", "mysql://someone@db.example/masg", "referral", "list")
    assert result.exit_code == 1
    assert "--db mysql://... is not a store masg can use" in result.stderr and "driver" not in result.stderr

