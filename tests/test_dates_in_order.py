"""Every step is dated: --as-of or --date, and never before the step it follows."""

from __future__ import annotations

from builders import referral_for_child_born
from conftest import REFERRAL, ok, run, store_rows


# --- Every command that defaults to today takes --as-of ----------------------------------------------


def test_commands_that_default_to_today_take_as_of(store):
    ref = ok("referral", "add", *REFERRAL[:-2], "--as-of", "2026-11-05").stdout.strip()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Which school?", "--as-of", "2026-11-06")
    ok("referral", "info-received", ref, "--as-of", "2026-11-09")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--as-of", "2026-11-10")
    case = ok("referral", "show", ref, "--json").json
    assert case["received"] == "2026-11-05" and case["closed_on"] == "2026-11-10"
    assert [t["date"] for t in case["triage_history"]] == ["2026-11-06", "2026-11-09"]


# --- A step cannot be dated before the step it follows -----------------------------------------------


def test_a_withdrawal_dated_before_the_referral_arrived_is_refused(store):
    ref = referral_for_child_born("2015-02-03")
    before = store_rows()
    result = run("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-10-30")
    assert result.exit_code == 1
    assert (f"the withdrawal for {ref} is dated 30 October 2026, before it was received (2 November 2026)"
            in result.stderr)
    assert store_rows() == before


def test_information_dated_before_it_was_asked_for_is_refused(store):
    ref = referral_for_child_born("2015-02-03")
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Which school?", "--date", "2026-11-06")
    result = run("referral", "info-received", ref, "--date", "2026-11-05")
    assert result.exit_code == 1 and "before more information was asked for (6 November 2026)" in result.stderr


def test_a_re_referral_received_before_the_referral_it_follows_is_refused(store):
    ref = referral_for_child_born("2015-02-03")
    details = [("2026-10-01" if previous == "--received" else value)
               for previous, value in zip([None, *REFERRAL], REFERRAL)]
    details = [("2026-09-01" if previous == "--consent-date" else value)
               for previous, value in zip([None, *details], details)]
    result = run("referral", "add", *details, "--re-referral-of", ref)
    assert result.exit_code == 1
    assert (f"a re-referral for {ref} is dated 1 October 2026, before it was received (2 November 2026); "
            "check --received") in result.stderr


def test_a_meeting_dated_before_a_case_arrived_does_not_take_it(accepted):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-10-20", "--until", "2026-11-20")
    meetings = ok("meeting", "list", "--json").json
    early = [m["id"] for m in meetings if m["date"] < "2026-11-02"]
    later = [m["id"] for m in meetings if m["date"] >= "2026-11-02"]
    assert early and later
    assert accepted not in ok("agenda", "build", str(early[0])).stdout
    assert accepted in ok("agenda", "build", str(later[0])).stdout
    moved = run("agenda", "move", accepted, "--to", str(early[0]))
    assert moved.exit_code == 1 and "before it was received (2 November 2026); check --to" in moved.stderr

