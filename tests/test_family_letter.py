"""The family's own letter about the panel's decision: plain English a child of 9 to 11 could read."""

from __future__ import annotations

from builders import case_at
from document_text import made

from conftest import add_referral, ok, run


def body_text(path) -> str:
    """The letter's own words (paragraphs and tables), not the letterhead or the footer."""
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        parts.extend(". ".join(cell.text for cell in row.cells) + "." for row in table.rows)
    return "\n".join(parts)


def _letter(tmp_path, *referral_options):
    reference = case_at("decided", *referral_options)
    result = ok("decision", "family-letter", reference, "--out", str(tmp_path), "--as-of", "2026-11-25")
    return reference, result, made(tmp_path, "family-letter")


def test_the_letter_says_what_was_agreed_who_to_contact_and_that_they_can_say_no(store, tmp_path):
    reference, _, path = _letter(tmp_path)
    text = body_text(path)
    assert path.name == f"family-letter-{reference}.docx"  # never a child's name
    assert "This letter is about Zoë Example." in text
    assert "Weekly sessions for anxiety" in text and "O'Brien & Sons <Ltd>" in text
    assert "Your Lead Professional is Siân Sample from O'Brien & Sons <Ltd>." in text
    assert "07700 900123, sian.sample@example.org" in text
    assert "1 December 2026" in text  # the panel looks again
    assert "You do not have to take this help." in text
    assert "make a complaint" in text and "ask to see them" in text
    assert reference in text


def test_the_letter_reads_at_a_reading_age_of_about_9_to_11(store, tmp_path):
    import textstat

    _, _, path = _letter(tmp_path)
    text = body_text(path)
    # Flesch reading ease 70-80 is "fairly easy" (about 12-year-olds), 80-90 "easy" (about 11);
    # Flesch-Kincaid grade 6 is a reading age of 11.
    assert textstat.flesch_reading_ease(text) >= 75, textstat.flesch_reading_ease(text)
    assert textstat.flesch_kincaid_grade(text) <= 6, textstat.flesch_kincaid_grade(text)


def test_the_letter_names_every_child_in_one_sentence(store, tmp_path):
    _, _, path = _letter(tmp_path, "--child", "Ŵyn Example", "--dob", "2017-04-05")
    assert "This letter is about Zoë Example and Ŵyn Example." in body_text(path)


def test_the_letter_is_recorded_on_the_case(store, tmp_path):
    reference, _, path = _letter(tmp_path)
    documents = ok("referral", "show", reference, "--json").json["documents"]
    assert any(d["kind"] == "family-letter" and d["path"] == str(path) for d in documents), documents


def test_a_case_without_a_decision_is_refused_and_nothing_is_written(store, tmp_path):
    reference = add_referral()
    result = run("decision", "family-letter", reference, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no panel decision" in result.stderr
    assert not (tmp_path / "out").exists()
