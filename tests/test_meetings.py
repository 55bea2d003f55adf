"""Panel meetings: the locality's rhythm, bank holidays, cancelling, moving and the calendar file."""

from __future__ import annotations

from datetime import date

import pytest

from builders import schedule_december
from conftest import ok, run
from masg_cli import rules
from masg_cli.errors import Refused


def meetings(*extra: str) -> list[dict]:
    return ok("meeting", "list", "--json", *extra).json


# --- rules, without a store ---------------------------------------------------------------

@pytest.mark.parametrize("start, weekday, expected", [
    (date(2026, 11, 23), 1, date(2026, 11, 24)),  # Monday -> Tuesday
    (date(2026, 11, 24), 1, date(2026, 11, 24)),  # already a Tuesday
    (date(2026, 11, 25), 1, date(2026, 12, 1)),   # Wednesday -> next Tuesday
])
def test_the_first_meeting_is_the_localitys_weekday_on_or_after_the_start(start, weekday, expected):
    assert rules.first_on_or_after(start, weekday) == expected


def test_a_later_schedule_keeps_the_fortnightly_rhythm_of_the_first():
    anchor = date(2026, 12, 1)
    _, dates = rules.meeting_rhythm(anchor, 1, "fortnightly", date(2027, 1, 1), date(2027, 2, 1))
    assert dates == [date(2027, 1, 12), date(2027, 1, 26)]


@pytest.mark.parametrize("day, expected", [
    (date(2026, 12, 28), date(2026, 12, 29)),  # Boxing Day substitute -> Tuesday
    (date(2027, 1, 1), date(2027, 1, 4)),      # New Year's Day (Friday) -> Monday
    (date(2026, 12, 25), date(2026, 12, 29)),  # Christmas Day, then the substitute Monday
    (date(2026, 12, 1), date(2026, 12, 1)),    # an ordinary Tuesday stays
])
def test_a_bank_holiday_moves_to_the_next_working_day(day, expected):
    from masg_cli.services.meetings import bank_holidays

    assert rules.working_day(day, bank_holidays([2026, 2027])) == expected


def test_slot_times_are_start_plus_n_slot_lengths_and_end_before_the_end_time():
    assert rules.slot_times("09:30", "10:40", 20) == ["09:30", "09:50", "10:10"]


def test_an_impossible_range_is_refused_with_the_way_forward():
    with pytest.raises(Refused, match="before --from"):
        rules.meeting_rhythm(None, 1, "weekly", date(2027, 1, 1), date(2026, 1, 1))


# --- through the command line -------------------------------------------------------------

def test_scheduling_creates_fortnightly_meetings_on_the_localitys_weekday(store):
    out = ok("meeting", "schedule", "--locality", "North", "--from", "2026-11-25", "--until", "2027-01-06")
    assert "3 meeting(s) scheduled" in out.stdout
    rows = meetings()
    assert [r["date"] for r in rows] == ["2026-12-01", "2026-12-15", "2026-12-29"]
    assert {r["locality"] for r in rows} == {"North"}
    assert rows[0]["time"] == "09:30" and rows[0]["venue"] == "Northgate Family Hub"
    assert rows[0]["slots"] == 0 and rows[0]["free"] == 9


def test_scheduling_the_same_range_twice_does_not_duplicate_meetings(store):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2027-03-01")
    again = ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2027-03-01")
    assert "0 meeting(s) scheduled" in again.stdout
    assert len(meetings()) == 7


def test_a_later_schedule_continues_the_rhythm_instead_of_restarting_it(store):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    # A later --from on the "wrong" Tuesday still lands on the fortnight of 1 December.
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-08", "--until", "2026-12-31")
    assert [r["date"] for r in meetings()] == ["2026-12-01", "2026-12-15", "2026-12-29"]


def test_a_meeting_on_the_boxing_day_substitute_moves_to_the_tuesday(store):
    ok("locality", "add", "East", "--weekday", "mon", "--start", "13:00", "--end", "15:00", "--slot-minutes", "30")
    out = ok("meeting", "schedule", "--locality", "East", "--from", "2026-12-14", "--until", "2027-01-11")
    rows = meetings("--locality", "East")
    assert [r["date"] for r in rows] == ["2026-12-14", "2026-12-29", "2027-01-11"]
    assert rows[1]["planned_date"] == "2026-12-28"
    assert "moved from 28 December 2026" in out.stdout


def test_a_weekly_friday_meeting_on_new_years_day_moves_to_monday(store):
    ok("locality", "add", "West", "--cadence", "weekly", "--weekday", "fri")
    ok("meeting", "schedule", "--locality", "West", "--from", "2026-12-31", "--until", "2027-01-08")
    assert [r["date"] for r in meetings("--locality", "West")] == ["2027-01-04", "2027-01-08"]


def test_meeting_list_filters_by_date(store):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2027-01-31")
    assert [r["date"] for r in meetings("--from", "2027-01-01")] == ["2027-01-12", "2027-01-26"]


def test_an_unknown_locality_is_refused_without_a_traceback(store):
    result = run("meeting", "schedule", "--locality", "Nowhere", "--from", "2026-12-01", "--until", "2027-01-31")
    assert result.exit_code == 1 and "Nowhere" in result.stderr and "Traceback" not in result.stderr


def test_cancelling_a_meeting_returns_its_cases_to_the_queue(accepted):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-15")
    ok("agenda", "build", "1")
    assert ok("referral", "show", accepted, "--json").json["status"] == "scheduled"
    out = ok("meeting", "cancel", "1", "--reason", "Venue flooded")
    assert accepted in out.stdout
    assert ok("referral", "show", accepted, "--json").json["status"] == "accepted"
    assert meetings()[0]["status"] == "cancelled"
    assert ok("agenda", "show", "1", "--json").json["slots"] == []
    # ...and the next meeting takes it.
    ok("agenda", "build", "2")
    assert [s["reference"] for s in ok("agenda", "show", "2", "--json").json["slots"]] == [accepted]


def test_nothing_goes_on_the_agenda_of_a_cancelled_meeting(store):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    ok("meeting", "cancel", "1")
    result = run("agenda", "build", "1")
    assert result.exit_code == 1 and "cancelled" in result.stderr


def test_moving_a_meeting_keeps_its_cases_and_asks_for_new_invitations(accepted):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    ok("agenda", "build", "1")
    ok("agenda", "attendance", accepted, "--meeting", "1", "--attending", "yes")
    out = ok("meeting", "move", "1", "--to", "2026-12-03", "--start", "10:00")
    assert "new invitation" in out.stdout
    shown = ok("agenda", "show", "1", "--json").json
    assert shown["meeting"]["date"] == "2026-12-03" and shown["meeting"]["time"] == "10:00"
    assert shown["slots"][0]["time"] == "10:00" and shown["slots"][0]["attending"] == "unknown"


def test_the_calendar_file_parses_has_the_london_timezone_and_stable_uids(store, tmp_path):
    from icalendar import Calendar

    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
    ok("meeting", "ics", "--out", str(tmp_path / "one.ics"))
    ok("meeting", "move", "2", "--to", "2026-12-16")
    ok("meeting", "ics", "--out", str(tmp_path / "two.ics"))
    first = Calendar.from_ical((tmp_path / "one.ics").read_bytes())
    second = Calendar.from_ical((tmp_path / "two.ics").read_bytes())
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["Europe/London"]
    events = first.walk("VEVENT")
    assert len(events) == 3
    assert str(events[0]["DTSTART"].params["TZID"]) == "Europe/London"
    assert [str(e["UID"]) for e in events] == [str(e["UID"]) for e in second.walk("VEVENT")]
    assert second.walk("VEVENT")[1].decoded("DTSTART").date() == date(2026, 12, 16)


# --- Free slots --------------------------------------------------------------------------------------


def test_meeting_list_counts_a_deferred_cases_slot_as_free(accepted):
    schedule_december()
    ok("agenda", "build", "1")
    ok("decision", "defer", accepted, "--meeting", "1")
    first = ok("meeting", "list", "--json").json[0]
    assert (first["slots"], first["free"]) == (0, 9)

