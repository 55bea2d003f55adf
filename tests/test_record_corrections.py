"""Correcting a record: `referral edit` is checked as intake is, keeps the reference, audits old and new."""

from builders import case_at, show
from conftest import add_referral, ok, run, store_rows


def test_a_mistyped_referrer_email_is_corrected_and_the_audit_keeps_old_and_new(store):
    ref = add_referral()
    ok("referral", "edit", ref, "--referrer-email", "alex.t@example.org", "--reason", "typo at intake")
    case = show(ref)
    assert case["reference"] == ref
    assert case["referrer_email"] == "alex.t@example.org"
    [entry] = [e for e in case["history"] if e["action"] == "referral edit"]
    assert entry["changes"] == {"reason": "typo at intake",
                                "fields": {"referrer_email": ["alex.teacher@example.org", "alex.t@example.org"]}}
    assert case["corrections"][0]["fields"]["referrer_email"][1] == "alex.t@example.org"


def test_an_edit_records_every_changed_field_and_the_agencies_before_and_after(store):
    ref = add_referral()
    ok("referral", "edit", ref, "--reason", "CAF re-read", "--needs", "Attendance", "--consent-by", "both",
       "--remove-agency", "camhs", "--add-agency", "Youth service", "--add-transition", "complex-needs",
       "--step-down")
    case = show(ref)
    fields = case["corrections"][0]["fields"]
    assert set(fields) == {"needs", "consent_by", "agencies", "transitions", "step_down"}
    assert fields["agencies"][1] == ["School nursing", "Early Help", "Youth service"]
    assert case["agencies"] == ["School nursing", "Early Help", "Youth service"]
    assert case["transitions"] == ["complex-needs"] and case["step_down"] is True


def test_consent_after_a_corrected_received_date_is_refused_and_changes_nothing(store):
    ref = add_referral()
    before = store_rows()
    result = run("referral", "edit", ref, "--received", "2026-10-20", "--reason", "wrong date")
    assert result.exit_code == 1
    assert "consent" in result.stderr and "Traceback" not in result.stderr
    assert store_rows() == before


def test_a_received_date_before_a_child_was_born_is_refused(store):
    ref = add_referral("--consent-date", "2014-01-01")
    result = run("referral", "edit", ref, "--received", "2015-01-01", "--reason", "wrong year")
    assert result.exit_code == 1 and "--dob" in result.stderr


def test_an_email_that_is_not_an_address_is_refused_without_echoing_it(store):
    ref = add_referral()
    result = run("referral", "edit", ref, "--referrer-email", "alex at school", "--reason", "typo")
    assert result.exit_code == 1
    assert "e-mail" in result.stderr and "alex at school" not in result.stderr


def test_an_edit_without_a_reason_or_without_a_change_is_refused(store):
    ref = add_referral()
    assert run("referral", "edit", ref, "--needs", "x").exit_code == 2
    assert run("referral", "edit", ref, "--needs", "x", "--reason", " ").exit_code == 1
    same = run("referral", "edit", ref, "--needs", "Attendance and anxiety", "--reason", "check")
    assert same.exit_code == 1 and "nothing to correct" in same.stderr


def test_removing_an_agency_the_case_does_not_name_is_refused(store):
    ref = add_referral()
    result = run("referral", "edit", ref, "--remove-agency", "Housing", "--reason", "tidy")
    assert result.exit_code == 1 and "names no agency 'Housing'" in result.stderr


def test_a_closed_case_can_be_corrected_but_its_status_cannot_be_edited(store):
    ref = add_referral()
    ok("referral", "withdraw", ref, "--reason", "consent withdrawn", "--date", "2026-11-05")
    ok("referral", "edit", ref, "--referrer-phone", "0113 496 0000", "--reason", "number supplied")
    case = show(ref)
    assert case["status"] == "closed" and case["referrer_phone"] == "0113 496 0000"
    assert run("referral", "edit", ref, "--status", "active", "--reason", "x").exit_code == 2


def test_a_received_date_after_the_triage_is_refused(store):
    ref = case_at("accepted")
    result = run("referral", "edit", ref, "--received", "2026-11-04", "--reason", "wrong day")
    assert result.exit_code == 1 and "--received" in result.stderr


def test_referral_show_lists_the_corrections(store):
    ref = add_referral()
    ok("referral", "edit", ref, "--referrer", "Alex Teacher-Jones", "--reason", "married name")
    card = ok("referral", "show", ref).stdout
    assert "Corrections" in card and "Alex Teacher-Jones" in card and "married name" in card


def test_a_referral_added_as_a_step_down_says_so(store):
    ref = add_referral("--step-down")
    assert show(ref)["step_down"] is True
    assert show(add_referral())["step_down"] is False


def test_the_readmes_correction_examples_run_on_the_story_store(store):
    import shlex

    from test_docs import readme_commands

    for _ in range(3):
        add_referral()
    add_referral("--referrer-agency", "Housing")  # MASG-2026-0004, as in the story
    ok("referral", "triage", "MASG-2026-0004", "--outcome", "not-appropriate", "--note", "universal services",
       "--date", "2026-11-06")
    for command in [c for c in readme_commands() if c.startswith("masg referral edit")]:
        ok(*shlex.split(command)[1:])
    assert show("MASG-2026-0004")["referrer_email"] == "dana.officer@example.org"


def test_doctor_agrees_with_the_store_after_every_kind_of_correction(store):
    ok("locality", "add", "South")
    ref = add_referral()
    ok("referral", "edit", ref, "--received", "2026-11-03", "--consent-by", "both", "--consent-date", "2026-11-02",
       "--reason", "dates typed wrong")
    ok("referral", "child", "add", ref, "--name", "Jack Example", "--dob", "2018-06-12")
    ok("referral", "child", "add", ref, "--name", "Ollie Example", "--dob", "2019-06-12")
    ok("referral", "child", "remove", ref, "1", "--reason", "not this family")
    ok("referral", "transfer", ref, "--to", "South", "--reason", "moved", "--date", "2026-11-04")
    ok("referral", "step-up", ref, "--date", "2026-11-05", "--note", "MASH duty team")
    doctor = run("doctor")
    assert doctor.exit_code == 0, doctor.stdout + doctor.stderr
