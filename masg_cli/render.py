"""How results reach people (Rich tables, UK dates) and programs (JSON on stdout only)."""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from typing import Iterable, Sequence


def _default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data) -> None:
    import json  # here, not at the top: `masg --help` need not load it
    if isinstance(data, list) and data:
        # A listing: one object per line. json's indent= falls back to its pure-Python encoder,
        # several times slower on 10,000 rows; each row through the C encoder is not.
        rows = (json.dumps(row, default=_default, ensure_ascii=False) for row in data)
        sys.stdout.write("[\n  " + ",\n  ".join(rows) + "\n]\n")
        return
    sys.stdout.write(json.dumps(data, default=_default, ensure_ascii=False, indent=2) + "\n")


PIPED_WIDTH = 160  # output to a file or another program: wide, so tables keep one line per row


def console(file=None):
    import os

    from rich.console import Console

    width = None
    piped = not (file or sys.stdout).isatty()
    if piped and not os.environ.get("COLUMNS"):
        width = PIPED_WIDTH  # Rich would assume 80 columns and fold references mid-word
    # Into a file or another program, plain text: FORCE_COLOR or TTY_COMPATIBLE, set for the
    # terminal in some shells and tools, would otherwise write headings as raw escape codes.
    return Console(highlight=False, soft_wrap=False, width=width, force_terminal=False if piped else None,
                   file=file)


# --- Plain text to a pipe, without Rich --------------------------------------------------------
#
# Into a file or another program Rich writes no styles, only the characters of its layout; for
# the common case (every cell fits on one line, every character one column wide) masg writes
# those same characters itself, byte for byte (tests/test_plain_output.py compares the two on many
# tables), without importing Rich or laying out every row through it: `followup list` on a large
# store prints its ten thousand rows in a fraction of the time. Anything else goes to Rich.

# Characters Rich counts one column wide (rich.cells' Latin ranges), printable: anything else
# (wide, combining or control characters, tabs, line breaks) is laid out by Rich itself.
_ONE_COLUMN = re.compile(r"[^\x20-\x7e\xa0-\xac\xae-\u02ff]")
_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap's words: a word and the spaces after it
_MARKUP = re.compile(r"[\[\]]|:\S*:")  # what Rich would read as markup or an emoji code in a str


def plain_width() -> int | None:
    """The width Rich lays text out to when stdout is not a terminal, when masg may write that
    text itself; None when Rich must (a terminal, Windows' console rules, an odd COLUMNS)."""
    import os

    if os.name == "nt" or sys.stdout.isatty() or "get_ipython" in dir(__builtins__):
        return None
    columns = os.environ.get("COLUMNS")
    if not columns:
        return PIPED_WIDTH
    return int(columns) if columns.isdigit() and 20 <= int(columns) <= 10_000 else None


def _plain(texts: Iterable[str]) -> bool:
    return _ONE_COLUMN.search("".join(texts)) is None  # one pass over every cell


def _write(lines: list[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def plain_wrapped(text: str, width: int, *, markup: bool = True) -> list[str] | None:
    """``text`` as Rich's print wraps it between words (rich._wrap.divide_line, then each line's
    spaces beyond the width dropped), or None when Rich must lay it out. ``markup``: the text is a
    str Rich would read markup in (then anything that looks like markup goes to Rich)."""
    if not text.strip() or not _plain([text]) or (markup and _MARKUP.search(text)):
        return None
    lines, line = [], ""
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word.rstrip()) > width:
            return None  # a word longer than the line: Rich folds it
        if line and width - len(line) < len(word.rstrip()):
            lines.append(line)
            line = ""
        line += word
    lines.append(line)
    return [line[:max(width, len(line.rstrip()))] for line in lines]


def plain_table(title: str | None, columns: Sequence[str], cells: list[list[str]], width: int) -> list[str] | None:
    """The lines of Rich's table (heavy head, one space of padding) when every cell fits, else None."""
    if not _plain([*(title or "",), *columns, *(v for row in cells for v in row)]) \
            or any(_MARKUP.search(c) for c in columns):
        return None
    widths = [max(len(column), *(len(row[i]) for row in cells)) + 2 for i, column in enumerate(columns)]
    if sum(widths) > width - (len(columns) + 1):
        return None  # Rich wraps the widest columns to fit
    total = sum(widths) + len(columns) + 1
    if title is not None and (len(title) > total or not title.strip() or title != title.strip()):
        return None
    lines = [title.ljust(total)] if title is not None else []
    lines.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    lines.append("┃" + "┃".join(" " + c.ljust(w - 2) + " " for c, w in zip(columns, widths)) + "┃")
    lines.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    lines.extend("│" + "│".join(" " + v.ljust(w - 2) + " " for v, w in zip(row, widths)) + "│" for row in cells)
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return lines


def plain_pairs(title: str, items: list[tuple[str, str]], width: int) -> list[str] | None:
    """The lines of Rich's two-column grid of labels and values (no box), or None."""
    if not items or not _plain([title, *(k for k, _ in items), *(v for _, v in items)]) \
            or any(_MARKUP.search(k) for k, _ in items):
        return None
    keys, values = max(len(k) for k, _ in items) + 1, max(len(v) for _, v in items) + 1
    if keys + values > width or len(title) > keys + values or not title.strip() or title != title.strip():
        return None
    return [title.ljust(keys + values), *(k.ljust(keys) + " " + v.ljust(values - 1) for k, v in items)]


def lines(rows: Iterable[tuple[str, str | None, bool] | None]) -> None:
    """Lines for people: (text, Rich style, cut), cut: never wrapped, cut with '…' at the width
    (else wrapped between words); None a blank line. Styles show on a terminal only."""
    rows = list(rows)
    width = plain_width()
    if width is not None:
        written: list[str] | None = []
        for row in rows:
            if row is None:
                written.append("")  # type: ignore[union-attr]
            elif row[2] and _plain([row[0]]):
                written.append(row[0] if len(row[0]) <= width else row[0][:width - 1] + "…")  # type: ignore[union-attr]
            else:
                wrapped = plain_wrapped(row[0], width, markup=False)
                if wrapped is None:
                    written = None
                    break
                written.extend(wrapped)  # type: ignore[union-attr]
        if written is not None:
            return _write(written)
    from rich.text import Text

    out = console()
    for row in rows:
        if row is None:
            out.print()
        elif row[2]:
            out.print(Text(row[0], style=row[1] or ""), no_wrap=True, overflow="ellipsis")
        else:
            out.print(Text(row[0], style=row[1] or ""))


def blank() -> None:
    """An empty line between parts of the output."""
    if plain_width() is not None:
        sys.stdout.write("\n")
    else:
        console().print()


def note(text: str) -> None:
    """A sentence for people, wrapped between words at the width (no markup read in it)."""
    width = plain_width()
    wrapped = plain_wrapped(text, width, markup=False) if width is not None else None
    if wrapped is not None:
        _write(wrapped)
    else:
        from rich.text import Text

        console().print(Text(text))


def _longest_word(column: str, values: Iterable[str]) -> int:
    """The column may wrap between words, never inside one (a reference, a status, a date)."""
    words = [w for text in (column, *values) for w in text.split()]
    return min(max((len(w) for w in words), default=1), 30)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]],
          empty: str = "Nothing to show.") -> None:
    """A table for people; an empty one says so in words instead."""
    rows = list(rows)
    width = plain_width()
    if width is not None:
        if not rows:
            # The title is Text to Rich (no markup read), the sentence a str (markup read).
            heading = plain_wrapped(title, width, markup=False) if title else []
            sentence = plain_wrapped(empty, width)
            if heading is not None and sentence is not None:
                return _write([*heading, *sentence])
        else:
            cells = [["" if v is None else str(v) for v in row] for row in rows]
            plain = plain_table(title or None, columns, cells, width)
            if plain is not None:
                return _write(plain)
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not rows:
        if title:
            out.print(Text(title, style="bold"))
        out.print(empty)
        return
    # Titles can carry a locality or venue: Text, so "[...]" in them is not read as markup.
    grid = Table(title=Text(title, style="bold") if title else None, title_justify="left",
                 header_style="bold")
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    words = [_longest_word(column, (r[index] for r in cells)) for index, column in enumerate(columns)]
    if sum(words) + 3 * len(words) + 1 > out.width:
        # Too narrow for every word whole: Rich folds them (a minimum it cannot meet crops columns off).
        words = [None] * len(words)  # type: ignore[list-item]
    for column, word in zip(columns, words):
        grid.add_column(column, overflow="fold", min_width=word)
    for row in cells:
        # Text, not markup: a name like "[Team]" must print as typed.
        grid.add_row(*(Text(v) for v in row))
    out.print(grid)


def say(message: str) -> None:
    """A line for the co-ordinator on stdout (never used with --json)."""
    sys.stdout.write(message + "\n")


def pairs(title: str, items: Sequence[tuple[str, object]]) -> None:
    width = plain_width()
    if width is not None:
        plain = plain_pairs(title, [(key, "" if value is None else str(value)) for key, value in items], width)
        if plain is not None:
            return _write(plain)
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(title, style="bold"), title_justify="left", show_header=False,
                 box=None, pad_edge=False)
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, value in items:
        grid.add_row(key, Text("" if value is None else str(value)))
    console().print(grid)
