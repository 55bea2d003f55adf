"""masg import: a team's tracker, checked row by row, all or none, never twice."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from builders import digest
from conftest import add_referral, ok, run
from guide import file_holding


SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tracker-sample.csv"


MESSY = """Ref,Date Received,Locality,Status,Closed Reason,Child Name,Child DOB,Consent Date,Consent By,Referrer,Referrer Agency,Needs,Favourite colour
MASG-2025-0001,31/01/2025,North,accepted,,Zoë Example,03/02/2015,30/01/2025,parent,Alex Teacher,Northside Primary,Anxiety,blue
,01/31/2025,North,accepted,,Jack Example,12/06/2018,30/01/2025,parent,Alex Teacher,Northside Primary,Anxiety,
,02/02/2025,Atlantis,received,,Siân Sample,01/01/2016,01/02/2025,parent,Jo Nurse,Health visiting,Sleep,
,02/02/2025,North,received,,Ollie Sample,01/01/2016,,,Jo Nurse,Health visiting,Sleep,
,02/02/2025,North,pending,,Ada Demo,01/01/2016,01/02/2025,parent,Jo Nurse,Health visiting,Sleep,
MASG-2025-0001,03/02/2025,North,closed,,Kai Demo,01/01/2016,01/02/2025,parent,Jo Nurse,Health visiting,Sleep,
,04/02/2025,north,received,,Maisie Test; Priya Test,01/01/2016,01/02/2025,both,Jo Nurse,Health visiting,Sleep,
"""


HEADINGS = ("Reference,Date received,Locality,Status,Closed reason,Child name,Child DOB,Consent date,"
            "Consent by,Referrer,Referrer agency,Needs,Last reviewed,Follow up due\n")


def tracker(tmp_path, *rows: str):
    path = tmp_path / "tracker.csv"
    path.write_text(HEADINGS + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def row(status: str, extra: str = ",,", reason: str = "") -> str:
    return (f",02/02/2025,North,{status},{reason},Zoë Example,03/02/2015,01/02/2025,parent,Alex Teacher,"
            f"Northside Primary,Anxiety{extra}")


ROOT = Path(__file__).resolve().parent.parent


# --- The sample tracker ------------------------------------------------------------------------------


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


# --- Refused rows ------------------------------------------------------------------------------------


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


def test_a_tracker_missing_required_columns_or_not_a_tracker_is_refused(store, tmp_path):
    (tmp_path / "short.csv").write_text("Reference,Locality\nMASG-2025-0001,North\n")
    result = run("import", tmp_path / "short.csv", "--dry-run")
    assert result.exit_code == 1 and "no column for: received" in result.stderr
    (tmp_path / "junk.xlsx").write_bytes(b"\x00not a workbook")
    assert run("import", tmp_path / "junk.xlsx").exit_code == 1
    assert run("import", tmp_path / "missing.csv").exit_code == 1
    (tmp_path / "empty.csv").write_text("")
    assert "empty" in run("import", tmp_path / "empty.csv").stderr


def test_the_import_refusal_points_at_a_section_of_the_guide_that_exists(store, tmp_path):
    (tmp_path / "tracker.ods").write_bytes(b"not a tracker")
    result = run("import", tmp_path / "tracker.ods", "--dry-run")
    assert result.exit_code != 0
    page, section = re.search(r"(docs/[\w-]+\.md) \(([^)]+)\)", result.stderr).groups()
    assert file_holding(section) == ROOT / page


# --- Statuses an import can hold: none that needs a meeting or a panel decision ----------------------


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


# --- The same tracker twice --------------------------------------------------------------------------


def test_importing_the_same_tracker_twice_is_refused_on_its_references(store, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "again.csv")
    ok("import", SAMPLE)
    result = run("import", tmp_path / "again.csv", "--dry-run")
    assert "row 2: reference MASG-2025-0107 is already in the store" in result.stdout


def test_a_second_import_of_the_same_tracker_adds_nothing_and_says_so(store):
    ok("import", SAMPLE)
    before = len(ok("referral", "list", "--json").json)
    result = run("import", SAMPLE)
    assert result.exit_code == 1
    assert "all 5 rows of tracker-sample.csv are already in the store" in result.stderr
    assert len(ok("referral", "list", "--json").json) == before


def test_the_dry_run_names_the_row_and_the_existing_reference_of_a_row_without_a_reference(store):
    ok("import", SAMPLE)
    out = run("import", SAMPLE, "--dry-run").stdout
    assert "row 5: it is already in the store as MASG-2026-0001" in out
    assert "row 6: it is already in the store as MASG-2026-0002" in out
    assert "0 of 5 rows would be imported" in out


def test_a_row_for_the_same_child_received_on_another_day_imports_once_the_case_is_closed(store, tmp_path):
    ok("import", SAMPLE)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    again = tmp_path / "later.csv"
    again.write_text("\n".join([lines[0], lines[4].replace("03/11/2026", "04/11/2026", 1)]) + "\n", encoding="utf-8")
    # While the earlier case is open, the known-family check refuses the row (test_known_family.py).
    [open_case] = [r["reference"] for r in ok("referral", "list", "--json").json if r["status"] == "accepted"
                   and "Maisie" in str(ok("referral", "show", r["reference"], "--json").json["children"])]
    assert open_case in run("import", again).stderr
    ok("referral", "withdraw", open_case, "--reason", "consent withdrawn", "--date", "2026-11-06")
    assert "Imported 1 referrals" in ok("import", again).stdout


# --- An imported case in monitoring is followed up without a panel decision --------------------------


def _text_of(path) -> str:
    import docx

    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _sample_without_lead_professionals(tmp_path):
    """The sample tracker as a team's older tracker has it: no Lead Professional columns."""
    import csv

    with open(SAMPLE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [name for name in rows[0] if not name.lower().startswith("lead")]
    path = tmp_path / "older-tracker.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_an_imported_monitoring_case_gets_its_letter_and_final_review_form_without_a_decision(store, tmp_path):
    ok("import", _sample_without_lead_professionals(tmp_path))
    letter = ok("followup", "letter", "MASG-2025-0212", "--out", tmp_path, "--as-of", "2026-11-23")
    assert "followup-letter-MASG-2025-0212.docx" in letter.stdout
    text = _text_of(tmp_path / "followup-letter-MASG-2025-0212.docx")
    assert "Dear Lead Professional," in text and "As recorded in your tracker" in text
    ok("referral", "final-review-form", "MASG-2025-0212", "--out", tmp_path, "--as-of", "2026-11-23")
    assert "As recorded in your tracker" in _text_of(tmp_path / "final-review-form-MASG-2025-0212.docx")


def test_the_follow_up_list_shows_no_stray_comma_for_an_imported_case(store, tmp_path):
    ok("import", _sample_without_lead_professionals(tmp_path))
    out = ok("followup", "list", "--as-of", "2027-03-01").stdout
    row = next(line for line in out.splitlines() if "MASG-2025-0212" in line)
    assert "," not in row.replace("MASG-2025-0212", "")

