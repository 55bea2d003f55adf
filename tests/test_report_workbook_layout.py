"""The report workbook as a manager prints it: every month, straight lines, percentages, widths,
landscape pages with a print area."""

from __future__ import annotations

import zipfile
from datetime import date as D

import pytest
from builders import stored_case, write

from conftest import ok

LONG_AGENCY = "Northfield Child and Adolescent Mental Health Service"


@pytest.fixture
def workbook(store, tmp_path):
    def build(uow):
        stored_case(uow, "MASG-2026-0001", status="active", received=D(2026, 1, 5), triaged_on=D(2026, 1, 7),
                    triage_outcome="accept", meeting_date=D(2026, 1, 20), lead_agency=LONG_AGENCY,
                    services=[(LONG_AGENCY, "Weekly sessions")], family_response="accepted",
                    family_response_date=D(2026, 1, 27))
        stored_case(uow, "MASG-2026-0002", received=D(2026, 4, 6))

    write(build)
    out = tmp_path / "report.xlsx"
    ok("report", "summary", "--from", "2026-01-01", "--to", "2026-05-31", "--xlsx", str(out))
    return out


def test_every_month_of_the_period_has_a_row_even_with_nothing_in_it(workbook):
    from openpyxl import load_workbook

    sheet = load_workbook(workbook)["Monthly trend"]
    months = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert months == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [1, 0, 0, 1, 0]


def test_the_trend_lines_are_straight(workbook):
    with zipfile.ZipFile(workbook) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    lines = [c for c in charts if "lineChart>" in c]
    assert len(lines) == 2
    assert all('smooth val="1"' not in c and 'smooth val="0"' in c for c in lines)


def test_rates_are_percentages_and_columns_fit_their_names(workbook):
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    rates = [c for ws in book.worksheets for row in ws.iter_rows(min_row=2) for c in row
             if ws.cell(row=1, column=c.column).value and "rate" in str(ws.cell(row=1, column=c.column).value).lower()
             and isinstance(c.value, (int, float))]
    assert rates and all(c.number_format == "0%" for c in rates)
    sheet = book["Services by agency"]
    [cell] = [c for row in sheet.iter_rows() for c in row if c.value == LONG_AGENCY]
    assert sheet.column_dimensions[cell.column_letter].width >= len(LONG_AGENCY)


def test_every_sheet_prints_landscape_one_page_wide_within_its_print_area(workbook):
    from openpyxl import load_workbook

    for sheet in load_workbook(workbook).worksheets:
        if sheet.title == "About":
            continue
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_area, sheet.title
    assert [b.id for b in load_workbook(workbook)["Monthly trend"].row_breaks.brk] == [36]
