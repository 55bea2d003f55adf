"""The README: every command in it, its examples run, and every command's help."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conftest import add_referral, ok, run


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> list[str]:
    """Every `masg ...` line of the README's examples, continuation lines joined, comments and
    [optional parts] left out."""
    text = README.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [re.sub(r"\[[^\]]*\]", "", line.split("  #")[0]).strip() for line in text.splitlines()]
    return [line for line in lines if line.startswith("masg ")]


def test_the_readmes_meeting_and_decision_examples_run_in_order_on_one_store(store):
    add_referral()  # MASG-2026-0001, received 2 November 2026, as in the README
    ok("referral", "triage", "MASG-2026-0001", "--outcome", "accept")
    wanted = ("masg meeting schedule", "masg meeting cancel", "masg meeting move", "masg agenda build",
              "masg decision record MASG-2026-0001", "masg family-response", "masg tac record")
    commands = [c for c in readme_commands() if c.startswith(wanted)]
    assert [next(w for w in wanted if c.startswith(w)) for c in commands] == list(wanted)
    for command in commands:
        result = run(*shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}: {result.stderr}"
    assert ok("referral", "show", "MASG-2026-0001", "--json").json["status"] == "active"

