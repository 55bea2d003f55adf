"""lead change: from its date the new Lead Professional is the one every list, letter and export names."""

import csv

from builders import MEETING_DAY, case_at, show
from conftest import add_referral, ok, run, store_rows
from test_documents import docx_text

NEW = ("--name", "Morgan Keyworker", "--agency", "Family Support", "--contact", "morgan.k@example.org")


def test_the_follow_up_list_and_today_name_the_new_lead_professional(store):
    ref = case_at("monitoring")
    ok("lead", "change", ref, *NEW, "--date", "2026-12-10", "--reason", "Siân left the school nursing team")
    [row] = ok("followup", "list", "--json", "--as-of", "2027-03-30").json
    assert (row["lead_professional"], row["lead_agency"], row["lead_contact"]) == (
        "Morgan Keyworker", "Family Support", "morgan.k@example.org")
    [overdue] = ok("today", "--json", "--as-of", "2027-03-30").json["overdue_follow_ups"]
    assert overdue["lead_professional"] == "Morgan Keyworker"


def test_referral_show_names_the_new_one_and_keeps_the_earlier_in_the_history(store):
    ref = case_at("active")
    ok("lead", "change", ref, *NEW, "--date", "2026-12-10", "--reason", "new keyworker")
    case = show(ref)
    assert case["lead_professional"]["name"] == "Morgan Keyworker"
    assert case["decisions"][0]["lead_professional"]["name"] == "Siân Sample"
    assert case["lead_changes"] == [{"date": "2026-12-10", "name": "Morgan Keyworker", "agency": "Family Support",
                                     "contact": "morgan.k@example.org", "reason": "new keyworker"}]
    [entry] = [e for e in case["history"] if e["action"] == "lead change"]
    assert entry["changes"]["fields"]["lead_name"] == ["Siân Sample", "Morgan Keyworker"]
    assert any("Lead Professional now Morgan Keyworker" in e["event"] for e in case["timeline"])
    assert "Morgan Keyworker" in ok("referral", "show", ref).stdout


def test_the_letter_the_form_and_the_export_name_the_new_lead_professional(store, tmp_path):
    ref = case_at("monitoring")
    ok("lead", "change", ref, *NEW, "--date", "2026-12-10", "--reason", "new keyworker")
    ok("followup", "letter", ref, "--out", tmp_path, "--as-of", "2027-02-20")
    assert "Morgan Keyworker" in docx_text(tmp_path / f"followup-letter-{ref}.docx")
    ok("referral", "final-review-form", ref, "--out", tmp_path, "--as-of", "2027-02-20")
    [form] = tmp_path.glob("final-review-form-*.docx")
    assert "Morgan Keyworker" in docx_text(form)
    ok("export", "--format", "csv", "--out", tmp_path / "all.csv")
    with open(tmp_path / "all.csv", encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["lead_professional"], row["lead_agency"]) == ("Morgan Keyworker", "Family Support")


def test_a_change_from_the_day_of_the_panel_is_accepted(store):
    ref = case_at("decided")
    ok("lead", "change", ref, *NEW, "--date", MEETING_DAY, "--reason", "the panel's choice could not start")
    assert show(ref)["lead_professional"]["name"] == "Morgan Keyworker"
    same = run("lead", "change", ref, *NEW, "--date", MEETING_DAY, "--reason", "again")
    assert same.exit_code == 1 and "already" in same.stderr


def test_a_change_dated_before_the_panel_named_the_current_one_is_refused(store):
    ref = case_at("active")
    before = store_rows()
    result = run("lead", "change", ref, *NEW, "--date", "2026-11-20", "--reason", "new keyworker")
    assert result.exit_code == 1 and "--date" in result.stderr
    assert store_rows() == before


def test_a_case_without_a_lead_professional_yet_is_refused(store):
    ref = add_referral()
    result = run("lead", "change", ref, *NEW, "--date", "2026-11-20", "--reason", "x")
    assert result.exit_code == 1 and "no Lead Professional yet" in result.stderr


def test_a_change_needs_a_name_an_agency_and_a_reason(store):
    ref = case_at("active")
    assert run("lead", "change", ref, "--name", "", "--agency", "X", "--date", "2026-12-10",
               "--reason", "x").exit_code == 1
    assert run("lead", "change", ref, *NEW, "--date", "2026-12-10").exit_code == 2


def test_the_readmes_lead_change_example_runs_on_an_active_case(store):
    import shlex

    from test_docs import readme_commands

    assert case_at("active") == "MASG-2026-0001"
    [command] = [c for c in readme_commands() if c.startswith("masg lead change")]
    ok(*shlex.split(command)[1:])
    assert show("MASG-2026-0001")["lead_professional"]["name"] == "Morgan Keyworker"
