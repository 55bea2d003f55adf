"""The 12-week follow-up: the list, the contact and its outcomes, and the letter."""

from __future__ import annotations

import re
import shutil
from datetime import date
from email import message_from_bytes
from email.policy import default

import pytest

from builders import case_at, show
from conftest import add_referral, ok, run
from document_text import docx_text
from masg_cli import rules
from masg_cli.errors import Refused


D = date.fromisoformat
DUE = "2027-02-23"  # 84 days after the review of 1 December 2026


# --- the date rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("today, overdue, days", [
    ("2027-02-22", False, 0),
    ("2027-02-23", False, 0),  # due today is not overdue
    ("2027-02-24", True, 1),
    ("2027-03-23", True, 28),
])
def test_a_follow_up_is_overdue_only_from_the_day_after_it_is_due(today, overdue, days):
    assert (D(DUE) < rules.overdue_before(D(today))) is overdue
    assert rules.days_overdue(D(DUE), D(today)) == days


@pytest.mark.parametrize("outcome, expected", [
    ("continue", ("monitoring", None, D("2027-05-18"))),  # 84 days after the contact
    ("close", ("closed", "completed", None)),
    ("re-refer", ("monitoring", None, None)),
])
def test_a_contact_clears_the_due_date_and_its_outcome_sets_what_follows(outcome, expected):
    result = rules.follow_up_contact("MASG-2026-0001", outcome, D("2027-02-23"), since=D("2026-12-01"))
    assert (result.status, result.closed_reason, result.follow_up_due) == expected


def test_a_contact_dated_before_the_last_review_is_refused():
    with pytest.raises(Refused, match="before its last panel review"):
        rules.follow_up_contact("MASG-2026-0001", "continue", D("2026-11-30"), since=D("2026-12-01"))


@pytest.mark.parametrize("due, today, this_week", [
    ("2027-02-23", "2027-02-23", True), ("2027-03-01", "2027-02-23", True),
    ("2027-03-02", "2027-02-23", False), ("2027-02-22", "2027-02-23", False),
])
def test_due_this_week_means_today_or_the_next_six_days(due, today, this_week):
    assert (rules.overdue_before(D(today)) <= D(due) < rules.due_this_week_until(D(today))) is this_week


# --- followup list ----------------------------------------------------------------------------


def test_the_list_shows_each_open_follow_up_with_its_lead_professional(store):
    ref = case_at("monitoring")
    rows = ok("followup", "list", "--as-of", "2027-03-01", "--json").json
    assert rows == [{
        "reference": ref, "due": DUE, "lead_professional": "Siân Sample", "days_overdue": 6,
        "locality": "North", "lead_agency": "O'Brien & Sons <Ltd>",
        "lead_contact": "07700 900123, sian.sample@example.org", "last_reviewed": "2026-12-01",
    }]
    table = ok("followup", "list", "--as-of", "2027-03-01").stdout
    assert ref in table and "Siân" in table and "23 Feb 2027" in table


def test_overdue_lists_only_follow_ups_due_before_the_given_day(store):
    early = case_at("monitoring", reviewed="2026-12-01")       # due 23 February 2027
    later = case_at("monitoring", reviewed="2026-12-08")       # due 2 March 2027
    on_the_day = ok("followup", "list", "--overdue", "--as-of", DUE, "--json").json
    assert on_the_day == []
    next_day = ok("followup", "list", "--overdue", "--as-of", "2027-02-24", "--json").json
    assert [r["reference"] for r in next_day] == [early]
    everything = ok("followup", "list", "--as-of", "2027-02-24", "--json").json
    assert [r["reference"] for r in everything] == [early, later]


def test_active_and_closed_cases_are_not_follow_ups(store):
    case_at("active")
    ref = case_at("monitoring")
    ok("followup", "record", ref, "--date", DUE, "--outcome", "close")
    assert ok("followup", "list", "--as-of", "2027-06-01", "--json").json == []


def test_the_list_can_be_limited_to_a_locality(store):
    ref = case_at("monitoring")
    ok("locality", "add", "South")
    assert [r["reference"] for r in ok("followup", "list", "--locality", "North", "--json").json] == [ref]
    assert ok("followup", "list", "--locality", "South", "--json").json == []
    result = run("followup", "list", "--locality", "Nowhere")
    assert result.exit_code == 1


def test_an_empty_list_says_so(store):
    assert "No follow-ups" in ok("followup", "list").stdout


# --- followup record --------------------------------------------------------------------------


def test_continue_keeps_monitoring_with_the_next_contact_84_days_after_this_one(store):
    ref = case_at("monitoring")
    result = ok("followup", "record", ref, "--date", "2027-02-25", "--outcome", "continue",
                "--note", "Attendance improving")
    assert "next contact due 20 May 2027" in result.stdout
    case = show(ref)
    assert (case["status"], case["follow_up_due"]) == ("monitoring", "2027-05-20")
    assert case["follow_ups"][0] | {"note": None} == {
        "date": "2027-02-25", "due": DUE, "outcome": "continue", "note": None, "new_referral": None}


def test_a_contact_recorded_clears_the_overdue_follow_up(store):
    ref = case_at("monitoring")
    assert ok("followup", "list", "--overdue", "--as-of", "2027-03-10", "--json").json
    ok("followup", "record", ref, "--date", "2027-03-10", "--outcome", "continue")
    assert ok("followup", "list", "--overdue", "--as-of", "2027-03-10", "--json").json == []


def test_close_closes_the_case_and_asks_for_the_final_review_form(store):
    ref = case_at("monitoring")
    result = ok("followup", "record", ref, "--date", DUE, "--outcome", "close")
    assert "final-review-form" in result.stdout and "referral close" in result.stdout
    case = show(ref)
    assert (case["status"], case["closed_reason"], case["closed_on"]) == ("closed", "completed", DUE)
    assert case["follow_up_due"] is None


def test_re_refer_starts_a_linked_referral_and_leaves_the_earlier_case_as_it_is(store):
    ref = case_at("monitoring")
    result = ok("followup", "record", ref, "--date", DUE, "--outcome", "re-refer",
                "--consent-date", "2027-02-20", "--consent-by", "parent")
    new_ref = result.stdout.split()[0]
    assert new_ref != ref and f"re-referral of {ref}" in result.stdout
    new = show(new_ref)
    assert (new["status"], new["received"], new["re_referral_of"]) == ("received", DUE, ref)
    assert (new["consent"], new["referrer"]) == ({"date": "2027-02-20", "by": "parent"}, "Siân Sample")
    assert [c["name"] for c in new["children"]] == ["Zoë Example"]
    assert new["agencies"] == show(ref)["agencies"]
    earlier = show(ref)
    assert earlier["status"] == "monitoring" and earlier["follow_up_due"] is None
    assert earlier["later_referrals"] == [new_ref]
    assert earlier["follow_ups"][0]["new_referral"] == new_ref


def test_a_contact_for_a_case_that_is_not_monitored_is_refused(store):
    ref = case_at("active")
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "continue")
    assert result.exit_code == 1 and "masg review record" in result.stderr


def test_a_contact_dated_before_the_last_contact_is_refused_and_nothing_changes(store):
    ref = case_at("monitoring")
    ok("followup", "record", ref, "--date", DUE, "--outcome", "continue")
    result = run("followup", "record", ref, "--date", "2027-02-01", "--outcome", "continue")
    assert result.exit_code == 1 and "check --date" in result.stderr
    assert len(show(ref)["follow_ups"]) == 1


def test_an_unknown_outcome_is_a_usage_error(store):
    ref = case_at("monitoring")
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "pause")
    assert result.exit_code == 2
    assert "invalid value for '--outcome': 'pause' is not one of 'continue', 'close', 're-refer'" in result.stderr
    assert show(ref)["follow_ups"] == []


# --- followup letter --------------------------------------------------------------------------


def test_the_letter_tells_the_lead_professional_what_was_agreed_and_what_to_report(store, tmp_path):
    ref = case_at("monitoring")
    written = ok("followup", "letter", ref, "--out", tmp_path, "--as-of", "2027-02-20").stdout.split()
    assert [p.rsplit("/", 1)[-1] for p in written] == [f"followup-letter-{ref}.docx"]
    text = docx_text(written[0])
    for expected in ("Dear Siân Sample", "O'Brien & Sons <Ltd>", "Weekly sessions for anxiety",
                     "1 December 2026", "20 February 2027", "Zoë Example",
                     "support carries on", "comes back to the panel", ref,
                     "Pat Example"):
        assert expected in text
    assert any(d["kind"] == "followup-letter" for d in show(ref)["documents"])


def test_the_letter_draft_is_addressed_to_the_lead_professionals_e_mail(store, tmp_path):
    ref = case_at("monitoring")
    written = ok("followup", "letter", ref, "--out", tmp_path, "--eml").stdout.split()
    eml = [p for p in written if p.endswith(".eml")][0]
    message = message_from_bytes(open(eml, "rb").read(), policy=default)
    assert message["To"].addresses[0].addr_spec == "sian.sample@example.org"
    assert ref in message["Subject"] and "Zoë" not in message["Subject"]
    assert [part.get_filename() for part in message.iter_attachments()] == [f"followup-letter-{ref}.docx"]


def test_a_draft_needs_an_e_mail_address_for_the_lead_professional(store, tmp_path):
    ref = case_at("monitoring", lead=("Siân Sample", "School nursing", "07700 900123"))
    result = run("followup", "letter", ref, "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "no e-mail address" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_letter_is_only_for_a_monitored_case(store, tmp_path):
    ref = case_at("active")
    result = run("followup", "letter", ref, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{ref} is active, so 'follow-up' is not possible now; record the panel review" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_letter_becomes_a_one_page_pdf(store, tmp_path):
    import subprocess

    ref = case_at("monitoring")
    written = ok("followup", "letter", ref, "--out", tmp_path, "--pdf").stdout.split()
    pdf = [p for p in written if p.endswith(".pdf")][0]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    assert "O'Brien & Sons <Ltd>" in text and "Siân Sample" in text


def test_a_referral_that_never_reached_the_panel_has_no_follow_up(store):
    ref = add_referral()
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "close")
    assert result.exit_code == 1
    assert f"{ref} is received, so 'follow-up' is not possible now; triage it" in result.stderr
    assert (show(ref)["status"], show(ref)["follow_ups"]) == ("received", [])


# --- Due and overdue ---------------------------------------------------------------------------------


def test_a_follow_up_due_today_is_not_overdue_and_one_due_yesterday_is_one_day_overdue(store):
    from builders import case_at

    ref = case_at("monitoring")  # reviewed 1 December 2026: follow-up due 23 February 2027
    assert ok("followup", "list", "--overdue", "--as-of", "2027-02-23", "--json").json == []
    [due_today] = ok("followup", "list", "--as-of", "2027-02-23", "--json").json
    assert (due_today["reference"], due_today["days_overdue"]) == (ref, 0)
    [overdue] = ok("followup", "list", "--overdue", "--as-of", "2027-02-24", "--json").json
    assert (overdue["reference"], overdue["days_overdue"]) == (ref, 1)
    morning = ok("today", "--as-of", "2027-02-23", "--json").json
    assert morning["overdue_follow_ups"] == []
    assert [i["reference"] for i in morning["follow_ups_due_this_week"]] == [ref]

