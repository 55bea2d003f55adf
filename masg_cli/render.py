"""How results reach people (Rich tables, UK dates) and programs (JSON on stdout only)."""

from __future__ import annotations

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


def console():
    import os

    from rich.console import Console

    width = None
    piped = not sys.stdout.isatty()
    if piped and not os.environ.get("COLUMNS"):
        width = PIPED_WIDTH  # Rich would assume 80 columns and fold references mid-word
    # Into a file or another program, plain text: FORCE_COLOR or TTY_COMPATIBLE, set for the
    # terminal in some shells and tools, would otherwise write headings as raw escape codes.
    return Console(highlight=False, soft_wrap=False, width=width, force_terminal=False if piped else None)


def _longest_word(column: str, values: Iterable[str]) -> int:
    """The column may wrap between words, never inside one (a reference, a status, a date)."""
    words = [w for text in (column, *values) for w in text.split()]
    return min(max((len(w) for w in words), default=1), 30)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]],
          empty: str = "Nothing to show.") -> None:
    """A table for people; an empty one says so in words instead."""
    from rich.table import Table
    from rich.text import Text

    rows = list(rows)
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
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(title, style="bold"), title_justify="left", show_header=False,
                 box=None, pad_edge=False)
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, value in items:
        grid.add_row(key, Text("" if value is None else str(value)))
    console().print(grid)
