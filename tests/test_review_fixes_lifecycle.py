"""Fixes from the code review: closed cases leave agendas, reviews on other days, triage history,
one source for the date rules, exit codes of enum options, and no personal data in refusals."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from builders import decide, meeting_on, on_agenda
from builders import case_at, slot_at

from conftest import REFERRAL, add_referral, ok, run, sql

D = date.fromisoformat


def docx_words(path) -> str:
    """The text of a Word document, tags stripped (good enough to look for a name)."""
    import re

    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def other_family(*extra: str) -> str:
    args = list(REFERRAL)
    args[args.index("Zoë Example")] = "Siân Sample"
    return ok("referral", "add", *args, *extra).stdout.strip()


# --- 1. a closed case leaves the agendas it was waiting on -------------------------------------------


def test_a_withdrawn_case_leaves_the_agenda_and_its_details_stay_out_of_the_pack(accepted, tmp_path):
    staying = other_family()
    ok("referral", "triage", staying, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(accepted)
    ok("referral", "withdraw", accepted, "--reason", "Consent withdrawn by parent", "--date", "2026-11-23")
    shown = ok("agenda", "show", meeting, "--json").json
    assert [s["reference"] for s in shown["slots"]] == [staying]
    case = ok("referral", "show", accepted, "--json").json
    assert case["agenda"][0]["outcome"] == "cancelled"
    assert case["history"][-1]["changes"]["agenda_cancelled"] == [meeting]
    written = ok("agenda", "pack", meeting, "--out", tmp_path / "pack", "--as-of", "2026-11-23").stdout
    packs = [line for line in written.split() if "background-pack" in line]
    assert packs, written
    text = docx_words(packs[0])
    assert "Siân Sample" in text and "Zoë Example" not in text
    assert "Zoë Example" not in docx_words([line for line in written.split() if "agenda" in line][0])


# --- 2. reviews recorded on another day, reviews the panel did not reach, booked reviews -------------


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


# --- 5. malformed values of a fixed set of answers are usage problems --------------------------------


def test_an_attendance_answer_that_is_not_yes_or_no_is_a_usage_problem(accepted):
    meeting = on_agenda(accepted)
    result = run("agenda", "attendance", accepted, "--meeting", meeting, "--attending", "maybe")
    assert result.exit_code == 2 and "maybe" in result.stderr
    assert ok("agenda", "show", meeting, "--json").json["slots"][0]["attending"] == "unknown"
    ok("agenda", "attendance", accepted, "--meeting", meeting, "--attending", "YES")
    assert ok("agenda", "show", meeting, "--json").json["slots"][0]["attending"] == "yes"


def test_a_meeting_status_that_is_not_scheduled_or_cancelled_is_a_usage_problem(store):
    meeting_on("2026-11-24")
    result = run("meeting", "list", "--status", "foo")
    assert result.exit_code == 2 and "foo" in result.stderr
    assert len(ok("meeting", "list", "--status", "scheduled", "--json").json) == 3
    assert ok("meeting", "list", "--status", "cancelled", "--json").json == []


# --- 6. refusals name the option, never the personal data typed into it -----------------------------


def test_a_panel_members_bad_email_is_refused_without_repeating_it(store):
    result = run("locality", "member", "add", "North", "--name", "Siân Sample", "--agency", "CAMHS",
                 "--email", "Sian Sample at home")
    assert result.exit_code == 1
    assert result.stderr.strip() == "masg: --email is not an e-mail address; give name@example.org"


def test_a_date_of_birth_after_the_referral_is_refused_naming_the_child_by_number_only(store):
    args = list(REFERRAL)
    args += ["--child", "Siân Sample", "--dob", "2026-11-20"]
    result = run("referral", "add", *args)
    assert result.exit_code == 1
    assert "child 2's --dob is after the referral was received" in result.stderr
    assert "2026-11-20" not in result.stderr and "20/11/2026" not in result.stderr


def test_consent_given_by_someone_not_in_the_list_is_refused_without_repeating_who():
    # The rule answers the interactive prompt too, where anything can be typed.
    from masg_cli import rules
    from masg_cli.errors import Refused

    with pytest.raises(Refused) as refused:
        rules.check_consent(D("2026-11-01"), "Mrs O'Brien", D("2026-11-02"))
    assert str(refused.value) == "--consent-by is not one of: parent, young-person, both"


# --- 4. one source for the date rules and for a case's latest decision -----------------------------


def test_a_follow_up_due_today_is_not_overdue_and_one_due_yesterday_is_one_day_overdue(store):
    from builders import case_at

    ref = case_at("monitoring")  # reviewed 1 December 2026: follow-up due 23 February 2027
    assert ok("followup", "list", "--overdue", "--as-of", "2027-02-23", "--json").json == []
    [due_today] = ok("followup", "list", "--as-of", "2027-02-23", "--json").json
    assert (due_today["reference"], due_today["days_overdue"]) == (ref, 0)
    [overdue] = ok("followup", "list", "--overdue", "--as-of", "2027-02-24", "--json").json
    assert (overdue["reference"], overdue["days_overdue"]) == (ref, 1)
    morning = ok("today", "--as-of", "2027-02-23", "--json").json
    assert morning["overdue_follow_ups"] == []
    assert [i["reference"] for i in morning["follow_ups_due_this_week"]] == [ref]


def test_the_latest_decision_is_the_one_at_the_latest_meeting_wherever_it_is_read(store):
    from builders import case_at

    ref = case_at("monitoring")  # decided at the meeting of 24 November 2026 (Lead Professional Siân Sample)
    earlier = slot_at(ref, "2026-11-10", kind="review")
    [(referral_id,)] = sql("SELECT id FROM referral WHERE reference = :r", {"r": ref})
    # A decision at an earlier meeting, written after the real one (so with a higher id).
    sql("INSERT INTO decision (referral_id, meeting_id, lead_name, lead_agency, lead_contact, review_date, "
        "recorded_at) VALUES (:r, :m, 'Old Lead', 'Old Agency', '', '2026-11-17', '2026-11-23 10:00:00')",
        {"r": referral_id, "m": earlier})
    [row] = ok("followup", "list", "--as-of", "2027-02-23", "--json").json
    assert row["lead_professional"] == "Siân Sample"
    from builders import in_store
    from masg_cli.services.decisions import latest_decision
    from masg_cli.services.referrals import get_referral

    with in_store(write=False) as uow:
        assert latest_decision(uow.session, get_referral(uow.session, ref)).lead_name == "Siân Sample"


# --- 3. what was asked of the referrer is kept: every triage and every answer -----------------------


def test_every_triage_and_answer_is_kept_and_shown_while_the_audit_holds_no_note_text(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Asked for the school's attendance plan",
       "--date", "2026-11-04")
    ok("referral", "info-received", ref, "--note", "Plan sent by Alex Teacher", "--date", "2026-11-10")
    ok("referral", "triage", ref, "--outcome", "accept", "--note", "Three agencies now involved",
       "--date", "2026-11-11")
    case = ok("referral", "show", ref, "--json").json
    assert case["triage_history"] == [
        {"date": "2026-11-04", "outcome": "more-info", "agency": None, "note": "Asked for the school's attendance plan"},
        {"date": "2026-11-10", "outcome": "info-received", "agency": None, "note": "Plan sent by Alex Teacher"},
        {"date": "2026-11-11", "outcome": "accept", "agency": None, "note": "Three agencies now involved"},
    ]
    assert case["triage"] == {"date": "2026-11-11", "outcome": "accept", "agency": None,
                              "note": "Three agencies now involved"}
    assert [e["event"] for e in case["timeline"]] == [
        "received", "triage: more-info", "more information received", "triage: accept"]
    shown = " ".join(ok("referral", "show", ref).stdout.split())
    assert "more-info on 4 November 2026: Asked for the school's" in shown and "received on 10 November 2026: Plan sent" in shown
    audit = str(case["history"])
    assert "attendance plan" not in audit and "Plan sent" not in audit and "Three agencies" not in audit


def test_a_store_triaged_before_the_history_existed_keeps_its_triage_as_the_first_entry():
    from masg_cli import store as masg_store

    ok("init", "--panel", "MASG")
    ok("locality", "add", "North", "--venue", "Northgate Family Hub")
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Asked for the plan", "--date", "2026-11-04")
    # As the store was before m003: no triage_entry table, only the referral's columns.
    sql("DROP TABLE triage_entry")
    sql("DELETE FROM masg_migrations WHERE name = 'm003_triage_history'")
    masg_store.dispose_engines()
    case = ok("referral", "show", ref, "--json").json
    assert case["triage_history"] == [
        {"date": "2026-11-04", "outcome": "more-info", "agency": None, "note": "Asked for the plan"}]
