"""masg backup (a checked, private copy, even while others write) and masg retention (with legal hold)."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import add_referral, ok, run, sql
from builders import digest, store_path, stored_case, write

D = date


# --- Backup -----------------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_backup_is_private_checked_and_opens_as_a_store(accepted, tmp_path):
    out = tmp_path / "backups" / "masg-backup.db"
    out.parent.mkdir()
    shown = ok("backup", "--out", out).stdout
    assert "Backed up 1 referrals" in shown and "integrity check ok" in shown
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert copy.execute("SELECT reference, status FROM referral").fetchall() == [(accepted, "accepted")]
    copy.close()
    assert not Path(f"{out}-wal").exists()
    restored = ok("--db", out, "referral", "show", accepted, "--json").json
    assert restored["status"] == "accepted"
    assert "FAIL" not in ok("--db", out, "doctor").stdout


@pytest.mark.sqlite_only
def test_a_backup_never_overwrites_unless_asked_and_never_onto_the_store(accepted, tmp_path):
    out = tmp_path / "b.db"
    out.write_text("yesterday's backup")
    result = run("backup", "--out", out)
    assert result.exit_code == 1 and "--overwrite" in result.stderr
    assert out.read_text() == "yesterday's backup"
    ok("backup", "--out", out, "--overwrite")
    assert out.read_bytes().startswith(b"SQLite format 3")
    assert run("backup", "--out", store_path(), "--overwrite").exit_code == 1


@pytest.mark.sqlite_only
def test_a_backup_without_a_store_is_refused_and_a_missing_folder_is_made(tmp_path):
    assert "masg init" in run("backup", "--out", tmp_path / "b.db").stderr
    ok("init")
    ok("backup", "--out", tmp_path / "no" / "b.db")
    assert (tmp_path / "no" / "b.db").exists()


def test_without_pg_dump_a_server_store_backup_gives_the_command_and_never_the_password(tmp_path, monkeypatch):
    import shutil

    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "pg_dump" else real(name, *a, **k))
    result = run("--db", "postgresql+psycopg://masg:secret@db.example/masg", "backup", "--out", tmp_path / "x.dump")
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.stderr and "db.example/masg" in result.stderr
    assert "secret" not in result.stderr


WRITER = """
import sys, time
from datetime import date
from masg_cli.cli.context import options, unit_of_work
from masg_cli.services.referrals import NewReferral, add_referral
options.db, options.user = sys.argv[1], "writer"
stop = time.monotonic() + float(sys.argv[2])
while time.monotonic() < stop:
    with unit_of_work(write=True) as uow:
        add_referral(uow, NewReferral(children=[("Zoë Example", date(2015, 2, 3))], locality="North",
            referrer_name="Alex Teacher", referrer_agency="Northside Primary", consent_date=date(2026, 11, 1),
            consent_by="parent", needs="Anxiety", received=date(2026, 11, 2)))
"""


@pytest.mark.sqlite_only
def test_backups_taken_while_another_co_ordinator_writes_are_each_whole(store, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store_path()), "6"])
    try:
        time.sleep(1.5)
        counts = []
        for n in range(4):
            out = tmp_path / f"b{n}.db"
            ok("backup", "--out", out)
            copy = sqlite3.connect(out)
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            referrals, audited = copy.execute(
                "SELECT (SELECT COUNT(*) FROM referral), (SELECT COUNT(*) FROM audit_entry "
                "WHERE action = 'referral add')").fetchone()
            assert referrals == audited  # each copy holds whole transactions only
            counts.append(referrals)
            copy.close()
    finally:
        writer.wait(timeout=60)
    assert counts == sorted(counts) and counts[-1] > 0
    assert "FAIL" not in ok("doctor").stdout


# --- Retention ---------------------------------------------------------------------------------------


@pytest.fixture
def closed_cases(store):
    """Cases closed long ago (due), recently (not due), one still open, and one re-referral."""

    def build(uow):
        old = stored_case(uow, "MASG-2020-0001", status="closed", closed_reason="completed", received=D(2020, 1, 6),
                   closed_on=D(2020, 9, 1), children=(("Zoë Vanishing", D(1999, 5, 1)), ("Jack Vanishing", D(2001, 3, 3))),
                   needs="Unique-needs-text-for-retention", meeting_date=D(2020, 1, 21), lead_agency="CAMHS",
                   services=[("CAMHS", "Sessions")], reviews=[D(2020, 4, 1)], follow_ups=[(D(2020, 7, 1), D(2020, 7, 1))])
        stored_case(uow, "MASG-2020-0002", status="closed", closed_reason="withdrawn", received=D(2020, 2, 3),
             closed_on=D(2020, 3, 1), children=(("Ada Old", D(2000, 1, 1)),))
        stored_case(uow, "MASG-2021-0001", status="closed", closed_reason="declined", received=D(2021, 1, 4),
             closed_on=D(2021, 2, 1), children=(("Kai Young", D(2015, 1, 1)),))
        stored_case(uow, "MASG-2020-0003", status="active", received=D(2020, 5, 5), children=(("Priya Open", D(1998, 1, 1)),))
        stored_case(uow, "MASG-2026-0001", received=D(2026, 1, 5), re_referral_of=old)

    write(build)


def test_the_dry_run_lists_closed_cases_past_the_youngest_childs_25th_birthday_without_names(closed_cases):
    before = digest()
    result = ok("retention", "--as-of", "2026-11-23")
    assert "MASG-2020-0001" in result.stdout and "MASG-2020-0002" in result.stdout
    assert "MASG-2021-0001" not in result.stdout and "MASG-2020-0003" not in result.stdout
    assert "until-age:25" in result.stdout and "3 Mar 2026" in result.stdout  # Jack's 25th birthday
    assert "Vanishing" not in result.stdout and "Ada" not in result.stdout
    assert "nothing removed" in result.stdout
    assert digest() == before


def test_the_as_of_date_decides_what_is_due(closed_cases):
    rows = ok("retention", "--as-of", "2026-03-02", "--json").json
    assert [r["reference"] for r in rows] == ["MASG-2020-0002"]
    assert rows[0] == {"reference": "MASG-2020-0002", "rule": "until-age:25", "closed_on": "2020-03-01",
                       "due": "2025-01-01", "legal_hold": False, "action": "would be removed"}


def test_apply_removes_each_due_case_and_every_record_it_had_and_nothing_else(closed_cases):
    ok("retention", "--as-of", "2026-11-23", "--apply")
    refs = {r["reference"] for r in ok("referral", "list", "--json").json}
    assert refs == {"MASG-2021-0001", "MASG-2020-0003", "MASG-2026-0001"}
    for table in ("child", "suggested_agency", "decision", "agenda_slot", "review", "follow_up"):
        orphans = sql(f"SELECT COUNT(*) FROM {table} WHERE referral_id NOT IN (SELECT id FROM referral)")
        assert orphans[0][0] == 0, table
    assert sql("SELECT COUNT(*) FROM service")[0][0] == 0
    assert sql("SELECT COUNT(*) FROM child")[0][0] == 3
    # The later re-referral stays; it only loses its link to the removed case.
    assert ok("referral", "show", "MASG-2026-0001", "--json").json["status"] == "received"
    assert "FAIL" not in ok("doctor").stdout


@pytest.mark.sqlite_only
def test_removed_cases_leave_no_copy_in_the_database_files(closed_cases):
    def raw() -> bytes:
        path = store_path()
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())

    from masg_cli.store import dispose_engines

    dispose_engines()
    assert b"Unique-needs-text-for-retention" in raw() and "Zoë Vanishing".encode() in raw()
    ok("retention", "--as-of", "2026-11-23", "--apply")
    dispose_engines()
    assert b"Unique-needs-text-for-retention" not in raw()
    assert "Vanishing".encode() not in raw() and b"Ada Old" not in raw()


def test_each_removal_is_audited_without_personal_data(closed_cases):
    ok("retention", "--as-of", "2026-11-23", "--apply")
    entries = [e for e in ok("audit", "--json").json if e["action"] == "retention remove"]
    assert [e["reference"] for e in entries] == ["MASG-2020-0002", "MASG-2020-0001"]
    assert entries[1]["changes"] == {"rule": "until-age:25", "closed_on": "2020-09-01", "due": "2026-03-03",
                                     "as_of": "2026-11-23"}


def test_a_case_on_legal_hold_is_never_removed_until_released(closed_cases):
    ok("referral", "hold", "MASG-2020-0001", "--reason", "Court proceedings, case 2026/17")
    listed = ok("retention", "--as-of", "2026-11-23").stdout
    assert "kept: legal hold" in listed
    ok("retention", "--as-of", "2026-11-23", "--apply")
    refs = {r["reference"] for r in ok("referral", "list", "--json").json}
    assert "MASG-2020-0001" in refs and "MASG-2020-0002" not in refs
    ok("referral", "release", "MASG-2020-0001")
    ok("retention", "--as-of", "2026-11-23", "--apply")
    assert "MASG-2020-0001" not in {r["reference"] for r in ok("referral", "list", "--json").json}
    actions = [e["action"] for e in ok("audit", "MASG-2020-0001", "--json").json]
    assert actions == ["legal hold", "legal hold release", "retention remove"]


def test_legal_hold_needs_a_reason_a_known_case_and_a_change(closed_cases):
    before = digest()
    assert run("referral", "hold", "MASG-2020-0001", "--reason", "  ").exit_code == 1
    assert run("referral", "hold", "MASG-1999-0001", "--reason", "x").exit_code == 1
    assert "not on legal hold" in run("referral", "release", "MASG-2020-0001").stderr
    assert digest() == before
    ok("referral", "hold", "MASG-2020-0001", "--reason", "Litigation")
    assert "already on legal hold" in run("referral", "hold", "MASG-2020-0001", "--reason", "x").stderr


def test_the_authoritys_rule_can_be_set_and_is_audited(closed_cases):
    shown = ok("retention", "--set-rule", "years-after-closure:6").stdout
    assert "6 years after the case closed" in shown
    rows = ok("retention", "--as-of", "2026-11-23", "--json").json
    assert [(r["reference"], r["due"]) for r in rows] == [("MASG-2020-0002", "2026-03-01"),
                                                          ("MASG-2020-0001", "2026-09-01")]
    assert ok("audit", "--json").json[-1]["changes"] == {"rule": ["until-age:25", "years-after-closure:6"]}
    assert run("retention", "--set-rule", "forever").exit_code == 2


def test_a_removal_that_fails_half_way_removes_nothing(closed_cases, monkeypatch):
    from masg_cli.store import UnitOfWork

    original = UnitOfWork.record
    calls = []

    def failing(self, action, reference, changes):
        calls.append(action)
        if calls.count("retention remove") == 2:
            raise RuntimeError("disk full")
        return original(self, action, reference, changes)

    monkeypatch.setattr(UnitOfWork, "record", failing)
    result = run("retention", "--as-of", "2026-11-23", "--apply")
    assert result.exit_code == 1 and "nothing was saved" in result.stderr
    monkeypatch.setattr(UnitOfWork, "record", original)
    assert len(ok("referral", "list", "--json").json) == 5


def test_audit_entries_of_a_whole_case_hold_no_personal_data(store):
    ref = add_referral("--child", "Siân Unforgettable", "--dob", "2001-04-05", "--referrer-phone", "07700 900999")
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    ok("referral", "hold", ref, "--reason", "Litigation")
    ok("referral", "release", ref)
    ok("referral", "withdraw", ref, "--reason", "Consent withdrawn by parent", "--date", "2026-11-04")
    ok("retention", "--as-of", "2027-01-01", "--apply")
    text = json.dumps(ok("audit", ref, "--json").json, ensure_ascii=False)
    for personal in ("Siân", "Unforgettable", "2001-04-05", "Alex Teacher", "07700 900999",
                     "alex.teacher@example.org", "Attendance and anxiety"):
        assert personal not in text
