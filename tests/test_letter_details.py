"""The small things a council sends back: sign-offs alone on a page, initials with punctuation,
US English, "12 weeks" when it was 11."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from builders import MEETING_DAY, case_at, decide, slot_at
from document_text import docx_text, made

from conftest import ok
from masg_cli.documents.templates import SHIPPED, shipped_folder

FIVE_CHILDREN = [arg for n, name in enumerate(["Ada", "Ben", "Cal", "Dee", "Eve"])
                 for arg in ("--child", f"{name} Example", "--dob", f"201{n}-0{n + 1}-1{n}")]
EIGHT_SERVICES = [f"Agency {n}: A longer description of service number {n} for the whole family" for n in range(8)]


@pytest.mark.parametrize("name, expected", [
    ('Nia "Nini" Roberts', "NR"),
    ("Nia \u201cNini\u201d Roberts", "NR"),
    ("Siân O'Brien", "SO"),
    ("Zoë O'Brien-Example", "ZOE"),
    ("Ŵyn (Wyn) Jones", "ŴJ"),
    ("'Alex' Smith", "AS"),
])
def test_initials_are_letters_only(name, expected):
    from masg_cli.services.casefile import initials

    assert initials(name) == expected


@pytest.mark.parametrize("name", [n for n in SHIPPED if n.endswith(".docx")])
def test_every_shipped_document_is_tagged_british_english(name):
    with zipfile.ZipFile(shipped_folder() / name) as archive:
        xml = {part: archive.read(part) for part in archive.namelist() if part.endswith(".xml")}
    assert [part for part, data in xml.items() if b"en-US" in data] == []
    assert b'w:lang w:val="en-GB"' in xml["word/styles.xml"]
    assert b"<dc:language>en-GB</dc:language>" in xml["docProps/core.xml"]


def _sheet(tmp_path):
    reference = case_at("accepted", *FIVE_CHILDREN)
    decide(reference, slot_at(reference, MEETING_DAY), services=EIGHT_SERVICES)
    ok("decision", "sheet", reference, "--out", str(tmp_path), "--as-of", "2026-11-25")
    return made(tmp_path, "decision-sheet")


def test_the_decision_sheets_closing_paragraphs_are_kept_with_the_sign_off(store, tmp_path):
    from docx import Document

    paragraphs = Document(str(_sheet(tmp_path))).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Please quote"))
    closing = paragraphs[start:start + 4]
    assert closing[1].text == "Yours sincerely,"
    assert [p.paragraph_format.keep_with_next for p in closing] == [True, True, True, None]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="needs LibreOffice")
def test_the_sign_off_never_falls_alone_onto_a_page_with_five_children_and_eight_services(store, tmp_path):
    sheet = _sheet(tmp_path)
    from masg_cli.documents.pdf import to_pdf

    pages = subprocess.run(["pdftotext", "-layout", str(to_pdf(sheet)), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    [signed] = [page for page in pages if "Yours sincerely," in page]
    assert "Please quote" in signed and "Pat Example" in signed


def test_the_follow_up_letter_says_how_long_it_has_really_been_since_the_review(store, tmp_path):
    reference = case_at("monitoring")  # reviewed 1 December 2026
    ok("followup", "letter", reference, "--out", str(tmp_path), "--as-of", "2027-02-16")
    text = docx_text(made(tmp_path, "followup-letter"))
    assert "it is now 11 weeks since it" in text
    assert "I am contacting you 12 weeks after that review" not in text


@pytest.mark.parametrize("days, said", [(84, "12 weeks"), (79, "11 weeks and 2 days"), (1, "1 day"),
                                        (7, "1 week"), (0, "0 days")])
def test_the_time_since_a_review_is_said_in_weeks_and_days(days, said):
    from datetime import date, timedelta

    from masg_cli.documents.case import _since

    assert _since(date(2026, 12, 1), date(2026, 12, 1) + timedelta(days=days)) == said
