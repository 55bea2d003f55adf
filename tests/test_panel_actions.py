"""The actions a panel agrees: each with an owner, an agency and a due date, done or not done once,
and the overdue ones on the morning list."""

from __future__ import annotations

import pytest

from builders import MEETING_DAY, case_at, digest
from conftest import ok, run


@pytest.fixture
def decided(store):
    """A case decided at North's meeting of 24 November 2026; (reference, meeting)."""
    reference = case_at("decided")
    [meeting] = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == MEETING_DAY]
    return reference, meeting


def add(reference, meeting, *, due="2026-12-08", owner="Jo Owner", agency="CAMHS", what="Book a first session"):
    return ok("action", "add", reference, "--meeting", meeting, "--owner", owner, "--agency", agency,
              "--what", what, "--due", due, "--json").json


def test_an_action_added_prints_its_json_with_the_contracts_keys(decided):
    reference, meeting = decided
    shown = add(reference, meeting, agency="O'Brien & Sons <Ltd>")
    assert {k: shown[k] for k in ("id", "reference", "meeting", "owner", "agency", "what", "due", "status",
                                  "days_overdue")} == {
        "id": 1, "reference": reference, "meeting": meeting, "owner": "Jo Owner",
        "agency": "O'Brien & Sons <Ltd>", "what": "Book a first session", "due": "2026-12-08",
        "status": "open", "days_overdue": shown["days_overdue"]}


def test_an_open_action_due_before_today_is_overdue(decided):
    reference, meeting = decided
    add(reference, meeting, due="2026-12-08")
    add(reference, meeting, due="2026-12-20", what="Write to the GP")
    overdue = ok("action", "list", "--overdue", "--as-of", "2026-12-10", "--json").json
    assert [(a["id"], a["days_overdue"]) for a in overdue] == [(1, 2)]
    assert ok("action", "list", "--overdue", "--as-of", "2026-12-08", "--json").json == []
    everything = ok("action", "list", "--as-of", "2026-12-10", "--json").json
    assert [a["status"] for a in everything] == ["open", "open"]


def test_done_and_not_done_close_an_action_once(decided):
    reference, meeting = decided
    add(reference, meeting)
    add(reference, meeting, what="Write to the GP")
    ok("action", "done", 1, "--date", "2026-12-07", "--note", "First session booked")
    ok("action", "not-done", 2, "--reason", "changed-circumstances", "--note", "Family moved GP", "--date",
       "2026-12-09")
    rows = ok("action", "list", "--reference", reference, "--as-of", "2026-12-31", "--json").json
    assert [(a["status"], a["days_overdue"], a["reason"]) for a in rows] == [
        ("done", 0, None), ("not-done", 0, "changed-circumstances")]
    before = digest()
    result = run("action", "done", 2, "--date", "2026-12-10")
    assert result.exit_code == 1 and result.stderr == (
        "masg: action 2 is already not-done; an action is closed once (see 'masg action list --json')\n")
    assert digest() == before


def test_an_action_due_before_its_meeting_is_refused(decided):
    reference, meeting = decided
    before = digest()
    result = run("action", "add", reference, "--meeting", meeting, "--owner", "Jo Owner", "--agency", "CAMHS",
                 "--what", "Book", "--due", "2026-11-20")
    assert result.exit_code == 1
    assert "--due 20 November 2026 is before the meeting that agreed it (24 November 2026)" in result.stderr
    assert digest() == before


@pytest.mark.parametrize("args, words", [
    (["action", "done", 99], "there is no action 99"),
    (["action", "not-done", 1, "--reason", "other", "--date", "2026-11-01"], "is before the meeting"),
])
def test_closing_an_unknown_action_or_before_its_meeting_is_refused(decided, args, words):
    add(*decided)
    before = digest()
    result = run(*args)
    assert result.exit_code == 1 and words in result.stderr
    assert digest() == before


def test_a_reason_not_in_the_list_is_a_usage_problem(decided):
    add(*decided)
    assert run("action", "not-done", 1, "--reason", "forgot").exit_code == 2


def test_actions_are_listed_by_locality_and_by_case(decided):
    reference, meeting = decided
    add(reference, meeting)
    ok("locality", "add", "South", "--coordinator", "Pat Example", "--contact", "01632 960000")
    assert len(ok("action", "list", "--locality", "North", "--json").json) == 1
    assert ok("action", "list", "--locality", "South", "--json").json == []
    assert run("action", "list", "--reference", "MASG-2026-0999").exit_code == 1


def test_actions_are_audited(decided):
    reference, meeting = decided
    add(reference, meeting)
    ok("action", "done", 1, "--date", "2026-12-07")
    actions = [e["action"] for e in ok("audit", reference, "--json").json]
    assert "action add" in actions and "action done" in actions


def test_the_morning_list_shows_overdue_actions_after_the_other_sections(decided):
    reference, meeting = decided
    add(reference, meeting, due="2026-12-08", owner="Jo Owner")
    data = ok("today", "--as-of", "2026-12-10", "--json").json
    assert list(data)[-1] == "overdue_actions"
    [item] = data["overdue_actions"]
    assert (item["id"], item["reference"], item["days_overdue"], item["owner"]) == (1, reference, 2, "Jo Owner")
    table = ok("today", "--as-of", "2026-12-10").stdout
    assert "Panel actions overdue: 1" in table and "Jo Owner" in table
    ok("action", "done", 1, "--date", "2026-12-10")
    assert ok("today", "--as-of", "2026-12-10", "--json").json["overdue_actions"] == []


def test_open_actions_come_back_on_the_cases_next_agenda_and_background_pack(decided, tmp_path):
    from test_documents import docx_text

    reference, meeting = decided
    add(reference, meeting, what="Book a first session with O'Brien & Sons <Ltd>")
    add(reference, meeting, what="Write to the GP")
    ok("action", "done", 2, "--date", "2026-11-30")
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-01")
    [review_meeting] = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == "2026-12-01"]
    ok("agenda", "build", review_meeting)
    [slot] = ok("agenda", "show", review_meeting, "--json").json["slots"]
    assert slot["reference"] == reference and slot["open_actions"] == [1]
    ok("agenda", "pack", review_meeting, "--out", tmp_path / "out", "--as-of", "2026-11-30")
    agenda = docx_text(tmp_path / "out" / "agenda-2026-12-01-north.docx")
    assert "Review; 1 open action" in agenda
    assert "Earlier actions still open" in agenda and "Book a first session with O'Brien & Sons <Ltd>" in agenda
    assert "Write to the GP" not in agenda
    pack = docx_text(tmp_path / "out" / "background-pack-2026-12-01-north.docx")
    assert "Actions still open" in pack and "Book a first session with O'Brien & Sons <Ltd>" in pack
    assert "Write to the GP" not in pack


def test_an_agenda_without_open_actions_has_no_actions_heading(store, tmp_path):
    from builders import slot_at
    from test_documents import docx_text

    meeting = slot_at(case_at("accepted"), MEETING_DAY)
    ok("agenda", "pack", meeting, "--out", tmp_path / "out", "--as-of", "2026-11-23")
    assert "Earlier actions still open" not in docx_text(tmp_path / "out" / "agenda-2026-11-24-north.docx")


def test_the_report_gives_the_share_of_actions_done_by_their_due_date_per_agency(decided):
    reference, meeting = decided
    add(reference, meeting, due="2026-12-08", agency="CAMHS")
    add(reference, meeting, due="2026-12-08", agency="CAMHS", what="Second")
    add(reference, meeting, due="2026-12-08", agency="Housing", what="Third")
    ok("action", "done", 1, "--date", "2026-12-07")
    ok("action", "done", 2, "--date", "2026-12-09")
    ok("action", "not-done", 3, "--reason", "agency-not-done", "--date", "2026-12-09")
    rows = ok("report", "summary", "--json").json["tables"]["actions"]
    assert [(r["agency"], r["due"], r["done_by_due"], r["done_late"], r["not_done"], r["done_by_due_rate"])
            for r in rows] == [("CAMHS", 2, 1, 1, 0, 0.5), ("Housing", 1, 0, 0, 1, 0.0)]
    assert "Panel actions due, per agency" in ok("report", "summary").stdout
