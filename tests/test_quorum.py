"""The quorum: the panel decides only when enough agencies are there, children's social care among
them; an inquorate decision or review needs the reason the panel went ahead."""

from __future__ import annotations

import pytest

from builders import FIRST_REVIEW, case_at, decide, digest, slot_at
from conftest import ok, run, sql
from masg_cli import rules
from masg_cli.errors import Refused

CSC = "Children's social care"


@pytest.mark.parametrize("present, needed, required, quorate, missing", [
    ([], 0, [], True, ""),
    (["CAMHS", "Education"], 2, [], True, ""),
    (["CAMHS", "camhs ", "CAMHS"], 2, [], False, "1 of the 2 agencies needed present"),
    (["CAMHS", "Education", CSC], 3, [CSC], True, ""),
    (["CAMHS", "Education", "Police"], 3, [CSC], False, "no one from Children's social care"),
    (["CAMHS"], 3, [CSC, "Police"], False,
     "1 of the 3 agencies needed present; no one from Children's social care or Police"),
    (["children's  SOCIAL care"], 1, [CSC], True, ""),
    ([CSC], 0, [CSC], True, ""),
])
def test_the_quorum_rule(present, needed, required, quorate, missing):
    found = rules.quorum(present, needed=needed, quorum_agencies=required)
    assert found.quorate is quorate
    assert found.missing() == missing


@pytest.mark.parametrize("role, deputy, counts", [
    ("present", None, True), ("apologies", "Dee Puty", True), ("apologies", None, False),
    ("guest", None, False),
])
def test_who_counts_towards_the_quorum(role, deputy, counts):
    assert rules.counts_for_quorum(role, deputy) is counts


def test_an_inquorate_meeting_needs_a_reason_to_decide():
    inquorate = rules.quorum(["CAMHS"], needed=2)
    with pytest.raises(Refused, match="meeting 4 .* is not quorate"):
        rules.check_quorate("4 (1 December 2026)", inquorate, None)
    with pytest.raises(Refused):
        rules.check_quorate("4 (1 December 2026)", inquorate, "   ")
    rules.check_quorate("4 (1 December 2026)", inquorate, "Urgent: the family moves next week")


# --- Through the commands ----------------------------------------------------------------------


@pytest.fixture
def on_agenda(store):
    """An accepted case on the agenda of North's meeting of 24 November 2026; North needs two
    agencies present, children's social care one of them."""
    for name, agency in (("Sam Panel", "Health visiting"), ("Kit Social", CSC)):
        ok("locality", "member", "add", "North", "--name", name, "--agency", agency,
           "--email", f"{name.split()[0].lower()}@example.org")
    ok("locality", "set", "North", "--quorum", "2", "--quorum-agency", CSC)
    reference = case_at("accepted")
    return reference, slot_at(reference, "2026-11-24")


def test_a_decision_at_an_inquorate_meeting_is_refused_naming_what_is_missing(on_agenda):
    reference, meeting = on_agenda
    ok("meeting", "attendance", meeting, "--member", "Sam Panel", "--present")
    before = digest()
    result = decide(reference, meeting, check=False)
    assert result.exit_code == 1
    assert result.stderr == (f"masg: meeting {meeting} (24 November 2026) is not quorate (1 of the 2 agencies "
                             "needed present; no one from Children's social care); record the missing "
                             "attendance with 'masg meeting attendance', or give --inquorate-reason\n")
    assert digest() == before


def test_a_decision_at_an_inquorate_meeting_goes_ahead_with_a_reason_that_is_kept(on_agenda):
    reference, meeting = on_agenda
    ok("meeting", "attendance", meeting, "--member", "Sam Panel", "--present")
    ok("decision", "record", reference, "--meeting", meeting, "--service", "CAMHS: Weekly sessions",
       "--lead-name", "Siân Sample", "--lead-agency", "School nursing", "--review-date", FIRST_REVIEW,
       "--inquorate-reason", "Social care delayed; chair agreed to proceed")
    assert sql("SELECT inquorate_reason FROM decision") == [("Social care delayed; chair agreed to proceed",)]
    [entry] = [e for e in ok("audit", reference, "--json").json if e["action"] == "decision record"]
    assert entry["changes"]["inquorate"] is True


def test_a_deputy_makes_the_meeting_quorate(on_agenda):
    reference, meeting = on_agenda
    ok("meeting", "attendance", meeting, "--member", "Sam Panel", "--present")
    ok("meeting", "attendance", meeting, "--member", "Kit Social", "--apologies", "--deputy", "Dee Puty")
    result = decide(reference, meeting)
    assert result.stderr == ""


def test_with_no_attendance_recorded_a_decision_goes_ahead_with_a_warning(on_agenda):
    reference, meeting = on_agenda
    result = decide(reference, meeting)
    assert "warning: no attendance is recorded for meeting" in result.stderr
    assert ok("referral", "show", reference, "--json").json["status"] == "decided"


def test_a_locality_without_a_quorum_rule_decides_without_attendance_with_a_warning_to_record_it(store):
    """SPEC: with no attendance recorded the decision proceeds, with a warning (the minutes would
    name nobody); where no quorum is set there is no quorum to say is unchecked."""
    reference = case_at("accepted")
    meeting = slot_at(reference, "2026-11-24")
    result = decide(reference, meeting)
    assert result.exit_code == 0
    assert result.stderr.strip() == (f"warning: no attendance is recorded for meeting {meeting} "
                                     f"(24 November 2026); record it with 'masg meeting attendance "
                                     f"{meeting} --member NAME --present'")


def test_a_review_at_an_inquorate_meeting_is_refused_unless_a_reason_is_given(store):
    for name, agency in (("Sam Panel", "Health visiting"), ("Kit Social", CSC)):
        ok("locality", "member", "add", "North", "--name", name, "--agency", agency,
           "--email", f"{name.split()[0].lower()}@example.org")
    reference = case_at("active")
    ok("locality", "set", "North", "--quorum", "2")
    meeting = slot_at(reference, FIRST_REVIEW, kind="review")
    ok("meeting", "attendance", meeting, "--member", "Kit Social", "--present")
    before = digest()
    result = run("review", "record", reference, "--date", FIRST_REVIEW, "--further-reviews", "no")
    assert result.exit_code == 1 and "is not quorate (1 of the 2 agencies needed present)" in result.stderr
    assert digest() == before
    ok("review", "record", reference, "--date", FIRST_REVIEW, "--further-reviews", "no",
       "--inquorate-reason", "Health visiting sent a written update")
    assert ok("referral", "show", reference, "--json").json["status"] == "monitoring"
