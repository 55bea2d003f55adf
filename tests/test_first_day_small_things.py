"""The smaller things a new co-ordinator met on the first day, each said plainly now."""

import pytest

from builders import MEETING_DAY, case_at, decide, slot_at
from conftest import add_referral, ok, run
from test_referrals_cli import without


def test_a_consent_date_without_who_gave_it_names_the_missing_option(store):
    result = run("referral", "add", *without("--consent-by"))
    assert result.exit_code == 1
    assert result.stderr.startswith("masg: --consent-date needs --consent-by: say who gave consent "
                                    "(parent, young-person or both); without consent, refer")
    assert ok("referral", "list", "--json").json == []


def test_who_gave_consent_without_its_date_names_the_missing_option(store):
    result = run("referral", "add", *without("--consent-date"))
    assert result.exit_code == 1 and "--consent-by needs --consent-date" in result.stderr


def test_no_consent_at_all_still_says_why_and_what_to_do_instead(store):
    result = run("referral", "add", *without("--consent-date", "--consent-by"))
    assert result.exit_code == 1 and "children's social care" in result.stderr


def test_a_re_referral_at_follow_up_with_half_its_consent_names_the_missing_option(store):
    ref = case_at("monitoring")
    result = run("followup", "record", ref, "--date", "2027-02-23", "--outcome", "re-refer",
                 "--consent-date", "2027-02-20")
    assert result.exit_code == 1 and "--consent-date needs --consent-by" in result.stderr


@pytest.mark.parametrize("typed,expected", [
    (["referal"], "masg: no such command 'referal'; did you mean 'referral'? See 'masg --help'"),
    (["referral", "shw"], "masg: no such command 'shw'; did you mean 'show'? See 'masg referral --help'"),
    (["referral", "list", "--stauts", "x"],
     "masg: no such option: --stauts; did you mean --status? See 'masg referral list --help'"),
])
def test_a_mistyped_command_or_option_reads_as_one_sentence(typed, expected):
    result = run(*typed)
    assert result.exit_code == 2 and result.stderr.strip() == expected


def test_referral_show_keeps_a_phone_number_apart_from_the_agency(store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    decide(ref, slot_at(ref, MEETING_DAY), lead=("Sam Nurse", "Health visiting", "07700 900111"))
    shown = ok("referral", "show", ref).stdout
    assert "Sam Nurse, Health visiting, 07700 900111" in shown
    assert "Health visiting 07700" not in shown


@pytest.mark.parametrize("variable", ["FORCE_COLOR", "TTY_COMPATIBLE"])
def test_output_into_a_file_has_no_escape_codes_even_when_colour_is_forced(store, monkeypatch, variable):
    monkeypatch.setenv(variable, "1")
    ref = add_referral()
    for args in (["referral", "show", ref], ["today", "--as-of", "2026-11-05"], ["referral", "list"]):
        assert "\x1b[" not in ok(*args).stdout, args


def test_closing_a_closed_case_again_names_the_date_of_its_final_review_form(store):
    ref = case_at("active")
    ok("referral", "close", ref, "--final-review-date", "2027-01-20", "--outcome", "Needs met")
    again = run("referral", "close", ref, "--final-review-date", "2027-01-27", "--outcome", "Again")
    assert again.exit_code == 1
    assert "its final review form was recorded on 20 January 2027" in again.stderr


def test_init_switching_an_empty_store_to_another_panel_says_so():
    ok("init")
    result = ok("init", "--panel", "MAAG")
    assert "this store served MASG; it now serves MAAG" in result.stderr
    assert "served" not in ok("init", "--panel", "MAAG").stderr  # no switch, nothing said


def test_a_store_holding_referrals_still_cannot_switch_panel(store):
    add_referral()
    assert run("init", "--panel", "MAAG").exit_code == 1


@pytest.mark.parametrize("command", [["locality", "add", "East"], ["locality", "set", "North"]])
def test_a_locality_whose_times_hold_no_slot_is_refused(store, command):
    result = run(*command, "--start", "09:00", "--end", "09:10", "--slot-minutes", "20")
    assert result.exit_code == 1
    assert "09:00-09:10 holds no 20-minute slot" in result.stderr and "--end" in result.stderr
    assert [loc["name"] for loc in ok("locality", "list", "--json").json] == ["North"]


def test_a_locality_of_exactly_one_slot_says_one_slot(store):
    assert "1 slot of 20 minutes" in ok("locality", "add", "East", "--start", "09:00", "--end", "09:20",
                                        "--slot-minutes", "20").stdout


def test_a_lead_professional_who_is_the_locality_s_own_co_ordinator_is_warned(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    result = decide(ref, slot_at(ref, MEETING_DAY), lead=("pat  example", "Early Help", ""))
    assert "is North's own CAF co-ordinator" in result.stderr
    assert "Pat Example" not in result.stderr


def test_a_lead_professional_from_an_agency_gives_no_such_warning(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    assert "co-ordinator" not in decide(ref, slot_at(ref, MEETING_DAY)).stderr


def test_a_decision_sheet_dated_before_its_meeting_is_made_with_a_warning(store, tmp_path):
    ref = case_at("decided")
    result = ok("decision", "sheet", ref, "--out", tmp_path, "--as-of", "2026-11-20")
    assert "dated 20 November 2026, before the meeting of 24 November 2026" in result.stderr
    assert "--as-of 2026-11-24" in result.stderr
    assert "before the meeting" not in ok("decision", "sheet", ref, "--out", tmp_path / "later",
                                          "--as-of", "2026-11-25").stderr



def test_the_readme_story_writes_its_files_into_a_folder_git_ignores():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "mkdir -p practice && cd practice" in readme
    assert "/practice/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_the_morning_list_points_hidden_rows_to_a_command_that_lists_them_with_the_meeting(store):
    from builders import on_agenda

    refs = [add_referral() for _ in range(3)]
    for ref in refs:
        ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(refs[0])
    shown = ok("today", "--as-of", "2026-11-20", "--rows", "1").stdout
    assert f"... and 2 more: masg agenda show {meeting}\n" in shown


def test_hidden_rows_with_no_list_of_their_own_point_to_the_whole_morning_list():
    from masg_cli.views import _TITLES, _more_command

    section = {"count": 12, "items": [{"reference": "MASG-2026-0001", "meeting": 3}]}
    assert _more_command(_TITLES["decision_sheets_not_produced"][1], section) == "masg today --rows 12"
    assert _more_command(_TITLES["reviews_overdue"][1], section) == "masg today --rows 12"
    assert _more_command(_TITLES["attendance_unconfirmed"][1], {"count": 4, "items": [
        {"meeting": 3}, {"meeting": 5}]}) == "masg agenda show MEETING"


def test_the_report_s_monthly_trend_is_headed_by_the_locality_it_was_asked_for(store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    add_referral()
    one = ok("report", "summary", "--locality", "north").stdout
    assert "Monthly trend (North)" in one and "(all localities)" not in one
    assert "Monthly trend (all localities)" in ok("report", "summary").stdout


@pytest.mark.parametrize("name,editor", [("invite-email.txt", "fix it in a text editor"),
                                         ("decision-sheet.docx", "fix it in Word")])
def test_a_broken_template_says_where_to_fix_it_by_its_kind(name, editor):
    from jinja2 import Environment, TemplateSyntaxError

    from masg_cli.documents.render import template_problem

    with pytest.raises(TemplateSyntaxError) as broken:
        Environment().from_string("Dear {{ referrer.name }\n")
    assert editor in template_problem(name, broken.value).message


def test_the_audit_trail_says_once_that_its_clock_is_not_the_dates_recorded(store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    ref = add_referral("--received", "2027-01-04")
    for shown in (ok("referral", "show", ref).stdout, ok("audit").stdout):
        assert shown.count("When: the clock time, UTC, each command was run") == 1


def test_a_more_info_triage_later_accepted_counts_as_more_info_in_its_own_month(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Which school?", "--date", "2026-11-03")
    ok("referral", "info-received", ref, "--date", "2026-12-01")
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-12-02")
    rows = ok("report", "summary", "--json").json["tables"]["triage"]
    assert [(r["month"], r["triaged"], r["more-info"], r["accept"]) for r in rows] == [
        ("2026-11", 1, 1, 0), ("2026-12", 1, 0, 1)]
    assert ok("report", "summary", "--from", "2026-12-01", "--json").json["tables"]["triage"][0]["more-info"] == 0


@pytest.mark.parametrize("typed,where", [
    (["referral", "add", "--locality"], "masg referral add"),
    (["referral", "list", "--locality"], "masg referral list"),
    (["today", "--as-of"], "masg today"),
])
def test_an_option_missing_its_value_points_to_its_own_command_s_help(typed, where):
    result = run(*typed)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(f"requires an argument; see '{where} --help'")
