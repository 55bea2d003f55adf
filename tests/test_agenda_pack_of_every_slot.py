"""The agenda of a meeting is the list of its slots, whatever was decided: the pack can be made
before, during and after the meeting, each case marked with what became of it."""

from __future__ import annotations

from builders import case_at, decide, slot_at
from document_text import docx_text, made

from conftest import ok


def _three_cases_on_one_meeting():
    decided, deferred, moved = (case_at("accepted") for _ in range(3))
    meeting = slot_at(decided, "2026-12-01")
    for reference in (deferred, moved):
        slot_at(reference, "2026-12-01")
    later = slot_at(case_at("accepted"), "2026-12-15")
    return meeting, later, decided, deferred, moved


def test_a_pack_made_after_every_decision_lists_every_slot_marked(store, tmp_path):
    meeting, later, decided, deferred, moved = _three_cases_on_one_meeting()
    decide(decided, meeting, review="2027-01-12")
    ok("decision", "defer", deferred, "--meeting", str(meeting), "--note", "Referrer not present")
    ok("agenda", "move", moved, "--from", str(meeting), "--to", str(later))
    ok("agenda", "pack", str(meeting), "--out", str(tmp_path))
    agenda = docx_text(made(tmp_path, "agenda"))
    pack = docx_text(made(tmp_path, "background-pack"))
    for reference in (decided, deferred, moved):
        assert reference in agenda and reference in pack
    assert "New case (decided)" in agenda
    assert "New case (deferred to a later meeting)" in agenda
    assert f"New case (moved to meeting {later})" in agenda
    assert f"{deferred} · New case (deferred to a later meeting)" in pack


def test_a_pack_made_during_the_meeting_keeps_the_cases_already_decided(store, tmp_path):
    meeting, _, decided, deferred, moved = _three_cases_on_one_meeting()
    decide(decided, meeting, review="2027-01-12")
    ok("agenda", "pack", str(meeting), "--out", str(tmp_path))
    agenda = docx_text(made(tmp_path, "agenda"))
    assert all(reference in agenda for reference in (decided, deferred, moved))
    assert f"{deferred}\n" in agenda and "New case (decided)" in agenda
