"""A tracker whose rows do not parse cleanly is refused, naming the row, before anything is written
(issue 12): an unclosed quote once read every later row into one cell and the import said it had
succeeded."""

from __future__ import annotations

import pytest
from builders import digest

from conftest import ok, run

HEADINGS = ("Ref,Date received,Locality,Status,Closed reason,Child name,Child DOB,Consent date,Consent by,"
            "Referrer,Referrer agency,Needs")


def row(child: str = "Zoë Example", needs: str = "Anxiety", received: str = "02/02/2025") -> str:
    return (f",{received},North,received,,{child},03/02/2015,01/02/2025,parent,Alex Teacher,"
            f"Northside Primary,{needs}")


def tracker(tmp_path, *rows: str):
    path = tmp_path / "tracker.csv"
    path.write_text("\n".join((HEADINGS,) + rows) + "\n", encoding="utf-8")
    return path


def refused_before_anything(path, *words: str) -> str:
    """The dry run and the import both refuse: exit 1, one line on stderr, the store as it was."""
    before = digest()
    for args in (("--dry-run",), ()):
        result = run("import", path, *args)
        assert result.exit_code == 1, result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("masg: "), result.stderr
        for word in words:
            assert word in lines[0], lines[0]
        assert "would be imported" not in result.stdout and "Imported" not in result.stdout
    assert digest() == before
    assert ok("referral", "list", "--json").json == []
    return lines[0]


def test_a_cell_that_opens_a_quote_and_never_closes_it_refuses_the_tracker_at_that_row(store, tmp_path):
    path = tracker(tmp_path, row(), row("Kai Demo", needs='"Sleep and routines'), row("Ada Demo"),
                   row("Priya Test"))
    line = refused_before_anything(path, "tracker.csv row 3", 'quote (")', "never closed")
    assert "Kai" not in line and "Sleep" not in line  # no personal data, no free text


def test_a_quote_that_swallows_rows_and_closes_cleanly_further_down_is_refused(store, tmp_path):
    # The quote opened on row 3 closes at the end of row 5: csv reads rows 4 and 5 into row 3's
    # Needs cell and reports nothing wrong; the cell then holds a line with as many commas as a row.
    path = tracker(tmp_path, row(), row("Kai Demo", needs='"Sleep'), row("Ada Demo"),
                   row("Priya Test", needs='Speech 5"'))
    refused_before_anything(path, "tracker.csv row 3, column 12 (Needs)", "looks like a whole tracker row")


@pytest.mark.parametrize("bad, cells", [(row() + ",blue", 13), (row().rsplit(",", 1)[0], 11)],
                         ids=["one cell more", "one cell fewer"])
def test_a_row_with_more_or_fewer_cells_than_the_headings_is_refused(store, tmp_path, bad, cells):
    path = tracker(tmp_path, row("Kai Demo"), row("Ada Demo", received="03/02/2025"), bad)
    refused_before_anything(path, f"tracker.csv row 4 has {cells} cells but the heading row has 12")


def test_a_cell_longer_than_the_limit_names_its_row_column_and_the_limit(store, tmp_path):
    path = tracker(tmp_path, row(), row("Kai Demo", needs="x" * 131_073))
    refused_before_anything(path, "tracker.csv row 3, column 12 (Needs)", "131,073 characters", "131,072")


def test_a_quoted_cell_with_line_breaks_and_commas_still_imports(store, tmp_path):
    needs = '"Anxiety, sleep\nSchool avoidance, since September\n""Mornings are hard"", says mum"'
    path = tracker(tmp_path, row(needs=needs), row("Kai Demo", received="03/02/2025"))
    assert "Imported 2 referrals" in ok("import", path).stdout
    shown = ok("referral", "show", "MASG-2025-0001", "--json").json
    assert shown["needs"] == 'Anxiety, sleep\nSchool avoidance, since September\n"Mornings are hard", says mum'


def test_blank_rows_and_a_windows_encoded_tracker_still_import(store, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes((HEADINGS + "\r\n\r\n" + row("Zoe Example", needs="Caf\xe9 visits") + "\r\n,,,,,,,,,,,\r\n")
                     .encode("cp1252"))
    assert "Imported 1 referrals" in ok("import", path).stdout
    assert ok("referral", "show", "MASG-2025-0001", "--json").json["needs"] == "Café visits"
