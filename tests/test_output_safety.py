"""What co-ordinators type comes back exactly as typed, and the CLI stays quick to start."""

from pathlib import Path

from conftest import ok


def test_a_locality_name_with_square_brackets_prints_as_typed(store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    ok("locality", "add", "East [Hub]", "--venue", "Hall [/x] & Annexe")
    ok("locality", "member", "add", "East [Hub]", "--name", "Sam [red]Panel", "--agency", "Health",
       "--email", "sam@example.org")
    shown = ok("locality", "member", "list", "East [Hub]").stdout
    assert "East [Hub]" in shown
    assert "Sam [red]Panel" in shown
    assert "Hall [/x] & Annexe" in ok("locality", "list").stdout


def test_no_command_module_postpones_its_annotations():
    # Typer would compile and evaluate every postponed annotation on each start-up.
    cli = Path(__file__).resolve().parent.parent / "masg_cli" / "cli"
    offenders = [p.name for p in cli.glob("*.py")
                 if "from __future__ import annotations\n" in p.read_text(encoding="utf-8")]
    assert offenders == []
