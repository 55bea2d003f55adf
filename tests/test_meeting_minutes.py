"""The minutes of a panel meeting: who was there, the quorum, each case by initials with its outcome,
the actions agreed and those still open; never a child's full name."""

from __future__ import annotations

import email
import email.policy
import shutil
from pathlib import Path

import pytest

from builders import FIRST_REVIEW, MEETING_DAY, SERVICES, add_referral, digest, slot_at
from conftest import ok, run
from test_documents import docx_text

CSC = "Children's social care"


@pytest.fixture
def held(store):
    """North's meeting of 24 November 2026: one case decided (inquorate, with a reason), one
    deferred, one not discussed; attendance, two actions, one earlier action still open."""
    for name, agency in (("Sam Panel", "Health visiting"), ("Kit Social", CSC), ("Lee Learning", "Education")):
        ok("locality", "member", "add", "North", "--name", name, "--agency", agency,
           "--email", f"{name.split()[0].lower()}@example.org")
    refs = [add_referral("--child", "Siân O'Brien", "--dob", "2016-04-05") for _ in range(3)]
    for ref in refs:
        ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    earlier = slot_at(refs[2], "2026-11-10")
    ok("action", "add", refs[2], "--meeting", earlier, "--owner", "Lee Learning", "--agency", "Education",
       "--what", "Share attendance figures", "--due", "2026-11-20")
    meeting = [slot_at(ref, MEETING_DAY) for ref in refs][0]
    ok("locality", "set", "North", "--quorum", "3", "--quorum-agency", CSC)
    ok("meeting", "attendance", meeting, "--member", "Sam Panel", "--present", "--chair")
    ok("meeting", "attendance", meeting, "--member", "Kit Social", "--apologies", "--deputy", "Dee Puty")
    ok("meeting", "attendance", meeting, "--member", "Lee Learning", "--apologies")
    ok("meeting", "attendance", meeting, "--guest", "Gil Guest", "--agency", "O'Brien & Sons <Ltd>")
    args = ["decision", "record", refs[0], "--meeting", meeting, "--lead-name", "Jordan Keyworker",
            "--lead-agency", "School nursing", "--review-date", FIRST_REVIEW,
            "--inquorate-reason", "Family moving area; chair agreed to proceed"]
    for service in SERVICES:
        args += ["--service", service]
    ok(*args)
    ok("decision", "defer", refs[1], "--meeting", meeting, "--note", "Needs the hospital's discharge date")
    ok("action", "add", refs[0], "--meeting", meeting, "--owner", "Jordan Keyworker", "--agency", "School nursing",
       "--what", "Arrange the first TAC meeting", "--due", "2026-12-08")
    return meeting, refs


def minutes(meeting, tmp_path, *extra) -> Path:
    ok("meeting", "minutes", meeting, "--out", tmp_path / "out", "--as-of", "2026-11-25", *extra)
    return tmp_path / "out" / "minutes-2026-11-24-north.docx"


def test_the_minutes_say_who_was_there_and_whether_the_meeting_was_quorate(held, tmp_path):
    text = docx_text(minutes(held[0], tmp_path))
    for expected in ("North MASG panel", "Tuesday 24 November 2026", "Northgate Family Hub",
                     "Sam Panel (Health visiting)", "Dee Puty", "Deputy for Kit Social", "No deputy",
                     "Gil Guest", "O'Brien & Sons <Ltd>",
                     "Not quorate: 2 of the 3 agencies needed present",
                     "Family moving area; chair agreed to proceed", "OFFICIAL-SENSITIVE", "Confidentiality"):
        assert expected in text, expected


def test_each_case_is_shown_by_initials_with_its_outcome_and_never_by_name(held, tmp_path):
    meeting, refs = held
    text = docx_text(minutes(meeting, tmp_path))
    for ref in refs:
        assert ref in text
    assert "SO" in text and "Siân" not in text and "O'Brien-" not in text and "Zoë" not in text
    assert "Services agreed: CAMHS: Weekly sessions for anxiety" in text
    assert "Lead Professional: Jordan Keyworker (School nursing). Panel review: 1 December 2026." in text
    assert "Deferred: Needs the hospital's discharge date." in text
    assert "Not discussed." in text


def test_the_minutes_list_the_actions_agreed_and_the_earlier_ones_still_open(held, tmp_path):
    from docx import Document

    tables = [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(minutes(held[0], tmp_path))).tables]
    [agreed] = [t for t in tables if t[0] == ["Reference", "Action", "Owner", "Agency", "Due"]]
    [earlier] = [t for t in tables if t[0] == ["Reference", "Action", "Owner", "Agency", "Due", "Agreed"]]
    assert agreed[1:] == [[held[1][0], "Arrange the first TAC meeting", "Jordan Keyworker", "School nursing",
                           "8 December 2026"]]
    assert earlier[1:] == [[held[1][2], "Share attendance figures", "Lee Learning", "Education",
                            "20 November 2026", "10 November 2026"]]


def test_eml_writes_one_draft_to_each_member_present_or_sending_apologies(held, tmp_path):
    minutes(held[0], tmp_path, "--eml")
    drafts = sorted((tmp_path / "out").glob("*.eml"))
    assert [d.name for d in drafts] == ["minutes-2026-11-24-north-kit-social.eml",
                                        "minutes-2026-11-24-north-lee-learning.eml",
                                        "minutes-2026-11-24-north-sam-panel.eml"]
    message = email.message_from_bytes(drafts[-1].read_bytes(), policy=email.policy.default)
    assert message["To"] == "Sam Panel <sam@example.org>" and "minutes" in message["Subject"]
    assert [p.get_filename() for p in message.iter_attachments()] == ["minutes-2026-11-24-north.docx"]


def test_producing_the_minutes_is_recorded(held, tmp_path):
    minutes(held[0], tmp_path)
    [entry] = [e for e in ok("audit", "--json").json if e["action"] == "document"
               and e["changes"]["kind"] == "minutes"]
    assert entry["changes"] == {"kind": "minutes", "file": "minutes-2026-11-24-north.docx", "meeting": held[0]}


def test_a_cancelled_meeting_has_no_minutes(store, tmp_path):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-01")
    ok("meeting", "cancel", 1)
    before = digest()
    result = run("meeting", "minutes", 1, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "was cancelled, so it has no minutes" in result.stderr
    assert digest() == before and not (tmp_path / "out").exists()


def test_eml_without_recorded_members_is_refused_before_anything_is_written(store, tmp_path):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-01")
    result = run("meeting", "minutes", 1, "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "leave out --eml" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_shipped_minutes_template_passes_the_check(store):
    ok("templates", "check")


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")),
                    reason="LibreOffice or poppler (pdfinfo) is not installed")
def test_a_twelve_case_meeting_with_three_deferrals_and_ten_actions_fits_on_two_pages(store, tmp_path):
    import subprocess

    refs = [add_referral() for _ in range(12)]
    for ref in refs:
        ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = [slot_at(ref, MEETING_DAY) for ref in refs][0]
    for ref in refs[:8]:
        ok("decision", "record", ref, "--meeting", meeting, "--service", SERVICES[0], "--service", SERVICES[1],
           "--lead-name", "Jordan Keyworker", "--lead-agency", "School nursing", "--review-date", FIRST_REVIEW)
    for ref in refs[8:11]:
        ok("decision", "defer", ref, "--meeting", meeting, "--note", "Needs the hospital's discharge date")
    for ref in refs[:10]:
        ok("action", "add", ref, "--meeting", meeting, "--owner", "Jordan Keyworker", "--agency", "School nursing",
           "--what", "Arrange the first TAC meeting with the family", "--due", "2026-12-08")
    minutes(meeting, tmp_path, "--pdf")
    info = subprocess.run(["pdfinfo", str(tmp_path / "out" / "minutes-2026-11-24-north.pdf")],
                          capture_output=True, text=True).stdout
    assert "Pages:           2" in info
