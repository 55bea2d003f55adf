"""The agenda pack reads a whole meeting at once, and renders Word templates without python-docx.

Both are speed-ups (benchmarks/agenda_pack.py); these tests hold them to what the slower,
simpler code did: the same case details as 'referral show', the same document as docxtpl's own
render and save.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from builders import MEETING_DAY, case_at, slot_at

from conftest import add_referral, ok
from masg_cli.documents import render as documents


def in_store():
    from masg_cli.store import locate, transaction

    return transaction(locate(os.environ["MASG_DB"]), user="test-coordinator", write=False)


def test_the_pack_reads_each_case_as_referral_show_does(store):
    reviewed = case_at("monitoring")
    ok("followup", "record", reviewed, "--date", "2027-02-23", "--outcome", "continue")
    first = add_referral("--child", "Zoë Example", "--dob", "2014-01-01", "--transition", "looked-after")
    second = add_referral("--re-referral-of", first, "--received", "2026-11-10")
    third = add_referral("--re-referral-of", second, "--received", "2026-11-20",
                         "--transition", "in-hospital", "--transition", "complex-needs")
    plain = add_referral("--child", "Siân Sample", "--dob", "2019-05-06")
    for ref in (third, plain):
        ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-21")
    meeting = slot_at(third, "2027-03-02")
    for ref, kind in ((plain, "new"), (reviewed, "review")):
        slot_at(ref, "2027-03-02", kind)

    from masg_cli.models import Meeting
    from masg_cli.services.casefile import referral_detail
    from masg_cli.documents.pack_cases import case_records, pending_cases

    with in_store() as uow:
        rows = pending_cases(uow.session, uow.session.get(Meeting, meeting))
        records = case_records(uow.session, [r for _, r in rows])
        assert [r.reference for _, r in rows] == [third, plain, reviewed]
        for _, referral in rows:
            detail = referral_detail(uow.session, referral.reference)
            record = records[referral.id]
            assert record["children"] == [{"name": c["name"], "dob": c["dob"]} for c in detail["children"]]
            assert record["agencies"] == detail["agencies"]
            assert record["flags"] == detail["transitions"]
            assert record["earlier"] == detail["earlier_referrals"]
            assert record["timeline"] == detail["timeline"]
        ids = [r.id for _, r in rows]
    assert records[ids[0]]["earlier"] == [first, second]
    history = [e["event"] for e in records[ids[2]]["timeline"]]
    assert any(e.startswith("decision: Lead Professional") for e in history)
    assert any(e.startswith("12-week follow-up: continue") for e in history)
    assert MEETING_DAY in {e["date"].isoformat() for e in records[ids[2]]["timeline"]}


# --- rendering straight from the zip ---------------------------------------------------------

def _template(path: Path, build) -> Path:
    from docx import Document

    doc = Document()
    build(doc)
    doc.save(str(path))
    return path


def _parts(path: Path) -> dict[str, bytes]:
    """Each XML part in canonical form (attribute order and quoting do not matter to Word)."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n")
                for name in archive.namelist() if name.endswith(".xml") and name != "docProps/core.xml"}


def _same_as_docxtpl(template: Path, context: dict, tmp_path: Path) -> Path:
    ours = documents.render_docx(template, context, tmp_path / "ours", "out.docx")
    theirs = documents._render_with_docxtpl(template, context,
                                            documents.prepare_folder(tmp_path / "theirs") / "out.docx")
    assert _parts(ours) == _parts(theirs)
    return ours


def test_a_table_loop_with_line_breaks_comes_out_as_docxtpl_makes_it(tmp_path):
    def build(doc):
        doc.add_paragraph("{{ title }} for {{ who }}")
        table = doc.add_table(rows=4, cols=2)
        table.rows[1].cells[0].text = "{%tr for r in rows %}"
        table.rows[2].cells[0].text = "{{ r.name }}"
        table.rows[2].cells[1].text = "{{ r.needs }}"
        table.rows[3].cells[0].text = "{%tr endfor %}"
        doc.add_paragraph("{%p if not rows %}")
        doc.add_paragraph("Nothing yet.")
        doc.add_paragraph("{%p endif %}")
        doc.sections[0].header.paragraphs[0].text = "Header {{ who }}"

    rows = [{"name": "Zoë O'Brien", "needs": documents.multiline("Sleep\nSchool\tmornings")},
            {"name": "Siân <Sample> & co", "needs": documents.multiline("")}]
    out = _same_as_docxtpl(_template(tmp_path / "t.docx", build),
                           {"title": "Agenda", "who": "O'Brien & Sons <Ltd>", "rows": rows}, tmp_path)
    from docx import Document

    document = Document(str(out))
    assert document.paragraphs[0].text == "Agenda for O'Brien & Sons <Ltd>"
    assert [c.text for c in document.tables[0].rows[1].cells] == ["Zoë O'Brien", "Sleep\nSchool\tmornings"]
    assert document.sections[0].header.paragraphs[0].text == "Header O'Brien & Sons <Ltd>"


def test_a_column_loop_gets_its_table_grid_fixed_as_docxtpl_does(tmp_path):
    def build(doc):
        table = doc.add_table(rows=1, cols=3)
        cells = table.rows[0].cells
        cells[0].text, cells[1].text, cells[2].text = "{%tc for c in columns %}", "{{ c }}", "{%tc endfor %}"

    out = _same_as_docxtpl(_template(tmp_path / "t.docx", build), {"columns": ["a", "b", "c", "d"]}, tmp_path)
    from docx import Document

    assert [c.text for c in Document(str(out)).tables[0].rows[0].cells] == ["a", "b", "c", "d"]


def test_tags_in_the_document_properties_still_render_through_docxtpl(tmp_path):
    def build(doc):
        doc.add_paragraph("Body {{ who }}")
        doc.core_properties.title = "Pack for {{ who }}"

    out = documents.render_docx(_template(tmp_path / "t.docx", build), {"who": "North"}, tmp_path, "o.docx")
    from docx import Document

    assert Document(str(out)).core_properties.title == "Pack for North"


def test_a_file_that_is_not_a_word_document_is_refused_by_name(tmp_path):
    from masg_cli.errors import Refused

    (tmp_path / "agenda.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(Refused, match="agenda.docx is not a Word document"):
        documents.render_docx(tmp_path / "agenda.docx", {}, tmp_path / "out", "x.docx")
