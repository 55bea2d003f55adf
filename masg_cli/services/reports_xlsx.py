"""The manager's workbook: one sheet per table of the report, and native charts of the monthly trend.

Every text cell is written as text (never a formula, whatever a locality or agency is called).
The trend has a row for every month of the period (a month without activity is a row of
noughts, or the charts space December and April evenly), rates show as percentages, columns
are as wide as what they hold, and each sheet prints landscape, one page wide.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from masg_cli.services.export import FORMULA_STARTS, private_output

TITLES = {
    "monthly": "Monthly trend",
    "referrals": "Referrals received",
    "triage": "Triage outcomes",
    "meetings": "Meetings",
    "timeliness": "Days to triage and panel",
    "services": "Services by agency",
    "lead_professionals": "Lead Professionals",
    "family_responses": "Family responses",
    "follow_ups": "Follow-ups",
    "closures": "Closures",
    "actions": "Actions",
    "targets": "Targets",
    "targets_by_month": "Targets by month",
    "steps": "Step-ups and re-referrals",
}


def _put(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"


def _heading(name: str) -> str:
    from masg_cli.views_reports import heading

    return heading(name)


def _sheet(book, name: str, rows: list[dict], columns: list[str] | None = None):
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(TITLES[name][:31])
    columns = columns or (list(rows[0]) if rows else ["(no figures for this period)"])
    for col, key in enumerate(columns, start=1):
        _put(sheet, 1, col, _heading(key))
        # The body's font (a bare bold Font has no name: Calc then shows the heading in a serif),
        # and a number column's heading right-aligned, over its figures (numbers sit on the right).
        sheet.cell(row=1, column=col).font = Font(name="Calibri", size=11, bold=True)
        if rows and all(isinstance(row.get(key), (int, float)) or row.get(key) is None for row in rows):
            sheet.cell(row=1, column=col).alignment = Alignment(horizontal="right")
        longest = max([len(_heading(key))] + [len(str(row.get(key))) for row in rows if row.get(key) is not None])
        sheet.column_dimensions[sheet.cell(row=1, column=col).column_letter].width = min(max(12, longest + 2), 60)
    for r, row in enumerate(rows, start=2):
        for col, key in enumerate(columns, start=1):
            _put(sheet, r, col, row.get(key))
            if _is_rate(key) and isinstance(row.get(key), (int, float)):
                sheet.cell(row=r, column=col).number_format = "0%"
    sheet.freeze_panes = "A2"
    _print_setup(sheet, f"A1:{sheet.cell(row=max(len(rows) + 1, 1), column=len(columns)).coordinate}")
    return sheet


def _is_rate(key: str) -> bool:
    """A share of 0 to 1 (acceptance_rate, re_referral_rate_12_months), shown as a percentage."""
    return key == "rate" or key.endswith("_rate") or "_rate_" in key


def _print_setup(sheet, area: str) -> None:
    """Landscape, one page wide, the heading row on every page, only the figures printed."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_area = area


_MONTH = re.compile(r"\d{4}-\d{2}$")


def _month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def every_month(rows: list[dict], start: date | None, end: date | None) -> list[dict]:
    """The trend with a row for every month from the period's first to its last (noughts where
    nothing happened); a row that is not a month (a total) stays after them."""
    found = {row["month"]: row for row in rows if _MONTH.match(str(row["month"]))}
    months = sorted(found) + [f"{d:%Y-%m}" for d in (start, end) if d]
    if not months:
        return rows
    blank = {key: 0 for key in (rows[0] if rows else {}) if key != "month"}
    filled, month = [], min(months)
    while month <= max(months):
        filled.append(found.get(month) or {"month": month, **blank})
        month = _month_after(month)
    return filled + [row for row in rows if not _MONTH.match(str(row["month"]))]


def _charts(sheet, rows: int) -> None:
    """Native Excel charts over the monthly sheet's columns (B.. by heading order)."""
    from openpyxl.chart import BarChart, LineChart, Reference

    if rows == 0:
        return
    months = Reference(sheet, min_col=1, min_row=2, max_row=rows + 1)
    # Beside the table (its columns are A to H), never over it.
    plans = [
        ("Referrals received and triaged per month", LineChart, (2, 3), "J2"),
        ("Family responses per month", BarChart, (4, 5), "J20"),
        ("12-week follow-ups: on time and late", BarChart, (6, 7), "J38"),
        ("Cases closed per month", LineChart, (8, 8), "J56"),
    ]
    for title, kind, (first, last), anchor in plans:
        chart = kind()
        chart.title = title
        chart.y_axis.title = "Cases"
        chart.x_axis.title = "Month"
        chart.height, chart.width = 8, 18
        data = Reference(sheet, min_col=first, max_col=last, min_row=1, max_row=rows + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(months)
        for series in chart.series if kind is LineChart else ():
            series.smooth = False  # LibreOffice draws openpyxl's default as a curve that overshoots
        sheet.add_chart(chart, anchor)
    # Two charts a page, never one cut across a page break; the charts reach column T.
    from openpyxl.worksheet.pagebreak import Break

    sheet.row_breaks.append(Break(id=36))
    _print_setup(sheet, f"A1:T{max(rows + 1, 72)}")


def _targets_chart(sheet, rows: int) -> None:
    """Each target's items within and late, as stacked bars beside the table."""
    from openpyxl.chart import BarChart, Reference

    if rows == 0:
        return
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title, chart.y_axis.title = "Targets: within and late", "Items"
    chart.height, chart.width = 8, 18
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    sheet.add_chart(chart, "G2")


def write_workbook(report: dict, out: Path) -> Path:
    """Save the report as an Excel workbook at ``out`` (0600, replaced only when complete)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    tables = report["tables"]
    trend = every_month(tables["monthly"], report["from"], report["to"])
    monthly = _sheet(book, "monthly", trend,
                     ["month", "received", "triaged", "family_accepted", "family_declined",
                      "follow_ups_on_time", "follow_ups_late", "closed"])
    _charts(monthly, len(trend))
    for name in TITLES:
        if name != "monthly" and name in tables:
            sheet = _sheet(book, name, tables[name])
            if name == "targets":
                _targets_chart(sheet, len(tables[name]))
    about = book.create_sheet("About")
    from masg_cli.views_reports import period_words

    period = period_words(report["from"], report["to"])
    for r, (key, value) in enumerate((("Report", "masg report summary"), ("Period", period),
                                      ("Locality", report["locality"] or "All localities"),
                                      ("Percentiles", "nearest rank; days are calendar days")), start=1):
        _put(about, r, 1, key)
        _put(about, r, 2, value)
    out = Path(out).expanduser()
    with private_output(out) as tmp:
        book.save(tmp)
    return out
