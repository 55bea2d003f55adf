"""Documents as people receive them: the agenda pack, templates, PDFs and e-mail drafts."""

from __future__ import annotations

import email
import os
import shutil
from email import policy
from pathlib import Path

import pytest

from builders import case_at, decide, on_agenda, out_folder
from conftest import add_referral, ok, run
from document_text import docx_text
from masg_cli.documents import pdf, render, templates
from masg_cli.documents.email import write_eml
from masg_cli.errors import Refused


AWKWARD = [
    "--child", "Zoë O'Brien-Example", "--dob", "2015-02-03",
    "--child", "Siân Sample", "--dob", "2018-06-12",
    "--referrer", "Alex O'Brien", "--referrer-agency", "O'Brien & Sons <Ltd>",
    "--transition", "looked-after",
]


def make_template(path: Path, *lines: str) -> Path:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


@pytest.fixture
def meeting_with_case(store):
    """Meeting 1 (Tuesday 1 December 2026) with one awkwardly named family on its agenda."""
    ref = add_referral(*AWKWARD)
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    ok("locality", "member", "add", "North", "--name", "Siân Sample", "--agency", "CAMHS",
       "--email", "sian@example.org")
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    ok("agenda", "build", "1")
    return ref


# --- the agenda pack ----------------------------------------------------------------------

def test_the_agenda_shows_children_by_initials_never_by_name(meeting_with_case, tmp_path):
    ok("agenda", "pack", "1", "--out", str(tmp_path), "--as-of", "2026-11-23")
    text = docx_text(tmp_path / "agenda-2026-12-01-north.docx")
    assert meeting_with_case in text and "ZOE, SS" in text
    assert "Zoë" not in text and "O'Brien-Example" not in text
    assert "O'Brien & Sons <Ltd>" in text and "Siân Sample" in text  # referrer agency, panel member
    assert "Tuesday 1 December 2026" in text and "Northgate Family Hub" in text
    assert "OFFICIAL-SENSITIVE" in text


def test_the_background_pack_carries_full_details_exactly_as_typed(meeting_with_case, tmp_path):
    ok("agenda", "pack", "1", "--out", str(tmp_path))
    text = docx_text(tmp_path / "background-pack-2026-12-01-north.docx")
    for value in ("Zoë O'Brien-Example", "Siân Sample", "O'Brien & Sons <Ltd>", "3 February 2015",
                  "Attendance and anxiety", "CAMHS", "looked after now", meeting_with_case, "received"):
        assert value in text


def test_no_file_name_carries_a_childs_name(meeting_with_case, tmp_path):
    ok("agenda", "pack", "1", "--out", str(tmp_path / "out"), "--eml")
    ok("agenda", "invite", "1", "--out", str(tmp_path / "out"))
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["agenda-2026-12-01-north.docx", "background-pack-2026-12-01-north.docx",
                     f"invite-2026-12-01-{meeting_with_case}.eml", "pack-2026-12-01-north.eml"]


def test_the_pack_draft_goes_to_panel_members_with_both_documents(meeting_with_case, tmp_path):
    ok("agenda", "pack", "1", "--out", str(tmp_path), "--eml")
    message = email.message_from_bytes((tmp_path / "pack-2026-12-01-north.eml").read_bytes(),
                                       policy=policy.default)
    assert message["X-Unsent"] == "1" and "sian@example.org" in message["To"]
    attached = {(a.get_filename(), a.get_content_type()) for a in message.iter_attachments()}
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert attached == {("agenda-2026-12-01-north.docx", docx),
                        ("background-pack-2026-12-01-north.docx", docx)}
    assert "Zoë" not in message["Subject"]


def test_the_pack_is_recorded_as_documents_of_the_meeting(meeting_with_case, tmp_path):
    ok("agenda", "pack", "1", "--out", str(tmp_path))
    audit = ok("audit", "--json").json
    assert [e["changes"]["kind"] for e in audit if e["action"] == "document"] == ["agenda", "background-pack"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_makes_a_real_pdf_through_libreoffice(meeting_with_case, tmp_path):
    ok("agenda", "pack", "1", "--out", str(tmp_path), "--pdf")
    pdf = tmp_path / "agenda-2026-12-01-north.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (tmp_path / "background-pack-2026-12-01-north.pdf").stat().st_size > 1000


def test_pdf_without_libreoffice_says_what_to_install(meeting_with_case, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    result = run("agenda", "pack", "1", "--out", str(tmp_path / "out"), "--pdf")
    assert result.exit_code == 1 and "LibreOffice is not installed" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_path_that_is_a_file_is_refused_in_one_line(meeting_with_case, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    result = run("agenda", "pack", "1", "--out", str(blocker))
    assert result.exit_code == 1 and "is a file" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_folder_is_refused(meeting_with_case, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run("agenda", "pack", "1", "--out", str(locked))
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_a_new_output_folder_is_made_private(meeting_with_case, tmp_path):
    ok("agenda", "pack", "1", "--out", str(tmp_path / "new" / "pack"))
    assert (tmp_path / "new" / "pack").stat().st_mode & 0o777 == 0o700


# --- rendering ----------------------------------------------------------------------------

def test_special_characters_come_out_as_typed(tmp_path):
    template = make_template(tmp_path / "t.docx", "Name: {{ name }}", "Then {{ other }}")
    out = render.render_docx(template, {"name": "O'Brien & Sons <Ltd>", "other": "Siân and Zoë"},
                                tmp_path / "out", "x.docx")
    assert "Name: O'Brien & Sons <Ltd>" in docx_text(out) and "Then Siân and Zoë" in docx_text(out)


def test_a_template_with_a_jinja_error_is_one_line_naming_the_file_and_leaves_no_file(tmp_path):
    template = make_template(tmp_path / "broken.docx", "Dear {{ referrer }", "Reference {{ reference }}")
    with pytest.raises(Refused) as caught:
        render.render_docx(template, {"referrer": "x", "reference": "y"}, tmp_path / "out", "x.docx")
    message = caught.value.message
    assert "broken.docx" in message and "Dear" in message and "\n" not in message
    assert list((tmp_path / "out").iterdir()) == []


def test_a_missing_value_is_an_error_not_a_blank(tmp_path):
    template = make_template(tmp_path / "t.docx", "Dear {{ referrer }}")
    with pytest.raises(Refused, match="referrer"):
        render.render_docx(template, {}, tmp_path, "x.docx")


def test_templates_render_in_the_sandbox(tmp_path):
    template = make_template(tmp_path / "evil.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(Refused, match="evil.docx"):
        render.render_docx(template, {}, tmp_path, "x.docx")


def test_a_broken_user_template_stops_the_pack_with_its_name(meeting_with_case, tmp_path):
    make_template(tmp_path / "mine" / "agenda.docx", "{% for s in slots %}{{ s.time }")
    result = run("--templates", str(tmp_path / "mine"), "agenda", "pack", "1", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "agenda.docx" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "out").glob("*.docx"))


# --- templates: override, copy, check -----------------------------------------------------

def test_a_users_template_overrides_the_shipped_one_file_by_file(meeting_with_case, tmp_path):
    make_template(tmp_path / "mine" / "agenda.docx", "Our own agenda for {{ locality }}")
    ok("--templates", str(tmp_path / "mine"), "agenda", "pack", "1", "--out", str(tmp_path / "out"))
    assert "Our own agenda for North" in docx_text(tmp_path / "out" / "agenda-2026-12-01-north.docx")
    # background-pack.docx is not in the folder, so the shipped one is used.
    assert "Background information" in docx_text(tmp_path / "out" / "background-pack-2026-12-01-north.docx")


def test_a_missing_template_is_refused_naming_it():
    with pytest.raises(Refused, match="no-such.docx"):
        templates.template_path("no-such.docx")


def test_templates_copy_gives_the_shipped_set_and_keeps_edited_ones(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "pack-email.txt").write_text("my own")
    out = ok("templates", "copy", str(tmp_path / "t"))
    assert (tmp_path / "t" / "agenda.docx").is_file() and (tmp_path / "t" / "background-pack.docx").is_file()
    assert (tmp_path / "t" / "pack-email.txt").read_text() == "my own" and "Kept" in out.stdout


def test_templates_check_passes_the_shipped_templates():
    assert "fine" in ok("templates", "check").stdout


def test_templates_check_names_each_problem_by_file(tmp_path):
    make_template(tmp_path / "agenda.docx", "Agenda {{ locality }", "for {{ meeting_day }}")
    make_template(tmp_path / "background-pack.docx", "{{ unknown_value }}")
    make_template(tmp_path / "agendaa.docx", "typo in the name")
    result = run("templates", "check", str(tmp_path))
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("agenda.docx:") and "Agenda" in lines[0]
    assert lines[1].startswith("agendaa.docx:") and "does not use" in lines[1]
    assert lines[2].startswith("background-pack.docx:") and "unknown_value" in lines[2]


def test_shipped_templates_are_a4():
    from docx import Document

    for name in ("agenda.docx", "background-pack.docx"):
        section = Document(str(templates.template_path(name))).sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_an_e_mail_draft_keeps_awkward_names_in_its_addresses(tmp_path):
    path = write_eml(tmp_path, "x.eml", to=[("O'Brien, Siân", "s@example.org")],
                               subject="Zoë's slot", body="Siân & Zoë <ok>", attachments=[])
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == [("O'Brien, Siân", "s@example.org")]
    assert message.get_content().strip() == "Siân & Zoë <ok>"


# --- A locality without a CAF co-ordinator: its documents are refused, unless --unsigned ------------


BLANK_SIGNATURE = "documents will be signed with a blank name"
LOCALITY_SET = "masg locality set North --coordinator NAME --contact TEXT"


@pytest.fixture
def decided_unsigned(store):
    """A decided case in North, whose co-ordinator and contact have since been blanked."""
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(ref)
    decide(ref, meeting)
    ok("locality", "set", "North", "--coordinator", "", "--contact", "")
    return ref, meeting


def test_a_decision_sheet_for_a_locality_without_a_coordinator_is_refused_naming_locality_set(
        decided_unsigned, tmp_path):
    ref, _ = decided_unsigned
    folder = tmp_path / "out"
    result = run("decision", "sheet", ref, "--out", folder)
    assert result.exit_code == 1 and LOCALITY_SET in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not folder.exists() or not any(folder.iterdir())


def test_a_decision_sheet_given_unsigned_is_written_with_a_warning(decided_unsigned, tmp_path):
    ref, _ = decided_unsigned
    result = ok("decision", "sheet", ref, "--out", tmp_path, "--unsigned")
    assert (tmp_path / f"decision-sheet-{ref}.docx").exists()
    assert result.stderr.count(BLANK_SIGNATURE) == 1 and "locality North" in result.stderr


def test_documents_for_a_locality_with_its_signature_set_carry_no_warning(decided_unsigned, tmp_path):
    ref, _ = decided_unsigned
    ok("locality", "set", "North", "--coordinator", "Pat Example", "--contact", "pat.example@example.gov.uk")
    assert BLANK_SIGNATURE not in ok("decision", "sheet", ref, "--out", tmp_path).stderr


def test_an_agenda_pack_for_a_locality_without_a_contact_is_refused_and_warns_once_when_unsigned(store, tmp_path):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(ref)
    ok("locality", "set", "North", "--contact", "")
    refused = run("agenda", "pack", meeting, "--out", tmp_path / "pack")
    assert refused.exit_code == 1 and "no contact" in refused.stderr and LOCALITY_SET in refused.stderr
    assert not (tmp_path / "pack").exists() or not any((tmp_path / "pack").iterdir())
    result = ok("agenda", "pack", meeting, "--out", tmp_path / "pack", "--unsigned")
    assert result.stderr.count(BLANK_SIGNATURE) == 1 and "no contact" in result.stderr


def test_a_follow_up_letter_for_a_locality_without_a_coordinator_is_refused_unless_unsigned(store, tmp_path):
    from builders import case_at

    ref = case_at("monitoring")
    ok("locality", "set", "North", "--coordinator", "")
    refused = run("followup", "letter", ref, "--out", tmp_path)
    assert refused.exit_code == 1 and "no CAF co-ordinator" in refused.stderr and LOCALITY_SET in refused.stderr
    assert not (tmp_path / f"followup-letter-{ref}.docx").exists()
    result = ok("followup", "letter", ref, "--out", tmp_path, "--unsigned")
    assert (tmp_path / f"followup-letter-{ref}.docx").exists()
    assert "no CAF co-ordinator;" in result.stderr and BLANK_SIGNATURE in result.stderr


# --- The final review form and the follow-up letter --------------------------------------------------


def test_every_answer_box_of_the_final_review_form_is_kept_on_one_page():
    from docx import Document
    from docx.oxml.ns import qn

    from masg_cli.documents.templates import template_path

    document = Document(str(template_path("final-review-form.docx")))
    boxes = [table.rows[0] for table in document.tables
             if len(table.rows) == 1 and table.rows[0].cells[1].text.strip() == ""]
    labels = [row.cells[0].text for row in boxes]
    assert "The family's view" in labels and len(labels) == 6
    for row in boxes:
        kept = row._tr.trPr.find(qn("w:cantSplit")) if row._tr.trPr is not None else None
        assert kept is not None and kept.get(qn("w:val")) == "true", row.cells[0].text


def test_the_letter_and_the_final_review_form_are_made_by_one_function(store, tmp_path, monkeypatch):
    from masg_cli.services import case_documents

    made = []
    original = case_documents.produce_case_document

    def spy(uow, referral, document, **options):
        made.append(document.kind)
        return original(uow, referral, document, **options)

    # The follow-up letter's service imports it when it writes (the lists need not): one spy sees both.
    monkeypatch.setattr(case_documents, "produce_case_document", spy)
    ref = case_at("monitoring")
    folder = out_folder(tmp_path)
    ok("followup", "letter", ref, "--out", folder, "--eml")
    ok("referral", "final-review-form", ref, "--out", folder, "--eml")
    assert made == ["followup-letter", "final-review-form"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{kind}-{ref}.{ext}" for kind in ("followup-letter", "final-review-form") for ext in ("docx", "eml"))


# --- One LibreOffice message -------------------------------------------------------------------------


def test_the_libreoffice_message_is_one_constant_used_by_every_document():
    from pathlib import Path

    import masg_cli

    root = Path(masg_cli.__file__).parent
    holders = [p.name for p in root.rglob("*.py") if "LibreOffice is not installed" in p.read_text()]
    assert holders == ["pdf.py"]
    import masg_cli.services.reviews as reviews

    assert not hasattr(reviews, "FINAL_REVIEW_FORM")


def test_the_documents_and_the_layers_below_the_command_line_never_import_it():
    import ast

    import masg_cli

    root = Path(masg_cli.__file__).parent
    below = [*root.glob("documents/*.py"), *root.glob("services/*.py"),
             *(root / name for name in ("store.py", "rules.py", "models.py"))]
    imported = set()
    for path in below:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            imported |= {(path.name, n) for n in names if n == "typer" or n.startswith(("typer.", "masg_cli.cli"))}
    assert not imported
