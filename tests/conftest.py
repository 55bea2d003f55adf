"""Each test gets its own store; nothing touches the user's data folder."""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from masg_cli.cli.app import app
from masg_cli.cli.context import options


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    """Point masg at a store in the test's own folder, and forget the previous test's options."""
    monkeypatch.setenv("MASG_DB", str(tmp_path / "store" / "masg.db"))
    monkeypatch.setenv("MASG_USER", "test-coordinator")
    monkeypatch.delenv("MASG_TEMPLATES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    options.db = options.user = options.templates = None
    yield
    from masg_cli.store import dispose_engines

    dispose_engines()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return jsonlib.loads(self.stdout)


def run(*args: str, input: str | None = None) -> Result:
    """Run one masg command as a co-ordinator would, and return what they would see."""
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def ok(*args: str) -> Result:
    """Run a command that must succeed."""
    result = run(*args)
    assert result.exit_code == 0, f"masg {' '.join(map(str, args))} failed: {result.stderr}"
    return result


REFERRAL = [
    "--child", "Zoë Example", "--dob", "2015-02-03",
    "--locality", "North",
    "--referrer", "Alex Teacher", "--referrer-agency", "Northside Primary",
    "--referrer-email", "alex.teacher@example.org",
    "--consent-date", "2026-11-01", "--consent-by", "parent",
    "--needs", "Attendance and anxiety",
    "--agency", "School nursing", "--agency", "CAMHS", "--agency", "Early Help",
    "--received", "2026-11-02",
]


def add_referral(*extra: str) -> str:
    """Log a referral with sensible fictional details; extra options override or add."""
    return ok("referral", "add", *REFERRAL, *extra).stdout.strip()


@pytest.fixture
def store():
    """A MASG store with the North locality."""
    ok("init", "--panel", "MASG")
    ok("locality", "add", "North", "--weekday", "tue", "--start", "09:30", "--end", "12:30",
       "--slot-minutes", "20", "--venue", "Northgate Family Hub", "--coordinator", "Pat Example",
       "--contact", "pat.example@example.gov.uk")
    return None


@pytest.fixture
def accepted(store):
    """A referral accepted at triage, waiting for an agenda."""
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    return ref
