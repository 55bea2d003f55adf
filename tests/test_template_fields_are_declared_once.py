"""'masg templates fields': what each template is given, derived from the contexts templates are
checked against, every field described, and the reference page generated from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ok, run

PAGE = Path(__file__).resolve().parents[1] / "docs" / "template-fields.md"


def test_every_field_a_document_builder_fills_has_a_meaning():
    from masg_cli.documents.fields import all_fields

    undescribed = sorted({f.name for found in all_fields().values() for f in found if not f.meaning})
    assert undescribed == [], "describe these in masg_cli/documents/fields.py MEANINGS"


def test_the_fields_are_the_names_templates_check_allows():
    from masg_cli.documents.fields import fields_of
    from masg_cli.documents.samples import sample_contexts

    for name, sample in sample_contexts().items():
        top = [f.name for f in fields_of(name, sample) if "." not in f.name]
        assert top == list(sample), name


def test_the_decision_sheet_lists_its_children_with_name_and_date_of_birth(store):
    found = ok("templates", "fields", "decision-sheet", "--json").json
    rows = {f["name"]: f for f in found["decision-sheet.docx"]}
    assert rows["children"]["type"] == "list"
    assert rows["children[].name"] == {"name": "children[].name", "type": "text", "example": "Ada Example",
                                       "meaning": "the name"}
    assert rows["children[].dob"]["example"] == "6 May 2014"
    assert rows["reference"]["example"] == "MASG-2026-0042"


@pytest.mark.parametrize("given", ["decision-sheet", "decision-sheet.docx", "Decision-Sheet"])
def test_a_document_is_named_with_or_without_its_extension(store, given):
    result = ok("templates", "fields", given)
    assert "decision-sheet.docx" in result.stdout and "coordinator_contact" in result.stdout
    assert "agenda.docx" not in result.stdout


def test_an_unknown_document_is_a_usage_problem_naming_the_documents(store):
    result = run("templates", "fields", "decision-shet")
    assert result.exit_code == 2 and "decision-sheet.docx" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_a_document_every_shipped_template_is_listed(store):
    from masg_cli.documents.templates import SHIPPED

    assert list(json.loads(ok("templates", "fields", "--json").stdout)) == list(SHIPPED)


def test_the_committed_reference_page_is_what_the_code_generates(store):
    generated = ok("templates", "fields", "--markdown").stdout
    assert PAGE.read_text(encoding="utf-8") == generated, (
        "regenerate it: masg templates fields --markdown > docs/template-fields.md")
