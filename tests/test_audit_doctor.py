"""The audit trail (rule 13) and masg doctor: who changed what, and whether anyone tampered."""

import getpass
import os
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from builders import referral_for_child_born
from conftest import ON_POSTGRES, add_referral, ok, run
from conftest import sql as store_sql
from masg_cli.store import dispose_engines


def sql(statement: str, *params) -> list[tuple]:
    """Change the store behind masg's back, as someone with the file (or the database) could."""
    parts = statement.split("?")
    named = parts[0] + "".join(f":p{i}{part}" for i, part in enumerate(parts[1:]))
    return store_sql(named, {f"p{i}": value for i, value in enumerate(params)})


def audit_ids() -> list[int]:
    return [e["id"] for e in ok("audit", "--json").json]


@pytest.fixture
def history(store):
    """A store with a few changes: init, locality, two referrals, a triage, a withdrawal."""
    first = add_referral()
    second = add_referral()
    ok("referral", "triage", first, "--outcome", "accept", "--date", "2026-11-03")
    ok("referral", "withdraw", second, "--reason", "Consent withdrawn", "--date", "2026-11-04")
    return first, second


# --- What is recorded ---------------------------------------------------------------------------

def test_every_change_records_who_when_which_referral_and_what_changed(history):
    first, second = history
    before = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) - timedelta(seconds=5)
    entries = ok("audit", "--json").json
    assert [(e["action"], e["reference"]) for e in entries] == [
        ("init", None), ("locality add", None), ("referral add", first), ("referral add", second),
        ("triage", first), ("withdraw", second)]
    for entry in entries:
        assert set(entry) >= {"at", "user", "reference", "action", "changes"}
        assert entry["user"] == "test-coordinator"
        at = datetime.fromisoformat(entry["at"]).replace(tzinfo=None)
        assert before - timedelta(minutes=5) <= at <= datetime.now(timezone.utc).replace(tzinfo=None)
    assert entries[4]["changes"]["status"] == ["received", "accepted"]
    assert entries[4]["changes"]["date"] == "2026-11-03"
    assert entries[5]["changes"]["closed_reason"] == "withdrawn"


def test_the_audit_trail_never_holds_a_childs_name(history):
    assert "Zoë" not in ok("audit", "--json").stdout


def test_audit_of_one_referral_shows_only_its_entries(history):
    first, _ = history
    entries = ok("audit", first.lower(), "--json").json
    assert [e["action"] for e in entries] == ["referral add", "triage"]
    assert {e["reference"] for e in entries} == {first}


def test_audit_for_people_is_a_table(history, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    out = ok("audit").stdout
    assert "triage" in out and "test-coordinator" in out and "status=['received', 'accepted']" in out


def test_the_user_option_names_who_made_the_change(store):
    ok("--user", "pat.example", "referral", "add", *__import__("conftest").REFERRAL)
    assert ok("audit", "--json").json[-1]["user"] == "pat.example"


def test_without_user_or_masg_user_the_os_login_is_recorded(store, monkeypatch):
    monkeypatch.delenv("MASG_USER")
    add_referral()
    # On a team's PostgreSQL store the database role is recorded instead (the test server's: postgres).
    expected = store_sql("SELECT current_user")[0][0] if ON_POSTGRES else getpass.getuser()
    assert ok("audit", "--json").json[-1]["user"] == expected


def test_masg_user_is_used_when_given(store, monkeypatch):
    monkeypatch.setenv("MASG_USER", "siân.sample")
    add_referral()
    assert ok("audit", "--json").json[-1]["user"] == "siân.sample"


def test_reading_changes_nothing_in_the_audit_trail(history):
    count = len(audit_ids())
    ok("referral", "list")
    ok("referral", "show", history[0])
    ok("doctor")
    assert len(audit_ids()) == count


# --- doctor -------------------------------------------------------------------------------------

def test_doctor_says_ok_for_a_healthy_store(history):
    result = ok("doctor")
    for check in ("schema", "tables", "audit trail"):
        assert f"ok   {check}" in result.stdout
    for check in ("integrity", "foreign keys", "permissions"):  # a SQLite file's checks
        assert f"{'n/a ' if ON_POSTGRES else 'ok  '} {check}" in result.stdout
    assert "ok (6 entries)" in result.stdout
    assert "FAIL" not in result.stdout


def test_doctor_on_a_new_store_is_ok():
    ok("init")
    assert "FAIL" not in ok("doctor").stdout


@pytest.mark.parametrize("position", ["first", "middle", "newest"])
@pytest.mark.parametrize("column,value", [
    ("changes", '{"status": ["received", "closed"]}'),
    ("user", "someone-else"),
    ("at", "2026-01-01 00:00:00.000000"),
    ("action", "triage"),
    ("reference", "MASG-2026-0042"),
])
def test_an_edited_entry_makes_doctor_fail_naming_it(history, position, column, value):
    ids = audit_ids()
    entry = {"first": ids[0], "middle": ids[len(ids) // 2], "newest": ids[-1]}[position]
    sql(f'UPDATE audit_entry SET "{column}" = ? WHERE id = ?', value, entry)
    result = run("doctor")
    assert result.exit_code == 1
    assert f"FAIL audit trail: broken at entry {entry}: its contents were changed" in result.stdout
    assert "restore the store from a backup" in result.stdout


def test_an_edited_entry_with_its_hash_recomputed_still_breaks_the_chain(history):
    from masg_cli.services.audit import entry_hash

    ids = audit_ids()
    middle = ids[2]
    [(prev, at, user, ref, action)] = sql(
        'SELECT prev_hash, at, "user", reference, action FROM audit_entry WHERE id = ?', middle)
    forged = '{"status": "received"}'
    at = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    new_hash = entry_hash(prev, at, user, ref, action, forged)
    sql("UPDATE audit_entry SET changes = ?, hash = ? WHERE id = ?", forged, new_hash, middle)
    result = run("doctor")
    assert result.exit_code == 1
    assert f"broken at entry {ids[3]}: an entry before it was removed or changed" in result.stdout


def test_a_deleted_middle_entry_makes_doctor_fail_naming_the_entry_after_it(history):
    ids = audit_ids()
    sql("DELETE FROM audit_entry WHERE id = ?", ids[3])
    result = run("doctor")
    assert result.exit_code == 1
    assert f"broken at entry {ids[4]}: an entry before it was removed or changed" in result.stdout


def test_a_deleted_first_entry_makes_doctor_fail(history):
    ids = audit_ids()
    sql("DELETE FROM audit_entry WHERE id = ?", ids[0])
    result = run("doctor")
    assert result.exit_code == 1 and f"broken at entry {ids[1]}" in result.stdout


def test_a_deleted_newest_entry_makes_doctor_fail_naming_the_last_entry_left(history):
    ids = audit_ids()
    sql("DELETE FROM audit_entry WHERE id = ?", ids[-1])
    result = run("doctor")
    assert result.exit_code == 1
    assert f"broken at entry {ids[-2]}: entries after it (the newest) were removed" in result.stdout


def test_deleting_the_whole_trail_makes_doctor_fail(history):
    sql("DELETE FROM audit_entry")
    result = run("doctor")
    assert result.exit_code == 1 and "all its entries were removed" in result.stdout


@pytest.mark.sqlite_only
def test_doctor_reports_a_store_file_readable_by_others_and_the_fix(history):
    os.chmod(os.environ["MASG_DB"], 0o644)
    result = run("doctor")
    assert result.exit_code == 1
    assert "FAIL permissions: masg.db readable by others; run chmod 600" in result.stdout
    os.chmod(os.environ["MASG_DB"], 0o600)
    assert ok("doctor").stdout.count("FAIL") == 0


@pytest.mark.sqlite_only
def test_doctor_reports_records_pointing_at_missing_ones(history):
    dispose_engines()
    conn = sqlite3.connect(os.environ["MASG_DB"])  # foreign keys are off in a plain connection
    conn.execute("INSERT INTO child (referral_id, position, name, dob) VALUES (999, 1, 'X', '2015-01-01')")
    conn.commit()
    conn.close()
    result = run("doctor")
    assert result.exit_code == 1 and "FAIL foreign keys: 1 rows point at missing records" in result.stdout


def test_doctor_names_the_schema_version(store):
    from masg_cli.migrations import known_names

    assert f"ok   schema: ok ({known_names()[-1]})" in ok("doctor").stdout


def test_a_generated_benchmark_store_is_healthy_and_holds_every_status(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from make_store import make_store

    path = make_store(tmp_path / "bench.db", referrals=400, seed=3)
    rows = ok("--db", str(path), "referral", "list", "--json").json
    assert len(rows) == 400
    assert {r["status"] for r in rows} == {"received", "more-info", "accepted", "scheduled", "decided",
                                           "active", "monitoring", "closed"}
    assert {r["closed_reason"] for r in rows} >= {"single-agency", "not-appropriate", "withdrawn",
                                                  "declined", "completed"}
    assert "FAIL" not in ok("--db", str(path), "doctor").stdout
    assert ok("--db", str(path), "referral", "add", *__import__("conftest").REFERRAL).stdout.strip() \
        == f"MASG-2026-{sum(r['reference'].startswith('MASG-2026-') for r in rows) + 1:04d}"


# --- The audit of one reference ----------------------------------------------------------------------


@pytest.mark.parametrize("wanted", ["MASG-2026-0099", "foo"])
def test_the_audit_of_a_reference_the_trail_never_named_is_refused(store, wanted):
    result = run("audit", wanted)
    assert result.exit_code == 1
    assert f"the audit trail names no referral {wanted.upper()}" in result.stderr


def test_the_audit_of_a_case_removed_by_retention_still_shows_its_entries(store):
    ref = referral_for_child_born("2000-01-01")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-11-04")
    ok("retention", "--apply")
    assert ok("audit", ref, "--json").json[-1]["action"] == "retention remove"

