"""masg export: CSV, Excel and JSON, never a formula, the file only with its audit entry."""

from __future__ import annotations

import csv
import json
import shutil
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import digest, out_folder, refuse_audit_entry, stored_case, write
from conftest import ok, run


DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")


@pytest.fixture
def two_cases(store):
    def build(uow):
        stored_case(uow, "MASG-2026-0001", status="closed", closed_reason="completed", closed_on=date(2026, 6, 1),
                    children=(("Zoë Example", date(2015, 2, 3)), ("Jack Example", date(2018, 6, 12))),
                    meeting_date=date(2026, 1, 20), lead_agency="School nursing",
                    services=[("CAMHS", "Weekly sessions"), ("School nursing", "Drop-in")],
                    reviews=[date(2026, 3, 3)], follow_ups=[(date(2026, 5, 26), date(2026, 5, 26))])
        stored_case(uow, "MASG-2026-0002", needs="=HYPERLINK(\"http://evil.example\",\"click\")",
                    referrer_name="@SUM(1+1)", referrer_phone="+44 1632 960000")

    write(build)


# --- Each format -------------------------------------------------------------------------------------


def test_csv_export_has_one_row_per_referral_with_children_decisions_reviews_and_follow_ups(two_cases, tmp_path):
    out = tmp_path / "all.csv"
    shown = ok("export", "--format", "csv", "--out", out).stdout
    assert "Exported 2 referrals" in shown
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["reference"] for r in rows] == ["MASG-2026-0001", "MASG-2026-0002"]
    first = rows[0]
    assert first["child_names"] == "Zoë Example; Jack Example"
    assert first["child_dobs"] == "2015-02-03; 2018-06-12"
    assert first["lead_agency"] == "School nursing" and first["decisions"] == "1"
    assert first["services_agreed"] == "CAMHS: Weekly sessions; School nursing: Drop-in"
    assert (first["reviews"], first["last_review"], first["follow_ups"]) == ("1", "2026-03-03", "1")


def test_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe(two_cases, tmp_path):
    out = tmp_path / "all.csv"
    ok("export", "--format", "csv", "--out", out)
    second = list(csv.DictReader(out.open(encoding="utf-8-sig")))[1]
    assert second["needs"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert second["referrer_name"] == "'@SUM(1+1)"
    assert second["referrer_phone"] == "'+44 1632 960000"


def test_xlsx_export_has_a_sheet_per_table_and_text_never_becomes_a_formula(two_cases, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "all.xlsx"
    ok("export", "--format", "xlsx", "--out", out)
    book = load_workbook(out)
    assert book.sheetnames == ["Referrals", "Children", "Agencies", "Transitions", "Decisions", "Services",
                               "Reviews", "Lead Professional changes", "Follow-ups", "Notes",
                               "Attachments", "Actions", "Attendance"]
    children = [r[0] for r in book["Children"].iter_rows(min_row=2, values_only=True)]
    assert children == ["MASG-2026-0001"] * 2 + ["MASG-2026-0002"]
    assert book["Services"].max_row == 3
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    needs = next(c for c in cells if c.value == "=HYPERLINK(\"http://evil.example\",\"click\")")
    assert needs.data_type == "s" and needs.quotePrefix
    received = book["Referrals"]["F2"]
    assert received.value.date() == date(2026, 1, 5) and received.number_format == "DD/MM/YYYY"


def test_json_export_nests_each_referrals_records(two_cases, tmp_path):
    out = tmp_path / "all.json"
    ok("export", "--format", "json", "--out", out)
    data = json.loads(out.read_text())
    assert [c["reference"] for c in data] == ["MASG-2026-0001", "MASG-2026-0002"]
    assert {k: v for k, v in data[0]["children"][1].items() if v is not None} == {
        "name": "Jack Example", "dob": "2018-06-12"}  # the optional details are null when not known
    assert data[0]["services"][0]["agency"] == "CAMHS" and data[0]["decisions"][0]["lead_name"] == "Siân Sample"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_every_export_is_readable_by_its_owner_only_and_audited_without_names(two_cases, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    ok("export", "--format", fmt, "--out", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    entry = ok("audit", "--json").json[-1]
    assert entry["action"] == "export" and entry["changes"] == {"format": fmt, "referrals": 2}


def test_an_empty_store_exports_headings_only(store, tmp_path):
    ok("export", "--format", "json", "--out", tmp_path / "e.json")
    assert json.loads((tmp_path / "e.json").read_text()) == []
    ok("export", "--format", "csv", "--out", tmp_path / "e.csv")
    assert len((tmp_path / "e.csv").read_text().splitlines()) == 1


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(lambda t: t.strip())


formulaic = st.builds(lambda s, t: s + t, st.sampled_from(DANGEROUS + ("", "'")), texts)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(needs=formulaic, referrer=formulaic, agency=formulaic)
def test_no_exported_cell_is_ever_a_formula_whatever_the_text(store, tmp_path, needs, referrer, agency):
    from openpyxl import load_workbook

    from masg_cli.services.export import neutralise

    # Hypothesis's examples share tmp_path: each replaces the last one's files.
    ok("export", "--format", "csv", "--out", tmp_path / "warm.csv", "--overwrite")
    write(lambda uow: (uow.session.connection().exec_driver_sql("DELETE FROM service"),
                       uow.session.connection().exec_driver_sql("DELETE FROM decision"),
                       uow.session.connection().exec_driver_sql("DELETE FROM agenda_slot"),
                       uow.session.connection().exec_driver_sql("DELETE FROM meeting"),
                       uow.session.connection().exec_driver_sql("DELETE FROM child"),
                       uow.session.connection().exec_driver_sql("DELETE FROM suggested_agency"),
                       uow.session.connection().exec_driver_sql("DELETE FROM referral")))
    write(lambda uow: stored_case(uow, "MASG-2026-0001", needs=needs.strip(), referrer_name=referrer.strip(),
                                  agencies=(agency.strip(),), meeting_date=date(2026, 1, 20),
                                  lead_agency=agency.strip(),
                                  services=[(agency.strip(), needs.strip())]))
    ok("export", "--format", "xlsx", "--out", tmp_path / "f.xlsx", "--overwrite")
    book = load_workbook(tmp_path / "f.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(DANGEROUS):
                    assert cell.quotePrefix
    ok("export", "--format", "csv", "--out", tmp_path / "f.csv", "--overwrite")
    for row in csv.reader((tmp_path / "f.csv").open(encoding="utf-8-sig", newline="")):
        for value in row:
            assert not value.startswith(DANGEROUS)
    assert neutralise(needs.strip()).lstrip("'").endswith(needs.strip().lstrip("'"))


# --- Where the file goes -----------------------------------------------------------------------------


def test_export_to_a_file_in_its_place_or_an_unknown_format_is_refused_and_writes_nothing(two_cases, tmp_path):
    (tmp_path / "taken").write_text("not a folder")
    before = digest()
    result = run("export", "--format", "csv", "--out", tmp_path / "taken" / "x.csv")
    assert result.exit_code == 1 and "is a file, not a folder" in result.stderr
    assert run("export", "--format", "ods", "--out", tmp_path / "x.ods").exit_code == 2
    assert run("export", "--format", "csv", "--out", tmp_path).exit_code == 1
    assert digest() == before
    assert list(tmp_path.glob(".masg-*")) == []


def test_export_refuses_an_excel_file_named_csv_and_says_which_name_to_use(accepted, tmp_path):
    out = tmp_path / "all-referrals.csv"
    result = run("export", "--format", "xlsx", "--out", out)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        f"--out ends in .csv but --format is xlsx; use --out {tmp_path / 'all-referrals.xlsx'}")
    assert not out.exists()


def test_export_writes_a_file_without_an_extension_as_named(accepted, tmp_path):
    out = tmp_path / "all-referrals"
    ok("export", "--format", "csv", "--out", out)
    assert accepted in out.read_text(encoding="utf-8-sig")


# --- The file appears only with its audit entry ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_whose_audit_entry_cannot_be_written_leaves_no_file(accepted, tmp_path, monkeypatch, fmt):
    refuse_audit_entry(monkeypatch, "export")
    folder = out_folder(tmp_path)
    result = run("export", "--format", fmt, "--out", folder / f"all.{fmt}")
    assert result.exit_code != 0
    assert list(folder.iterdir()) == []


def test_an_export_and_a_backup_are_each_audited_with_the_file_in_place(accepted, tmp_path):
    folder = out_folder(tmp_path)
    ok("export", "--format", "json", "--out", folder / "all.json")
    ok("backup", "--out", folder / "b.db")
    entries = ok("audit", "--json").json
    assert [e["action"] for e in entries[-2:]] == ["export", "backup"]
    assert sorted(p.name for p in folder.iterdir()) == ["all.json", "b.db"]


def test_the_export_and_backup_commands_do_not_write_the_audit_themselves():
    from pathlib import Path

    import masg_cli.cli.maintenance as backup
    import masg_cli.cli.transfer as export

    for command in (export, backup):
        assert "uow.record" not in Path(command.__file__).read_text(encoding="utf-8")


# --- Workbooks a spreadsheet shows properly ----------------------------------------------------------


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


def libreoffice_calc_installed() -> bool:
    """Whether soffice can open a workbook: a writer-only install (libreoffice-writer-nogui) cannot."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    program = Path(soffice).resolve().parent  # /usr/lib/libreoffice/program on Debian
    return any(program.glob("libsclo.*")) or any(program.glob("*scalc*"))


@pytest.mark.slow
@pytest.mark.skipif(not (libreoffice_calc_installed() and shutil.which("pdftotext")),
                    reason="needs LibreOffice Calc (libreoffice-calc-nogui) and pdftotext to show the workbook "
                           "as Calc does")
def test_libreoffice_calc_shows_exported_dates_not_hashes(store, tmp_path):
    out = _exported(tmp_path)
    converted = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                                "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], capture_output=True,
                               text=True, timeout=180)
    assert (tmp_path / "all.pdf").exists(), f"LibreOffice Calc made no PDF: {converted.stderr[-500:]}"
    shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / "all.pdf"), "-"], capture_output=True,
                           text=True).stdout
    assert "05/01/2026" in shown and "MASG-2026-0001" in shown
    assert "###" not in shown

