"""Final fixes: export's --out extension, backup's folder messages, one LibreOffice message,
imported cases followed up without a panel decision, and a tracker imported twice."""

from __future__ import annotations

import stat

import pytest

from conftest import ok, run


# --- Export: --out's extension must agree with --format ------------------------------------------


def test_export_refuses_an_excel_file_named_csv_and_says_which_name_to_use(accepted, tmp_path):
    out = tmp_path / "all-referrals.csv"
    result = run("export", "--format", "xlsx", "--out", out)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(f"--out ends in .csv but --format is xlsx; use --out {tmp_path / 'all-referrals.xlsx'}")
    assert not out.exists()


def test_export_writes_a_file_without_an_extension_as_named(accepted, tmp_path):
    out = tmp_path / "all-referrals"
    ok("export", "--format", "csv", "--out", out)
    assert accepted in out.read_text(encoding="utf-8-sig")


# --- Backup: a folder is a folder, and a missing folder is made -----------------------------------


@pytest.mark.sqlite_only
def test_backup_into_a_folder_says_it_is_a_folder_with_or_without_overwrite(accepted, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    for extra in ((), ("--overwrite",)):
        result = run("backup", "--out", f"{folder}/", *extra)
        assert result.exit_code == 1
        assert "is a folder; give --out a file name" in result.stderr
        assert "already exists" not in result.stderr


@pytest.mark.sqlite_only
def test_backup_creates_a_missing_folder_readable_by_you_only(accepted, tmp_path):
    out = tmp_path / "backups" / "masg.db"
    ok("backup", "--out", out)
    assert out.exists() and stat.S_IMODE(out.parent.stat().st_mode) == 0o700


# --- One LibreOffice message ---------------------------------------------------------------------


def test_the_libreoffice_message_is_one_constant_used_by_every_document():
    from pathlib import Path

    import masg_cli

    root = Path(masg_cli.__file__).parent
    holders = [p.name for p in root.rglob("*.py") if "LibreOffice is not installed" in p.read_text()]
    assert holders == ["pdf.py"]
    import masg_cli.services.reviews as reviews

    assert not hasattr(reviews, "FINAL_REVIEW_FORM")


# --- Importing the same tracker twice adds nothing ---------------------------------------------------

SAMPLE = __import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "tracker-sample.csv"


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


def test_a_row_for_the_same_child_received_on_another_day_still_imports(store, tmp_path):
    ok("import", SAMPLE)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    again = tmp_path / "later.csv"
    again.write_text("\n".join([lines[0], lines[4].replace("03/11/2026", "04/11/2026", 1)]) + "\n", encoding="utf-8")
    assert "Imported 1 referrals" in ok("import", again).stdout


# --- An imported case in monitoring can be followed up ----------------------------------------------


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
