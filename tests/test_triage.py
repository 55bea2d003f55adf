"""Triage: every outcome and answer kept, and the agencies a MAAG case needs."""

from __future__ import annotations

from builders import referral_for_child_born
from conftest import REFERRAL, add_referral, ok, run, sql


# --- What was asked of the referrer is kept: every triage and every answer ---------------------------


def test_every_triage_and_answer_is_kept_and_shown_while_the_audit_holds_no_note_text(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Asked for the school's attendance plan",
       "--date", "2026-11-04")
    ok("referral", "info-received", ref, "--note", "Plan sent by Alex Teacher", "--date", "2026-11-10")
    ok("referral", "triage", ref, "--outcome", "accept", "--note", "Three agencies now involved",
       "--date", "2026-11-11")
    case = ok("referral", "show", ref, "--json").json
    assert case["triage_history"] == [
        {"date": "2026-11-04", "outcome": "more-info", "agency": None,
         "note": "Asked for the school's attendance plan"},
        {"date": "2026-11-10", "outcome": "info-received", "agency": None, "note": "Plan sent by Alex Teacher"},
        {"date": "2026-11-11", "outcome": "accept", "agency": None, "note": "Three agencies now involved"},
    ]
    assert case["triage"] == {"date": "2026-11-11", "outcome": "accept", "agency": None,
                              "note": "Three agencies now involved"}
    assert [e["event"] for e in case["timeline"]] == [
        "received", "triage: more-info", "more information received", "triage: accept"]
    shown = " ".join(ok("referral", "show", ref).stdout.split())
    assert "more-info on 4 November 2026: Asked for the school's" in shown
    assert "received on 10 November 2026: Plan sent" in shown
    audit = str(case["history"])
    assert "attendance plan" not in audit and "Plan sent" not in audit and "Three agencies" not in audit


def test_a_store_triaged_before_the_history_existed_keeps_its_triage_as_the_first_entry():
    from masg_cli import store as masg_store

    ok("init", "--panel", "MASG")
    ok("locality", "add", "North", "--venue", "Northgate Family Hub")
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Asked for the plan", "--date", "2026-11-04")
    # As the store was before m003: no triage_entry table, only the referral's columns.
    sql("DROP TABLE triage_entry")
    sql("DELETE FROM masg_migrations WHERE name = 'm003_triage_history'")
    masg_store.dispose_engines()
    case = ok("referral", "show", ref, "--json").json
    assert case["triage_history"] == [
        {"date": "2026-11-04", "outcome": "more-info", "agency": None, "note": "Asked for the plan"}]


# --- MAAG: agencies named at triage count towards three ----------------------------------------------


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


# --- Single agency -----------------------------------------------------------------------------------


def test_single_agency_sends_the_referrer_to_one_agency_only(store):
    ref = referral_for_child_born("2015-02-03")
    result = run("referral", "triage", ref, "--outcome", "single-agency", "--agency", "CAMHS", "--agency", "Police")
    assert result.exit_code == 1 and "give --agency once" in result.stderr
    ok("referral", "triage", ref, "--outcome", "single-agency", "--agency", "CAMHS", "--date", "2026-11-03")
    assert ok("referral", "show", ref, "--json").json["triage"]["agency"] == "CAMHS"

