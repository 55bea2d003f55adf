"""A broken tag in a Word template is reported at the paragraph that holds it; a field that a
list does not have, or a list element that is not there, fails 'masg templates check'."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import add_referral, ok, run


def word_template(folder: Path, name: str, *paragraphs: str) -> Path:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    folder.mkdir(exist_ok=True)
    document.save(str(folder / name))
    return folder


BROKEN_THIRD = ("Decision sheet", "Dear {{ referrer_name }},", "Reference {{ reference }",
                "Date {{ meeting_date }} and more words", "Signed {{ coordinator }}")


def test_a_missing_brace_is_reported_at_its_paragraph_not_a_correct_one_nearby(tmp_path):
    folder = word_template(tmp_path / "mine", "decision-sheet.docx", *BROKEN_THIRD)
    result = run("templates", "check", folder)
    assert result.exit_code == 1
    assert "decision-sheet.docx" in result.stdout and "paragraph 3 ('Reference {{ reference }')" in result.stdout
    assert "meeting_date" not in result.stdout and "referrer_name" not in result.stdout


def test_a_missing_brace_in_a_block_tag_is_reported_at_its_paragraph(tmp_path):
    folder = word_template(tmp_path / "mine", "decision-sheet.docx", "{{ reference }}",
                           "{% for c in children %}{{ c.name }}{% endfor %", "{{ coordinator }}")
    assert "paragraph 2 (" in run("templates", "check", folder).stdout


def test_a_document_made_from_a_template_with_a_missing_brace_names_the_paragraph(store, tmp_path):
    from builders import MEETING_DAY, decide, slot_at

    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    decide(ref, slot_at(ref, MEETING_DAY))
    folder = word_template(tmp_path / "mine", "decision-sheet.docx", *BROKEN_THIRD)
    result = run("--templates", folder, "decision", "sheet", ref, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "paragraph 3 ('Reference {{ reference }')" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_shipped_template_has_a_paragraph_with_a_broken_tag():
    from masg_cli.documents.render import environment
    from masg_cli.documents.tags import broken_paragraph
    from masg_cli.documents.templates import SHIPPED, shipped_folder

    for name in SHIPPED:
        if name.endswith(".docx"):
            assert broken_paragraph(shipped_folder() / name, environment(autoescape=True)) is None, name


@pytest.mark.parametrize("tag, problem", [("{{ children.first_name }}", "has no attribute 'first_name'"),
                                          ("{{ children[4].name }}", "has no element 4")])
def test_templates_check_refuses_a_field_of_a_list_or_an_element_it_does_not_have(tmp_path, tag, problem):
    folder = word_template(tmp_path / "mine", "decision-sheet.docx", tag)
    result = run("templates", "check", folder)
    assert result.exit_code == 1 and "decision-sheet.docx" in result.stdout and problem in result.stdout
