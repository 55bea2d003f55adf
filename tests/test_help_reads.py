"""Help that reads: plain labels, whole descriptions, and the commands in the order of the day."""

import pytest

from conftest import run
from masg_cli.cli.app import COMMANDS, PANELS
from test_startup import all_commands

INTERNAL_LABELS = ("<list[", "<str>", "<int", "<float", "{REF}", "<path>", "<bool>")


@pytest.fixture(autouse=True)
def terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")


def _help_of(path: str) -> str:
    args = [] if path == "masg" else path.split()
    result = run(*args, "--help")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("path", [name for name, _ in all_commands()])
def test_no_help_shows_an_internal_label_or_cuts_a_description(path):
    text = _help_of(path)
    for label in INTERNAL_LABELS:
        assert label not in text, f"'{path} --help' shows {label}"
    assert "{" not in text.splitlines()[0]  # the usage line: REF, not {REF}
    cut = [line for line in text.splitlines() if line.rstrip().endswith("...") and "[ARGS]..." not in line]
    assert not cut, f"'{path} --help' cuts: {cut}"


def test_the_root_lists_the_commands_under_the_co_ordinators_day_in_that_order():
    text = _help_of("masg")
    assert [heading.rstrip(":") for heading in text.splitlines() if heading.rstrip(":") in PANELS] == list(PANELS)
    assert text.index("Every morning:") < text.index("  today ") < text.index("Intake and triage:")
    assert text.index("The store:") < text.index("  doctor ")


def test_every_root_command_has_a_panel_of_the_day():
    from masg_cli.cli.app import _panel

    without = [name for name, entry in COMMANDS.items() if _panel(entry) not in PANELS]
    assert not without, f"give {without} a panel of the day in COMMANDS (cli/app.py)"
    assert {_panel(entry) for entry in COMMANDS.values()} == set(PANELS)


def test_a_root_command_s_description_is_shown_whole():
    text = " ".join(_help_of("masg").split())
    assert "Check the store: schema, tables, integrity, foreign keys, permissions, audit chain" in text


def test_options_say_what_they_take_in_plain_words():
    text = _help_of("referral add")
    for shown in ("--child NAME", "--dob DATE", "--locality NAME", "--agency AGENCY", "--needs TEXT",
                  "--consent-by parent|young-person|both", "--transition FLAG", "looked-after"):
        assert shown in text
    assert "--rows N" in _help_of("today")
    assert "Usage: masg referral show [OPTIONS] REF" in _help_of("referral show")
