"""One rule for every file masg writes: an existing file is never replaced quietly.

Without --overwrite the command is refused before it writes or saves anything, naming the file;
with --overwrite the file is replaced and the command says so on stderr. The same for a backup,
an export, a report's workbook, the calendar and every document.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builders import case_at, on_agenda, schedule_december
from conftest import add_referral, ok, run, store_rows


def _agenda(what: str):
    def command(out: Path) -> list:
        meeting = on_agenda(case_at("accepted"))
        return ["agenda", what, meeting, "--out", out, "--as-of", "2026-11-16"]
    return command


def _case(*words: str, status: str, on: str):
    def command(out: Path) -> list:
        return [*words, case_at(status), "--out", out, "--as-of", on]
    return command


def _export(out: Path) -> list:
    add_referral()
    return ["export", "--format", "csv", "--out", out / "cases.csv"]


def _ics(out: Path) -> list:
    schedule_december()
    return ["meeting", "ics", "--out", out / "meetings.ics"]


# Each command that writes files, and how to bring the store to where it can (given --out's folder).
COMMANDS = {
    "backup": lambda out: ["backup", "--out", out / "masg.db"],
    "audit seal": lambda out: ["audit", "seal", "--out", out / "seal.json"],
    "export": _export,
    "report summary --xlsx": lambda out: ["report", "summary", "--from", "2026-01-01", "--to", "2026-12-31",
                                          "--xlsx", out / "report.xlsx"],
    "meeting ics": _ics,
    "agenda invite": _agenda("invite"),
    "agenda pack": _agenda("pack"),
    "decision sheet": _case("decision", "sheet", status="decided", on="2026-11-25"),
    "followup letter": _case("followup", "letter", status="monitoring", on="2027-02-23"),
    "referral final-review-form": _case("referral", "final-review-form", status="monitoring", on="2027-02-23"),
}


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def staging_leftovers() -> list[Path]:
    root = Path(os.environ["XDG_DATA_HOME"]) / "masg" / "staging"
    return list(root.iterdir()) if root.exists() else []


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_is_refused_rather_than_replace_a_file_without_overwrite(store, tmp_path, name):
    out = tmp_path / "out"
    command = COMMANDS[name](out)
    ok(*command)
    written, before = contents(out), store_rows()
    result = run(*command)
    assert result.exit_code == 1, result.stderr
    [line] = result.stderr.splitlines()
    assert "already exists" in line and "--overwrite" in line and "Traceback" not in line
    assert any(str(out / file) in line for file in written), line
    assert contents(out) == written and store_rows() == before
    assert staging_leftovers() == []


@pytest.mark.parametrize("name", COMMANDS)
def test_with_overwrite_every_file_is_replaced_and_the_command_says_which(store, tmp_path, name):
    out = tmp_path / "out"
    command = COMMANDS[name](out)
    ok(*command)
    written = contents(out)
    result = ok(*command, "--overwrite")
    assert sorted(contents(out)) == sorted(written)
    for file in written:
        assert f"replaced {out / file}" in result.stderr.splitlines(), result.stderr
    assert staging_leftovers() == []


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_that_writes_files_offers_overwrite(name):
    words = name.split(" --")[0].split()
    assert "--overwrite" in ok(*words, "--help").stdout


def test_a_first_output_is_written_without_a_word_about_replacing(store, tmp_path):
    result = ok(*_export(tmp_path))
    assert "replaced" not in result.stderr


def test_templates_copy_keeps_a_co_ordinators_own_templates_unless_told_to_overwrite(tmp_path):
    folder = tmp_path / "mine"
    ok("templates", "copy", folder)
    own = folder / "decision-sheet.docx"
    own.write_bytes(b"my re-branded sheet")
    kept = next(line for line in ok("templates", "copy", folder).stdout.splitlines() if "Kept" in line)
    assert "decision-sheet.docx" in kept
    assert own.read_bytes() == b"my re-branded sheet"
    ok("templates", "copy", folder, "--overwrite")
    assert own.read_bytes() != b"my re-branded sheet"


def test_the_guide_states_the_rule_for_files_masg_writes():
    from guide import file_holding

    text = file_holding("Files masg writes").read_text(encoding="utf-8")
    section = text.split("## Files masg writes", 1)[1].split("\n## ", 1)[0]
    assert "--overwrite" in section and "replaced" in section and "staging" in section
