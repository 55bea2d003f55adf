"""The guide (README.md and docs/): every command in it, its examples run, and every command's help."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import add_referral, ok, run
from guide import command_reference, docs_text, guide_text


def every_command():
    """(path, click command) for every command and group of masg, as `masg --help` walks them."""
    import typer.main

    from masg_cli.cli.app import app

    def walk(command, path):
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return [(" ".join(["masg", *path]), command) for path, command in walk(typer.main.get_command(app), [])
            if not command.hidden]


COMMANDS = every_command()


def test_the_walk_finds_every_group_and_its_commands():
    paths = [path for path, _ in COMMANDS]
    assert {"masg referral triage", "masg locality member add", "masg decision sheet", "masg store copy"} <= set(paths)
    assert len(paths) > 50


@pytest.mark.parametrize("path, command", COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_has_help_text_and_every_option_says_what_it_is_for(path, command):
    assert (command.help or command.short_help or "").strip(), f"{path} has no help text"
    unexplained = [param.opts[0] for param in command.params
                   if getattr(param, "param_type_name", "") == "option" and not param.hidden
                   and not (param.help or "").strip()]
    assert unexplained == [], f"{path}: options without help: {unexplained}"


def written_in(path: str, text: str) -> bool:
    # A whole command path ("masg referral add"), not the start of a longer one ("masg referral add-x").
    return re.search(rf"(?<![\w-]){re.escape(path)}(?![\w-])", text) is not None


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS[1:]])
def test_every_command_is_in_the_readmes_command_reference_and_in_a_page_of_docs(path):
    assert written_in(path, command_reference()), f"README.md's command reference never shows '{path}': add its line"
    assert written_in(path, docs_text()), f"no page under docs/ shows '{path}': add a usage line for it"


def readme_commands() -> list[str]:
    """Every `masg ...` line of the guide's examples (README, then its pages in order),
    continuation lines joined, comments and [optional parts] left out."""
    text = guide_text().replace("\\\n", " ")
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



def test_the_readmes_team_section_grants_as_the_team_page_does():
    """The README's short team section shows the owner's grants; docs/team-store.md's block is the
    one tests/test_postgres.py runs on a real server, so the README's must be among its lines."""
    from guide import README, ROOT

    readme = README.read_text(encoding="utf-8").split("\n## A team's shared store\n", 1)[1]
    shown = [line for line in re.search(r"```\n(.*?)```", readme, re.S).group(1).splitlines() if line]
    page = (ROOT / "docs" / "team-store.md").read_text(encoding="utf-8")
    run_there = re.search(r"The owner grants each role what it may see.*?```\n(.*?)```", page, re.S).group(1)
    assert shown and all("store grant" in line or "store access" in line for line in shown)
    assert set(shown) <= set(run_there.splitlines())
