"""masg export (CSV, Excel, JSON; never a formula) and masg import (a tracker: checked, all or none)."""

from __future__ import annotations

import csv
import json
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import add_referral, ok, run
from builders import digest, stored_case, write

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tracker-sample.csv"
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


# --- Export ------------------------------------------------------------------------------------------


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
                               "Reviews", "Follow-ups"]
    assert [r[0] for r in book["Children"].iter_rows(min_row=2, values_only=True)] == ["MASG-2026-0001"] * 2 + ["MASG-2026-0002"]
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
    assert data[0]["children"][1] == {"name": "Jack Example", "dob": "2018-06-12"}
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


def test_export_to_a_file_in_its_place_or_an_unknown_format_is_refused_and_writes_nothing(two_cases, tmp_path):
    (tmp_path / "taken").write_text("not a folder")
    before = digest()
    result = run("export", "--format", "csv", "--out", tmp_path / "taken" / "x.csv")
    assert result.exit_code == 1 and "is a file, not a folder" in result.stderr
    assert run("export", "--format", "ods", "--out", tmp_path / "x.ods").exit_code == 2
    assert run("export", "--format", "csv", "--out", tmp_path).exit_code == 1
    assert digest() == before
    assert list(tmp_path.glob(".masg-*")) == []


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(lambda t: t.strip())
formulaic = st.builds(lambda s, t: s + t, st.sampled_from(DANGEROUS + ("", "'")), texts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(needs=formulaic, referrer=formulaic, agency=formulaic)
def test_no_exported_cell_is_ever_a_formula_whatever_the_text(store, tmp_path, needs, referrer, agency):
    from openpyxl import load_workbook

    from masg_cli.services.export import neutralise

    ok("export", "--format", "csv", "--out", tmp_path / "warm.csv")
    write(lambda uow: (uow.session.connection().exec_driver_sql("DELETE FROM service"),
                       uow.session.connection().exec_driver_sql("DELETE FROM decision"),
                       uow.session.connection().exec_driver_sql("DELETE FROM agenda_slot"),
                       uow.session.connection().exec_driver_sql("DELETE FROM meeting"),
                       uow.session.connection().exec_driver_sql("DELETE FROM child"),
                       uow.session.connection().exec_driver_sql("DELETE FROM suggested_agency"),
                       uow.session.connection().exec_driver_sql("DELETE FROM referral")))
    write(lambda uow: stored_case(uow, "MASG-2026-0001", needs=needs.strip(), referrer_name=referrer.strip(),
                           agencies=(agency.strip(),), meeting_date=date(2026, 1, 20), lead_agency=agency.strip(),
                           services=[(agency.strip(), needs.strip())]))
    ok("export", "--format", "xlsx", "--out", tmp_path / "f.xlsx")
    book = load_workbook(tmp_path / "f.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(DANGEROUS):
                    assert cell.quotePrefix
    ok("export", "--format", "csv", "--out", tmp_path / "f.csv")
    for row in csv.reader((tmp_path / "f.csv").open(encoding="utf-8-sig", newline="")):
        for value in row:
            assert not value.startswith(DANGEROUS)
    assert neutralise(needs.strip()).lstrip("'").endswith(needs.strip().lstrip("'"))


# --- Import -----------------------------------------------------------------------------------------


def test_the_sample_tracker_imports_keeping_references_statuses_and_dates(store):
    assert "5 of 5 rows would be imported" in ok("import", SAMPLE, "--dry-run").stdout
    assert "Imported 5 referrals" in ok("import", SAMPLE).stdout
    rows = {r["reference"]: r for r in ok("referral", "list", "--json").json}
    assert rows["MASG-2025-0107"]["status"] == "closed" and rows["MASG-2025-0107"]["closed_reason"] == "completed"
    assert rows["MASG-2025-0212"]["status"] == "monitoring"
    detail = ok("referral", "show", "MASG-2025-0212", "--json").json
    assert [c["name"] for c in detail["children"]] == ["Tomasz Demo", "Ada Demo"]
    assert detail["received"] == "2025-06-02"
    follow = ok("followup", "list", "--json", "--as-of", "2027-03-01").json
    assert [(f["reference"], f["due"]) for f in follow] == [("MASG-2025-0212", "2027-02-09")]
    assert {"MASG-2026-0001", "MASG-2026-0002"} <= set(rows)


def test_new_references_never_collide_with_imported_ones(store):
    ok("import", SAMPLE)
    new = add_referral("--received", "2025-09-01", "--consent-date", "2025-08-30")
    assert new == "MASG-2025-0302"


def test_an_import_is_audited_without_personal_data(store):
    ok("import", SAMPLE)
    entries = ok("audit", "--json").json
    imported = [e for e in entries if e["action"] == "referral import"]
    assert len(imported) == 5 and imported[0]["changes"]["row"] == 2
    text = json.dumps(entries, ensure_ascii=False)
    for personal in ("Siân Sample", "Tomasz", "2012-07-09", "Sleep and routines", "jo.nurse@example.org"):
        assert personal not in text


MESSY = """Ref,Date Received,Locality,Status,Closed Reason,Child Name,Child DOB,Consent Date,Consent By,Referrer,Referrer Agency,Needs,Favourite colour
MASG-2025-0001,31/01/2025,North,accepted,,Zoë Example,03/02/2015,30/01/2025,parent,Alex Teacher,Northside Primary,Anxiety,blue
,01/31/2025,North,accepted,,Jack Example,12/06/2018,30/01/2025,parent,Alex Teacher,Northside Primary,Anxiety,
,02/02/2025,Atlantis,received,,Siân Sample,01/01/2016,01/02/2025,parent,Jo Nurse,Health visiting,Sleep,
,02/02/2025,North,received,,Ollie Sample,01/01/2016,,,Jo Nurse,Health visiting,Sleep,
,02/02/2025,North,pending,,Ada Demo,01/01/2016,01/02/2025,parent,Jo Nurse,Health visiting,Sleep,
MASG-2025-0001,03/02/2025,North,closed,,Kai Demo,01/01/2016,01/02/2025,parent,Jo Nurse,Health visiting,Sleep,
,04/02/2025,north,received,,Maisie Test; Priya Test,01/01/2016,01/02/2025,both,Jo Nurse,Health visiting,Sleep,
"""


@pytest.fixture
def messy(store, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text(MESSY, encoding="utf-8")
    return path


def test_a_dry_run_lists_every_refused_row_by_number_and_why_and_changes_nothing(messy):
    before = digest()
    result = run("import", messy, "--dry-run")
    assert result.exit_code == 1
    out = result.stdout
    assert "row 3: received '01/31/2025' looks like US order (month first) (write DD/MM/YYYY)" in out
    assert "row 4: locality 'Atlantis' is unknown" in out
    assert "row 5: no consent recorded" in out
    assert "row 6: status 'pending' is unknown" in out
    assert "row 7: a closed case needs a closed reason" in out and "also on row 2" in out
    assert "row 8: 2 child name(s) but 1 date(s) of birth" in out
    assert "row 2:" not in out
    assert "Columns not imported: Favourite colour" in out
    assert "1 of 7 rows would be imported; 6 refused" in out
    assert digest() == before


def test_a_real_import_with_any_refused_row_imports_nothing(messy):
    before = digest()
    result = run("import", messy)
    assert result.exit_code == 1
    assert "6 of 7 rows cannot be imported (row 3:" in result.stderr and "nothing was imported" in result.stderr
    assert digest() == before
    assert ok("referral", "list", "--json").json == []


def test_an_excel_tracker_with_real_dates_imports(store, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Date received", "Locality", "Child name", "Child DOB", "Consent date", "Consent by",
                  "Referrer", "Referrer agency", "Needs", "Status", "Last reviewed"])
    sheet.append([date(2026, 3, 2), "North", "Zoë Example", date(2015, 2, 3), "01/03/2026", "parent",
                  "Alex Teacher", "Northside Primary", "Anxiety", "Monitoring", date(2026, 9, 1)])
    book.save(tmp_path / "t.xlsx")
    ok("import", tmp_path / "t.xlsx")
    row = ok("referral", "list", "--json").json[0]
    assert (row["reference"], row["status"]) == ("MASG-2026-0001", "monitoring")
    follow = ok("followup", "list", "--json", "--as-of", "2026-12-01").json
    assert follow[0]["due"] == "2026-11-24"  # 12 weeks after the last review


def test_a_tracker_missing_required_columns_or_not_a_tracker_is_refused(store, tmp_path):
    (tmp_path / "short.csv").write_text("Reference,Locality\nMASG-2025-0001,North\n")
    result = run("import", tmp_path / "short.csv", "--dry-run")
    assert result.exit_code == 1 and "no column for: received" in result.stderr
    (tmp_path / "junk.xlsx").write_bytes(b"\x00not a workbook")
    assert run("import", tmp_path / "junk.xlsx").exit_code == 1
    assert run("import", tmp_path / "missing.csv").exit_code == 1
    (tmp_path / "empty.csv").write_text("")
    assert "empty" in run("import", tmp_path / "empty.csv").stderr


def test_importing_the_same_tracker_twice_is_refused_on_its_references(store, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "again.csv")
    ok("import", SAMPLE)
    result = run("import", tmp_path / "again.csv", "--dry-run")
    assert "row 2: reference MASG-2025-0107 is already in the store" in result.stdout
