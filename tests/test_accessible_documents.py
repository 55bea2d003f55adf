"""Documents a screen reader can follow: real headings, header rows marked and repeated, a title
and a language; and --pdf makes a tagged PDF."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from builders import case_at
from document_text import made

from conftest import ok
from masg_cli.documents.templates import SHIPPED, shipped_folder

DOCUMENTS = [n for n in SHIPPED if n.endswith(".docx")]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_document_has_a_title_headings_and_marked_header_rows(name):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(shipped_folder() / name))
    title = document.core_properties.title
    assert title == next(p.text for p in document.paragraphs if p.style.name == "Title")  # not a file name
    assert document.core_properties.language == "en-GB"
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Title") == 1
    assert any(s.startswith("Heading") for s in styles), name
    for table in document.tables:
        first = table.rows[0]._tr
        if first.find(qn("w:trPr")) is not None and first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None:
            continue
        # A table without a header row is a form of labels and values: its first column is the label.
        assert len(table.columns) == 2, (name, [c.text for c in table.rows[0].cells])


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_pdf_makes_a_tagged_pdf_with_its_language_and_title(store, tmp_path):
    reference = case_at("decided")
    ok("decision", "family-letter", reference, "--out", str(tmp_path), "--pdf", "--as-of", "2026-11-25")
    [pdf] = list(tmp_path.glob("family-letter-*.pdf"))
    raw = pdf.read_bytes()
    assert b"/StructTreeRoot" in raw and b"/MarkInfo" in raw
    assert re.search(rb"/Lang\s*\(en-GB\)", raw)
    assert made(tmp_path, "family-letter").is_file()
    with zipfile.ZipFile(made(tmp_path, "family-letter")) as archive:
        assert b"What the panel agreed for your family" in archive.read("docProps/core.xml")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_each_case_of_the_pack_still_starts_a_page_after_libreoffice_re_saves_the_template(tmp_path):
    import subprocess

    from docx import Document

    source = tmp_path / "in" / "background-pack.docx"
    source.parent.mkdir()
    shutil.copy(shipped_folder() / "background-pack.docx", source)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"), str(source)],
                   capture_output=True, timeout=180, check=True)
    document = Document(str(tmp_path / "out" / "background-pack.docx"))
    [case] = [p for p in document.paragraphs if "{{ c.reference }}" in p.text]
    breaks = case.paragraph_format.page_break_before or case.style.paragraph_format.page_break_before
    assert breaks and case.style.name == "Case heading"
