"""A panel reviewing a case sees its own earlier decision, its reviews and why it was deferred."""

from __future__ import annotations

from builders import case_at, slot_at
from document_text import docx_text, made

from conftest import ok, run

EIGHT_SERVICES = [f"Agency {n}: Service number {n} for the family" for n in range(1, 9)]


def test_a_review_shows_the_services_lead_tac_family_answer_reviews_and_deferrals(store, tmp_path):
    from builders import decide

    reference = case_at("accepted")
    decide(reference, slot_at(reference, "2026-11-24"), services=EIGHT_SERVICES,
           lead=("Siân Sample", "O'Brien & Sons <Ltd>", "sian.sample@example.org"))
    ok("family-response", reference, "--accepted", "--date", "2026-11-26")
    ok("tac", "record", reference, "--date", "2026-11-30")
    ok("decision", "defer", reference, "--meeting", str(slot_at(reference, "2026-12-01", "review")),
       "--note", "The Lead Professional was off sick")
    ok("review", "record", reference, "--date", "2026-12-08", "--further-reviews", "yes",
       "--next-review", "2027-01-12")
    meeting = slot_at(reference, "2027-01-12", "review")
    ok("agenda", "pack", str(meeting), "--out", str(tmp_path))
    text = docx_text(made(tmp_path, "background-pack"))
    for n in range(1, 9):
        assert f"Agency {n}\nService number {n} for the family" in text
    assert "Siân Sample, O'Brien & Sons <Ltd>" in text
    assert "sian.sample@example.org" in text
    assert "30 November 2026" in text  # the TAC meeting
    assert "the family accepted the offer on 26 November 2026" in text
    assert "8 December 2026" in text and "further panel reviews, next on 12 January 2027" in text
    assert "1 December 2026\nThe Lead Professional was off sick" in text


def test_a_new_case_never_decided_shows_no_earlier_decision(store, tmp_path):
    reference = case_at("accepted")
    ok("agenda", "pack", str(slot_at(reference, "2026-12-01")), "--out", str(tmp_path))
    text = docx_text(made(tmp_path, "background-pack"))
    assert "What the panel agreed" not in text and "Deferred" not in text


def test_templates_check_catches_a_misspelt_field_inside_the_deferrals_and_the_family_letter(tmp_path):
    from docx import Document

    for name, text in (("background-pack.docx", "{% for c in cases %}{% for d in c.deferrals %}"
                                                "{{ d.reasn }}{% endfor %}{% endfor %}"),
                       ("family-letter.docx", "{% for s in services %}{{ s.agncy }}{% endfor %}")):
        document = Document()
        document.add_paragraph(text)
        document.save(str(tmp_path / name))
    result = run("templates", "check", str(tmp_path))
    assert result.exit_code == 1
    assert "background-pack.docx" in result.stdout and "family-letter.docx" in result.stdout
