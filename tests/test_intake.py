"""Referral intake and triage, as a co-ordinator runs them."""

from conftest import REFERRAL, add_referral, ok, run


def test_a_referral_is_logged_with_a_sequential_reference(store):
    first = add_referral()
    second = add_referral()
    assert (first, second) == ("MASG-2026-0001", "MASG-2026-0002")
    shown = ok("referral", "show", first, "--json").json
    assert shown["status"] == "received"
    assert ([{"name": c["name"], "dob": c["dob"]} for c in shown["children"]]
            == [{"name": "Zoë Example", "dob": "2015-02-03"}])


def test_no_referral_without_consent_and_the_message_says_what_to_do_instead(store):
    without = [a for a in REFERRAL]
    i = without.index("--consent-date")
    del without[i:i + 4]
    result = run("referral", "add", *without)
    assert result.exit_code == 1
    assert "consent" in result.stderr
    assert "single agency" in result.stderr and "children's social care" in result.stderr
    assert ok("referral", "list", "--json").json == []


def test_accepting_moves_the_referral_to_accepted(accepted):
    assert ok("referral", "show", accepted, "--json").json["status"] == "accepted"


def test_a_move_the_process_does_not_allow_names_the_current_status(accepted):
    result = run("referral", "triage", accepted, "--outcome", "accept")
    assert result.exit_code == 1
    assert "is accepted" in result.stderr
    assert "Traceback" not in result.stderr
