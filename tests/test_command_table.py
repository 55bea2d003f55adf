"""The command line has one table of commands, and its choices are the process's own words."""

import os
import subprocess
import sys

import pytest

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.app import COMMANDS, app


def test_every_command_masg_has_is_in_the_one_table_in_the_order_help_lists_them():
    import typer

    root = typer.main.get_command(app)
    assert list(root.commands.items()) and list(root.commands) == list(COMMANDS)


def _cli_modules_imported(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "masg_cli", *args],
                            capture_output=True, text=True, env=dict(os.environ), timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    return {name for name in names if name.startswith("masg_cli.cli.")}


def test_a_command_loads_its_own_module_and_no_other_groups():
    loaded = _cli_modules_imported("referral", "add", "--help")
    assert "masg_cli.cli.referral" in loaded
    assert not loaded & {"masg_cli.cli.meeting", "masg_cli.cli.agenda", "masg_cli.cli.followup",
                         "masg_cli.cli.maintenance", "masg_cli.cli.store"}


@pytest.mark.parametrize("choice,vocabulary", [
    (options.Status, rules.STATUSES),
    (options.TriageOutcome, rules.TRIAGE_OUTCOMES),
    (options.ConsentBy, rules.CONSENT_GIVERS),
    (options.TransitionFlag, rules.TRANSITION_FLAGS),
    (options.FollowUpOutcome, rules.FOLLOW_UP_OUTCOMES),
    (options.ExportFormat, rules.EXPORT_FORMATS),
])
def test_a_choice_on_the_command_line_is_its_vocabulary_in_rules(choice, vocabulary):
    assert tuple(member.value for member in choice) == vocabulary


def test_nothing_outside_the_cli_imports_typer_so_only_the_cli_sets_exit_codes():
    from pathlib import Path

    import masg_cli

    package = Path(masg_cli.__file__).parent
    outside = [p for p in package.rglob("*.py") if "cli" not in p.relative_to(package).parts[:1]]
    assert outside and not [p.name for p in outside
                            if "import typer" in p.read_text(encoding="utf-8")]
