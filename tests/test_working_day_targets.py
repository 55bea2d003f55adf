"""Targets: working days skip weekends and bank holidays; the co-ordinator can change each one."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import ok, run, store_rows
from masg_cli.bank_holidays import from_library as bank_holidays  # the library itself, at collection
from masg_cli.dates import add_working_days, latest_late_start, target_due

HOLIDAYS = bank_holidays([2026, 2027])


@pytest.mark.parametrize("start, days, due", [
    ("2026-11-27", 1, "2026-11-30"),  # a Friday: the next working day is the Monday
    ("2026-11-27", 5, "2026-12-04"),
    ("2026-11-28", 1, "2026-11-30"),  # received on a Saturday
    ("2026-12-23", 2, "2026-12-29"),  # Christmas Day (Fri) and Boxing Day's Monday skipped
    ("2026-12-24", 1, "2026-12-29"),
    ("2026-12-18", 5, "2026-12-29"),
    ("2027-03-25", 1, "2027-03-30"),  # Good Friday 26 and Easter Monday 29 March 2027 skipped
    ("2027-03-25", 2, "2027-03-31"),
])
def test_working_days_skip_weekends_and_england_and_wales_bank_holidays(start, days, due):
    assert add_working_days(date.fromisoformat(start), days, HOLIDAYS) == date.fromisoformat(due)


def test_calendar_day_targets_count_every_day():
    assert target_due(date(2026, 11, 26), 42, False, HOLIDAYS) == date(2027, 1, 7)


@pytest.mark.parametrize("today", ["2026-12-29", "2026-12-30", "2027-01-04", "2027-03-30", "2027-04-01"])
@pytest.mark.parametrize("days, working", [(2, True), (5, True), (10, True), (42, False)])
def test_the_latest_late_start_splits_late_from_within_target(today, days, working):
    now = date.fromisoformat(today)
    cut = latest_late_start(now, days, working, HOLIDAYS)
    assert target_due(cut, days, working, HOLIDAYS) < now
    assert target_due(date.fromordinal(cut.toordinal() + 1), days, working, HOLIDAYS) >= now


def test_the_defaults_are_listed_with_their_kind_of_day(store):
    assert ok("targets", "list", "--json").json == [
        {"name": "triage", "days": 5, "working_days": True},
        {"name": "more-info", "days": 10, "working_days": True},
        {"name": "sheet", "days": 2, "working_days": True},
        {"name": "minutes", "days": 3, "working_days": True},
        {"name": "tac", "days": 42, "working_days": False},
    ]
    assert "42 calendar days" in ok("targets", "list").stdout


def test_a_target_set_is_kept_and_audited(store):
    ok("targets", "set", "tac", "30", "--working-days")
    ok("targets", "set", "triage", "3")  # keeps counting working days
    ok("targets", "set", "sheet", "7", "--calendar-days")
    found = {t["name"]: t for t in ok("targets", "list", "--json").json}
    assert found["tac"] == {"name": "tac", "days": 30, "working_days": True}
    assert found["triage"] == {"name": "triage", "days": 3, "working_days": True}
    assert found["sheet"] == {"name": "sheet", "days": 7, "working_days": False}
    actions = [e["action"] for e in ok("audit", "--json").json]
    assert actions.count("target set") == 3


@pytest.mark.parametrize("args, code, words", [
    (["targets", "set", "triaj", "5"], 1, "there is no target 'triaj'"),
    (["targets", "set", "triage", "0"], 2, "between 1 and 366 days"),
    (["targets", "set", "triage", "-3"], 2, "between 1 and 366 days"),
    (["targets", "set", "triage", "five"], 2, "DAYS"),
])
def test_a_bad_target_is_one_line_and_changes_nothing(store, args, code, words):
    before = store_rows()
    result = run(*args)
    assert result.exit_code == code
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store_rows() == before
