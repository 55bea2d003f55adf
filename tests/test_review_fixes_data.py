"""Review fixes around the data: import statuses, re-referral at follow-up, retention's compaction,
audited exports and backups, documents after a refusal, and readable workbooks."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import zipfile
from datetime import date

import pytest
from builders import case_at, show
from builders import digest, stored_case, write

from conftest import add_referral, ok, run

HEADINGS = ("Reference,Date received,Locality,Status,Closed reason,Child name,Child DOB,Consent date,"
            "Consent by,Referrer,Referrer agency,Needs,Last reviewed,Follow up due\n")
DUE = "2027-02-23"  # monitoring_case's follow-up


def tracker(tmp_path, *rows: str):
    path = tmp_path / "tracker.csv"
    path.write_text(HEADINGS + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def row(status: str, extra: str = ",,", reason: str = "") -> str:
    return (f",02/02/2025,North,{status},{reason},Zoë Example,03/02/2015,01/02/2025,parent,Alex Teacher,"
            f"Northside Primary,Anxiety{extra}")


# --- 1. Imported cases: no status that needs a meeting or a decision ------------------------------


@pytest.mark.parametrize("status", ["scheduled", "decided", "active"])
def test_a_scheduled_decided_or_active_row_is_refused_with_the_reason_and_the_way_forward(store, tmp_path, status):
    result = run("import", tracker(tmp_path, row("accepted"), row(status)), "--dry-run")
    assert result.exit_code == 1
    assert f"row 3: status '{status}' cannot be imported: masg has no meeting or panel decision" in result.stdout
    assert "import it as accepted" in result.stdout or "import it as monitoring" in result.stdout
    assert "row 2:" not in result.stdout
    assert run("import", tracker(tmp_path, row(status))).exit_code == 1
    assert ok("referral", "list", "--json").json == []


def test_received_more_info_accepted_monitoring_and_closed_rows_still_import(store, tmp_path):
    path = tracker(tmp_path, row("received"), row("more-info"), row("accepted"),
                   row("monitoring", ",,01/03/2025"), row("closed", reason="withdrawn"))
    assert "Imported 5 referrals" in ok("import", path).stdout
    statuses = sorted(r["status"] for r in ok("referral", "list", "--json").json)
    assert statuses == ["accepted", "closed", "monitoring", "more-info", "received"]


def test_a_monitoring_row_without_its_follow_up_due_is_still_refused(store, tmp_path):
    result = run("import", tracker(tmp_path, row("monitoring")), "--dry-run")
    assert result.exit_code == 1 and "a monitoring case needs follow up due" in result.stdout


def test_the_familys_answer_on_a_case_with_no_panel_decision_is_refused_not_a_crash(store):
    write(lambda uow: stored_case(uow, "MASG-2025-0001", status="decided", received=date(2025, 1, 6)))
    before = digest()
    result = run("family-response", "MASG-2025-0001", "--accepted", "--date", "2025-02-01")
    assert result.exit_code == 1
    assert "MASG-2025-0001 has no panel decision recorded" in result.stderr and "decision record" in result.stderr
    assert "unexpected" not in result.stderr and digest() == before


# --- 2. Re-referral at the follow-up: the Lead Professional re-refers, with fresh consent ---------


def test_re_refer_without_fresh_consent_is_refused_with_the_consent_message_and_changes_nothing(store):
    ref = case_at("monitoring")
    before = digest()
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "re-refer")
    assert result.exit_code == 1 and "no consent recorded" in result.stderr and "--consent-date" in result.stderr
    assert digest() == before


def test_re_refer_with_fresh_consent_makes_the_lead_professional_the_referrer(store):
    ref = case_at("monitoring")
    result = ok("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--consent-date", "2027-02-22",
                "--consent-by", "both", "--note", "Anxiety back since the move to secondary school")
    new_ref = result.stdout.split()[0]
    assert f"re-referral of {ref} by the Lead Professional Siân Sample" in result.stdout
    new = show(new_ref)
    assert (new["referrer"], new["referrer_agency"]) == ("Siân Sample", "O'Brien & Sons <Ltd>")
    assert (new["referrer_email"], new["referrer_phone"]) == ("sian.sample@example.org", "07700 900123")
    assert new["consent"] == {"date": "2027-02-22", "by": "both"}
    assert new["needs"] == "Anxiety back since the move to secondary school"
    earlier = show(ref)
    assert [c["name"] for c in new["children"]] == [c["name"] for c in earlier["children"]]
    assert new["agencies"] == earlier["agencies"] and new["re_referral_of"] == ref


def test_re_refer_without_a_note_keeps_the_earlier_needs(store):
    ref = case_at("monitoring")
    new_ref = ok("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--consent-date", DUE,
                 "--consent-by", "parent").stdout.split()[0]
    assert show(new_ref)["needs"] == show(ref)["needs"]


def test_consent_dated_after_the_re_referral_is_refused(store):
    ref = case_at("monitoring")
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--consent-date", "2027-03-01",
                 "--consent-by", "parent")
    assert result.exit_code == 1 and "consent must be given before" in result.stderr


def test_re_refer_links_a_re_referral_the_lead_professional_already_added(store):
    ref = case_at("monitoring")
    added = add_referral("--re-referral-of", ref, "--received", "2027-02-20", "--consent-date", "2027-02-19")
    result = ok("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--new-referral", added)
    assert f"{added} linked: re-referral of {ref}" in result.stdout
    earlier = show(ref)
    assert earlier["follow_ups"][0]["new_referral"] == added and earlier["later_referrals"] == [added]
    assert (earlier["status"], earlier["follow_up_due"]) == ("monitoring", None)


def test_re_refer_to_a_referral_that_is_not_a_re_referral_of_the_case_is_refused(store):
    ref = case_at("monitoring")
    other = add_referral()
    before = digest()
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--new-referral", other)
    assert result.exit_code == 1 and f"{other} is not a re-referral of {ref}" in result.stderr
    assert digest() == before


@pytest.mark.parametrize("extra", [["--outcome", "continue", "--consent-by", "parent"],
                                   ["--outcome", "re-refer", "--new-referral", "MASG-2026-0009",
                                    "--consent-date", DUE]])
def test_re_referral_options_that_do_not_fit_are_a_usage_error(store, extra):
    ref = case_at("monitoring")
    assert run("followup", "record", ref, "--date", DUE, *extra).exit_code == 2


# --- 3. Retention: a busy store at compaction does not hide a committed removal -------------------


@pytest.mark.sqlite_only
def test_retention_apply_on_a_busy_store_warns_that_the_cases_were_removed_and_exits_0(store, monkeypatch):
    write(lambda uow: stored_case(uow, "MASG-2020-0002", status="closed", closed_reason="withdrawn",
                           received=date(2020, 2, 3), closed_on=date(2020, 3, 1),
                           children=(("Ada Old", date(2000, 1, 1)),)))
    real = sqlite3.connect

    class Busy:  # the compaction's own connection: VACUUM finds the store busy
        def __init__(self, *args, **kwargs):
            self.real = real(*args, **kwargs)

        def execute(self, statement, *args):
            if statement.startswith("VACUUM"):
                raise sqlite3.OperationalError("database is locked")
            return self.real.execute(statement, *args)

        def close(self):
            self.real.close()

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Busy(*a, **k) if "isolation_level" in k else real(*a, **k))
    result = run("retention", "--as-of", "2026-11-23", "--apply")
    assert result.exit_code == 0, result.stderr
    assert "cases removed; the file will be compacted on the next run" in result.stderr
    assert "nothing was saved" not in result.stderr
    monkeypatch.setattr(sqlite3, "connect", real)
    assert ok("referral", "list", "--json").json == []


# --- 4. Export and backup: the file appears only with its audit entry -----------------------------


def _folder(tmp_path):
    folder = tmp_path / "out"  # tmp_path also holds the test's store
    folder.mkdir()
    return folder


def _busy_audit(monkeypatch, action: str) -> None:
    from sqlalchemy.exc import OperationalError

    from masg_cli.store import UnitOfWork

    original = UnitOfWork.record

    def record(self, what, reference, changes):
        if what == action:
            raise OperationalError("INSERT INTO audit_entry", {}, sqlite3.OperationalError("database is locked"))
        return original(self, what, reference, changes)

    monkeypatch.setattr(UnitOfWork, "record", record)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_whose_audit_entry_cannot_be_written_leaves_no_file(accepted, tmp_path, monkeypatch, fmt):
    _busy_audit(monkeypatch, "export")
    folder = _folder(tmp_path)
    result = run("export", "--format", fmt, "--out", folder / f"all.{fmt}")
    assert result.exit_code != 0
    assert list(folder.iterdir()) == []


def test_a_backup_whose_audit_entry_cannot_be_written_leaves_no_file(accepted, tmp_path, monkeypatch):
    _busy_audit(monkeypatch, "backup")
    folder = _folder(tmp_path)
    result = run("backup", "--out", folder / "b.db")
    assert result.exit_code != 0
    assert list(folder.iterdir()) == []


def test_an_export_and_a_backup_are_each_audited_with_the_file_in_place(accepted, tmp_path):
    folder = _folder(tmp_path)
    ok("export", "--format", "json", "--out", folder / "all.json")
    ok("backup", "--out", folder / "b.db")
    entries = ok("audit", "--json").json
    assert [e["action"] for e in entries[-2:]] == ["export", "backup"]
    assert sorted(p.name for p in folder.iterdir()) == ["all.json", "b.db"]


def test_the_export_and_backup_commands_do_not_write_the_audit_themselves():
    from pathlib import Path

    import masg_cli.cli.reports as command

    assert "uow.record" not in Path(command.__file__).read_text(encoding="utf-8")


# --- 5. No document left behind when LibreOffice is missing ---------------------------------------


def _without_libreoffice(monkeypatch):
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in ("soffice", "libreoffice")
                        else real(name, *a, **k))


def test_a_follow_up_letter_as_pdf_without_libreoffice_is_refused_and_leaves_nothing(store, tmp_path, monkeypatch):
    ref = case_at("monitoring")
    _without_libreoffice(monkeypatch)
    out = tmp_path / "letters"
    out.mkdir()
    before = digest()
    result = run("followup", "letter", ref, "--out", out, "--pdf", "--eml")
    assert result.exit_code == 1 and "LibreOffice is not installed" in result.stderr
    assert list(out.iterdir()) == [] and digest() == before


def test_the_letter_and_the_final_review_form_are_made_by_one_function(store, tmp_path, monkeypatch):
    from masg_cli.services import case_documents

    made = []
    original = case_documents.produce_case_document

    def spy(uow, referral, document, **options):
        made.append(document.kind)
        return original(uow, referral, document, **options)

    monkeypatch.setattr(case_documents, "produce_case_document", spy)
    import masg_cli.services.followups as followups

    monkeypatch.setattr(followups, "produce_case_document", spy)
    ref = case_at("monitoring")
    folder = _folder(tmp_path)
    ok("followup", "letter", ref, "--out", folder, "--eml")
    ok("referral", "final-review-form", ref, "--out", folder, "--eml")
    assert made == ["followup-letter", "final-review-form"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{kind}-{ref}.{ext}" for kind in ("followup-letter", "final-review-form") for ext in ("docx", "eml"))


# --- 6. Workbooks a spreadsheet shows properly ---------------------------------------------------


def _exported(tmp_path):
    write(lambda uow: stored_case(uow, "MASG-2026-0001", received=date(2026, 1, 5), meeting_date=date(2026, 1, 20),
                           lead_agency="CAMHS", services=[("CAMHS", "Sessions")]))
    out = tmp_path / "all.xlsx"
    ok("export", "--format", "xlsx", "--out", out)
    return out


def test_exported_date_and_reference_columns_are_wide_enough_to_read(store, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(_exported(tmp_path))
    sheet = book["Referrals"]
    headings = {cell.value: cell.column_letter for cell in sheet[1]}
    width = lambda name: sheet.column_dimensions[headings[name]].width  # noqa: E731
    assert width("reference") >= 16 and width("received") >= 12 and width("family_response_date") >= 12
    assert width("needs") >= 40
    decisions = book["Decisions"]
    assert all(decisions.column_dimensions[c].width >= 12 for c in "ABCDEFG")


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="needs LibreOffice and pdftotext to show the workbook as Calc does")
def test_libreoffice_calc_shows_exported_dates_not_hashes(store, tmp_path):
    out = _exported(tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], capture_output=True, timeout=180)
    shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / "all.pdf"), "-"], capture_output=True,
                           text=True).stdout
    assert "05/01/2026" in shown and "MASG-2026-0001" in shown
    assert "###" not in shown


def test_the_report_workbook_headings_sit_over_their_figures_and_charts_beside_the_table(store, tmp_path):
    from openpyxl import load_workbook

    write(lambda uow: stored_case(uow, "MASG-2026-0001", status="closed", closed_reason="completed",
                           received=date(2026, 1, 5), closed_on=date(2026, 3, 1)))
    out = tmp_path / "figures.xlsx"
    ok("report", "summary", "--xlsx", out)
    monthly = load_workbook(out)["Monthly trend"]
    assert monthly["A1"].alignment.horizontal in (None, "general", "left")
    assert all(monthly[f"{c}1"].alignment.horizontal == "right" for c in "BCDEFGH")
    assert all(monthly[f"{c}1"].font.name == "Calibri" and monthly[f"{c}1"].font.b for c in "ABH")
    with zipfile.ZipFile(out) as book:
        drawing = book.read("xl/drawings/drawing1.xml").decode()
    columns = [int(c) for c in re.findall(r"<(?:xdr:)?from><(?:xdr:)?col>(\d+)<", drawing)]
    assert columns and min(columns) > 7  # column H (index 7) holds the table's last figures
