"""The decision sheet for the referrer, and its e-mail draft, as the referrer would read them."""

from __future__ import annotations

import email
import shutil
from email import policy

import pytest
from conftest import add_referral, ok, run
from builders import decide, on_agenda
from document_text import docx_text

SPECIAL = [
    "--child", "Zoë O'Brien-Example", "--dob", "2015-02-03",
    "--child", "Siân <Sample> & Co", "--dob", "12/06/2018",
    "--referrer", "Alex O'Brien", "--referrer-agency", "O'Brien & Sons <Ltd>",
]


@pytest.fixture
def decided(store):
    """A family with awkward names, accepted, on the 24 November 2026 agenda and decided."""
    ref = add_referral(*SPECIAL)
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(ref)
    decide(ref, meeting)
    return ref, meeting


def test_the_sheet_holds_everything_the_referrer_needs(decided, tmp_path):
    ref, _ = decided
    result = ok("decision", "sheet", ref, "--out", tmp_path / "out", "--as-of", "2026-11-25")
    path = tmp_path / "out" / f"decision-sheet-{ref}.docx"
    assert str(path) in result.stdout
    text = docx_text(path)
    for expected in (
        ref, "Zoë O'Brien-Example", "3 February 2015", "Siân <Sample> & Co", "12 June 2018",
        "Alex O'Brien", "O'Brien & Sons <Ltd>", "24 November 2026",
        "CAMHS", "Weekly sessions for anxiety", "Help with morning routines",
        "Siân Sample", "School nursing", "07700 900123", "1 December 2026",
        "share", "family", "Lead Professional", "Team Around the Child",
        "Pat Example", "pat.example@example.gov.uk", "25 November 2026",
    ):
        assert expected in text, expected


def test_the_sheet_is_recorded_as_produced(decided, tmp_path):
    ref, meeting = decided
    ok("decision", "sheet", ref, "--out", tmp_path)
    shown = ok("referral", "show", ref, "--json").json
    assert shown["decisions"][0]["sheet_produced"] is not None
    assert [(d["kind"], d["path"].endswith(f"decision-sheet-{ref}.docx")) for d in shown["documents"]] == [
        ("decision-sheet", True)]
    entry = shown["history"][-1]
    assert entry["action"] == "document"
    assert entry["changes"]["kind"] == "decision-sheet" and entry["changes"]["meeting"] == meeting


def test_no_file_name_carries_a_childs_name(decided, tmp_path):
    ref, _ = decided
    ok("decision", "sheet", ref, "--out", tmp_path / "out", "--eml")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"decision-sheet-{ref}.docx", f"decision-sheet-{ref}.eml"]


def test_the_email_draft_goes_to_the_referrer_with_the_sheet_attached(decided, tmp_path):
    ref, _ = decided
    ok("decision", "sheet", ref, "--out", tmp_path, "--eml")
    message = email.message_from_bytes((tmp_path / f"decision-sheet-{ref}.eml").read_bytes(),
                                       policy=policy.default)
    assert message["To"] == "alex.teacher@example.org"
    assert ref in message["Subject"]
    for name in ("Zoë", "Siân <Sample>", "O'Brien-Example"):
        assert name not in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Alex O'Brien" in body and "share" in body and "Lead Professional" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"decision-sheet-{ref}.docx"
    assert attachment.get_content()[:2] == b"PK"


def test_a_sheet_before_any_decision_is_refused(accepted, tmp_path):
    on_agenda(accepted)
    result = run("decision", "sheet", accepted, "--out", tmp_path)
    assert result.exit_code == 1 and "no panel decision yet" in result.stderr


def test_one_sheet_with_eml_for_a_referrer_without_email_is_refused_and_nothing_is_written(store, tmp_path):
    ref = add_referral("--referrer-email", "")
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    decide(ref, on_agenda(ref))
    result = run("decision", "sheet", ref, "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "no referrer e-mail" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_meetings_batch_writes_every_decided_case_and_skips_drafts_without_email(store, tmp_path):
    first = add_referral()
    second = add_referral("--referrer-email", "")
    deferred = add_referral()
    for ref in (first, second, deferred):
        ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
        meeting = on_agenda(ref)
    decide(first, meeting)
    decide(second, meeting)
    ok("decision", "defer", deferred, "--meeting", meeting)
    result = ok("decision", "sheet", "--meeting", meeting, "--out", tmp_path / "out", "--eml")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted([f"decision-sheet-{first}.docx", f"decision-sheet-{first}.eml",
                            f"decision-sheet-{second}.docx"])
    assert f"{second} has no referrer e-mail" in result.stderr


def test_the_sheet_needs_either_a_reference_or_a_meeting(decided, tmp_path):
    ref, meeting = decided
    for args in ([], [ref, "--meeting", meeting]):
        result = run("decision", "sheet", *args, "--out", tmp_path / "out")
        assert result.exit_code == 2
        assert result.stderr == "masg: give either REF (one case) or --meeting MEETING (every case decided there)\n"
        assert not (tmp_path / "out").exists()


def test_a_meeting_without_decisions_has_no_sheets(accepted, tmp_path):
    meeting = on_agenda(accepted)
    result = run("decision", "sheet", "--meeting", meeting, "--out", tmp_path)
    assert result.exit_code == 1 and "no decisions are recorded for meeting" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_makes_a_pdf_beside_the_sheet(decided, tmp_path):
    ref, _ = decided
    ok("decision", "sheet", ref, "--out", tmp_path, "--pdf")
    pdf = tmp_path / f"decision-sheet-{ref}.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_pdf_without_libreoffice_is_refused_before_any_sheet_is_written(decided, tmp_path, monkeypatch):
    from masg_cli.documents import pdf

    ref, _ = decided
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    result = run("decision", "sheet", ref, "--out", tmp_path / "out", "--pdf")
    assert result.exit_code == 1 and "LibreOffice is not installed" in result.stderr
    assert not (tmp_path / "out").exists()
    assert ok("referral", "show", ref, "--json").json["decisions"][0]["sheet_produced"] is None


def test_correcting_a_decision_after_its_sheet_asks_for_the_sheet_again(decided, tmp_path):
    ref, meeting = decided
    ok("decision", "sheet", ref, "--out", tmp_path / "out")
    result = decide(ref, meeting, review="2026-12-15")
    assert "produce it again" in result.stderr
    assert ok("referral", "show", ref, "--json").json["decisions"][0]["sheet_produced"] is None
    morning = ok("today", "--as-of", "2026-11-25", "--json").json
    assert [r["reference"] for r in morning["decision_sheets_not_produced"]] == [ref]
    ok("decision", "sheet", ref, "--out", tmp_path / "out", "--as-of", "2026-11-25", "--overwrite")
    text = docx_text(tmp_path / "out" / f"decision-sheet-{ref}.docx")
    assert "15 December 2026" in text and "1 December 2026" not in text


def test_correcting_a_decision_with_nothing_changed_keeps_the_sheet_produced(decided, tmp_path):
    ref, meeting = decided
    ok("decision", "sheet", ref, "--out", tmp_path / "out")
    result = decide(ref, meeting)
    assert "produce it again" not in result.stderr  # only the meeting's attendance is asked for
    assert result.stderr.strip().startswith("warning: no attendance is recorded for meeting")
    assert ok("referral", "show", ref, "--json").json["decisions"][0]["sheet_produced"] is not None
