"""A mistyped command line is one line on stderr naming the problem, exit 2, and changes nothing."""

from __future__ import annotations

import pytest

from builders import meeting_on, on_agenda
from conftest import ok, run, store_rows


# --- Mistyped commands and options -------------------------------------------------------------------


@pytest.mark.parametrize("args, says", [
    (["referral", "list", "--status", "bogus"], "masg: invalid value for '--status': 'bogus' is not one of"),
    (["referral", "list", "--bogus"], "masg: no such option: --bogus; see 'masg referral list --help'"),
    (["referral", "show"], "masg: missing argument 'REF'; see 'masg referral show --help'"),
    (["decision", "record", "MASG-2026-0001", "--meeting", "1"], "masg: missing option '--lead-name'"),
    (["--bogus", "today"], "masg: no such option: --bogus"),
    (["triage"], "masg: no such command 'triage'"),  # Click may add 'Did you mean ...?'
    (["locality", "add", "South", "--weekday", "sat"], "'sat' is not a weekday a panel meets on; give mon, tue"),
])
def test_a_mistyped_command_line_is_one_line_naming_the_problem_and_where_to_look(store, args, says):
    before = store_rows()
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.stderr and result.stderr.startswith("masg: ")
    assert result.stderr.count("\n") == 1 and "Value error" not in result.stderr and "Usage:" not in result.stderr
    assert store_rows() == before


def test_a_group_given_no_command_still_shows_its_help(store):
    result = run("referral")
    shown = result.stdout + result.stderr  # Click writes it to stderr, exit 2, as it does for any group
    assert "Commands:" in shown and "triage" in shown


# --- Values outside a fixed set of answers -----------------------------------------------------------


def test_an_attendance_answer_that_is_not_yes_or_no_is_a_usage_problem(accepted):
    meeting = on_agenda(accepted)
    result = run("agenda", "attendance", accepted, "--meeting", meeting, "--attending", "maybe")
    assert result.exit_code == 2 and "maybe" in result.stderr
    assert ok("agenda", "show", meeting, "--json").json["slots"][0]["attending"] == "unknown"
    ok("agenda", "attendance", accepted, "--meeting", meeting, "--attending", "YES")
    assert ok("agenda", "show", meeting, "--json").json["slots"][0]["attending"] == "yes"


def test_a_meeting_status_that_is_not_scheduled_or_cancelled_is_a_usage_problem(store):
    meeting_on("2026-11-24")
    result = run("meeting", "list", "--status", "foo")
    assert result.exit_code == 2 and "foo" in result.stderr
    assert len(ok("meeting", "list", "--status", "scheduled", "--json").json) == 3
    assert ok("meeting", "list", "--status", "cancelled", "--json").json == []

