"""What a one-line field, a date and an e-mail address may hold, at intake, import and set-up.

A line break in a referrer's name once passed intake and broke 'agenda invite' far later; a
received date of 9999-12-31 made the reference MASG-9999-0001. Each is refused where it comes in,
naming the field and never repeating the value (it may hold a child's details).
"""

from __future__ import annotations

from datetime import date

import pytest

from builders import LEAD, digest, slot_at
from conftest import REFERRAL, add_referral, ok, run


D = date.fromisoformat

# A line break, a carriage return, a tab, NUL, escape (C0), DEL, NEL (C1), Unicode's line separator.
CONTROLS = ["\n", "\r", "\r\n", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028"]


def referral_with(option: str, value: str) -> list[str]:
    """The usual fictional referral with one option's value replaced (or added)."""
    args = list(REFERRAL)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    return args


def refused(*args: str, exit_code: int = 1) -> str:
    """Run a command that must be refused and leave the store as it was; its stderr."""
    before = digest()
    result = run(*args)
    assert result.exit_code == exit_code, (args, result.exit_code, result.stdout, result.stderr)
    assert digest() == before
    return result.stderr


# --- One-line fields at intake --------------------------------------------------------------------


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
@pytest.mark.parametrize("option", ["--child", "--referrer", "--referrer-agency", "--referrer-phone",
                                    "--agency", "--referrer-email", "--locality"])
def test_a_line_break_or_control_character_in_a_one_line_field_is_refused_at_intake(store, option, control):
    value = {"--referrer-email": f"alex{control}teacher@example.org"}.get(option, f"Alex{control}Teacher")
    stderr = refused("referral", "add", *referral_with(option, value))
    assert stderr == f"masg: {option} holds a line break or control character; type it on one line\n"
    assert "Alex" not in stderr and "alex" not in stderr
    assert ok("referral", "list", "--json").json == []


def test_a_second_childs_name_with_a_line_break_is_refused_too(store):
    stderr = refused("referral", "add", *REFERRAL, "--child", "Sam\nExample", "--dob", "2017-01-01")
    assert "--child holds a line break" in stderr and "Sam" not in stderr


def test_free_text_keeps_its_line_breaks_and_tabs(store):
    reference = add_referral("--needs", "Attendance\nAnxiety at night\tand mornings")
    assert ok("referral", "show", reference, "--json").json["needs"] == "Attendance\nAnxiety at night\tand mornings"


def test_spaces_and_a_line_break_at_either_end_are_trimmed_not_refused(store):
    reference = add_referral("--referrer", "  Alex Teacher\n")
    assert ok("referral", "show", reference, "--json").json["referrer"] == "Alex Teacher"


def test_accents_apostrophes_and_ampersands_are_one_line_text(store):
    args = referral_with("--child", "Siân O'Brien-Ŵyn")
    args[args.index("--referrer-agency") + 1] = "O'Brien & Sons <Ltd>"
    reference = ok("referral", "add", *args).stdout.strip()
    assert ok("referral", "show", reference, "--json").json["referrer_agency"] == "O'Brien & Sons <Ltd>"


def test_an_agency_named_at_triage_must_be_on_one_line(store):
    reference = add_referral()
    stderr = refused("referral", "triage", reference, "--outcome", "single-agency", "--agency", "School\nnursing",
                     "--date", "2026-11-03")
    assert stderr == "masg: --agency holds a line break or control character; type it on one line\n"


# --- One-line fields of localities, members and decisions ----------------------------------------


@pytest.mark.parametrize("option", ["--venue", "--coordinator", "--contact"])
def test_what_a_locality_signs_its_documents_with_is_on_one_line(store, option):
    stderr = refused("locality", "add", "South", option, "Pat\rExample")
    assert stderr == f"masg: {option} holds a line break or control character; type it on one line\n"
    stderr = refused("locality", "set", "North", option, "Pat\nExample")
    assert stderr == f"masg: {option} holds a line break or control character; type it on one line\n"


def test_a_localitys_name_is_on_one_line(store):
    assert "the locality's name holds a line break" in refused("locality", "add", "South\nEast")
    assert "the locality's name holds a line break" in refused("init", "--locality", "South\x00")


@pytest.mark.parametrize("option", ["--name", "--agency"])
def test_a_panel_members_name_and_agency_are_on_one_line(store, option):
    args = {"--name": "Kim Panel", "--agency": "Health", "--email": "kim@example.org"}
    args[option] = "Kim\nPanel"
    stderr = refused("locality", "member", "add", "North", *[x for pair in args.items() for x in pair])
    assert stderr == f"masg: {option} holds a line break or control character; type it on one line\n"


@pytest.mark.parametrize("option, value", [("--lead-name", "Siân\nSample"),
                                           ("--lead-agency", "School\tnursing"),
                                           ("--lead-contact", "07700\r900123"),
                                           ("--service", "CAMHS: weekly\nsessions")])
def test_a_decisions_lead_professional_and_services_are_on_one_line(accepted, option, value):
    meeting = slot_at(accepted, "2026-11-24")
    given = {"--lead-name": LEAD[0], "--lead-agency": LEAD[1], "--lead-contact": LEAD[2],
             "--service": "CAMHS: weekly sessions", option: value}
    args = [x for pair in given.items() for x in pair]
    stderr = refused("decision", "record", accepted, "--meeting", str(meeting), "--review-date", "2026-12-08", *args)
    assert stderr == f"masg: {option} holds a line break or control character; type it on one line\n"


def test_a_meeting_moved_to_a_new_venue_names_it_on_one_line(store):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    [meeting] = ok("meeting", "list", "--json").json
    stderr = refused("meeting", "move", str(meeting["id"]), "--to", "2026-12-02", "--venue", "Hall\nRoom 2")
    assert stderr == "masg: --venue holds a line break or control character; type it on one line\n"


# --- One-line fields in a tracker's import ---------------------------------------------------------

HEADINGS = ("Date received,Locality,Child name,Child DOB,Consent date,Consent by,Referrer,Referrer agency,"
            "Referrer email,Needs,Agencies,Lead professional\n")


def tracker_row(**cells: str) -> str:
    values = {"received": "02/02/2025", "locality": "North", "child": "Zoë Example", "dob": "03/02/2015",
              "consent": "01/02/2025", "by": "parent", "referrer": "Alex Teacher", "agency": "Northside Primary",
              "email": "alex.teacher@example.org", "needs": "Anxiety", "agencies": "CAMHS; School nursing",
              "lead": ""} | cells
    return ",".join(f'"{v}"' for v in values.values()) + "\n"


def import_refused(tmp_path, *rows: str) -> str:
    path = tmp_path / "tracker.csv"
    path.write_text(HEADINGS + "".join(rows), encoding="utf-8", newline="")
    before = digest()
    result = run("import", path)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert digest() == before
    return result.stdout + result.stderr


@pytest.mark.parametrize("cell, heading", [("referrer", "referrer"), ("agency", "referrer agency"),
                                           ("child", "child name"), ("agencies", "agencies"),
                                           ("lead", "lead professional")])
def test_a_trackers_one_line_cell_with_a_line_break_refuses_its_row_naming_the_column(store, tmp_path, cell, heading):
    out = import_refused(tmp_path, tracker_row(**{cell: "North\nEast"}))
    assert f"row 2: {heading} holds a line break or control character; type it on one line" in out
    assert "North\nEast" not in out


def test_a_trackers_needs_may_run_over_several_lines(store, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text(HEADINGS + tracker_row(needs="Anxiety\nSleep"), encoding="utf-8", newline="")
    assert "Imported 1 referral" in ok("import", path).stdout
    [case] = ok("referral", "list", "--json").json
    assert ok("referral", "show", case["reference"], "--json").json["needs"] == "Anxiety\nSleep"


def test_a_trackers_malformed_email_refuses_its_row(store, tmp_path):
    out = import_refused(tmp_path, tracker_row(email="x@@x"))
    assert "row 2: referrer email is not an e-mail address; give name@example.org" in out


def test_a_trackers_received_date_far_in_the_future_refuses_its_row(store, tmp_path):
    out = import_refused(tmp_path, tracker_row(received="31/12/9999"))
    assert "row 2: received '31/12/9999' is more than two years after today" in out


# --- E-mail addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["x@@x", "alex.teacher.example.org", "alex@example", "alex teacher@example.org",
                                   "@example.org", "alex@", "alex@example..org"])
def test_a_malformed_referrer_email_is_refused_without_repeating_it(store, email):
    stderr = refused("referral", "add", *referral_with("--referrer-email", email))
    assert stderr == "masg: --referrer-email is not an e-mail address; give name@example.org\n"


def test_a_referral_without_an_email_is_still_taken(store):
    args = list(REFERRAL)
    del args[args.index("--referrer-email"):args.index("--referrer-email") + 2]
    ok("referral", "add", *args)


def test_a_panel_members_email_with_two_at_signs_is_refused(store):
    stderr = refused("locality", "member", "add", "North", "--name", "Kim Panel", "--agency", "Health",
                     "--email", "kim@@example.org")
    assert stderr == "masg: --email is not an e-mail address; give name@example.org\n"


# --- Dates: digits 0-9 only, nothing more than two years ahead -----------------------------------


@pytest.mark.parametrize("written", ["２０２６-11-02", "٢٠٢٦-١١-٠٢", "2026-11-０2", "02/11/۲۰۲۶"])
def test_a_date_typed_with_digits_other_than_0_to_9_is_refused(store, written):
    stderr = refused("referral", "add", *referral_with("--received", written), exit_code=2)
    assert stderr == "masg: --received holds digits other than 0-9; type the date with the digits 0 to 9\n"
    assert ok("referral", "list", "--json").json == []


def test_a_received_date_far_in_the_future_never_makes_a_reference(store):
    stderr = refused("referral", "add", *referral_with("--received", "9999-12-31"), exit_code=2)
    assert stderr.startswith("masg: --received '9999-12-31' is more than two years after today")
    assert "check the year" in stderr
    assert ok("referral", "list", "--json").json == []


def test_a_date_of_birth_before_1900_is_a_typo(store):
    stderr = refused("referral", "add", *referral_with("--dob", "0001-01-01"), exit_code=2)
    assert stderr == "masg: --dob '0001-01-01' is before 1900; check the year\n"


def test_meetings_are_not_scheduled_until_the_year_9999(store):
    stderr = refused("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "31/12/9999",
                     exit_code=2)
    assert stderr.startswith("masg: --until '31/12/9999' is more than two years after today")


def test_the_last_day_a_date_may_be_is_two_years_after_today(store):
    from masg_cli.dates import latest_date

    latest = latest_date()
    ok("meeting", "schedule", "--locality", "North", "--from", latest.isoformat(), "--until", latest.isoformat())
    after = latest.toordinal() + 1
    refused("meeting", "schedule", "--locality", "North", "--from", latest.isoformat(),
            "--until", date.fromordinal(after).isoformat(), exit_code=2)


@pytest.mark.parametrize("today, latest", [
    ("2026-12-01", "2028-12-01"), ("2028-02-29", "2030-02-28"), ("2027-02-28", "2029-02-28"),
    ("9999-12-31", "9999-12-31"), ("9998-06-01", "9999-12-31"),
])
def test_two_years_after_today_on_any_day_the_calendar_has(today, latest):
    from masg_cli.dates import latest_date

    assert latest_date(D(today)) == D(latest)


@pytest.mark.parametrize("written, ok_", [("2028-12-01", True), ("01/12/2028", True), ("2028-12-02", False),
                                          ("9999-12-31", False)])
def test_parse_date_refuses_a_day_more_than_two_years_after_the_today_it_is_given(written, ok_):
    from masg_cli.dates import parse_date
    from masg_cli.errors import UsageProblem

    if ok_:
        assert parse_date(written, "--until", today=D("2026-12-01")) == D("2028-12-01")
    else:
        with pytest.raises(UsageProblem, match="more than two years after today"):
            parse_date(written, "--until", today=D("2026-12-01"))


def test_a_time_typed_with_full_width_digits_is_refused():
    from masg_cli.dates import parse_time
    from masg_cli.errors import UsageProblem

    with pytest.raises(UsageProblem):
        parse_time("０９:３０", "--start")


# --- Meeting ids too big for any database --------------------------------------------------------


@pytest.mark.parametrize("command", [["agenda", "show"], ["agenda", "build"], ["meeting", "cancel"],
                                     ["agenda", "invite", "--out", "OUT"]])
def test_a_meeting_id_too_big_for_the_database_is_no_meeting(store, tmp_path, command):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    stderr = refused(*args[:2], "99999999999999999999", *args[2:])
    assert stderr == "masg: there is no meeting 99999999999999999999; see 'masg meeting list'\n"


def test_a_decision_at_a_meeting_id_too_big_is_refused(accepted):
    stderr = refused("decision", "record", accepted, "--meeting", "9" * 30, "--service", "CAMHS: weekly",
                     "--lead-name", LEAD[0], "--lead-agency", LEAD[1], "--review-date", "2026-12-08")
    assert stderr.startswith("masg: there is no meeting 999")


def test_a_day_to_judge_from_may_be_years_ahead_but_not_in_the_year_9999(store):
    ok("retention", "--as-of", "2031-01-01")
    stderr = refused("retention", "--as-of", "9999-12-31", exit_code=2)
    assert stderr.startswith("masg: --as-of '9999-12-31' is more than 100 years after today")


def test_who_the_audit_trail_names_is_on_one_line(store):
    stderr = refused("--user", "pat\nexample", "referral", "add", *REFERRAL)
    assert stderr == "masg: --user (or MASG_USER) holds a line break or control character; type it on one line\n"
