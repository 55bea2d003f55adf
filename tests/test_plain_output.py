"""Output to a pipe is written without Rich, byte for byte as Rich would write it.

render.py lays out the common case itself (every cell on one line, every character one column
wide); these tests give the same tables, grids and sentences to both and compare the bytes, on
many random ones, at many widths; and check that the morning's commands, piped, import no Rich.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys

import pytest

from masg_cli import render

WORDS = ["MASG-2026-0001", "Zoë", "Siân", "O'Brien", "Lead", "Professional", "CAMHS", "12 May 2026", "", " ",
         "Early Help", "a", "Speech and language therapy", "lead@example.org", "01632 960000", "x" * 40,
         "née", "ÆØÅ", "trailing ", "  leading", "two  spaces", "ŵ", "[Team]", ":smile:", "tab\there", "日本",
         "e\u0301", "line\nbreak", "soft\xadhyphen", "nbsp\xa0here"]


def phrase(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.choice([0, 1, 1, 2, 3, 6, 12])))


def rich_output(width: int, draw) -> str:
    """What Rich itself writes to a pipe of this width (the Console render.console() makes)."""
    from rich.console import Console

    out = io.StringIO()
    draw(Console(highlight=False, soft_wrap=False, width=width, force_terminal=False, file=out))
    return out.getvalue()


def rich_table(title, columns, cells, out):
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(title, style="bold") if title else None, title_justify="left", header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in cells:
        grid.add_row(*(Text(v) for v in row))
    out.print(grid)


def rich_pairs(title, items, out):
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(title, style="bold"), title_justify="left", show_header=False, box=None,
                 pad_edge=False)
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, value in items:
        grid.add_row(key, Text(value))
    out.print(grid)


def written(lines: list[str] | None) -> str | None:
    return None if lines is None else "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("seed", range(40))
def test_a_table_written_plainly_is_the_table_rich_writes(seed):
    rng = random.Random(seed)
    width = rng.choice([20, 40, 80, 120, 160, 250])
    columns = [rng.choice(["Reference", "Due", "Days overdue", "Lead Professional", "Contact", "When"])
               for _ in range(rng.randrange(1, 7))]
    cells = [[phrase(rng) for _ in columns] for _ in range(rng.randrange(1, 12))]
    title = rng.choice([None, "Follow-ups", "Meeting 4: North, Tuesday 1 December 2026, 09:30-12:30", phrase(rng)])
    plain = written(render.plain_table(title, columns, cells, width))
    if plain is not None:
        assert plain == rich_output(width, lambda out: rich_table(title, columns, cells, out))


@pytest.mark.parametrize("seed", range(40))
def test_a_grid_of_labels_written_plainly_is_the_grid_rich_writes(seed):
    rng = random.Random(seed)
    width = rng.choice([20, 40, 80, 120, 160])
    items = [(rng.choice(["Status", "Locality", "Lead Professional", "Needs", "Next review"]), phrase(rng))
             for _ in range(rng.randrange(1, 10))]
    title = rng.choice(["MASG-2026-0001", phrase(rng)])
    plain = written(render.plain_pairs(title, items, width))
    if plain is not None:
        assert plain == rich_output(width, lambda out: rich_pairs(title, items, out))


@pytest.mark.parametrize("seed", range(60))
def test_a_sentence_wrapped_plainly_is_wrapped_as_rich_wraps_it(seed):
    from rich.text import Text

    rng = random.Random(seed)
    width = rng.choice([20, 30, 60, 80, 160])
    text = " ".join(phrase(rng) for _ in range(rng.randrange(1, 12)))
    plain = written(render.plain_wrapped(text, width, markup=False))
    if plain is not None:
        assert plain == rich_output(width, lambda out: out.print(Text(text)))
    as_str = written(render.plain_wrapped(text, width))
    if as_str is not None:
        assert as_str == rich_output(width, lambda out: out.print(text))


def test_the_checks_compare_something():
    """Most generated cases are laid out plainly, not all handed to Rich."""
    rng = random.Random(7)
    plain = sum(render.plain_table(None, ["Reference", "Due"], [[phrase(rng), phrase(rng)]], 160) is not None
                for _ in range(100))
    assert plain > 30  # the rest hold a tab, a wide or combining character, a line break
    assert render.plain_wrapped("x " * 200, 60) is not None
    assert render.plain_table(None, ["Name"], [["日本"]], 160) is None  # wide characters: Rich's


def test_the_plain_width_is_richs_on_a_pipe(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert render.plain_width() == render.PIPED_WIDTH
    monkeypatch.setenv("COLUMNS", "100")
    assert render.plain_width() == 100
    monkeypatch.setenv("COLUMNS", "wide")
    assert render.plain_width() is None


def morning_imports(*args: str) -> set[str]:
    """The top-level packages a piped masg command imports (python -X importtime)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "masg_cli", *args], capture_output=True,
                            text=True, env={**os.environ, "COLUMNS": ""}, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in result.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_the_morning_commands_piped_import_neither_rich_nor_the_holidays_library(accepted):
    from conftest import ok

    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
    ok("agenda", "build", "1")
    # The same day in both: the process under test sees the real clock, and the bank holidays kept
    # are those of the years around the day asked about.
    ok("today", "--as-of", "2026-12-01")  # keeps the bank holidays
    reference = accepted
    for args in (["today", "--as-of", "2026-12-01"], ["followup", "list", "--as-of", "2026-12-01"],
                 ["referral", "show", reference], ["agenda", "show", "1"], ["person", "find", "Nobody Here"]):
        imported = morning_imports(*args)
        assert "sqlalchemy" in imported  # the check sees what is imported
        assert not imported & {"rich", "holidays", "docxtpl", "docx", "openpyxl", "jinja2", "icalendar"}, args
