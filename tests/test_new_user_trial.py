"""What a new user's trial of the README found: each a rule the tool must keep."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import REFERRAL, ok, run, store_rows

ROOT = Path(__file__).resolve().parents[1]


def _case_with_a_child_born(dob: str) -> str:
    details = [dob if previous == "--dob" else value for previous, value in zip([None, *REFERRAL], REFERRAL)]
    return ok("referral", "add", *details).stdout.strip()


def _three_meetings():
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")


# --- A case moved away from a meeting can be put back on it -----------------------------------------


def test_a_case_moved_off_a_meeting_and_deferred_elsewhere_goes_on_that_meeting_when_it_is_built(accepted):
    _three_meetings()
    ok("agenda", "build", "1")
    ok("agenda", "move", accepted, "--to", "2")
    ok("agenda", "move", accepted, "--to", "1")
    ok("decision", "defer", accepted, "--meeting", "1")
    shown = ok("agenda", "build", "2").stdout
    assert "1 case(s) added" in shown and accepted in shown
    slots = ok("agenda", "show", "2", "--json").json["slots"]
    assert [s["reference"] for s in slots if s["outcome"] == "pending"] == [accepted]


def test_a_case_deferred_at_a_meeting_is_not_put_back_on_that_same_meeting(accepted):
    _three_meetings()
    ok("agenda", "build", "1")
    ok("decision", "defer", accepted, "--meeting", "1")
    assert "0 case(s) added" in ok("agenda", "build", "1").stdout
    assert accepted in ok("agenda", "build", "2").stdout


# --- Retention: the rule cannot end before 18; removing ahead of today is said plainly -------------


@pytest.mark.parametrize("rule", ["until-age:0", "until-age:17"])
def test_a_retention_rule_ending_before_a_childs_18th_birthday_is_refused(store, rule):
    result = run("retention", "--set-rule", rule)
    assert result.exit_code == 2
    assert "must be from 18 to 100" in result.stderr and "at least until they are 18" in result.stderr
    assert "until-age:25" in ok("retention").stdout  # the rule stays as it was


def test_retention_apply_judged_from_a_later_day_warns_how_many_were_not_yet_due(store):
    ref = _case_with_a_child_born("2015-02-03")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-11-04")
    later = date.today() + timedelta(days=365 * 30)
    result = run("retention", "--as-of", later.isoformat(), "--apply")
    assert result.exit_code == 0
    assert f"--as-of {later.day} {later:%B %Y} is after today" in result.stderr
    assert "1 case(s) not yet due today were removed" in result.stderr
    assert ok("referral", "list", "--json").json == []


def test_retention_apply_judged_from_today_gives_no_such_warning(store):
    ref = _case_with_a_child_born("2000-01-01")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-11-04")
    result = run("retention", "--apply")
    assert result.exit_code == 0 and "warning" not in result.stderr


# --- The walkthrough never writes into the co-ordinator's own store --------------------------------


@pytest.mark.sqlite_only
def test_the_walkthrough_runs_on_its_own_store_even_when_masg_db_names_another(tmp_path):
    own = tmp_path / "my-real-store.db"
    env = {**os.environ, "MASG_DB": str(own), "MASG_DEMO_DB": str(tmp_path / "demo" / "demo.db"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", str(ROOT / "examples" / "walkthrough.sh")], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not own.exists()
    assert (tmp_path / "demo" / "demo.db").exists()
    assert "Demonstration store: " + str(tmp_path / "demo" / "demo.db") in done.stdout


# --- Document commands find what would stop them before writing anything --------------------------


def _without_libreoffice(monkeypatch):
    import shutil

    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in ("soffice", "libreoffice")
                        else real(name, *a, **k))


def test_agenda_pack_pdf_without_libreoffice_is_refused_before_any_file_is_written(accepted, tmp_path, monkeypatch):
    _three_meetings()
    ok("agenda", "build", "1")
    _without_libreoffice(monkeypatch)
    before = store_rows()
    result = run("agenda", "pack", "1", "--out", tmp_path / "pack", "--pdf")
    assert result.exit_code == 1 and "LibreOffice is not installed" in result.stderr
    assert not (tmp_path / "pack").exists() or not any((tmp_path / "pack").iterdir())
    assert store_rows() == before


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_templates_folder_that_is_not_there_is_refused_not_quietly_replaced(accepted, tmp_path, monkeypatch, how):
    _three_meetings()
    ok("agenda", "build", "1")
    missing = tmp_path / "our-templates-typo"
    if how == "environment":
        monkeypatch.setenv("MASG_TEMPLATES", str(missing))
        args = []
    else:
        args = ["--templates", missing]
    for command in (["agenda", "invite", "1"], ["agenda", "pack", "1"]):
        result = run(*args, *command, "--out", tmp_path / "out")
        assert result.exit_code == 1, command
        assert f"the templates folder {missing} (--templates or MASG_TEMPLATES) is not a folder" in result.stderr
        assert f"masg templates copy {missing}" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- A mistyped command line is one line on stderr, exit 2 -------------------------------------------


@pytest.mark.parametrize("args, says", [
    (["referral", "list", "--status", "bogus"], "masg: invalid value for '--status': 'bogus' is not one of"),
    (["referral", "list", "--bogus"], "masg: no such option: --bogus; see 'masg referral list --help'"),
    (["referral", "show"], "masg: missing argument 'REF'; see 'masg referral show --help'"),
    (["decision", "record", "MASG-2026-0001", "--meeting", "1"], "masg: missing option '--lead-name'"),
    (["--bogus", "today"], "masg: no such option: --bogus"),
    (["triage"], "masg: no such command 'triage'; see 'masg --help'"),
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


@pytest.mark.parametrize("typed, kept", [("Tuesday", "tue"), ("THU", "thu"), ("wednesday", "wed"), ("Fri", "fri")])
def test_a_locality_meets_on_a_weekday_typed_in_full_or_in_capitals(store, typed, kept):
    ok("locality", "add", "South", "--weekday", typed)
    assert {l["name"]: l["weekday"] for l in ok("locality", "list", "--json").json}["South"] == kept


# --- The audit trail of a reference it does not name is refused -------------------------------------


@pytest.mark.parametrize("wanted", ["MASG-2026-0099", "foo"])
def test_the_audit_of_a_reference_the_trail_never_named_is_refused(store, wanted):
    result = run("audit", wanted)
    assert result.exit_code == 1
    assert f"the audit trail names no referral {wanted.upper()}" in result.stderr


def test_the_audit_of_a_case_removed_by_retention_still_shows_its_entries(store):
    ref = _case_with_a_child_born("2000-01-01")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-11-04")
    ok("retention", "--apply")
    assert ok("audit", ref, "--json").json[-1]["action"] == "retention remove"


# --- Every command that defaults to today takes --as-of (SPEC) -------------------------------------


def test_commands_that_default_to_today_take_as_of(store):
    ref = ok("referral", "add", *REFERRAL[:-2], "--as-of", "2026-11-05").stdout.strip()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Which school?", "--as-of", "2026-11-06")
    ok("referral", "info-received", ref, "--as-of", "2026-11-09")
    ok("referral", "withdraw", ref, "--reason", "moved away", "--as-of", "2026-11-10")
    case = ok("referral", "show", ref, "--json").json
    assert case["received"] == "2026-11-05" and case["closed_on"] == "2026-11-10"
    assert [t["date"] for t in case["triage_history"]] == ["2026-11-06", "2026-11-09"]


# --- A step cannot be dated before the step it follows ----------------------------------------------


def test_a_withdrawal_dated_before_the_referral_arrived_is_refused(store):
    ref = _case_with_a_child_born("2015-02-03")
    before = store_rows()
    result = run("referral", "withdraw", ref, "--reason", "moved away", "--date", "2026-10-30")
    assert result.exit_code == 1
    assert f"the withdrawal for {ref} is dated 30 October 2026, before it was received (2 November 2026)" in result.stderr
    assert store_rows() == before


def test_information_dated_before_it_was_asked_for_is_refused(store):
    ref = _case_with_a_child_born("2015-02-03")
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Which school?", "--date", "2026-11-06")
    result = run("referral", "info-received", ref, "--date", "2026-11-05")
    assert result.exit_code == 1 and "before more information was asked for (6 November 2026)" in result.stderr


def test_a_re_referral_received_before_the_referral_it_follows_is_refused(store):
    ref = _case_with_a_child_born("2015-02-03")
    details = [("2026-10-01" if previous == "--received" else value) for previous, value in zip([None, *REFERRAL], REFERRAL)]
    details = [("2026-09-01" if previous == "--consent-date" else value) for previous, value in zip([None, *details], details)]
    result = run("referral", "add", *details, "--re-referral-of", ref)
    assert result.exit_code == 1
    assert f"a re-referral for {ref} is dated 1 October 2026, before it was received (2 November 2026); check --received" in result.stderr


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


# --- Every folder masg makes is its owner's alone ----------------------------------------------------


@pytest.mark.sqlite_only
def test_every_folder_masg_creates_on_the_way_to_a_store_an_export_or_a_document_is_0700(tmp_path, monkeypatch):
    old = os.umask(0o022)
    try:
        monkeypatch.setenv("MASG_DB", str(tmp_path / "a" / "b" / "masg.db"))
        ok("init", "--panel", "MASG")
        ok("locality", "add", "North")
        ok("export", "--format", "csv", "--out", tmp_path / "c" / "d" / "all.csv")
        ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
        ok("meeting", "ics", "--out", tmp_path / "e" / "f" / "panel.ics")
    finally:
        os.umask(old)
    for folder in ("a", "a/b", "c", "c/d", "e", "e/f"):
        assert (tmp_path / folder).stat().st_mode & 0o777 == 0o700, folder
    assert (tmp_path / "c" / "d" / "all.csv").stat().st_mode & 0o777 == 0o600


# --- A broken e-mail template leaves no document behind ---------------------------------------------


def _broken_email_template(tmp_path, name: str) -> Path:
    folder = tmp_path / "our-templates"
    folder.mkdir()
    (folder / name).write_text("Dear {{ referrer_name }\n", encoding="utf-8")  # an unclosed tag
    return folder


def test_a_broken_covering_email_template_leaves_no_decision_sheet_behind(accepted, tmp_path):
    from builders import decide, on_agenda

    meeting = on_agenda(accepted)
    decide(accepted, meeting)
    folder = _broken_email_template(tmp_path, "decision-email.txt")
    before = store_rows()
    result = run("--templates", folder, "decision", "sheet", accepted, "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "decision-email.txt" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert store_rows() == before


def test_a_broken_pack_email_template_leaves_no_agenda_pack_behind(accepted, tmp_path):
    from builders import on_agenda

    meeting = on_agenda(accepted)
    ok("locality", "member", "add", "North", "--name", "Kim Panel", "--agency", "Health", "--email", "kim@example.org")
    folder = _broken_email_template(tmp_path, "pack-email.txt")
    result = run("--templates", folder, "agenda", "pack", str(meeting), "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "pack-email.txt" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


# --- MAAG: agencies found at triage count --------------------------------------------------------------


def _maag_case(*agencies: str) -> str:
    ok("init", "--panel", "MAAG")
    ok("locality", "add", "North")
    details = list(REFERRAL)
    while "--agency" in details:  # the usual three agencies out; the test names its own
        at = details.index("--agency")
        del details[at:at + 2]
    return ok("referral", "add", *details, *[x for a in agencies for x in ("--agency", a)]).stdout.strip()


def test_maag_agencies_named_at_triage_join_the_case_and_count_towards_three(tmp_path):
    ref = _maag_case("School nursing")
    result = run("referral", "triage", ref, "--outcome", "accept", "--agency", "CAMHS", "--agency", "Police",
                 "--agency", "school nursing", "--date", "2026-11-03")
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert ok("referral", "show", ref, "--json").json["agencies"] == ["School nursing", "CAMHS", "Police"]


def test_maag_accept_with_two_agencies_in_all_still_warns(tmp_path):
    ref = _maag_case("School nursing")
    result = run("referral", "triage", ref, "--outcome", "accept", "--agency", "CAMHS", "--date", "2026-11-03")
    assert result.exit_code == 0 and f"warning: {ref} names 2 agencies" in result.stderr


def test_single_agency_sends_the_referrer_to_one_agency_only(store):
    ref = _case_with_a_child_born("2015-02-03")
    result = run("referral", "triage", ref, "--outcome", "single-agency", "--agency", "CAMHS", "--agency", "Police")
    assert result.exit_code == 1 and "give --agency once" in result.stderr
    ok("referral", "triage", ref, "--outcome", "single-agency", "--agency", "CAMHS", "--date", "2026-11-03")
    assert ok("referral", "show", ref, "--json").json["triage"]["agency"] == "CAMHS"


# --- Smaller things a co-ordinator would trip over ---------------------------------------------------


def test_meeting_list_counts_a_deferred_cases_slot_as_free(accepted):
    _three_meetings()
    ok("agenda", "build", "1")
    ok("decision", "defer", accepted, "--meeting", "1")
    first = ok("meeting", "list", "--json").json[0]
    assert (first["slots"], first["free"]) == (0, 9)


def test_a_database_url_masg_cannot_use_is_named_as_such(store):
    result = run("--db", "mysql://someone@db.example/masg", "referral", "list")
    assert result.exit_code == 1
    assert "--db mysql://... is not a store masg can use" in result.stderr and "driver" not in result.stderr


def test_a_final_review_form_too_early_is_refused_in_its_own_name(store, tmp_path):
    ref = _case_with_a_child_born("2015-02-03")
    result = run("referral", "final-review-form", ref, "--out", tmp_path)
    assert result.exit_code == 1 and "so 'final-review-form' is not possible now" in result.stderr


def test_a_case_the_family_declined_has_no_panel_review_due(accepted):
    from builders import decide, on_agenda

    decide(accepted, on_agenda(accepted))
    ok("family-response", accepted, "--declined", "--date", "2026-11-25")
    case = ok("referral", "show", accepted, "--json").json
    assert case["status"] == "closed" and case["next_review"] is None


@pytest.mark.sqlite_only
def test_output_cut_short_by_its_reader_is_not_called_a_failure(tmp_path):
    env = {**os.environ, "MASG_DB": str(tmp_path / "masg.db"), "MASG_USER": "test"}
    masg = [sys.executable, "-m", "masg_cli"]
    subprocess.run([*masg, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*masg, "locality", "add", "North"], env=env, check=True, capture_output=True)
    reader = subprocess.Popen([*masg, "meeting", "schedule", "--locality", "North", "--from", "2026-01-01",
                               "--until", "2028-12-31"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.readline()
    reader.stdout.close()  # as '| head -1' does
    reader.wait(timeout=60)
    stderr = reader.stderr.read().decode()
    assert "nothing was saved" not in stderr and "Traceback" not in stderr
    listed = subprocess.run([*masg, "meeting", "list", "--json"], env=env, capture_output=True, text=True)
    assert len(json.loads(listed.stdout)) > 70


@pytest.mark.parametrize("rule", ["years-after-closure:1", "until-age:18"])
def test_no_retention_rule_removes_a_case_before_the_youngest_childs_18th_birthday(rule):
    from masg_cli import rules

    due = rules.retention_due(rules.parse_retention_rule(rule), closed_on=date(2026, 11, 4),
                              youngest_dob=date(2015, 2, 3))
    assert due == date(2033, 2, 3)
