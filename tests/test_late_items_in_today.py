"""The morning list's late items: each case or meeting past its target, and by how much."""

from __future__ import annotations

from datetime import datetime, timezone

from builders import MEETING_DAY, case_at, on_agenda, out_folder, write
from conftest import add_referral, ok


def late(as_of: str) -> list[dict]:
    return ok("today", "--as-of", as_of, "--json").json["late"]


def brief(items: list[dict]) -> list[tuple]:
    return [(i["reference"], i["target"], i["due"], i["days_late"]) for i in items]


def test_a_referral_not_triaged_within_5_working_days_is_late(store):
    ref = add_referral()  # received Monday 2 November 2026
    assert late("2026-11-09") == []
    assert brief(late("2026-11-10")) == [(ref, "triage", "2026-11-09", 1)]
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-10")
    assert late("2026-11-11") == []


def test_a_changed_target_moves_what_is_late(store):
    ref = add_referral()
    ok("targets", "set", "triage", "10")
    assert late("2026-11-10") == []
    ok("targets", "set", "triage", "3", "--calendar-days")
    assert brief(late("2026-11-10")) == [(ref, "triage", "2026-11-05", 5)]


def test_more_information_unanswered_after_10_working_days_is_late(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Which school?", "--date", "2026-11-03")
    assert late("2026-11-17") == []
    assert brief(late("2026-11-18")) == [(ref, "more-info", "2026-11-17", 1)]


def test_a_decision_sheet_not_produced_within_2_working_days_of_the_meeting_is_late(store, tmp_path):
    ref = case_at("decided")  # decided at the panel of Tuesday 24 November 2026
    assert late("2026-11-26") == []
    assert brief(late("2026-11-27")) == [(ref, "sheet", "2026-11-26", 1)]
    ok("decision", "sheet", ref, "--out", str(out_folder(tmp_path)))
    assert late("2026-11-27") == []


def test_a_tac_not_held_within_42_days_of_the_familys_acceptance_is_late(store):
    ref = case_at("active")  # the family accepted on 26 November 2026
    assert [i for i in late("2027-01-07") if i["target"] == "tac"] == []
    assert [i for i in brief(late("2027-01-08")) if i[1] == "tac"] == [(ref, "tac", "2027-01-07", 1)]
    ok("tac", "record", ref, "--date", "2027-01-08")
    assert [i for i in late("2027-01-09") if i["target"] == "tac"] == []


def _minutes_of(meeting: int) -> None:
    from masg_cli.models import Document

    write(lambda uow: uow.session.add(Document(kind="minutes", meeting_id=meeting, path="minutes.docx",
                                               produced_at=datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc))))


def test_minutes_count_as_late_only_once_the_store_makes_minutes(store):
    ref = case_at("decided")
    meeting = on_agenda(ref, MEETING_DAY)
    assert [i for i in late("2026-12-10") if i["target"] == "minutes"] == []
    later = case_at("accepted")
    other = on_agenda(later, "2026-12-08")
    ok("decision", "record", later, "--meeting", str(other), "--service", "CAMHS: weekly sessions",
       "--lead-name", "Pat Lead", "--lead-agency", "School", "--review-date", "2027-01-05")
    _minutes_of(meeting)
    found = [i for i in late("2026-12-14") if i["target"] == "minutes"]
    assert brief(found) == [(f"meeting {other}", "minutes", "2026-12-11", 3)]


def test_the_screen_shows_late_items_after_the_overdue_follow_ups_and_names_the_rest(store):
    for _ in range(3):
        add_referral()
    shown = ok("today", "--as-of", "2026-11-12", "--rows", "1").stdout
    assert "Past their targets: 3" in shown
    assert "... and 2 more: masg today --json" in shown
    assert shown.index("Past their targets") < shown.index("Referrals waiting for triage")
    assert "past their targets" in ok("today", "--as-of", "2026-11-03").stdout.lower()


def test_each_section_points_at_a_command_that_shows_or_does_the_rest():
    from masg_cli.views import _TITLES

    assert "masg review record" not in " ".join(more for _, more in _TITLES.values())
    assert all(more.startswith("masg ") for _, more in _TITLES.values())
