"""Outlook keeps a meeting up to date, and every draft reads as the co-ordinator's own message."""

from __future__ import annotations

import email
from email import policy

from builders import case_at, slot_at

from conftest import ok


def _events(tmp_path) -> dict[str, object]:
    from icalendar import Calendar

    ok("meeting", "ics", "--out", str(tmp_path / "panels.ics"), "--overwrite")
    calendar = Calendar.from_ical((tmp_path / "panels.ics").read_bytes())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _meetings() -> list[dict]:
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
    return ok("meeting", "list", "--json").json


def test_the_sequence_rises_when_a_meeting_moves_and_again_when_it_is_cancelled(store, tmp_path):
    first, second = _meetings()[:2]
    before = {uid: int(e["sequence"]) for uid, e in _events(tmp_path).items()}
    assert set(before.values()) == {0}
    ok("meeting", "move", str(first["id"]), "--to", "2026-12-02")
    moved = _events(tmp_path)
    ok("meeting", "cancel", str(first["id"]), "--reason", "Venue flooded")
    cancelled = _events(tmp_path)
    [uid] = [u for u, e in cancelled.items() if str(e["status"]) == "CANCELLED"]
    assert (int(moved[uid]["sequence"]), int(cancelled[uid]["sequence"])) == (1, 2)
    assert str(cancelled[uid]["summary"]) == "Cancelled: North panel meeting"
    untouched = [int(e["sequence"]) for u, e in cancelled.items() if u != uid]
    assert untouched and set(untouched) == {0}


def _drafts(folder) -> dict[str, email.message.EmailMessage]:
    return {p.name.split("-")[0]: email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in folder.glob("*.eml")}


def test_every_draft_is_from_the_coordinator_signed_and_its_subject_reads_back_whole(store, tmp_path):
    ok("locality", "member", "add", "North", "--name", "Sam Member", "--agency", "CAMHS",
       "--email", "sam.member@example.org")
    reference = case_at("monitoring")
    meeting = slot_at(reference, "2027-03-02", "review")
    out = tmp_path / "out"
    ok("agenda", "invite", str(meeting), "--out", str(out))
    ok("agenda", "pack", str(meeting), "--out", str(out), "--eml")
    ok("decision", "sheet", reference, "--out", str(out), "--eml")
    ok("followup", "letter", reference, "--out", str(out), "--eml")
    ok("referral", "final-review-form", reference, "--out", str(out), "--eml")
    drafts = _drafts(out)
    assert set(drafts) == {"invite", "pack", "decision", "followup", "final"}
    for kind, message in drafts.items():
        assert message["From"].addresses[0].addr_spec == "pat.example@example.gov.uk", kind
        assert message["From"].addresses[0].display_name == "Pat Example", kind
        assert message["Subject"] == message["Subject"].strip() and "\n" not in message["Subject"], kind
        assert message["Subject"].startswith("MASG"), (kind, message["Subject"])
        assert "Kind regards," in message.get_body(("plain",)).get_content(), kind


def test_a_subject_just_over_78_characters_is_not_folded_after_subject(tmp_path):
    from masg_cli.documents.email import write_eml

    subject = "MASG panel Tuesday 1 December 2026, 09:30: your slot for MASG-2026-0001"
    path = write_eml(tmp_path, "x.eml", to="a@example.org", subject=subject, body="Hello")
    assert f"Subject: {subject}\r\n".encode() in path.read_bytes()
    assert email.message_from_bytes(path.read_bytes(), policy=policy.compat32)["Subject"] == subject


def test_a_contact_without_an_e_mail_address_leaves_the_from_to_outlook():
    from masg_cli.documents.email import sender_of

    assert sender_of({"coordinator": "Pat Example", "coordinator_contact": "01632 960000"}) is None
    assert sender_of({"coordinator": "Pat Example", "coordinator_contact": "01632 960000, pat@example.org"}) \
        == ("Pat Example", "pat@example.org")
