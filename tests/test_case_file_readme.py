"""The guide's case-file examples run as written, in the story's order, on one store."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from conftest import add_referral, ok, run
from test_docs import readme_commands

ROOT = Path(__file__).resolve().parent.parent


def test_the_readmes_note_and_attachment_examples_run_in_order(store, tmp_path, monkeypatch):
    add_referral()  # MASG-2026-0001, received 2 November 2026, as in the README
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "caf-example.pdf", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)  # the README's lines run from the repository's folder
    wanted = ("masg note add", "masg attach ", "masg attachment list", "masg attachment get")
    commands = [c for c in readme_commands() if c.startswith(wanted)]
    assert [next(w for w in wanted if c.startswith(w)) for c in commands] == list(wanted)
    for command in commands:
        result = run(*shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}: {result.stderr}"
    shown = ok("referral", "show", "MASG-2026-0001", "--json").json
    assert shown["notes"][0]["with"] == "Head of Year 5"
    example = (ROOT / "examples" / "caf-example.pdf").read_bytes()
    assert (tmp_path / "letters" / "caf-example.pdf").read_bytes() == example
