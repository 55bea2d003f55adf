"""A team's shared store on PostgreSQL: concurrent writers, roles, doctor, migrations, store copy.

These tests need a PostgreSQL server: MASG_TEST_PG_URL's, else one they start from Debian's
packages (tests/pg_server.py); they skip, saying why, only when no server can start. The rest of
the suite runs on PostgreSQL too with MASG_TEST_DB=postgresql (see tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REFERRAL, add_referral, ok, run, sql, store_rows
from masg_cli import migrations
from masg_cli import store as masg_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def team(pg_database, monkeypatch):
    """A new, empty PostgreSQL database, set up as a MASG store with the North locality."""
    url = pg_database()
    monkeypatch.setenv("MASG_DB", url)
    ok("init", "--panel", "MASG")
    ok("locality", "add", "North")
    return url


def masg(url: str, *args: str, user: str | None = "test-coordinator", timeout: int = 120):
    env = {**os.environ, "MASG_DB": url}
    env.pop("MASG_USER", None)
    if user:
        env["MASG_USER"] = user
    return subprocess.run([sys.executable, "-m", "masg_cli", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


# --- Four co-ordinators at once ---------------------------------------------------------------------

WRITER = """
import sys, time
from masg_cli.cli.app import app
url, who, start, count = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
args = json_args = __import__("json").loads(sys.argv[5])
while time.monotonic() < start:  # the clock every process shares
    time.sleep(0.005)
for n in range(count):
    received = "2025-12-{:02d}".format(1 + n % 28) if n % 10 == 0 else "2026-11-02"
    consent = "2025-11-30" if n % 10 == 0 else "2026-11-01"
    # The same fictional child each time: told it is another child (the known-family check).
    app(["--db", url, "--user", who, "referral", "add", *args, "--received", received,
         "--consent-date", consent, "--needs", f"Needs {who} {n}", "--not-duplicate"], standalone_mode=False)
"""


@pytest.mark.slow
def test_four_processes_adding_100_referrals_each_lose_nothing_and_share_no_reference(team, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    args = json.dumps(REFERRAL)
    # time.monotonic, not time.time: MASG_TEST_TODAY freezes this process's date, not the writers'.
    start = time.monotonic() + 4  # every interpreter has imported everything before the first add
    writers = [subprocess.Popen([sys.executable, str(script), team, f"coordinator-{n}", str(start), "100", args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for n in range(4)]
    outputs = [w.communicate(timeout=600) for w in writers]
    for writer, (_, err) in zip(writers, outputs):
        assert writer.returncode == 0, err[-2000:]
    refs = [line for out, _ in outputs for line in out.split()]
    assert len(refs) == 400 == len(set(refs))
    in_2025 = sorted(r for r in refs if r.startswith("MASG-2025-"))
    in_2026 = sorted(r for r in refs if r.startswith("MASG-2026-"))
    assert in_2025 == [f"MASG-2025-{n:04d}" for n in range(1, 41)]
    assert in_2026 == [f"MASG-2026-{n:04d}" for n in range(1, 361)]
    stored = ok("referral", "list", "--json").json
    assert sorted(r["reference"] for r in stored) == sorted(refs)
    # They really ran at once: one co-ordinator's references are not one block.
    mine = sorted(r for r in outputs[0][0].split() if r.startswith("MASG-2026-"))
    assert mine != in_2026[: len(mine)]
    doctor = ok("doctor").stdout
    assert "ok   audit trail: ok (402 entries)" in doctor  # init, locality, 400 referrals
    who = {e["user"] for e in ok("audit", "--json").json if e["action"] == "referral add"}
    assert who == {f"coordinator-{n}" for n in range(4)}


@pytest.mark.slow
def test_a_second_writer_waits_for_the_first_instead_of_failing(team):
    import psycopg

    other = psycopg.connect(team.replace("postgresql+psycopg://", "postgresql://"))
    other.execute("SELECT value FROM setting WHERE key = 'audit_head' FOR UPDATE")  # mid-command
    outcome = {}
    import threading

    worker = threading.Thread(target=lambda: outcome.update(ref=add_referral()))
    worker.start()
    time.sleep(1.0)
    assert worker.is_alive(), "the second writer should wait for the first's lock"
    started = time.monotonic()
    assert ok("referral", "list", "--json").json == []  # reading is not held up
    assert time.monotonic() - started < 5
    other.rollback()
    other.close()
    worker.join(30)
    assert outcome["ref"] == "MASG-2026-0001"


# --- Roles: the README's set-up, statement by statement ----------------------------------------------

def readme_sql(label: str) -> list[str]:
    """The SQL statements of the README block that follows the line naming ``label``."""
    from guide import guide_text

    text = guide_text()
    block = re.search(re.escape(label) + r".*?```sql\n(.*?)```", text, re.S)
    assert block, f"the guide has no ```sql block after {label!r}"
    body = "\n".join(line for line in block.group(1).splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def readme_commands(label: str) -> list[list[str]]:
    """The masg commands of the guide's block after ``label``, each without its --db (the test's own)."""
    import shlex

    from guide import guide_text

    block = re.search(re.escape(label) + r".*?```\n(.*?)```", guide_text(), re.S)
    assert block, f"the guide has no ``` block after {label!r}"
    commands = []
    for line in block.group(1).splitlines():
        words = shlex.split(line)
        assert words[:2] == ["masg", "--db"], line
        commands.append(words[3:])
    return commands


MADE_HERE = "made by the masg README test, safe to drop"
README_ROLES = ("masg_owner", "pat_example", "sam_sample", "morgan_manager")


def as_role(server: str, role: str, database: str = "masg") -> str:
    return server.replace("://postgres@", f"://{role}@") + f"/{database}"


@pytest.fixture
def readme_team(pg_server_url):
    """The README's database and roles, made on the test server exactly as the README says."""
    import psycopg

    admin = psycopg.connect(pg_server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
                            autocommit=True)

    def clean():
        masg_store.dispose_engines()
        admin.execute("DROP DATABASE IF EXISTS masg WITH (FORCE)")
        for role in README_ROLES:
            if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                admin.execute(f"DROP OWNED BY {role}")
                admin.execute(f"DROP ROLE {role}")

    existing = admin.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                             "WHERE datname = 'masg'").fetchone()
    if existing and existing[0] != MADE_HERE:
        admin.close()
        pytest.skip("the test server already has a database named masg that these tests did not make")
    clean()
    for statement in readme_sql("As a PostgreSQL superuser"):
        admin.execute(statement)
    admin.execute(f"COMMENT ON DATABASE masg IS '{MADE_HERE}'")
    try:
        yield pg_server_url
    finally:
        clean()
        admin.close()


@pytest.mark.slow
def test_the_readmes_roles_let_co_ordinators_work_and_managers_only_read(readme_team, tmp_path):
    owner = as_role(readme_team, "masg_owner")
    assert masg(owner, "init", "--panel", "MASG", "--locality", "North", user=None).returncode == 0
    import psycopg

    for command in readme_commands("The owner grants each role what it may see"):
        granted = masg(owner, *command, user=None)
        assert granted.returncode == 0, (command, granted.stderr)

    pat = as_role(readme_team, "pat_example")
    added = masg(pat, "referral", "add", *REFERRAL, user=None)
    assert added.returncode == 0, added.stderr
    ref = added.stdout.strip()
    # Sam co-ordinates South: North's case does not exist for that role.
    elsewhere = masg(as_role(readme_team, "sam_sample"), "referral", "triage", ref, "--outcome", "accept",
                     "--date", "2026-11-03", user=None)
    assert elsewhere.returncode == 1
    assert elsewhere.stderr.strip() == f"masg: there is no referral {ref}; see 'masg referral list'"
    assert masg(pat, "referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03",
                user=None).returncode == 0
    entries = json.loads(masg(pat, "audit", "--json").stdout)
    # Without --user, the audit trail names the database role that ran each command.
    assert [(e["action"], e["user"]) for e in entries] == [
        ("init", "masg_owner"), ("locality add", "masg_owner"), ("locality add", "masg_owner"),
        ("store grant", "masg_owner"), ("store grant", "masg_owner"), ("store grant", "masg_owner"),
        ("referral add", "pat_example"), ("triage", "pat_example")]

    manager = as_role(readme_team, "morgan_manager")
    listed = masg(manager, "referral", "list", "--json", user=None)
    assert listed.returncode == 0, listed.stderr
    assert [r["reference"] for r in json.loads(listed.stdout)] == [ref]
    summary = masg(manager, "report", "summary", "--json", user=None)
    assert summary.returncode == 0, summary.stderr
    assert masg(manager, "doctor", user=None).returncode == 0
    refused = masg(manager, "referral", "add", *REFERRAL, "--not-duplicate", user=None)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "masg: your database role may not do this on "
        f"{masg_store.locate(manager).describe()} (permission denied); "
        "ask the store's administrator for a co-ordinator's role"]
    assert "Traceback" not in refused.stderr
    # A co-ordinator cannot rewrite the audit trail behind masg's back.
    with psycopg.connect(pat.replace("postgresql+psycopg://", "postgresql://")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_entry SET \"user\" = 'someone-else'")
    assert len(json.loads(masg(pat, "referral", "list", "--json").stdout)) == 1


# --- doctor, and failures in plain words ------------------------------------------------------------

def test_doctor_on_postgresql_checks_connection_schema_tables_and_chain_and_skips_file_checks(team):
    out = ok("doctor").stdout
    assert f"ok   schema: ok ({migrations.known_names()[-1]})" in out
    assert re.search(r"ok   connection: ok \(PostgreSQL \d+[^,]*, database masg_test_\w+, role postgres\)", out)
    from sqlmodel import SQLModel

    assert f"ok   tables: ok ({len(SQLModel.metadata.tables)} tables)" in out
    assert "ok   audit trail: ok (2 entries)" in out
    for check in ("integrity", "foreign keys", "permissions"):
        assert f"n/a  {check}: not applicable" in out
    assert "FAIL" not in out


@pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="pg_dump is not installed")
def test_backup_runs_pg_dump_into_a_private_file_that_pg_restore_reads_and_audits_it(team, tmp_path):
    add_referral()
    out = tmp_path / "backups" / "team.dump"
    shown = ok("backup", "--out", out).stdout
    assert f"Backed up 1 referrals to {out}" in shown and "read back by pg_restore" in shown
    assert out.stat().st_mode & 0o777 == 0o600
    listed = subprocess.run(["pg_restore", "--list", str(out)], capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public referral" in listed and "TABLE DATA public audit_entry" in listed
    assert ok("audit", "--json").json[-1]["action"] == "backup"
    again = run("backup", "--out", out)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_doctor_names_a_missing_table(team):
    sql("DROP TABLE document")
    result = run("doctor")
    assert result.exit_code == 1
    assert "FAIL tables: missing document; restore the store from a backup" in result.stdout


def test_a_server_that_cannot_be_reached_or_a_missing_database_is_one_line(pg_server_url):
    from pg_server import free_port

    nowhere = f"postgresql+psycopg://pat@127.0.0.1:{free_port()}/masg"
    result = run("--db", nowhere, "referral", "list")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"masg: the database server of {nowhere} cannot be reached; check the URL and that the server is running"]
    missing = f"{pg_server_url}/masg_no_such_database"
    result = run("--db", missing, "init")
    assert result.exit_code == 1
    assert "does not exist; ask the administrator to create it" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_plain_postgresql_url_as_psql_takes_it_works_too(team):
    plain = team.replace("postgresql+psycopg://", "postgresql://")
    assert ok("--db", plain, "referral", "add", *REFERRAL).stdout.strip() == "MASG-2026-0001"


# --- Migrations on PostgreSQL -----------------------------------------------------------------------

def pg_schema(url: str) -> dict:
    """Tables, their columns (name, nullable) and indexes (name, columns, unique)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        inspector = inspect(engine)
        return {table: {"columns": [(c["name"], c["nullable"]) for c in inspector.get_columns(table)],
                        "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                          for i in inspector.get_indexes(table)),
                        "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                        "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                                      for f in inspector.get_foreign_keys(table))}
                for table in sorted(inspector.get_table_names())}
    finally:
        engine.dispose()


def test_migrating_an_empty_postgresql_database_gives_the_same_schema_as_sqlite(pg_database, tmp_path):
    url = pg_database()
    engine = masg_store.engine_for(masg_store.locate(url))
    assert migrations.bring_up_to_date(engine, create=True) == migrations.known_names()
    assert migrations.bring_up_to_date(engine) == []
    lite = tmp_path / "same.db"
    ok("--db", str(lite), "init")
    masg_store.dispose_engines()
    on_pg, on_lite = pg_schema(url), pg_schema(f"sqlite:///{lite}")
    assert on_pg.keys() == on_lite.keys()
    for table in on_lite:
        assert on_pg[table]["columns"] == on_lite[table]["columns"], table
        assert on_pg[table]["pk"] == on_lite[table]["pk"], table
        assert on_pg[table]["fks"] == on_lite[table]["fks"], table
        # SQLite lists no index for a UNIQUE constraint; PostgreSQL does (…_key).
        assert [i for i in on_pg[table]["indexes"] if not i[0].endswith("_key")] == \
            [i for i in on_lite[table]["indexes"] if not i[0].startswith("sqlite_autoindex")], table


@pytest.mark.parametrize("upto", migrations.known_names())
def test_a_postgresql_store_made_at_every_earlier_version_upgrades_and_keeps_its_data(pg_database, upto):
    url = pg_database()
    engine = masg_store.engine_for(masg_store.locate(url))
    assert migrations.bring_up_to_date(engine, create=True, upto=upto)[-1] == upto
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('panel', 'MAAG')")
    masg_store.dispose_engines()
    assert ok("--db", url, "referral", "list", "--json").json == []
    assert "MAAG" in ok("--db", url, "init").stdout
    assert [name for (name,) in sql("SELECT name FROM masg_migrations ORDER BY name", url=url)] == \
        migrations.known_names()


def test_a_postgresql_migration_that_fails_leaves_the_store_as_it_was(pg_database, monkeypatch):
    url = pg_database()
    engine = masg_store.engine_for(masg_store.locate(url))
    migrations.bring_up_to_date(engine, create=True)
    before = pg_schema(url)
    broken = migrations._sql("CREATE TABLE half_done (id INTEGER); CREATE TABLE referral (id INTEGER)")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m900_broken", broken)])
    from sqlalchemy.exc import ProgrammingError

    with pytest.raises(ProgrammingError):
        migrations.bring_up_to_date(engine)
    assert pg_schema(url) == before  # PostgreSQL's DDL is transactional: no half_done table
    assert "m900_broken" not in migrations.applied_names(engine)


def test_a_postgresql_store_from_a_newer_masg_is_refused(team):
    sql("INSERT INTO masg_migrations (name, applied_at) VALUES ('m999_from_the_future', 'x')")
    result = run("referral", "list")
    assert result.exit_code == 1
    assert "newer version of masg" in result.stderr


def test_a_database_that_is_not_a_masg_store_is_refused(pg_database, monkeypatch):
    url = pg_database()
    sql("CREATE TABLE pets (name TEXT)", url=url)
    result = run("--db", url, "init")
    assert result.exit_code == 1 and "not a masg store" in result.stderr


# --- masg store copy ----------------------------------------------------------------------------------

def sqlite_store(path: Path) -> str:
    """A co-ordinator's own store with a bit of everything: cases at several stages, a re-referral."""
    db = str(path)
    ok("--db", db, "init", "--panel", "MASG")
    ok("--db", db, "locality", "add", "North")
    first = ok("--db", db, "referral", "add", *REFERRAL).stdout.strip()
    second = ok("--db", db, "referral", "add", *REFERRAL, "--received", "2025-06-01",
                "--consent-date", "2025-05-30", "--not-duplicate").stdout.strip()
    ok("--db", db, "referral", "triage", first, "--outcome", "accept", "--date", "2026-11-03")
    ok("--db", db, "referral", "withdraw", second, "--reason", "Consent withdrawn", "--date", "2026-11-04")
    ok("--db", db, "referral", "add", *REFERRAL, "--re-referral-of", second, "--child", "Siân Sample",
       "--dob", "2016-03-04", "--not-duplicate")
    return db


def copied_rows(url: str) -> list[str]:
    """Every row but the migrations' own bookkeeping (applied when each store was made)."""
    return [line for line in store_rows(url) if not line.startswith("masg_migrations:")]


@pytest.mark.parametrize("target_kind", ["postgresql", "sqlite"])
def test_store_copy_moves_every_record_reference_link_and_the_audit_chain(target_kind, pg_database, tmp_path):
    if target_kind == "postgresql":
        target = pg_database()
    else:
        target = str(tmp_path / "team" / "copy.db")
    source = sqlite_store(tmp_path / "mine.db")
    before = copied_rows(masg_store.locate(source).url)
    result = ok("--db", source, "store", "copy", "--to", target)
    assert "Copied 3 referrals and 7 audit entries into" in result.stdout
    assert "the audit trail verifies there" in result.stdout
    after = copied_rows(masg_store.locate(target).url)
    copy_entry = [line for line in after if line not in before]
    assert len(copy_entry) == 2 and all(line.startswith(("audit_entry:", "setting: ('audit_head'"))
                                       for line in copy_entry)
    # Every row arrived with its id (so every link holds), except the head of the longer chain.
    assert [line for line in before if line not in after] == \
        [line for line in before if line.startswith("setting: ('audit_head'")]
    for command in (["referral", "list", "--json"], ["referral", "show", "MASG-2026-0002", "--json"],
                    ["locality", "list", "--json"]):
        assert ok("--db", target, *command).json == ok("--db", source, *command).json
    assert ok("--db", target, "referral", "show", "MASG-2026-0002", "--json").json["re_referral_of"] \
        == "MASG-2025-0001"
    doctor = ok("--db", target, "doctor").stdout
    assert "ok   audit trail: ok (8 entries)" in doctor and "FAIL" not in doctor
    assert ok("--db", target, "audit", "--json").json[-1]["action"] == "store copy"
    # The counters came too: numbering carries on; new rows get new ids.
    assert ok("--db", target, "referral", "add", *REFERRAL, "--not-duplicate").stdout.strip() == "MASG-2026-0003"
    assert ok("--db", target, "referral", "add", *REFERRAL, "--received", "2025-07-01",
              "--consent-date", "2025-06-30", "--not-duplicate").stdout.strip() == "MASG-2025-0002"
    assert "ok   audit trail: ok (10 entries)" in ok("--db", target, "doctor").stdout
    assert copied_rows(masg_store.locate(source).url) == before  # the source is unchanged


def test_a_generated_store_of_every_status_copies_into_postgresql_whole(pg_database, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_store import make_store

    source = str(make_store(tmp_path / "bench.db", referrals=300, seed=5))
    target = pg_database()
    ok("--db", source, "store", "copy", "--to", target)
    assert ok("--db", target, "referral", "list", "--json").json == \
        ok("--db", source, "referral", "list", "--json").json
    assert ok("--db", target, "today", "--as-of", "2026-11-23", "--json").json == \
        ok("--db", source, "today", "--as-of", "2026-11-23", "--json").json
    assert "FAIL" not in ok("--db", target, "doctor").stdout


def test_store_copy_into_a_store_that_holds_anything_is_refused_and_changes_nothing(team, tmp_path):
    source = sqlite_store(tmp_path / "mine.db")
    before = store_rows(team)
    result = run("--db", source, "store", "copy", "--to", team)
    assert result.exit_code == 1
    assert result.stderr.startswith("masg: the target store ") and "is not empty" in result.stderr
    assert "store copy only fills an empty store" in result.stderr
    assert store_rows(team) == before


def test_store_copy_onto_itself_is_refused(tmp_path):
    source = sqlite_store(tmp_path / "mine.db")
    result = run("--db", source, "store", "copy", "--to", str(tmp_path / "." / "mine.db"))
    assert result.exit_code == 1 and "is this store itself" in result.stderr


def test_a_copy_that_fails_half_way_writes_nothing_to_the_target(pg_database, tmp_path, monkeypatch):
    from masg_cli.services import storecopy

    source = sqlite_store(tmp_path / "mine.db")
    target = pg_database()
    real = storecopy._copy_table

    def fail_at_audit(src, tgt, table):
        if table.name == "audit_entry":
            raise RuntimeError("the network went away")
        return real(src, tgt, table)

    monkeypatch.setattr(storecopy, "_copy_table", fail_at_audit)
    result = run("--db", source, "store", "copy", "--to", target)
    assert result.exit_code == 1 and "nothing was saved" in result.stderr
    assert [line for line in copied_rows(target)] == []  # schema made, no rows
    monkeypatch.undo()
    ok("--db", source, "store", "copy", "--to", target)  # and it can simply be run again
    assert len(ok("--db", target, "referral", "list", "--json").json) == 3


def test_store_copy_refuses_a_source_whose_audit_trail_is_broken(pg_database, tmp_path):
    source = sqlite_store(tmp_path / "mine.db")
    sql("DELETE FROM audit_entry WHERE id = 3", url=masg_store.locate(source).url)
    target = pg_database()
    result = run("--db", source, "store", "copy", "--to", target)
    assert result.exit_code == 1 and "audit trail of this store is broken at entry 4" in result.stderr
    assert copied_rows(target) == []


def test_a_co_ordinators_role_that_may_not_create_tables_is_told_to_ask_the_owner(pg_database, pg_server_url):
    import psycopg

    url = pg_database()
    name = url.rsplit("/", 1)[1]
    role = f"{name}_coord"
    with psycopg.connect(pg_server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
                         autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
    try:
        result = run("--db", url.replace("://postgres@", f"://{role}@"), "init")
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [
            f"masg: the store {masg_store.locate(url.replace('://postgres@', f'://{role}@')).describe()} "
            "needs setting up or upgrading for this version of masg, and your database role may not change "
            "its tables; ask the store's owner to run 'masg init' (a new store) or 'masg doctor' once"]
    finally:
        masg_store.dispose_engines()
        with psycopg.connect(pg_server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f"DROP ROLE {role}")


@pytest.mark.slow
def test_writers_that_number_and_record_in_either_order_never_deadlock(team):
    """An import records and then numbers; an add numbers and then records: one lock order."""
    import threading

    from masg_cli.services.referrals import next_reference

    location = masg_store.locate(team)
    numbered = threading.Event()
    outcome: dict[str, object] = {}

    def number_then_record():
        try:
            with masg_store.transaction(location, user="a", write=True) as uow:
                outcome["a"] = next_reference(uow.session, "MASG", 2026)
                numbered.set()
                time.sleep(0.5)
                uow.record("example", None, {})
        except Exception as exc:  # noqa: BLE001
            outcome["a"] = exc
            numbered.set()

    def record_then_number():
        numbered.wait(10)
        try:
            with masg_store.transaction(location, user="b", write=True) as uow:
                uow.record("example", None, {})
                outcome["b"] = next_reference(uow.session, "MASG", 2026)
        except Exception as exc:  # noqa: BLE001
            outcome["b"] = exc

    threads = [threading.Thread(target=number_then_record), threading.Thread(target=record_then_number)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted([outcome["a"], outcome["b"]]) == ["MASG-2026-0001", "MASG-2026-0002"], outcome
    assert "ok   audit trail: ok (4 entries)" in ok("doctor").stdout
