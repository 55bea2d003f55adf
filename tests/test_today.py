"""The morning list: every section, most urgent first, for people and as JSON."""

from __future__ import annotations

import pytest

from builders import case_at, decide, on_agenda, slot_at
from conftest import add_referral, ok
from masg_cli.services.today import SECTIONS


AS_OF = "2027-02-24"  # the day after the follow-up of a case reviewed on 1 December 2026 fell due


def today(as_of: str = AS_OF) -> dict:
    return ok("today", "--as-of", as_of, "--json").json


def refs(section: list) -> list[str]:
    return [item["reference"] for item in section]


def test_the_json_has_one_array_per_section_in_order_of_urgency(store):
    data = today()
    assert list(data) == ["as_of", *SECTIONS]
    assert SECTIONS[0] == "overdue_follow_ups"
    assert all(data[name] == [] for name in SECTIONS)


def test_an_overdue_follow_up_comes_first_with_its_lead_professional(store):
    ref = case_at("monitoring")
    item = today()["overdue_follow_ups"][0]
    assert (item["reference"], item["due"], item["days_overdue"], item["lead_professional"]) == (
        ref, "2027-02-23", 1, "Siân Sample")
    shown = ok("today", "--as-of", AS_OF).stdout
    assert shown.index("Overdue 12-week follow-ups: 1") < shown.index("Nothing for")


def test_a_follow_up_due_today_is_due_this_week_not_overdue(store):
    ref = case_at("monitoring")
    data = today("2027-02-23")
    assert data["overdue_follow_ups"] == []
    assert refs(data["follow_ups_due_this_week"]) == [ref]
    assert refs(today("2027-02-17")["follow_ups_due_this_week"]) == [ref]
    assert today("2027-02-16")["follow_ups_due_this_week"] == []


def test_a_panel_review_past_its_date_with_no_review_recorded_is_overdue(store):
    ref = case_at("active")  # review due 1 December 2026
    assert refs(today("2026-12-02")["reviews_overdue"]) == [ref]
    assert today("2026-12-01")["reviews_overdue"] == []
    ok("review", "record", ref, "--date", "2026-12-01", "--further-reviews", "yes", "--next-review", "2027-01-12")
    assert today("2026-12-02")["reviews_overdue"] == []


def test_referrals_waiting_for_triage_show_the_days_waiting(store):
    ref = add_referral()  # received 2 November 2026
    item = today("2026-11-23")["waiting_for_triage"][0]
    assert (item["reference"], item["received"], item["days_waiting"]) == (ref, "2026-11-02", 21)


def test_cases_waiting_for_more_information_are_listed_with_what_was_asked(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Asked for the plan", "--date", "2026-11-05")
    item = today("2026-11-23")["waiting_for_information"][0]
    assert (item["reference"], item["days_waiting"], item["asked"]) == (ref, 18, "Asked for the plan")


def test_referrers_who_have_not_confirmed_attendance_at_the_next_meeting(store):
    from builders import case_at

    unsure = case_at("accepted")
    slot_at(unsure, "2026-12-08")
    sure = case_at("accepted")
    slot_at(sure, "2026-12-08", attending="yes")
    later = case_at("accepted")
    slot_at(later, "2026-12-22")  # not the next meeting
    items = today("2026-11-23")["attendance_unconfirmed"]
    assert refs(items) == [unsure]
    assert (items[0]["meeting"], items[0]["date"], items[0]["referrer"]) == (1, "2026-12-08", "Alex Teacher")
    assert refs(today("2026-12-09")["attendance_unconfirmed"]) == [later]


def test_decision_sheets_not_produced_and_family_answers_awaited(store, tmp_path):
    ref = case_at("decided")
    data = today("2026-11-25")
    assert refs(data["decision_sheets_not_produced"]) == [ref]
    assert refs(data["family_answers_awaited"]) == [ref]
    assert data["family_answers_awaited"][0]["days_waiting"] == 1
    ok("decision", "sheet", ref, "--out", tmp_path / "out")
    data = today("2026-11-25")
    assert data["decision_sheets_not_produced"] == [] and refs(data["family_answers_awaited"]) == [ref]
    ok("family-response", ref, "--accepted", "--date", "2026-11-26")
    assert today("2026-11-26")["family_answers_awaited"] == []


def test_people_see_the_first_rows_of_a_long_section_and_how_many_more(store):
    for _ in range(4):
        add_referral()
    shown = ok("today", "--as-of", "2026-11-23", "--rows", "2").stdout
    assert "Referrals waiting for triage: 4" in shown
    assert "... and 2 more" in shown
    assert len(today("2026-11-23")["waiting_for_triage"]) == 4  # JSON gives them all


def test_a_quiet_morning_says_there_is_nothing_to_do(store):
    shown = ok("today", "--as-of", "2026-11-23").stdout
    assert "Today, 23 November 2026" in shown and "Nothing for: overdue 12-week follow-ups" in shown


@pytest.mark.parametrize("bad, says", [("2026-02-30", "is not a real date"), ("11/31/2026", "looks like US order"),
                                       ("tomorrow", "is not a date")])
def test_a_bad_as_of_date_is_a_usage_error(store, bad, says):
    from conftest import run

    result = run("today", "--as-of", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"masg: --as-of '{bad}' {says}")
    assert "write YYYY-MM-DD or DD/MM/YYYY" in result.stderr and result.stderr.count("\n") == 1


# --- Nothing after the day asked about, and no negative days -----------------------------------------


def test_a_referral_received_after_the_as_of_day_is_not_on_that_days_list(store):
    early = add_referral("--received", "2026-11-02")
    later = add_referral("--received", "2026-12-10")
    data = ok("today", "--as-of", "2026-11-20", "--json").json
    assert [(i["reference"], i["days_waiting"]) for i in data["waiting_for_triage"]] == [(early, 18)]
    shown = ok("today", "--as-of", "2026-11-20").stdout
    assert "Referrals waiting for triage: 1" in shown and later not in shown


def test_a_referral_asked_for_more_information_after_the_as_of_day_is_not_waiting_for_it(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--date", "2026-11-20",
       "--note", "Which school does the child attend?")
    assert ok("today", "--as-of", "2026-11-10", "--json").json["waiting_for_information"] == []
    assert [i["days_waiting"] for i in ok("today", "--as-of", "2026-11-23", "--json").json[
        "waiting_for_information"]] == [3]


def test_a_family_answer_awaited_for_a_meeting_after_the_as_of_day_waits_zero_days(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    decide(ref, on_agenda(ref, "2026-12-08"), review="2026-12-22")
    [item] = ok("today", "--as-of", "2026-11-30", "--json").json["family_answers_awaited"]
    assert item["days_waiting"] == 0
    assert "-8" not in ok("today", "--as-of", "2026-11-30").stdout

