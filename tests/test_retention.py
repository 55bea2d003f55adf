"""masg retention: closed cases removed when the authority's rule says, never before the youngest
child is 18, legal holds kept."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from builders import digest, referral_for_child_born, store_path, stored_case, write
from conftest import add_referral, ok, run, sql
from masg_cli.parsing import parse_retention_rule


D = date


@pytest.fixture
def closed_cases(store):
    """Cases closed long ago (due), recently (not due), one still open, and one re-referral."""

    def build(uow):
        old = stored_case(uow, "MASG-2020-0001", status="closed", closed_reason="completed", received=D(2020, 1, 6),
                          closed_on=D(2020, 9, 1),
                          children=(("Zoë Vanishing", D(1999, 5, 1)), ("Jack Vanishing", D(2001, 3, 3))),
                          needs="Unique-needs-text-for-retention", meeting_date=D(2020, 1, 21), lead_agency="CAMHS",
                          services=[("CAMHS", "Sessions")], reviews=[D(2020, 4, 1)],
                          follow_ups=[(D(2020, 7, 1), D(2020, 7, 1))])
        stored_case(uow, "MASG-2020-0002", status="closed", closed_reason="withdrawn", received=D(2020, 2, 3),
                    closed_on=D(2020, 3, 1), children=(("Ada Old", D(2000, 1, 1)),))
        stored_case(uow, "MASG-2021-0001", status="closed", closed_reason="declined", received=D(2021, 1, 4),
                    closed_on=D(2021, 2, 1), children=(("Kai Young", D(2015, 1, 1)),))
        stored_case(uow, "MASG-2020-0003", status="active", received=D(2020, 5, 5),
                    children=(("Priya Open", D(1998, 1, 1)),))
        stored_case(uow, "MASG-2026-0001", received=D(2026, 1, 5), re_referral_of=old)

    write(build)


# --- What is due, and removing it --------------------------------------------------------------------


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
    assert actions == ["referral import", "legal hold", "legal hold release", "retention remove"]


def test_legal_hold_needs_a_reason_a_known_case_and_a_change(closed_cases):
    before = digest()
    assert run("referral", "hold", "MASG-2020-0001", "--reason", "  ").exit_code == 1
    assert run("referral", "hold", "MASG-1999-0001", "--reason", "x").exit_code == 1
    assert "not on legal hold" in run("referral", "release", "MASG-2020-0001").stderr
    assert digest() == before
    ok("referral", "hold", "MASG-2020-0001", "--reason", "Litigation")
    assert "already on legal hold" in run("referral", "hold", "MASG-2020-0001", "--reason", "x").stderr


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


@pytest.mark.sqlite_only
def test_retention_apply_on_a_busy_store_warns_that_the_cases_were_removed_and_exits_0(store, monkeypatch):
    write(lambda uow: stored_case(uow, "MASG-2020-0002", status="closed", closed_reason="withdrawn",
                                  received=date(2020, 2, 3), closed_on=date(2020, 3, 1),
                                  children=(("Ada Old", date(2000, 1, 1)),)))
    real = sqlite3.connect

    class Busy:  # the compaction's own connection: VACUUM finds the store busy
        def __init__(self, *args, **kwargs):
            self.real = real(*args, **kwargs)

        def execute(self, statement, *args):
            if statement.startswith("VACUUM"):
                raise sqlite3.OperationalError("database is locked")
            return self.real.execute(statement, *args)

        def close(self):
            self.real.close()

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Busy(*a, **k) if "isolation_level" in k else real(*a, **k))
    result = run("retention", "--as-of", "2026-11-23", "--apply")
    assert result.exit_code == 0, result.stderr
    assert "cases removed; the file will be compacted on the next run" in result.stderr
    assert "nothing was saved" not in result.stderr
    monkeypatch.setattr(sqlite3, "connect", real)
    assert ok("referral", "list", "--json").json == []


# --- The rule: never before a child's 18th birthday --------------------------------------------------


def test_the_authoritys_rule_can_be_set_and_is_audited(closed_cases):
    shown = ok("retention", "--set-rule", "years-after-closure:6").stdout
    assert "6 years after the case closed" in shown
    rows = ok("retention", "--as-of", "2026-11-23", "--json").json
    assert [(r["reference"], r["due"]) for r in rows] == [("MASG-2020-0002", "2026-03-01"),
                                                          ("MASG-2020-0001", "2026-09-01")]
    assert ok("audit", "--json").json[-1]["changes"] == {"rule": ["until-age:25", "years-after-closure:6"]}
    assert run("retention", "--set-rule", "forever").exit_code == 2


@pytest.mark.parametrize("rule", ["until-age:0", "until-age:17"])
def test_a_retention_rule_ending_before_a_childs_18th_birthday_is_refused(store, rule):
    result = run("retention", "--set-rule", rule)
    assert result.exit_code == 2
    assert "must be from 18 to 100" in result.stderr and "at least until they are 18" in result.stderr
    assert "until-age:25" in ok("retention").stdout  # the rule stays as it was


@pytest.mark.parametrize("rule", ["years-after-closure:1", "until-age:18"])
def test_no_retention_rule_removes_a_case_before_the_youngest_childs_18th_birthday(rule):
    from masg_cli import rules

    due = rules.retention_due(parse_retention_rule(rule), closed_on=date(2026, 11, 4),
                              youngest_dob=date(2015, 2, 3))
    assert due == date(2033, 2, 3)


# --- Judged from another day than today --------------------------------------------------------------


def test_retention_apply_judged_from_a_later_day_warns_how_many_were_not_yet_due(store):
    ref = referral_for_child_born("2015-02-03")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-11-04")
    later = date.today() + timedelta(days=365 * 30)
    result = run("retention", "--as-of", later.isoformat(), "--apply")
    assert result.exit_code == 0
    assert f"--as-of {later.day} {later:%B %Y} is after today" in result.stderr
    assert "1 case(s) not yet due today were removed" in result.stderr
    assert ok("referral", "list", "--json").json == []


def test_retention_apply_judged_from_today_gives_no_such_warning(store):
    ref = referral_for_child_born("2000-01-01")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-11-04")
    result = run("retention", "--apply")
    assert result.exit_code == 0 and "warning" not in result.stderr

