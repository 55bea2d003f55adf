"""Re-referral at any time (a chain of linked referrals) and closure with the final review form;
and the whole journey of a case through the real commands."""

from __future__ import annotations

import pytest

from builders import case_at, digest, referral_for_child_born, show
from conftest import add_referral, ok, run


def test_a_chain_of_three_referrals_shows_both_ways(store):
    first = add_referral()
    second = add_referral("--re-referral-of", first, "--received", "2026-11-10")
    third = add_referral("--re-referral-of", second, "--received", "2026-11-20")
    assert show(first)["later_referrals"] == [second, third]
    middle = show(second)
    assert (middle["earlier_referrals"], middle["later_referrals"]) == ([first], [third])
    last = show(third)
    assert (last["re_referral_of"], last["earlier_referrals"]) == (second, [first, second])
    card = ok("referral", "show", second).stdout
    assert "Re-referral of" in card and "Re-referred as" in card


def test_a_closed_case_can_be_re_referred(store):
    ref = case_at("monitoring")
    ok("followup", "record", ref, "--date", "2027-02-23", "--outcome", "close")
    new = add_referral("--re-referral-of", ref, "--received", "2027-06-01")
    assert show(new)["re_referral_of"] == ref and show(ref)["status"] == "closed"


def test_the_final_review_form_closes_an_active_case(store):
    ref = case_at("active")
    result = ok("referral", "close", ref, "--final-review-date", "2027-01-20", "--outcome", "Needs met")
    assert "closed (completed)" in result.stdout
    case = show(ref)
    assert (case["status"], case["closed_reason"], case["closed_on"], case["final_review_date"],
            case["closure_outcome"]) == ("closed", "completed", "2027-01-20", "2027-01-20", "Needs met")
    assert case["next_review"] is None
    assert {"date": "2027-01-20", "event": "final review form returned"} in case["timeline"]


def test_the_final_review_form_closes_a_monitored_case_and_ends_its_follow_up(store):
    ref = case_at("monitoring")
    ok("referral", "close", ref, "--final-review-date", "2027-01-20", "--outcome", "Needs met")
    assert show(ref)["follow_up_due"] is None
    assert ok("followup", "list", "--json").json == []


def test_a_form_returned_after_a_follow_up_close_is_recorded_on_the_closed_case(store):
    ref = case_at("monitoring")
    ok("followup", "record", ref, "--date", "2027-02-23", "--outcome", "close")
    result = ok("referral", "close", ref, "--final-review-date", "2027-03-01", "--outcome", "Family thriving")
    assert "final review form recorded" in result.stdout
    case = show(ref)
    assert (case["closed_on"], case["final_review_date"], case["closure_outcome"]) == (
        "2027-02-23", "2027-03-01", "Family thriving")
    again = run("referral", "close", ref, "--final-review-date", "2027-03-02", "--outcome", "Again")
    assert again.exit_code == 1 and "is closed (completed)" in again.stderr


def test_closure_is_refused_for_a_case_the_panel_has_not_decided(store):
    ref = add_referral()
    result = run("referral", "close", ref, "--final-review-date", "2027-01-20", "--outcome", "Needs met")
    assert result.exit_code == 1 and "is received" in result.stderr
    assert show(ref)["status"] == "received"


def test_closure_is_refused_for_a_withdrawn_case(store):
    ref = case_at("active")
    ok("referral", "withdraw", ref, "--reason", "Consent withdrawn by parent", "--date", "2026-12-01")
    before = digest()
    result = run("referral", "close", ref, "--final-review-date", "2027-01-20", "--outcome", "x")
    assert result.exit_code == 1
    assert f"{ref} is closed (withdrawn), so 'close' is not possible now" in result.stderr
    assert (show(ref)["closed_reason"], digest()) == ("withdrawn", before)


def test_a_final_review_form_dated_before_the_last_review_is_refused(store):
    ref = case_at("monitoring")  # reviewed 1 December 2026
    result = run("referral", "close", ref, "--final-review-date", "2026-11-30", "--outcome", "Needs met")
    assert result.exit_code == 1 and "--final-review-date" in result.stderr


def test_closure_needs_an_outcome(store):
    ref = case_at("active")
    result = run("referral", "close", ref, "--final-review-date", "2027-01-20", "--outcome", "  ")
    assert result.exit_code == 1 and show(ref)["status"] == "active"


def test_the_final_review_form_is_pre_filled_for_the_lead_professional(store, tmp_path):
    from docx import Document

    ref = case_at("monitoring")
    written = ok("referral", "final-review-form", ref, "--out", tmp_path / "out", "--eml",
                 "--as-of", "2027-02-23").stdout.split()
    names = sorted(p.rsplit("/", 1)[-1] for p in written)
    assert names == [f"final-review-form-{ref}.docx", f"final-review-form-{ref}.eml"]
    doc = Document([p for p in written if p.endswith(".docx")][0])
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    for expected in (ref, "Zoë Example", "Siân Sample", "O'Brien & Sons <Ltd>", "Weekly sessions for anxiety",
                     "1 December 2026", "no further panel reviews", "Outcomes achieved", "23 February 2027"):
        assert expected in text
    eml = open([p for p in written if p.endswith(".eml")][0], "rb").read()
    assert b"sian.sample@example.org" in eml


def test_the_final_review_form_is_refused_before_the_panel_has_decided(store, tmp_path):
    ref = add_referral()
    result = run("referral", "final-review-form", ref, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{ref} is received, so 'final-review-form' is not possible now" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_whole_journey_through_the_real_commands(store, tmp_path):
    """add -> triage -> meeting -> agenda -> decision -> family -> TAC -> reviews -> follow-up -> close."""
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-11-24", "--until", "2027-03-31")
    first = ok("meeting", "list", "--json").json[0]
    assert first["date"] == "2026-11-24"
    ok("agenda", "build", str(first["id"]))
    ok("decision", "record", ref, "--meeting", str(first["id"]), "--service", "CAMHS: Weekly sessions",
       "--lead-name", "Siân Sample", "--lead-agency", "School nursing",
       "--lead-contact", "sian.sample@example.org", "--review-date", "2026-12-08")
    ok("family-response", ref, "--accepted", "--date", "2026-11-26")
    ok("tac", "record", ref, "--date", "2026-12-03")
    ok("review", "record", ref, "--date", "2026-12-08", "--further-reviews", "yes", "--next-review", "2027-01-05")
    ok("review", "record", ref, "--date", "2027-01-05", "--further-reviews", "no")
    overdue = ok("followup", "list", "--overdue", "--as-of", "2027-04-01", "--json").json
    assert [(r["reference"], r["due"], r["days_overdue"]) for r in overdue] == [(ref, "2027-03-30", 2)]
    ok("followup", "letter", ref, "--out", tmp_path / "out")
    ok("followup", "record", ref, "--date", "2027-04-01", "--outcome", "close")
    ok("referral", "final-review-form", ref, "--out", tmp_path / "out")
    ok("referral", "close", ref, "--final-review-date", "2027-04-20", "--outcome", "Needs met")
    case = show(ref)
    assert (case["status"], case["closed_reason"]) == ("closed", "completed")
    events = [e["event"] for e in case["timeline"]]
    for step in ("received", "triage: accept", "family accepted", "Team Around the Child meeting",
                 "panel review: further reviews", "panel review: no further reviews",
                 "12-week follow-up: close", "closed (completed)", "final review form returned"):
        assert step in events
    assert [e["date"] for e in case["timeline"]] == sorted(e["date"] for e in case["timeline"])


# --- Re-referral at the follow-up: the Lead Professional re-refers, with fresh consent ---------------


DUE = "2027-02-23"  # monitoring_case's follow-up


def test_re_refer_without_fresh_consent_is_refused_with_the_consent_message_and_changes_nothing(store):
    ref = case_at("monitoring")
    before = digest()
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "re-refer")
    assert result.exit_code == 1 and "no consent recorded" in result.stderr and "--consent-date" in result.stderr
    assert digest() == before


def test_re_refer_with_fresh_consent_makes_the_lead_professional_the_referrer(store):
    ref = case_at("monitoring")
    result = ok("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--consent-date", "2027-02-22",
                "--consent-by", "both", "--note", "Anxiety back since the move to secondary school")
    new_ref = result.stdout.split()[0]
    assert f"re-referral of {ref} by the Lead Professional Siân Sample" in result.stdout
    new = show(new_ref)
    assert (new["referrer"], new["referrer_agency"]) == ("Siân Sample", "O'Brien & Sons <Ltd>")
    assert (new["referrer_email"], new["referrer_phone"]) == ("sian.sample@example.org", "07700 900123")
    assert new["consent"] == {"date": "2027-02-22", "by": "both"}
    assert new["needs"] == "Anxiety back since the move to secondary school"
    earlier = show(ref)
    assert [c["name"] for c in new["children"]] == [c["name"] for c in earlier["children"]]
    assert new["agencies"] == earlier["agencies"] and new["re_referral_of"] == ref


def test_re_refer_without_a_note_keeps_the_earlier_needs(store):
    ref = case_at("monitoring")
    new_ref = ok("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--consent-date", DUE,
                 "--consent-by", "parent").stdout.split()[0]
    assert show(new_ref)["needs"] == show(ref)["needs"]


def test_consent_dated_after_the_re_referral_is_refused(store):
    ref = case_at("monitoring")
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--consent-date", "2027-03-01",
                 "--consent-by", "parent")
    assert result.exit_code == 1 and "consent must be given before" in result.stderr


def test_re_refer_links_a_re_referral_the_lead_professional_already_added(store):
    ref = case_at("monitoring")
    added = add_referral("--re-referral-of", ref, "--received", "2027-02-20", "--consent-date", "2027-02-19")
    result = ok("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--new-referral", added)
    assert f"{added} linked: re-referral of {ref}" in result.stdout
    earlier = show(ref)
    assert earlier["follow_ups"][0]["new_referral"] == added and earlier["later_referrals"] == [added]
    assert (earlier["status"], earlier["follow_up_due"]) == ("monitoring", None)


def test_re_refer_to_a_referral_that_is_not_a_re_referral_of_the_case_is_refused(store):
    ref = case_at("monitoring")
    other = add_referral()
    before = digest()
    result = run("followup", "record", ref, "--date", DUE, "--outcome", "re-refer", "--new-referral", other)
    assert result.exit_code == 1 and f"{other} is not a re-referral of {ref}" in result.stderr
    assert digest() == before


@pytest.mark.parametrize("extra, says", [
    (["--outcome", "continue", "--consent-by", "parent"], "go with --outcome re-refer only"),
    (["--outcome", "re-refer", "--new-referral", "MASG-2026-0009", "--consent-date", DUE],
     "give either --new-referral (a re-referral already added) or --consent-date and --consent-by"),
])
def test_re_referral_options_that_do_not_fit_are_a_usage_error(store, extra, says):
    ref = case_at("monitoring")
    before = digest()
    result = run("followup", "record", ref, "--date", DUE, *extra)
    assert result.exit_code == 2 and says in result.stderr
    assert digest() == before


# --- The final review form ---------------------------------------------------------------------------


def test_a_final_review_form_too_early_is_refused_in_its_own_name(store, tmp_path):
    ref = referral_for_child_born("2015-02-03")
    result = run("referral", "final-review-form", ref, "--out", tmp_path)
    assert result.exit_code == 1 and "so 'final-review-form' is not possible now" in result.stderr

