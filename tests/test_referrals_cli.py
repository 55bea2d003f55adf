"""masg init, locality and referral as a co-ordinator types them: options, prompts, refusals."""

import os

import pytest
from typer.testing import _NamedTextIOWrapper

from conftest import REFERRAL, add_referral, ok, run, sql

OPEN = ["received", "more-info", "accepted", "scheduled", "decided", "active", "monitoring"]


def without(*options: str) -> list[str]:
    """The standard referral's options, leaving out the named ones (and their values)."""
    args, skip = [], False
    for arg in REFERRAL:
        if skip:
            skip = False
            continue
        if arg in options:
            skip = True
            continue
        args.append(arg)
    return args


def force_status(reference: str, status: str) -> None:
    """Put a case at a later stage directly (the commands that move it there are tested elsewhere)."""
    sql("UPDATE referral SET status = :status WHERE reference = :reference",
        {"status": status, "reference": reference})


# --- init and localities ------------------------------------------------------------------------

def test_init_sets_up_a_masg_store_by_default_and_says_where():
    result = ok("init")
    assert "for MASG" in result.stdout and os.environ["MASG_DB"] in result.stdout


def test_init_with_localities_adds_them_once():
    assert "Added locality North" in ok("init", "--locality", "North", "--locality", "South").stdout
    assert "Added locality" not in ok("init", "--locality", "North").stdout
    assert [loc["name"] for loc in ok("locality", "list", "--json").json] == ["North", "South"]


def test_a_store_holding_referrals_cannot_switch_panel(store):
    add_referral()
    result = run("init", "--panel", "MAAG")
    assert result.exit_code == 1 and "already serves MASG" in result.stderr


@pytest.fixture
def wide(monkeypatch):
    """A wide terminal, so that table cells are not folded across lines."""
    monkeypatch.setenv("COLUMNS", "250")


def test_locality_add_keeps_every_setting_and_the_co_ordinators_contact(wide):
    ok("init")
    ok("locality", "add", "East", "--cadence", "weekly", "--weekday", "thu", "--start", "13:00",
       "--end", "16:00", "--slot-minutes", "30", "--venue", "O'Brien & Sons <Ltd> Hall",
       "--coordinator", "Siân Sample", "--contact", "01632 960001")
    assert ok("locality", "list", "--json").json == [{
        "name": "East", "cadence": "weekly", "weekday": "thu", "start": "13:00", "end": "16:00",
        "slot_minutes": 30, "slots_per_meeting": 6, "venue": "O'Brien & Sons <Ltd> Hall",
        "coordinator": "Siân Sample", "contact": "01632 960001", "quorum": 0, "quorum_agencies": [],
    }]
    table = ok("locality", "list").stdout
    assert "East" in table and "Siân Sample" in table


def test_a_masg_locality_meets_fortnightly_on_tuesday_mornings_unless_told_otherwise():
    ok("init")
    ok("locality", "add", "North")
    shown = ok("locality", "list", "--json").json[0]
    assert (shown["cadence"], shown["weekday"], shown["start"], shown["end"], shown["slot_minutes"]) == (
        "fortnightly", "tue", "09:30", "12:30", 20)


@pytest.mark.parametrize("args,code,words", [
    (["--start", "25:00"], 2, "--start"),
    (["--end", "noon"], 2, "--end"),
    (["--start", "12:00", "--end", "09:00"], 1, "before it ends"),
    (["--weekday", "sat"], 2, "--weekday"),
    (["--cadence", "monthly"], 2, "--cadence"),
    (["--slot-minutes", "0"], 2, "--slot-minutes"),
])
def test_a_locality_with_impossible_settings_is_refused(args, code, words):
    ok("init")
    result = run("locality", "add", "North", *args)
    assert result.exit_code == code and words in result.stderr
    assert ok("locality", "list", "--json").json == []


def test_a_locality_name_is_used_once(store):
    result = run("locality", "add", "north")
    assert result.exit_code == 1 and "already a locality" in result.stderr


def test_panel_members_are_added_to_a_locality_and_listed(store):
    ok("locality", "member", "add", "North", "--name", "Sam Panel", "--agency", "Health visiting",
       "--email", "sam.panel@example.org")
    assert ok("locality", "member", "list", "North", "--json").json == [
        {"name": "Sam Panel", "agency": "Health visiting", "email": "sam.panel@example.org"}]
    bad = run("locality", "member", "add", "North", "--name", "X", "--agency", "Y", "--email", "nope")
    assert bad.exit_code == 1 and "e-mail" in bad.stderr
    assert run("locality", "member", "list", "Nowhere").exit_code == 1


# --- referral add -------------------------------------------------------------------------------

def test_every_option_of_referral_add_is_kept(store):
    ok("referral", "add", "--child", "Zoë Example", "--dob", "03/02/2015", "--child", "Jack Example",
       "--dob", "2018-06-12", "--child", "Siân Sample", "--dob", "1/9/2020", "--locality", "north",
       "--referrer", "Alex Teacher", "--referrer-agency", "O'Brien & Sons <Ltd>",
       "--referrer-email", "alex.teacher@example.org", "--referrer-phone", "01632 960000",
       "--consent-date", "01/11/2026", "--consent-by", "both", "--needs", "Attendance and anxiety",
       "--agency", "School nursing", "--agency", "CAMHS", "--transition", "looked-after",
       "--transition", "child-protection-plan", "--received", "02/11/2026")
    shown = ok("referral", "show", "MASG-2026-0001", "--json").json
    assert [{"name": c["name"], "dob": c["dob"]} for c in shown["children"]] == [
        {"name": "Zoë Example", "dob": "2015-02-03"}, {"name": "Jack Example", "dob": "2018-06-12"},
        {"name": "Siân Sample", "dob": "2020-09-01"}]
    assert shown["locality"] == "North"
    assert (shown["referrer"], shown["referrer_agency"]) == ("Alex Teacher", "O'Brien & Sons <Ltd>")
    assert (shown["referrer_email"], shown["referrer_phone"]) == ("alex.teacher@example.org", "01632 960000")
    assert shown["consent"] == {"date": "2026-11-01", "by": "both"}
    assert shown["needs"] == "Attendance and anxiety"
    assert shown["agencies"] == ["School nursing", "CAMHS"]
    assert shown["transitions"] == ["looked-after", "child-protection-plan"]
    assert shown["received"] == "2026-11-02"
    assert (shown["status"], shown["closed_reason"], shown["re_referral_of"]) == ("received", None, None)


def test_referral_add_json_prints_only_the_new_referral(store):
    result = ok("referral", "add", *REFERRAL, "--json")
    assert result.json["reference"] == "MASG-2026-0001" and result.json["status"] == "received"
    assert result.stderr == ""


def test_received_defaults_to_today(store):
    from datetime import date

    ok("referral", "add", *without("--received", "--consent-date"), "--consent-date", "2026-01-01")
    shown = ok("referral", "list", "--json").json
    assert shown[-1]["received"] == date.today().isoformat()


def test_a_re_referral_links_to_the_earlier_one_and_leaves_it_as_it_was(store):
    first = add_referral()
    ok("referral", "withdraw", first, "--reason", "Consent withdrawn by parent")
    second = add_referral("--re-referral-of", first.lower())
    shown = ok("referral", "show", second, "--json").json
    assert shown["re_referral_of"] == first
    earlier = ok("referral", "show", first, "--json").json
    assert (earlier["status"], earlier["closed_reason"]) == ("closed", "withdrawn")
    assert earlier["later_referrals"] == [second]


def test_a_re_referral_of_an_unknown_reference_is_refused(store):
    result = run("referral", "add", *REFERRAL, "--re-referral-of", "MASG-2020-0042")
    assert result.exit_code == 1 and "MASG-2020-0042" in result.stderr
    assert ok("referral", "list", "--json").json == []


@pytest.mark.parametrize("option", ["--dob", "--consent-date", "--received"])
@pytest.mark.parametrize("value", ["31/02/2026", "2026-13-01", "11/23/2026", "2026-02-30", "yesterday", "2026/11/02"])
def test_an_impossible_date_is_a_usage_error_naming_the_option(store, option, value):
    result = run("referral", "add", *without(option), option, value)
    assert result.exit_code == 2
    assert option in result.stderr and value in result.stderr
    assert "YYYY-MM-DD or DD/MM/YYYY" in result.stderr
    assert "Traceback" not in result.stderr
    assert ok("referral", "list", "--json").json == []


def test_consent_after_the_referral_arrived_is_refused(store):
    result = run("referral", "add", *without("--consent-date"), "--consent-date", "03/11/2026")
    assert result.exit_code == 1 and "after the referral was received" in result.stderr


@pytest.mark.parametrize("missing", ["--consent-date", "--consent-by"])
def test_without_consent_there_is_no_referral(store, missing):
    result = run("referral", "add", *without(missing))
    assert result.exit_code == 1
    assert "consent" in result.stderr and "children's social care" in result.stderr
    assert ok("referral", "list", "--json").json == []


def test_an_unknown_consent_giver_is_a_usage_error(store):
    result = run("referral", "add", *without("--consent-by"), "--consent-by", "neighbour")
    assert result.exit_code == 2 and "--consent-by" in result.stderr


def test_an_unknown_locality_or_transition_flag_is_refused(store):
    result = run("referral", "add", *without("--locality"), "--locality", "Atlantis")
    assert result.exit_code == 1 and "Atlantis" in result.stderr
    result = run("referral", "add", *REFERRAL, "--transition", "on-holiday")
    assert result.exit_code == 2 and "--transition" in result.stderr


def test_a_child_without_a_date_of_birth_is_a_usage_error(store):
    result = run("referral", "add", *REFERRAL, "--child", "Jack Example")
    assert result.exit_code == 2 and "--dob" in result.stderr


@pytest.mark.parametrize("missing,named", [
    ("--child", "--child"),
    ("--locality", "--locality"),
    ("--referrer", "--referrer"),
    ("--referrer-agency", "--referrer-agency"),
    ("--needs", "--needs"),
])
def test_without_a_terminal_a_missing_option_is_named_and_nothing_is_asked(store, missing, named):
    args = without(missing, "--dob") if missing == "--child" else without(missing)
    result = run("referral", "add", *args, input="North\nAlex\n")
    assert result.exit_code == 2
    assert named in result.stderr
    assert result.stdout == ""  # no prompt was shown


# --- referral add at a terminal ----------------------------------------------------------------

@pytest.fixture
def terminal(monkeypatch):
    """Pretend the co-ordinator is typing at a terminal (CliRunner feeds what they type)."""
    monkeypatch.setattr(_NamedTextIOWrapper, "isatty", lambda self: True, raising=False)


def test_at_a_terminal_each_missing_value_is_asked_for(store, terminal):
    typed = "\n".join(["01/11/2026", "parent", "Zoë Example", "31/02/2015", "03/02/2015", "n", "North",
                       "Alex Teacher", "Northside Primary", "", "", "Attendance and anxiety", "", "", "y"]) + "\n"
    result = run("referral", "add", "--received", "2026-11-02", "--json", input=typed)
    assert result.exit_code == 0, result.stderr
    assert result.json["reference"] == "MASG-2026-0001"  # the prompts went to stderr, not stdout
    for question in ("consent", "Child's full name", "Date of birth", "Locality", "Referrer's name",
                     "Referrer's agency", "needs"):
        assert question in result.stderr
    assert "not a real date" in result.stderr  # 31/02 was asked again
    shown = ok("referral", "show", "MASG-2026-0001", "--json").json
    assert ([{"name": c["name"], "dob": c["dob"]} for c in shown["children"]]
            == [{"name": "Zoë Example", "dob": "2015-02-03"}])
    assert shown["consent"] == {"date": "2026-11-01", "by": "parent"}


def test_at_a_terminal_only_the_missing_values_are_asked_for(store, terminal):
    result = run("referral", "add", *without("--needs"), input="\nHousing and debt\n\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "needs" in result.stderr and "Referrer's name" not in result.stderr
    assert ok("referral", "show", result.stdout.strip(), "--json").json["needs"] == "Housing and debt"


def test_at_a_terminal_blank_consent_is_still_refused(store, terminal):
    result = run("referral", "add", *without("--consent-date", "--consent-by"), input="\n\n")
    assert result.exit_code == 1 and "children's social care" in result.stderr
    assert ok("referral", "list", "--json").json == []


def test_at_a_terminal_blank_consent_is_refused_before_anything_else_is_asked(store, terminal):
    result = run("referral", "add", "--received", "2026-11-02", input="\n")
    assert result.exit_code == 1 and "consent" in result.stderr
    assert "Child's full name" not in result.stderr


def test_at_a_terminal_who_gave_consent_is_asked_again_until_it_is_one_of_the_choices(store, terminal):
    typed = "\n".join(["01/11/2026", "mum", "parent", "", "", "y"]) + "\n"
    result = run("referral", "add", *without("--consent-date", "--consent-by"), input=typed)
    assert result.exit_code == 0, result.stderr
    assert ok("referral", "show", result.stdout.strip(), "--json").json["consent"]["by"] == "parent"


def test_at_a_terminal_a_family_of_two_children_can_be_typed_in(store, terminal):
    typed = "\n".join(["Zoë Example", "03/02/2015", "y", "Jack Example", "12/06/2018", "n", "", "", "y"]) + "\n"
    result = run("referral", "add", *without("--child", "--dob"), input=typed)
    assert result.exit_code == 0, result.stderr
    children = ok("referral", "show", result.stdout.strip(), "--json").json["children"]
    assert [c["name"] for c in children] == ["Zoë Example", "Jack Example"]


def test_at_a_terminal_ending_the_input_gives_one_line_and_saves_nothing(store, terminal):
    result = run("referral", "add", "--received", "2026-11-02", input="01/11/2026\n")
    assert result.exit_code == 1
    assert result.stderr.rstrip().endswith("masg: no answer given at the prompt; nothing was saved")
    assert ok("referral", "list", "--json").json == []


def test_a_us_order_date_is_called_out_as_such(store):
    result = run("referral", "add", *without("--dob"), "--dob", "11/23/2015")
    assert result.exit_code == 2 and "US order" in result.stderr


# --- referral list and show --------------------------------------------------------------------

def test_list_filters_by_status_and_locality(store):
    ok("locality", "add", "South")
    a = add_referral()
    b = add_referral("--locality", "South")
    c = add_referral()
    ok("referral", "triage", c, "--outcome", "accept")
    rows = ok("referral", "list", "--json").json
    assert [r["reference"] for r in rows] == [a, b, c]
    assert {"reference", "status", "closed_reason", "locality", "received"} <= set(rows[0])
    assert [r["reference"] for r in ok("referral", "list", "--status", "received", "--json").json] == [a, b]
    assert [r["reference"] for r in ok("referral", "list", "--locality", "South", "--json").json] == [b]
    assert [r["reference"] for r in ok("referral", "list", "--status", "accepted", "--locality", "North",
                                      "--json").json] == [c]
    assert ok("referral", "list", "--status", "closed", "--json").json == []


def test_list_refuses_an_unknown_status_or_locality(store):
    assert run("referral", "list", "--status", "pending").exit_code == 2
    result = run("referral", "list", "--locality", "Atlantis")
    assert result.exit_code == 1 and "Atlantis" in result.stderr


def test_list_for_people_is_a_table_with_uk_dates(store, wide):
    add_referral()
    out = ok("referral", "list").stdout
    assert "MASG-2026-0001" in out and "2 Nov 2026" in out
    assert "No referrals match" in ok("referral", "list", "--status", "closed").stdout


def test_show_json_has_the_spec_shape_and_the_history(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "not-appropriate", "--note", "Discussed: universal services",
       "--date", "2026-11-04")
    shown = ok("referral", "show", ref, "--json").json
    assert (shown["reference"], shown["status"], shown["closed_reason"]) == (ref, "closed", "not-appropriate")
    assert shown["triage"] == {"date": "2026-11-04", "outcome": "not-appropriate", "agency": None,
                               "note": "Discussed: universal services"}
    assert [e["action"] for e in shown["history"]] == ["referral add", "triage"]
    assert [e["event"] for e in shown["timeline"]] == ["received", "triage: not-appropriate",
                                                      "closed (not-appropriate)"]


def test_show_for_people_shows_uk_dates_and_the_timeline(store, wide):
    ref = add_referral()
    out = ok("referral", "show", ref).stdout
    assert "3 February 2015" in out and "2 November 2026" in out and "Timeline" in out


@pytest.mark.parametrize("command", [
    ["referral", "show", "MASG-2026-0999"],
    ["referral", "triage", "MASG-2026-0999", "--outcome", "accept"],
    ["referral", "info-received", "MASG-2026-0999"],
    ["referral", "withdraw", "MASG-2026-0999", "--reason", "x"],
])
def test_an_unknown_reference_is_refused(store, command):
    result = run(*command)
    assert result.exit_code == 1
    assert "there is no referral MASG-2026-0999" in result.stderr


# --- triage, info-received, withdraw ------------------------------------------------------------

@pytest.mark.parametrize("args,status,reason", [
    (["--outcome", "accept"], "accepted", None),
    (["--outcome", "single-agency", "--agency", "Speech and language therapy"], "closed", "single-agency"),
    (["--outcome", "more-info", "--note", "Asked for the discharge plan"], "more-info", None),
    (["--outcome", "not-appropriate", "--note", "Discussed with referrer"], "closed", "not-appropriate"),
])
def test_the_four_triage_outcomes(store, args, status, reason):
    ref = add_referral()
    ok("referral", "triage", ref, *args, "--date", "05/11/2026")
    shown = ok("referral", "show", ref, "--json").json
    assert (shown["status"], shown["closed_reason"]) == (status, reason)
    assert shown["triage"]["date"] == "2026-11-05"


@pytest.mark.parametrize("args,named", [
    (["--outcome", "single-agency"], "--agency"),
    (["--outcome", "more-info"], "--note"),
    (["--outcome", "not-appropriate"], "--note"),
])
def test_a_triage_outcome_without_what_it_needs_is_refused(store, args, named):
    ref = add_referral()
    result = run("referral", "triage", ref, *args)
    assert result.exit_code == 1 and named in result.stderr
    assert ok("referral", "show", ref, "--json").json["status"] == "received"


def test_an_unknown_triage_outcome_is_a_usage_error(store):
    ref = add_referral()
    result = run("referral", "triage", ref, "--outcome", "maybe")
    assert result.exit_code == 2
    assert "invalid value for '--outcome': 'maybe' is not one of 'accept', 'single-agency'" in result.stderr
    assert ok("referral", "show", ref, "--json").json["status"] == "received"


def test_triage_before_the_referral_arrived_is_refused(store):
    ref = add_referral()
    result = run("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-01")
    assert result.exit_code == 1 and "before" in result.stderr


def test_info_received_puts_a_more_info_case_back_for_triage(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Asked for the plan", "--date", "2026-11-03")
    assert "received again" in ok("referral", "info-received", ref, "--note", "Plan arrived",
                                  "--date", "2026-11-06").stdout
    shown = ok("referral", "show", ref, "--json").json
    assert (shown["status"], shown["info_received"]) == ("received", "2026-11-06")
    ok("referral", "triage", ref, "--outcome", "accept")


def test_info_received_for_a_case_not_waiting_for_information_names_its_status(store):
    ref = add_referral()
    result = run("referral", "info-received", ref)
    assert result.exit_code == 1 and f"{ref} is received" in result.stderr


@pytest.mark.parametrize("status", OPEN)
def test_withdraw_closes_a_case_from_every_open_status(store, status):
    ref = add_referral()
    force_status(ref, status)
    assert "closed (withdrawn)" in ok("referral", "withdraw", ref, "--reason", "Consent withdrawn by parent",
                                      "--date", "2026-11-20").stdout
    shown = ok("referral", "show", ref, "--json").json
    assert (shown["status"], shown["closed_reason"], shown["closed_on"]) == ("closed", "withdrawn", "2026-11-20")
    assert shown["history"][-1]["changes"]["status"] == [status, "closed"]


@pytest.mark.parametrize("outcome,extra,reason", [
    ("single-agency", ["--agency", "CAMHS"], "single-agency"),
    ("not-appropriate", ["--note", "Discussed"], "not-appropriate"),
])
def test_withdrawing_a_closed_case_is_refused_naming_its_status(store, outcome, extra, reason):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", outcome, *extra)
    result = run("referral", "withdraw", ref, "--reason", "Consent withdrawn")
    assert result.exit_code == 1
    assert f"{ref} is closed ({reason})" in result.stderr and "--re-referral-of" in result.stderr


def test_withdraw_needs_a_reason(store):
    ref = add_referral()
    assert run("referral", "withdraw", ref).exit_code == 2
    result = run("referral", "withdraw", ref, "--reason", "  ")
    assert result.exit_code == 1 and "--reason" in result.stderr


# --- A MAAG store ------------------------------------------------------------------------------

@pytest.fixture
def maag():
    ok("init", "--panel", "MAAG")
    ok("locality", "add", "North")


def test_a_maag_store_hands_out_maag_references_and_districts_meet_weekly(maag):
    assert add_referral() == "MAAG-2026-0001"
    assert add_referral("--received", "2025-12-01", "--consent-date", "2025-11-30") == "MAAG-2025-0001"
    assert ok("locality", "list", "--json").json[0]["cadence"] == "weekly"


def test_maag_accept_with_two_agencies_warns_on_stderr_and_still_accepts(maag):
    ref = ok("referral", "add", *without("--agency"), "--agency", "CAMHS", "--agency", "Police").stdout.strip()
    result = ok("referral", "triage", ref, "--outcome", "accept")
    assert "more than two agencies" in result.stderr and "names 2 agencies" in result.stderr
    assert "more than two" not in result.stdout
    assert ok("referral", "show", ref, "--json").json["status"] == "accepted"


def test_maag_accept_with_three_agencies_does_not_warn(maag):
    ref = add_referral()  # the standard referral names three agencies
    result = ok("referral", "triage", ref, "--outcome", "accept")
    assert result.stderr == ""


def test_masg_accept_with_one_agency_does_not_warn(store):
    ref = ok("referral", "add", *without("--agency"), "--agency", "CAMHS").stdout.strip()
    assert ok("referral", "triage", ref, "--outcome", "accept").stderr == ""


@pytest.mark.parametrize("args,said", [
    (["--outcome", "accept"], "MASG-2026-0001 accepted: it waits for the next agenda"),
    (["--outcome", "single-agency", "--agency", "CAMHS"], "MASG-2026-0001 closed (single-agency)."),
    (["--outcome", "not-appropriate", "--note", "Discussed"], "MASG-2026-0001 closed (not-appropriate)."),
    (["--outcome", "more-info", "--note", "Asked"], "MASG-2026-0001 more-info: record the referrer's answer"),
])
def test_triage_says_what_happened_and_what_comes_next(store, args, said):
    ref = add_referral()
    assert ok("referral", "triage", ref.lower(), *args).stdout.startswith(said)
