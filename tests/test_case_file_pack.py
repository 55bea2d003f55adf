"""The case file at the panel: notes on the background pack page, attachments beside it with
--attachments, named by reference and kind, and neither on the agenda."""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path

from builders import slot_at
from conftest import add_referral, ok

PDF = b"%PDF-1.4\n% a fictional CAF form\n%%EOF\n"


def words_of(docx: Path) -> str:
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def case_on_agenda(tmp_path: Path) -> tuple[str, int]:
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = slot_at(ref, "2026-11-24")
    ok("note", "add", ref, "--text", "School says O'Brien & Sons <Ltd> visited; attendance up", "--kind", "phone",
       "--with", "Head of Year 5", "--date", "2026-11-10")
    (tmp_path / "Zoë Example CAF.pdf").write_bytes(PDF)
    ok("attach", ref, tmp_path / "Zoë Example CAF.pdf", "--kind", "caf")
    (tmp_path / "report.txt").write_text("A fictional school report.\n", encoding="utf-8")
    ok("attach", ref, tmp_path / "report.txt", "--kind", "report")
    return ref, meeting


def test_notes_are_on_the_background_pack_page_and_not_on_the_agenda(store, tmp_path):
    ref, meeting = case_on_agenda(tmp_path)
    ok("agenda", "pack", meeting, "--out", tmp_path / "pack", "--as-of", "2026-11-20")
    [pack] = (tmp_path / "pack").glob("background-pack-*.docx")
    [agenda] = (tmp_path / "pack").glob("agenda-*.docx")
    assert "note (phone with Head of Year 5): School says O'Brien & Sons <Ltd> visited; attendance up" in words_of(pack)
    assert "attendance up" not in words_of(agenda)
    assert "Head of Year 5" not in words_of(agenda)


def test_the_pack_leaves_attachments_out_unless_asked(store, tmp_path):
    _, meeting = case_on_agenda(tmp_path)
    ok("agenda", "pack", meeting, "--out", tmp_path / "pack", "--as-of", "2026-11-20")
    assert not [p for p in (tmp_path / "pack").iterdir() if p.name.startswith("MASG-")]


def test_attachments_join_the_pack_named_by_reference_and_kind_never_the_childs_name(store, tmp_path):
    ref, meeting = case_on_agenda(tmp_path)
    out = ok("agenda", "pack", meeting, "--out", tmp_path / "pack", "--attachments", "--as-of", "2026-11-20").stdout
    folder = tmp_path / "pack"
    names = sorted(p.name for p in folder.iterdir())
    assert f"{ref}-caf-1.pdf" in names and f"{ref}-report-1.txt" in names
    assert not [n for n in names if "Zo" in n or "Example" in n]
    assert (folder / f"{ref}-caf-1.pdf").read_bytes() == PDF
    assert stat.S_IMODE((folder / f"{ref}-caf-1.pdf").stat().st_mode) == 0o600
    assert f"{ref}-caf-1.pdf" in out


def test_the_pack_page_lists_the_case_files_documents_by_their_pack_names(store, tmp_path):
    ref, meeting = case_on_agenda(tmp_path)
    other = add_referral("--child", "Kai Other", "--dob", "2016-06-06", "--received", "2026-11-04")
    ok("referral", "triage", other, "--outcome", "accept", "--date", "2026-11-05")
    slot_at(other, "2026-11-24")
    ok("agenda", "pack", meeting, "--out", tmp_path / "pack", "--as-of", "2026-11-20")
    [pack] = (tmp_path / "pack").glob("background-pack-*.docx")
    text = words_of(pack)
    assert f"{ref}-caf-1.pdf" in text and f"{ref}-report-1.txt" in text
    assert "Zoë Example CAF.pdf" not in text
    assert "No documents are kept in this case's file." in text  # the second case has none
