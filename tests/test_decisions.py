"""After the panel: decisions, deferral, the family's answer and the Team Around the Child."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from builders import decide, digest, meeting_on, on_agenda, slot_at, stored_case, write
from conftest import ok, run, sql
from masg_cli import rules
from masg_cli.errors import Refused, UsageProblem
from masg_cli.parsing import parse_service


# --- The rules, without a store -----------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("CAMHS: weekly sessions", ("CAMHS", "weekly sessions")),
    ("  School nursing :  drop-in  ", ("School nursing", "drop-in")),
    ("Family support: help with routines: mornings", ("Family support", "help with routines: mornings")),
])
def test_a_service_is_read_as_agency_colon_what(typed, expected):
    assert parse_service(typed) == expected


@pytest.mark.parametrize("typed", ["CAMHS", ": sessions", "CAMHS:", "  :  ", ""])
def test_a_malformed_service_is_a_usage_problem_that_shows_the_form(typed):
    with pytest.raises(UsageProblem, match="AGENCY: WHAT"):
        parse_service(typed, 2)


def test_a_decision_without_a_service_is_refused_by_the_rules():
    with pytest.raises(Refused, match="at least one service"):
        rules.check_services([])


@pytest.mark.parametrize("answer, expected", [
    ("accepted", ("active", None)),
    ("declined", ("closed", "declined")),
])
def test_the_familys_answer_decides_the_next_status(answer, expected):
    assert rules.family_response_outcome(answer) == expected


@pytest.mark.parametrize("answered, ok_", [("2026-11-23", False), ("2026-11-24", True), ("2026-12-01", True)])
def test_the_family_answers_on_or_after_the_meeting(answered, ok_):
    from datetime import date

    meeting = date(2026, 11, 24)
    if ok_:
        rules.check_family_response_date("MASG-2026-0001", date.fromisoformat(answered), meeting)
    else:
        with pytest.raises(Refused, match="before the meeting"):
            rules.check_family_response_date("MASG-2026-0001", date.fromisoformat(answered), meeting)


@pytest.mark.parametrize("outcome, refused", [(None, True), ("deferred", True), ("moved", True),
                                              ("pending", False), ("decided", False)])
def test_only_a_case_on_the_meetings_agenda_can_be_decided(outcome, refused):
    if refused:
        with pytest.raises(Refused, match="not on the agenda of meeting 7"):
            rules.check_on_agenda("MASG-2026-0001", "7 (24 November 2026)", outcome)
    else:
        rules.check_on_agenda("MASG-2026-0001", "7 (24 November 2026)", outcome)


# --- decision record ------------------------------------------------------------------------------


def test_recording_a_decision_moves_the_case_to_decided_with_services_per_agency(accepted):
    meeting = on_agenda(accepted)
    result = decide(accepted, meeting)
    assert "decided" in result.stdout and "1 December 2026" in result.stdout
    shown = ok("referral", "show", accepted, "--json").json
    assert shown["status"] == "decided"
    assert shown["next_review"] == "2026-12-01"
    [decision] = shown["decisions"]
    assert decision["services"] == [
        {"agency": "CAMHS", "what": "Weekly sessions for anxiety"},
        {"agency": "O'Brien & Sons <Ltd>", "what": "Help with morning routines"},
    ]
    assert decision["lead_professional"] == {"name": "Siân Sample", "agency": "School nursing",
                                             "contact": "07700 900123"}
    assert [s["outcome"] for s in shown["agenda"]] == ["decided"]
    assert shown["history"][-1]["action"] == "decision record"


def test_a_decision_for_a_case_not_on_that_agenda_is_refused_naming_the_meeting(accepted):
    on_agenda(accepted, "2026-11-24")
    other_meeting = meeting_on("2026-12-08")
    result = decide(accepted, other_meeting, review="2026-12-22", check=False)
    assert result.exit_code == 1
    assert f"not on the agenda of meeting {other_meeting} (8 December 2026)" in result.stderr
    assert ok("referral", "show", accepted, "--json").json["decisions"] == []


def test_a_decision_for_an_unknown_meeting_is_refused(accepted):
    on_agenda(accepted)
    result = decide(accepted, 999, check=False)
    assert result.exit_code == 1 and "no meeting 999" in result.stderr


def test_a_decision_without_a_service_is_refused_and_nothing_is_written(accepted):
    meeting = on_agenda(accepted)
    result = run("decision", "record", accepted, "--meeting", meeting, "--lead-name", "Siân Sample",
                 "--lead-agency", "School nursing", "--review-date", "2026-12-01")
    assert result.exit_code == 1
    assert "at least one service" in result.stderr
    assert ok("referral", "show", accepted, "--json").json["status"] == "scheduled"


def test_a_malformed_service_exits_2_with_the_form_and_without_the_value(accepted):
    meeting = on_agenda(accepted)
    result = decide(accepted, meeting, services=["CAMHS: sessions", "Zoë needs help"], check=False)
    assert result.exit_code == 2
    assert "--service number 2" in result.stderr and "AGENCY: WHAT" in result.stderr
    assert "Zoë" not in result.stderr


@pytest.mark.parametrize("review", ["2026-11-24", "2026-11-20"])
def test_a_review_date_on_or_before_the_meeting_is_refused(accepted, review):
    meeting = on_agenda(accepted)
    result = decide(accepted, meeting, review=review, check=False)
    assert result.exit_code == 1
    assert "not after the meeting" in result.stderr
    assert ok("referral", "show", accepted, "--json").json["status"] == "scheduled"


def test_recording_again_corrects_the_decision_without_a_duplicate(accepted):
    meeting = on_agenda(accepted)
    decide(accepted, meeting)
    result = decide(accepted, meeting, services=["Housing: Repairs to the flat"], review="2026-12-15",
                    lead=("Jo Other", "Housing", ""))
    assert "corrected" in result.stdout
    shown = ok("referral", "show", accepted, "--json").json
    [decision] = shown["decisions"]
    assert decision["services"] == [{"agency": "Housing", "what": "Repairs to the flat"}]
    assert decision["lead_professional"]["name"] == "Jo Other"
    assert decision["review_date"] == "2026-12-15" and shown["next_review"] == "2026-12-15"
    assert shown["status"] == "decided"
    entry = shown["history"][-1]
    assert entry["action"] == "decision correct"
    changes = entry["changes"] if isinstance(entry["changes"], dict) else json.loads(entry["changes"])
    assert changes["review_date"] == ["2026-12-01", "2026-12-15"]
    assert changes["services"] == [["CAMHS", "O'Brien & Sons <Ltd>"], ["Housing"]]
    assert changes["lead_name"] == "changed"


def test_a_decision_cannot_be_recorded_for_a_case_decided_at_an_earlier_meeting(accepted):
    first = on_agenda(accepted)
    decide(accepted, first)
    # Its review falls due on 1 December, so the next agenda takes it as a review.
    later = on_agenda(accepted, "2026-12-08")
    result = decide(accepted, later, review="2026-12-22", check=False)
    assert result.exit_code == 1
    assert "is decided" in result.stderr


# --- decision defer -------------------------------------------------------------------------------


def test_deferring_puts_the_case_back_in_the_queue_with_the_reason_kept(accepted):
    meeting = on_agenda(accepted)
    result = ok("decision", "defer", accepted, "--meeting", meeting, "--note", "Not reached")
    assert "deferred" in result.stdout
    shown = ok("referral", "show", accepted, "--json").json
    assert shown["status"] == "accepted"
    assert shown["agenda"][0]["outcome"] == "deferred" and shown["agenda"][0]["note"] == "Not reached"
    assert shown["history"][-1]["action"] == "decision defer"


def test_a_deferred_case_goes_on_the_next_meetings_agenda_and_can_be_decided_there(accepted):
    first = on_agenda(accepted, "2026-11-24")
    ok("decision", "defer", accepted, "--meeting", first, "--note", "Not reached")
    later = on_agenda(accepted, "2026-12-08")
    decide(accepted, later, review="2026-12-22")
    assert ok("referral", "show", accepted, "--json").json["status"] == "decided"


def test_a_deferred_case_cannot_then_be_decided_at_that_meeting(accepted):
    meeting = on_agenda(accepted)
    ok("decision", "defer", accepted, "--meeting", meeting)
    result = decide(accepted, meeting, check=False)
    assert result.exit_code == 1 and "deferred there" in result.stderr


def test_deferring_a_case_not_on_the_agenda_is_refused(accepted):
    on_agenda(accepted, "2026-11-24")
    other_meeting = meeting_on("2026-12-08")
    result = run("decision", "defer", accepted, "--meeting", other_meeting)
    assert result.exit_code == 1 and f"not on the agenda of meeting {other_meeting}" in result.stderr
    assert ok("referral", "show", accepted, "--json").json["status"] == "scheduled"


def test_a_decided_case_cannot_be_deferred(accepted):
    meeting = on_agenda(accepted)
    decide(accepted, meeting)
    result = run("decision", "defer", accepted, "--meeting", meeting)
    assert result.exit_code == 1 and "already decided" in result.stderr


# --- family-response and tac ------------------------------------------------------------------------


def test_the_family_accepting_makes_the_case_active(accepted):
    decide(accepted, on_agenda(accepted))
    result = ok("family-response", accepted, "--accepted", "--date", "2026-11-30")
    assert "active" in result.stdout and "Team Around the Child" in result.stdout
    shown = ok("referral", "show", accepted, "--json").json
    assert shown["status"] == "active"
    assert shown["family_response"] == {"answer": "accepted", "date": "2026-11-30"}


def test_the_family_declining_closes_the_case_as_declined(accepted):
    decide(accepted, on_agenda(accepted))
    ok("family-response", accepted, "--declined", "--date", "2026-11-30")
    shown = ok("referral", "show", accepted, "--json").json
    assert (shown["status"], shown["closed_reason"], shown["closed_on"]) == ("closed", "declined", "2026-11-30")


def test_a_family_answer_before_a_decision_is_refused_naming_the_status(accepted):
    on_agenda(accepted)
    result = run("family-response", accepted, "--accepted", "--date", "2026-11-30")
    assert result.exit_code == 1
    assert "is scheduled" in result.stderr and "decision" in result.stderr


def test_a_family_answer_dated_before_the_meeting_is_refused(accepted):
    decide(accepted, on_agenda(accepted))
    result = run("family-response", accepted, "--accepted", "--date", "2026-11-20")
    assert result.exit_code == 1 and "before the meeting" in result.stderr
    assert ok("referral", "show", accepted, "--json").json["status"] == "decided"


@pytest.mark.parametrize("flags", [[], ["--accepted", "--declined"]])
def test_the_family_answer_needs_exactly_one_of_accepted_or_declined(accepted, flags):
    decide(accepted, on_agenda(accepted))
    result = run("family-response", accepted, *flags)
    assert result.exit_code == 2 and "exactly one" in result.stderr


def test_the_team_around_the_child_meeting_is_recorded_for_an_active_case(accepted):
    decide(accepted, on_agenda(accepted))
    ok("family-response", accepted, "--accepted", "--date", "2026-11-30")
    result = ok("tac", "record", accepted, "--date", "07/12/2026")
    assert "7 December 2026" in result.stdout
    shown = ok("referral", "show", accepted, "--json").json
    assert shown["tac_date"] == "2026-12-07"
    assert any(e["event"] == "Team Around the Child meeting" for e in shown["timeline"])


def test_a_team_around_the_child_meeting_before_the_family_accepted_is_refused(accepted):
    decide(accepted, on_agenda(accepted))
    ok("family-response", accepted, "--accepted", "--date", "2026-11-30")
    result = run("tac", "record", accepted, "--date", "2026-11-29")
    assert result.exit_code == 1 and "before the family accepted" in result.stderr


def test_a_team_around_the_child_meeting_needs_an_active_case(accepted):
    decide(accepted, on_agenda(accepted))
    result = run("tac", "record", accepted, "--date", "2026-12-07")
    assert result.exit_code == 1 and "is decided" in result.stderr


def test_the_morning_list_shows_sheets_not_produced_and_answers_awaited(accepted, tmp_path):
    decide(accepted, on_agenda(accepted))
    morning = ok("today", "--as-of", "2026-11-25", "--json").json
    assert [r["reference"] for r in morning["decision_sheets_not_produced"]] == [accepted]
    assert [r["reference"] for r in morning["family_answers_awaited"]] == [accepted]
    ok("decision", "sheet", accepted, "--out", tmp_path / "out")
    ok("family-response", accepted, "--accepted", "--date", "2026-11-25")
    morning = ok("today", "--as-of", "2026-11-25", "--json").json
    assert morning["decision_sheets_not_produced"] == [] and morning["family_answers_awaited"] == []


def test_every_command_has_help():
    for args in (["decision", "record"], ["decision", "defer"], ["decision", "sheet"],
                 ["family-response"], ["tac", "record"]):
        result = ok(*args, "--help")
        assert "Usage" in result.stdout


@pytest.mark.slow
def test_a_real_masg_process_records_a_decision_and_refuses_a_bad_one(accepted, tmp_path):
    import os
    import subprocess

    meeting = on_agenda(accepted)
    env = dict(os.environ)
    masg = str(Path(sys.executable).parent / "masg")  # this interpreter's console script, not PATH's
    base = [masg, "decision", "record", accepted, "--meeting", str(meeting), "--lead-name", "Siân Sample",
            "--lead-agency", "School nursing"]
    bad = subprocess.run(base + ["--service", "CAMHS: sessions", "--review-date", "2026-11-24"],
                         env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1
    good = subprocess.run(base + ["--service", "CAMHS: sessions", "--review-date", "2026-12-01"],
                          env=env, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr


# --- A decision's place in the case ------------------------------------------------------------------


def test_the_familys_answer_on_a_case_with_no_panel_decision_is_refused_not_a_crash(store):
    write(lambda uow: stored_case(uow, "MASG-2025-0001", status="decided", received=date(2025, 1, 6)))
    before = digest()
    result = run("family-response", "MASG-2025-0001", "--accepted", "--date", "2025-02-01")
    assert result.exit_code == 1
    assert "MASG-2025-0001 has no panel decision recorded" in result.stderr and "decision record" in result.stderr
    assert "unexpected" not in result.stderr and digest() == before


def test_a_case_the_family_declined_has_no_panel_review_due(accepted):
    from builders import decide, on_agenda

    decide(accepted, on_agenda(accepted))
    ok("family-response", accepted, "--declined", "--date", "2026-11-25")
    case = ok("referral", "show", accepted, "--json").json
    assert case["status"] == "closed" and case["next_review"] is None


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

