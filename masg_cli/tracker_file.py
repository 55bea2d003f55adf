"""Reading a team's tracker file: its heading row, then its rows, numbered as a spreadsheet shows them.

A CSV whose rows do not parse cleanly is refused, naming the row, before any row is checked or
anything is written: Python's csv module, left to itself, reads a cell that opens a quote and never
closes it as one cell holding every later row, and the import would report success on the rows
before it. So the reader is strict (an unclosed quote is an error, not the end of the file), every
row must have as many cells as the heading row, and no cell may hold a line that looks like a whole
tracker row (rows swallowed by a quote that closed somewhere further down).
"""

from __future__ import annotations

import codecs
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from masg_cli.errors import MasgError, Refused

# csv's own default field limit. A tracker cell longer than this is a file gone wrong (a quote
# that swallowed the rows after it), never a real note; the reader is allowed longer fields so
# that the refusal can say which row and column hold one.
CELL_LIMIT = 131_072
_READ_LIMIT = min(sys.maxsize, 2**31 - 1)
_CHUNK = 1 << 20
SAVE_AGAIN = "correct it in the spreadsheet and save it as CSV again; nothing was imported"

Numbered = tuple[int, list]


def read_table(path: Path) -> tuple[list, Iterator[Numbered]]:
    """The heading row, and the data rows (number, cells) as they are read; blank rows skipped.

    The rows come lazily, so that a large tracker is never held twice in memory; reading them
    may still refuse the file (a damaged workbook, a row that does not parse).
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise Refused(f"there is no file {path}; give the tracker's path")
    rows = _non_blank(_records(path))
    try:
        _, header = next(rows)
    except StopIteration:
        raise Refused(f"{path.name} is empty; the first row must hold the column headings") from None
    return header, rows


def _records(path: Path) -> Iterator[Numbered]:
    """Every row of the file, numbered from 1; any failure to read it is one line, never a traceback."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            yield from _xlsx_rows(path)
        else:
            yield from _csv_rows(path, _encoding(path))
    except MasgError:
        raise
    except Exception as exc:  # a damaged or foreign file
        raise Refused(f"{path.name} cannot be read as a tracker ({type(exc).__name__}); save it as "
                      "CSV (UTF-8) or .xlsx") from None


def _non_blank(rows: Iterator[Numbered]) -> Iterator[Numbered]:
    return ((n, cells) for n, cells in rows if any(str(v or "").strip() for v in cells))


def _encoding(path: Path) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Excel's Windows encoding for 'CSV'."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with open(path, "rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _xlsx_rows(path: Path) -> Iterator[Numbered]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        book.close()


def _csv_rows(path: Path, encoding: str) -> Iterator[Numbered]:
    previous = csv.field_size_limit(_READ_LIMIT)
    try:
        with open(path, newline="", encoding=encoding) as handle:
            reader = csv.reader(handle, strict=True)
            header: list | None = None
            number = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise Refused(_unreadable(path.name, number + 1, str(exc))) from None
                number += 1
                if header is None and any(c.strip() for c in cells):
                    header = cells
                elif header is not None and any(c.strip() for c in cells):
                    check_cells(path.name, number, cells, header)
                yield number, cells
    finally:
        csv.field_size_limit(previous)


def _unreadable(name: str, number: int, detail: str) -> str:
    if detail == "unexpected end of data":
        return (f"{name} row {number}: a cell opens a quote (\") that is never closed, so every row after "
                f"it would be read into that one cell; close or remove the quote, {SAVE_AGAIN}")
    if "expected after" in detail:
        return (f"{name} row {number}: a quote (\") closes before the end of its cell (or a quote opened "
                f"higher up closes here); check the quotes in that row, {SAVE_AGAIN}")
    return f"{name} row {number} cannot be read ({detail}); {SAVE_AGAIN}"


def check_cells(name: str, number: int, cells: list[str], header: list[str]) -> None:
    """A row parses cleanly: as many cells as headings, none too long, none holding other rows."""
    if len(cells) != len(header):
        raise Refused(f"{name} row {number} has {len(cells)} cells but the heading row has {len(header)}; "
                      f"a comma or a quote (\") may be out of place in that row, {SAVE_AGAIN}")
    for position, cell in enumerate(cells):
        if len(cell) <= CELL_LIMIT and "\n" not in cell:
            continue
        where = f"{name} row {number}, column {position + 1} ({str(header[position]).strip()})"
        if len(cell) > CELL_LIMIT:
            raise Refused(f"{where} holds {len(cell):,} characters, more than the {CELL_LIMIT:,} a tracker "
                          f"cell may hold (a quote (\") left open reads the rows after it into one cell); "
                          f"{SAVE_AGAIN}")
        if "\n" in cell and _holds_a_row(cell, len(header)):
            raise Refused(f"{where} holds a line that looks like a whole tracker row: a quote (\") in that "
                          f"cell is probably missing its pair, so the rows after it were read into it; "
                          f"{SAVE_AGAIN}")


def _holds_a_row(cell: str, columns: int) -> bool:
    """A line after a line break in the cell with as many commas as a row has (a swallowed row)."""
    return columns > 2 and any(line.count(",") >= columns - 1 for line in cell.splitlines()[1:])
