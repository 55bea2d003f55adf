"""Who attended a panel meeting: members present or sending apologies, deputies, the chair, guests;
and each locality's quorum."""

from __future__ import annotations

import pytest

from builders import digest, schedule_december
from conftest import ok, run

CSC = "Children's social care"


@pytest.fixture
def panel(store):
    """North with three panel members and its December meetings (1, 15 and 29 December)."""
    for name, agency in (("Sam Panel", "Health visiting"), ("Kit Social", CSC), ("Lee Learning", "Education")):
        ok("locality", "member", "add", "North", "--name", name, "--agency", agency,
           "--email", f"{name.split()[0].lower()}@example.org")
    schedule_december()
    return 1


def attendance(meeting=1) -> list[dict]:
    return ok("meeting", "attendance", meeting, "--json").json


def test_a_member_present_and_chairing_is_listed_first_with_their_agency(panel):
    ok("meeting", "attendance", 1, "--member", "Lee Learning", "--present")
    result = ok("meeting", "attendance", 1, "--member", "sam panel", "--present", "--chair")
    assert "Sam Panel (Health visiting) present, chair" in result.stdout
    assert attendance() == [
        {"name": "Sam Panel", "agency": "Health visiting", "attendance": "present", "deputy": None, "chair": True},
        {"name": "Lee Learning", "agency": "Education", "attendance": "present", "deputy": None, "chair": False},
    ]


def test_apologies_with_a_deputy_and_a_guest_are_kept(panel):
    ok("meeting", "attendance", 1, "--member", "Kit Social", "--apologies", "--deputy", "Dee Puty")
    ok("meeting", "attendance", 1, "--guest", "Gil Guest", "--agency", "O'Brien & Sons <Ltd>")
    assert attendance() == [
        {"name": "Kit Social", "agency": CSC, "attendance": "apologies", "deputy": "Dee Puty", "chair": False},
        {"name": "Gil Guest", "agency": "O'Brien & Sons <Ltd>", "attendance": "guest", "deputy": None,
         "chair": False},
    ]


def test_recording_a_member_again_corrects_their_attendance(panel):
    ok("meeting", "attendance", 1, "--member", "Sam Panel", "--apologies")
    ok("meeting", "attendance", 1, "--member", "Sam Panel", "--present")
    assert [(a["name"], a["attendance"]) for a in attendance()] == [("Sam Panel", "present")]


def test_a_new_chair_replaces_the_old_one(panel):
    ok("meeting", "attendance", 1, "--member", "Sam Panel", "--present", "--chair")
    ok("meeting", "attendance", 1, "--member", "Lee Learning", "--present", "--chair")
    assert [a["name"] for a in attendance() if a["chair"]] == ["Lee Learning"]


def test_the_attendance_table_says_whether_the_meeting_is_quorate(panel):
    ok("locality", "set", "North", "--quorum", "2", "--quorum-agency", CSC)
    ok("meeting", "attendance", 1, "--member", "Sam Panel", "--present")
    assert "Not quorate: 1 of the 2 agencies needed present; no one from Children's social care" in \
        " ".join(ok("meeting", "attendance", 1).stdout.split())
    ok("meeting", "attendance", 1, "--member", "Kit Social", "--apologies", "--deputy", "Dee Puty")
    assert "Quorate: 2 agencies present." in ok("meeting", "attendance", 1).stdout


def test_attendance_is_audited_without_names(panel):
    ok("meeting", "attendance", 1, "--member", "Kit Social", "--apologies", "--deputy", "Dee Puty")
    [entry] = [e for e in ok("audit", "--json").json if e["action"] == "meeting attendance"]
    assert entry["changes"]["meeting"] == 1 and entry["changes"]["deputy"] is True
    assert "Dee Puty" not in str(entry) and "Kit Social" not in str(entry)


@pytest.mark.parametrize("args, words", [
    (["--member", "Nobody Known", "--present"], "'Nobody Known' is not on North's panel"),
    (["--deputy", "Dee Puty"], "--deputy names who came for a panel member"),
    (["--member", "Sam Panel", "--present", "--deputy", "Dee Puty"], "give --apologies with --deputy"),
    (["--member", "Sam Panel", "--apologies", "--chair"], "cannot chair"),
])
def test_bad_attendance_is_refused_in_one_line_and_changes_nothing(panel, args, words):
    before = digest()
    result = run("meeting", "attendance", 1, *args)
    assert result.exit_code == 1
    assert words in result.stderr and result.stderr.count("\n") == 1
    assert digest() == before


def test_attendance_for_a_cancelled_meeting_is_refused(panel):
    ok("meeting", "cancel", 3, "--reason", "Christmas week")
    before = digest()
    result = run("meeting", "attendance", 3, "--member", "Sam Panel", "--present")
    assert result.exit_code == 1
    assert "meeting 3 (29 December 2026) is cancelled" in result.stderr
    assert digest() == before


@pytest.mark.parametrize("args", [
    ["--member", "Sam Panel"],
    ["--member", "Sam Panel", "--present", "--apologies"],
    ["--guest", "Gil Guest"],
    ["--present"],
])
def test_an_incomplete_attendance_line_is_a_usage_problem(panel, args):
    result = run("meeting", "attendance", 1, *args)
    assert result.exit_code == 2 and result.stderr.startswith("masg: ")


def test_a_locality_shows_its_quorum_and_keeps_it_until_changed(panel):
    ok("locality", "set", "North", "--quorum", "3", "--quorum-agency", CSC, "--quorum-agency", "Education")
    ok("locality", "set", "North", "--venue", "Northgate Family Hub")
    [north] = ok("locality", "list", "--json").json
    assert north["quorum"] == 3 and north["quorum_agencies"] == [CSC, "Education"]
    assert "Quorum" in ok("locality", "list").stdout
    ok("locality", "set", "North", "--quorum-agency", "Education")
    assert ok("locality", "list", "--json").json[0]["quorum_agencies"] == ["Education"]


def test_a_new_locality_has_no_quorum_rule(store):
    [north] = ok("locality", "list", "--json").json
    assert north["quorum"] == 0 and north["quorum_agencies"] == []
