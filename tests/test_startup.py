"""Start-up: help and completion stay light, and every command explains itself."""

import os
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "docxtpl", "docx", "openpyxl", "holidays", "icalendar", "jinja2")


def imported_modules(*args: str, env_extra: dict | None = None, expect: str = "") -> set[str]:
    """The top-level packages a masg run imports, as `python -X importtime` reports them."""
    env = {**os.environ, **(env_extra or {})}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "masg_cli", *args],
                            capture_output=True, text=True, env=env, timeout=60)
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            modules.add(name.split(".")[0])
    assert "masg_cli" in modules, result.stderr[-2000:]
    assert expect in result.stdout
    return modules


@pytest.mark.parametrize("args", [
    ["--help"],
    ["referral", "--help"],
    ["referral", "add", "--help"],
    ["locality", "--help"],
    ["doctor", "--help"],
])
def test_help_imports_neither_the_database_nor_the_document_stack(args):
    heavy = imported_modules(*args, expect="Usage: masg") & set(HEAVY)
    assert not heavy, f"masg {' '.join(args)} imported {sorted(heavy)}"


def test_shell_completion_imports_neither_the_database_nor_the_document_stack():
    modules = imported_modules(env_extra={"_MASG_COMPLETE": "complete_bash", "COMP_WORDS": "masg ref",
                                          "COMP_CWORD": "1"}, expect="referral")
    assert not modules & set(HEAVY)


def test_the_import_check_would_see_a_heavy_import():
    # The check itself can fail: a command that touches the store does import SQLAlchemy.
    assert "sqlalchemy" in imported_modules("doctor", env_extra={"MASG_DB": "/nonexistent/masg.db"})


# --- Every command has help --------------------------------------------------------------------

def all_commands():
    """Every command and sub-command of the real app, found by walking Click's tree."""
    import typer

    from masg_cli.cli.app import app

    root = typer.main.get_command(app)
    found = []

    def walk(command, path):
        found.append((" ".join(path) or "masg", command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return found


COMMANDS = all_commands()


def test_the_walk_finds_the_commands_of_this_issue():
    names = {name for name, _ in COMMANDS}
    assert {"init", "locality add", "locality list", "locality member add", "locality member list",
            "referral add", "referral list", "referral show", "referral triage", "referral info-received",
            "referral withdraw", "audit", "doctor"} <= names


@pytest.mark.parametrize("name,command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_and_option_has_help(name, command):
    text = (command.help or command.short_help or "").strip()
    assert text, f"'{name}' has no help text"
    for param in command.params:
        if param.param_type_name == "option" and param.name not in ("help", "install_completion",
                                                                    "show_completion"):
            assert (getattr(param, "help", None) or "").strip(), f"'{name}' option {param.opts} has no help"


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_commands_help_runs(name):
    from conftest import run

    args = [] if name == "masg" else name.split()
    result = run(*args, "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout
