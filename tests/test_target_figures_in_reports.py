"""The manager's report: each target's share met, step-ups, step-downs, re-referrals in 12 months."""

from __future__ import annotations

from builders import case_at
from conftest import add_referral, ok, sql

PERIOD = ("--from", "2026-11-01", "--to", "2026-12-31")


def summary(*extra: str) -> dict:
    return ok("report", "summary", *PERIOD, "--json", *extra).json


def test_triage_within_late_and_never_done_past_target_are_counted(store):
    on_time, late, never = add_referral(), add_referral(), add_referral()  # received 2 November 2026
    ok("referral", "triage", on_time, "--outcome", "accept", "--date", "2026-11-09")
    ok("referral", "triage", late, "--outcome", "accept", "--date", "2026-11-10")
    assert summary()["targets"]["triage"] == {"within": 1, "late": 2, "rate": 0.333}
    assert never


def test_a_target_with_nothing_in_the_period_has_no_rate(store):
    report = summary()
    assert set(report["targets"]) == {"triage", "more-info", "sheet", "minutes", "tac"}
    assert report["targets"]["tac"] == {"within": 0, "late": 0, "rate": None}


def test_sheets_and_tac_meetings_count_from_the_meeting_and_the_familys_acceptance(store):
    decided = case_at("decided")  # the panel of 24 November 2026: sheet due by the 26th
    active = case_at("active")  # accepted 26 November: TAC due by 7 January 2027
    ok("tac", "record", active, "--date", "2026-12-10")
    report = summary()
    assert report["targets"]["tac"] == {"within": 1, "late": 0, "rate": 1.0}
    # The active case's sheet was never made, but the family has answered: not counted.
    assert report["targets"]["sheet"] == {"within": 0, "late": 1, "rate": 0.0}
    assert decided


def test_a_changed_target_changes_the_share_met(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-12")
    assert summary()["targets"]["triage"]["late"] == 1
    ok("targets", "set", "triage", "10")
    assert summary()["targets"]["triage"] == {"within": 1, "late": 0, "rate": 1.0}


def test_step_ups_and_re_referrals_within_12_months_are_counted(store):
    first = add_referral("--received", "2026-11-02")
    ok("referral", "withdraw", first, "--reason", "Family moved", "--as-of", "2026-11-06")
    add_referral("--re-referral-of", first, "--received", "2026-11-16")
    stepped = add_referral("--received", "2026-11-02")
    sql("UPDATE referral SET status = 'closed', closed_reason = 'stepped-up', closed_on = '2026-11-20' "
        "WHERE reference = :ref", {"ref": stepped})
    report = summary()
    assert (report["stepped_up"], report["stepped_down"], report["rereferred_within_12_months"]) == (1, 0, 1)


def test_the_screen_and_the_workbook_show_the_targets(store, tmp_path):
    add_referral()
    shown = ok("report", "summary", *PERIOD).stdout
    assert "Targets: items within and late" in shown and "Re-referred within" in shown
    from openpyxl import load_workbook

    book = tmp_path / "figures.xlsx"
    ok("report", "summary", *PERIOD, "--xlsx", str(book))
    workbook = load_workbook(book)
    sheet = workbook["Targets"]
    assert [c.value for c in sheet[1]] == ["Target", "Within", "Late", "Rate"]
    assert [c.value for c in sheet[2]] == ["triage", 0, 1, 0]
    assert len(sheet._charts) == 1
    by_month = workbook["Targets by month"]
    assert [c.value for c in by_month[2]] == ["North", "2026-11", "triage", 0, 1, 0]


def test_targets_are_counted_by_locality_and_month_of_the_start(store):
    ok("locality", "add", "South", "--weekday", "wed")
    add_referral()  # North, 2 November 2026: never triaged
    south = add_referral("--locality", "South", "--received", "2026-12-01")
    ok("referral", "triage", south, "--outcome", "accept", "--date", "2026-12-02")
    rows = summary()["tables"]["targets_by_month"]
    assert [(r["locality"], r["month"], r["target"], r["within"], r["late"]) for r in rows] == [
        ("North", "2026-11", "triage", 0, 1), ("South", "2026-12", "triage", 1, 0)]
    assert summary("--locality", "South")["targets"]["triage"] == {"within": 1, "late": 0, "rate": 1.0}
