"""Ofsted's Annex A list of early help: one row per child, unknown values left empty."""

from __future__ import annotations

import csv

from conftest import add_referral, ok, run, store_rows


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_each_child_of_a_case_open_in_the_period_is_one_row(store, tmp_path):
    ref = add_referral("--child", "Tom Example", "--dob", "2018-06-30")
    out = tmp_path / "annex-a.csv"
    ok("export", "--format", "annex-a", "--from", "2026-10-01", "--to", "2027-03-31", "--out", str(out))
    rows = read_csv(out)
    assert [(r["Case reference"], r["Date of birth"], r["Age"]) for r in rows] == [
        (ref, "2015-02-03", "12"), (ref, "2018-06-30", "8")]
    first = rows[0]
    assert first["Date early help assessment started"] == "2026-11-02"
    assert first["Organisation completing assessment"] == "Northside Primary"
    assert (first["Sex"], first["Ethnicity"], first["Date early help ended"]) == ("", "", "")
    assert "Zoë" not in out.read_text(encoding="utf-8-sig")


def test_cases_received_after_or_closed_before_the_period_are_left_out(store, tmp_path):
    add_referral()
    out = tmp_path / "annex-a.csv"
    ok("export", "--format", "annex-a", "--from", "2026-01-01", "--to", "2026-10-31", "--out", str(out))
    assert read_csv(out) == []


def test_the_workbook_has_the_same_columns_and_the_export_is_audited(store, tmp_path):
    from openpyxl import load_workbook

    add_referral()
    out = tmp_path / "annex-a.xlsx"
    ok("export", "--format", "annex-a", "--from", "2026-10-01", "--to", "2027-03-31", "--out", str(out))
    sheet = load_workbook(out).active
    assert sheet.cell(1, 1).value == "Child ID" and sheet.max_row == 2
    entry = ok("audit", "--json").json[-1]
    assert (entry["action"], entry["changes"]["format"], entry["changes"]["children"]) == ("export", "annex-a", 1)


def test_annex_a_without_its_period_or_as_another_kind_of_file_is_refused(store, tmp_path):
    before = store_rows()
    missing = run("export", "--format", "annex-a", "--out", str(tmp_path / "a.xlsx"))
    assert missing.exit_code == 2 and "needs --from DATE and --to DATE" in missing.stderr
    wrong = run("export", "--format", "annex-a", "--from", "2026-10-01", "--to", "2027-03-31",
                "--out", str(tmp_path / "a.json"))
    assert wrong.exit_code == 2 and "writes .xlsx or .csv" in wrong.stderr
    backwards = run("export", "--format", "annex-a", "--from", "2027-03-31", "--to", "2026-10-01",
                    "--out", str(tmp_path / "a.csv"))
    assert backwards.exit_code == 1 and "swap them" in backwards.stderr
    assert store_rows() == before and list(tmp_path.glob("a.*")) == []
