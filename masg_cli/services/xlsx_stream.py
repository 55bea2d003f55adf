"""A minimal streaming .xlsx writer for the export: text as text, dates in UK order, nothing else.

openpyxl spends about 25 microseconds on every cell (an object, a style lookup, an XML element),
which made exporting 100,000 referrals take minutes. The export needs only inline text, numbers,
booleans and dates, so its sheets are written here as XML straight into the zip, row by row.
Every string is an inline string (t="inlineStr"): a cell is never a formula, and one that a
spreadsheet would run as one also carries Excel's quote prefix (style 1), as OWASP advises.
The reports' workbook (charts) still uses openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot hold: they become U+FFFD (as openpyxl's export did).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = date(1899, 12, 30)
MAX_TEXT = 32_767

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
{sheets}</Types>"""
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\n')
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
               '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView '
               'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
               '</sheetView></sheetViews>{cols}<sheetData>')
# Column widths in characters of the default font. A spreadsheet shows a date too wide for its
# column as '###' (LibreOffice Calc's default column fits 'DD/MM/YYYY' only just, or not at all
# with a bold heading), so every column is at least MIN_WIDTH, and wide enough for its heading.
MIN_WIDTH = 12
MAX_WIDTH = 60


def column_widths(headings, minimums=None) -> list[float]:
    """Each column's width: its minimum (default MIN_WIDTH), widened to fit its bold heading."""
    minimums = list(minimums or [])
    return [min(MAX_WIDTH, max(minimums[i] if i < len(minimums) and minimums[i] else MIN_WIDTH,
                               round(len(str(h)) * 1.15 + 2, 1)))
            for i, h in enumerate(headings)]


def _cols(widths) -> str:
    if not widths:
        return ""
    return "<cols>" + "".join(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
                              for n, w in enumerate(widths, start=1)) + "</cols>"


def _column(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value, bold: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return f'<c r="{ref}" s="2"><v>{(day - _EPOCH).days}</v></c>'
    text = _ILLEGAL.sub("\ufffd", str(value))[:MAX_TEXT]
    style = ' s="3"' if bold else (' s="1"' if text.startswith(FORMULA_STARTS) else "")
    body = escape(text, {"\r": "&#13;"})
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{body}</t></is></c>'


class Sheet:
    def __init__(self, handle, widths=None):
        self._handle = handle
        self._row = 0
        self._handle.write(_SHEET_HEAD.format(cols=_cols(widths)).encode())

    def append(self, values, bold: bool = False) -> None:
        self._row += 1
        n = self._row
        cells = "".join(_cell(f"{_column(i)}{n}", v, bold) for i, v in enumerate(values, start=1))
        self._handle.write(f'<row r="{n}">{cells}</row>'.encode("utf-8"))

    def close(self) -> None:
        self._handle.write(b"</sheetData></worksheet>")
        self._handle.close()


class StreamingWorkbook:
    """Write sheets one after another (each finished before the next begins) into a .xlsx file."""

    def __init__(self, path):
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._titles: list[str] = []
        self._open: Sheet | None = None

    def sheet(self, title: str, headings, widths=None) -> Sheet:
        """A new sheet with its bold heading row; ``widths`` are each column's minimum width
        (see column_widths: never narrower than a date, always as wide as its heading)."""
        if self._open:
            self._open.close()
        self._titles.append(title[:31])
        handle = self._zip.open(f"xl/worksheets/sheet{len(self._titles)}.xml", "w")
        headings = list(headings)
        self._open = Sheet(handle, column_widths(headings, widths))
        self._open.append(headings, bold=True)
        return self._open

    def close(self) -> None:
        if self._open:
            self._open.close()
        count = len(self._titles)
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, count + 1))))
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        sheets = "".join(f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, t in enumerate(self._titles, start=1))
        self._zip.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>'))
        rels = "".join(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
                       f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))
        self._zip.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{rels}<Relationship Id="rId{count + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'))
        self._zip.close()
