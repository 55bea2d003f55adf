"""Panel reviews: further reviews keep the case active; none puts it into monitoring with a
12-week follow-up counted from that review."""

from __future__ import annotations

from datetime import date

import pytest

from builders import FIRST_REVIEW, case_at, meeting_on, show, slot_at
from conftest import ok, run
from masg_cli import rules
from masg_cli.errors import Refused


# --- the rule, as a table ---------------------------------------------------------------------

D = date.fromisoformat


@pytest.mark.parametrize("review, further, next_review, expected", [
    ("2026-12-01", True, "2027-01-12", ("active", D("2027-01-12"), None)),
    ("2026-12-01", False, None, ("monitoring", None, D("2027-02-23"))),
    ("2027-01-12", False, None, ("monitoring", None, D("2027-04-06"))),
])
def test_a_review_decides_where_the_case_goes(review, further, next_review, expected):
    result = rules.panel_review("MASG-2026-0001", D(review), decided_at=D("2026-11-24"), previous_review=None,
                                further_reviews=further, next_review=D(next_review) if next_review else None)
    assert (result.status, result.next_review, result.follow_up_due) == expected
    assert result.last_reviewed == D(review)


@pytest.mark.parametrize("review, previous, further, next_review, words", [
    ("2026-11-24", None, False, None, "not after the meeting"),
    ("2026-11-20", None, False, None, "not after the meeting"),
    ("2026-12-01", "2026-12-01", False, None, "last reviewed"),
    ("2026-12-01", None, True, None, "--next-review"),
    ("2026-12-01", None, True, "2026-12-01", "not after this review"),
    ("2026-12-01", None, False, "2027-01-12", "--further-reviews no"),
])
def test_a_review_that_does_not_fit_the_dates_is_refused(review, previous, further, next_review, words):
    with pytest.raises(Refused, match=words):
        rules.panel_review("MASG-2026-0001", D(review), decided_at=D("2026-11-24"),
                           previous_review=D(previous) if previous else None, further_reviews=further,
                           next_review=D(next_review) if next_review else None)


def test_the_follow_up_is_due_84_days_after_the_last_panel_review():
    assert rules.follow_up_due(D("2026-12-01")) == D("2027-02-23")
    assert (rules.follow_up_due(D("2026-12-01")) - D("2026-12-01")).days == 84


# --- through the command ----------------------------------------------------------------------


def test_further_reviews_keep_the_case_active_with_its_next_review_date(store):
    ref = case_at("active")
    result = ok("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "yes",
                "--next-review", "12/01/2027")
    assert "next panel review on 12 January 2027" in result.stdout
    case = show(ref)
    assert (case["status"], case["next_review"], case["follow_up_due"]) == ("active", "2027-01-12", None)
    assert case["reviews"][0]["further_reviews"] is True


def test_no_further_reviews_puts_the_case_into_monitoring_with_a_follow_up_84_days_on(store):
    ref = case_at("active")
    result = ok("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "no", "--note", "Going well")
    assert "contact the Lead Professional by 23 February 2027" in result.stdout
    case = show(ref)
    assert case["status"] == "monitoring"
    assert (case["last_reviewed"], case["follow_up_due"], case["next_review"]) == ("2026-12-01", "2027-02-23", None)


def test_a_further_review_resets_the_count_to_the_last_panel_review(store):
    ref = case_at("active")
    ok("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "yes", "--next-review", "2027-01-12")
    ok("review", "record", ref, "--date", "2027-01-12", "--further-reviews", "no")
    case = show(ref)
    assert case["follow_up_due"] == "2027-04-06"  # 84 days after 12 January, not after 1 December
    assert [r["date"] for r in case["reviews"]] == ["2026-12-01", "2027-01-12"]


def test_a_decided_case_can_be_reviewed_before_the_family_answers(store):
    ref = case_at("decided")
    ok("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "yes", "--next-review", "2027-01-12")
    assert show(ref)["status"] == "active"


def test_yes_without_a_next_review_date_is_refused_and_nothing_changes(store):
    ref = case_at("active")
    result = run("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "yes")
    assert result.exit_code == 1 and "--next-review" in result.stderr
    case = show(ref)
    assert (case["status"], case["reviews"]) == ("active", [])


def test_a_review_dated_on_or_before_the_decision_meeting_is_refused(store):
    ref = case_at("active")
    result = run("review", "record", ref, "--date", "2026-11-24", "--further-reviews", "no")
    assert result.exit_code == 1 and "not after the meeting" in result.stderr
    assert "Zoë" not in result.stderr


def test_a_case_not_yet_decided_cannot_be_reviewed(store):
    ref = case_at("accepted")
    result = run("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "no")
    assert result.exit_code == 1 and "is accepted" in result.stderr


def test_a_monitored_case_is_not_reviewed_again_but_re_referred(store):
    ref = case_at("active")
    ok("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "no")
    result = run("review", "record", ref, "--date", "2027-01-12", "--further-reviews", "no")
    assert result.exit_code == 1 and "masg followup record" in result.stderr


def test_a_bad_review_date_is_a_usage_error(store):
    ref = case_at("active")
    result = run("review", "record", ref, "--date", "12/31/2026", "--further-reviews", "no")
    assert result.exit_code == 2 and "--date" in result.stderr


def test_a_review_at_a_meeting_marks_the_cases_review_slot_reviewed(store):
    ref = case_at("active")
    slot_at(ref, "2026-12-08", kind="review")
    ok("review", "record", ref, "--date", "2026-12-08", "--further-reviews", "no")
    case = show(ref)
    review_slot = [s for s in case["agenda"] if s["date"] == "2026-12-08"][0]
    assert review_slot["outcome"] == "reviewed"


def test_a_review_is_in_the_audit_trail_and_the_timeline(store):
    ref = case_at("active")
    ok("review", "record", ref, "--date", FIRST_REVIEW, "--further-reviews", "no")
    case = show(ref)
    assert any(e["action"] == "review record" for e in case["history"])
    assert {"date": "2026-12-01", "event": "panel review: no further reviews"} in case["timeline"]


# --- Reviews recorded on another day, reviews the panel did not reach, reviews booked ahead ----------


def test_a_review_written_up_days_after_the_meeting_takes_the_case_off_that_agenda(store):
    ref = case_at("active")  # decided 24 November, review due 1 December
    meeting = slot_at(ref, "2026-12-01", kind="review")
    ok("review", "record", ref, "--date", "2026-12-03", "--further-reviews", "yes", "--next-review", "2027-01-12")
    case = ok("referral", "show", ref, "--json").json
    assert [(s["meeting"], s["outcome"]) for s in case["agenda"] if s["kind"] == "review"] == [(meeting, "reviewed")]
    assert ok("agenda", "show", meeting, "--json").json["not_answered"] == []


def test_a_review_the_panel_did_not_reach_is_deferred_and_goes_on_the_next_agenda(store):
    ref = case_at("active")
    meeting = slot_at(ref, "2026-12-01", kind="review")
    result = run("decision", "defer", ref, "--meeting", meeting, "--note", "Not reached")
    assert result.exit_code == 0, result.stderr
    assert "deferred: active again" in result.stdout
    case = ok("referral", "show", ref, "--json").json
    assert case["status"] == "active"
    [slot] = [s for s in case["agenda"] if s["kind"] == "review"]
    assert (slot["outcome"], slot["note"]) == ("deferred", "Not reached")
    assert case["history"][-1]["action"] == "decision defer"
    later = meeting_on("2026-12-08")
    ok("agenda", "build", later)
    assert [(s["reference"], s["kind"]) for s in ok("agenda", "show", later, "--json").json["slots"]] == [
        (ref, "review")]


def test_a_review_booked_on_a_coming_meeting_is_not_listed_as_overdue_this_morning(store):
    ref = case_at("active")  # review due 1 December
    slot_at(ref, "2026-12-08", kind="review")
    assert ok("today", "--as-of", "2026-12-02", "--json").json["reviews_overdue"] == []
    # Once that meeting has passed with nothing recorded, it is overdue again.
    assert [i["reference"] for i in ok("today", "--as-of", "2026-12-09", "--json").json["reviews_overdue"]] == [ref]

