"""What a new co-ordinator's trial run of masg found, each fixed and pinned here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import add_referral, ok, run
from builders import decide, on_agenda

BLANK_SIGNATURE = "documents will be signed with a blank name"


# --- 1. A locality without a CAF co-ordinator signs its documents with a blank name -------------


def test_adding_a_locality_without_a_coordinator_warns_that_documents_will_be_signed_blank(store):
    result = ok("locality", "add", "South")
    assert "Added locality South" in result.stdout
    assert BLANK_SIGNATURE in result.stderr
    assert "masg locality set South --coordinator ... --contact ..." in result.stderr


def test_adding_a_locality_without_a_contact_names_the_missing_contact(store):
    result = ok("locality", "add", "South", "--coordinator", "Siân Sample")
    assert "no contact" in result.stderr and "co-ordinator or" not in result.stderr


def test_adding_a_locality_with_coordinator_and_contact_does_not_warn(store):
    result = ok("locality", "add", "South", "--coordinator", "Siân Sample", "--contact", "01632 960000")
    assert result.stderr == ""


def test_locality_set_changes_only_the_settings_given_and_is_audited(store):
    result = ok("locality", "set", "north", "--coordinator", "Siân Sample", "--weekday", "thu",
                "--slot-minutes", "30")
    assert "Updated locality North: fortnightly on thu" in result.stdout
    [north] = ok("locality", "list", "--json").json
    assert (north["coordinator"], north["contact"], north["weekday"], north["slot_minutes"],
            north["start"], north["venue"]) == (
        "Siân Sample", "pat.example@example.gov.uk", "thu", 30, "09:30", "Northgate Family Hub")
    [entry] = [e for e in ok("audit", "--json").json if e["action"] == "locality set"]
    assert entry["changes"]["coordinator"] == ["Pat Example", "Siân Sample"]
    assert entry["changes"]["weekday"] == ["tue", "thu"] and "venue" not in entry["changes"]


def test_locality_set_refuses_a_start_after_the_end_and_leaves_the_locality_as_it_was(store):
    result = run("locality", "set", "North", "--start", "13:00")
    assert result.exit_code == 1 and "--start and --end" in result.stderr
    assert ok("locality", "list", "--json").json[0]["start"] == "09:30"


def test_locality_set_on_an_unknown_locality_says_how_to_find_the_right_name(store):
    result = run("locality", "set", "Nowhere", "--venue", "Hall")
    assert result.exit_code == 1 and "masg locality list" in result.stderr


def test_locality_set_fills_in_the_signature_the_warning_asked_for(store):
    ok("locality", "add", "South")
    result = ok("locality", "set", "South", "--coordinator", "Siân Sample", "--contact", "01632 960000")
    assert result.stderr == "" and "Siân Sample, 01632 960000" in result.stdout


@pytest.fixture
def decided_unsigned(store):
    """A decided case in North, whose co-ordinator and contact have since been blanked."""
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(ref)
    decide(ref, meeting)
    ok("locality", "set", "North", "--coordinator", "", "--contact", "")
    return ref, meeting


def test_a_decision_sheet_for_a_locality_without_a_coordinator_is_written_with_a_warning(decided_unsigned, tmp_path):
    ref, _ = decided_unsigned
    result = ok("decision", "sheet", ref, "--out", tmp_path)
    assert (tmp_path / f"decision-sheet-{ref}.docx").exists()
    assert result.stderr.count(BLANK_SIGNATURE) == 1 and "locality North" in result.stderr


def test_documents_for_a_locality_with_its_signature_set_carry_no_warning(decided_unsigned, tmp_path):
    ref, _ = decided_unsigned
    ok("locality", "set", "North", "--coordinator", "Pat Example", "--contact", "pat.example@example.gov.uk")
    assert BLANK_SIGNATURE not in ok("decision", "sheet", ref, "--out", tmp_path).stderr


def test_an_agenda_pack_for_a_locality_without_a_coordinator_warns_once(store, tmp_path):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(ref)
    ok("locality", "set", "North", "--contact", "")
    result = ok("agenda", "pack", meeting, "--out", tmp_path)
    assert result.stderr.count(BLANK_SIGNATURE) == 1 and "no contact" in result.stderr


def test_a_follow_up_letter_for_a_locality_without_a_coordinator_is_written_with_a_warning(store, tmp_path):
    from builders import case_at

    ref = case_at("monitoring")
    ok("locality", "set", "North", "--coordinator", "")
    result = ok("followup", "letter", ref, "--out", tmp_path)
    assert (tmp_path / f"followup-letter-{ref}.docx").exists()
    assert "no CAF co-ordinator;" in result.stderr and BLANK_SIGNATURE in result.stderr


# --- 3. 'masg today' never shows negative days, nor what came after the day asked about --------


def test_a_referral_received_after_the_as_of_day_is_not_on_that_days_list(store):
    early = add_referral("--received", "2026-11-02")
    later = add_referral("--received", "2026-12-10")
    data = ok("today", "--as-of", "2026-11-20", "--json").json
    assert [(i["reference"], i["days_waiting"]) for i in data["waiting_for_triage"]] == [(early, 18)]
    shown = ok("today", "--as-of", "2026-11-20").stdout
    assert "Referrals waiting for triage: 1" in shown and later not in shown


def test_a_referral_asked_for_more_information_after_the_as_of_day_is_not_waiting_for_it(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "more-info", "--date", "2026-11-20",
       "--note", "Which school does the child attend?")
    assert ok("today", "--as-of", "2026-11-10", "--json").json["waiting_for_information"] == []
    assert [i["days_waiting"] for i in ok("today", "--as-of", "2026-11-23", "--json").json[
        "waiting_for_information"]] == [3]


def test_a_family_answer_awaited_for_a_meeting_after_the_as_of_day_waits_zero_days(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    decide(ref, on_agenda(ref, "2026-12-08"), review="2026-12-22")
    [item] = ok("today", "--as-of", "2026-11-30", "--json").json["family_answers_awaited"]
    assert item["days_waiting"] == 0
    assert "-8" not in ok("today", "--as-of", "2026-11-30").stdout


# --- 4. The report's headings and period read as a person would write them -----------------------


@pytest.mark.parametrize("key, shown", [
    ("re_referrals", "Re-referrals"),
    ("re_referrals_12_months", "Re-referrals (12 months)"),
    ("re_referral_rate_12_months", "Re-referral rate (12 months)"),
    ("follow_ups_on_time", "Follow-ups on time"),
    ("days_to_triage_median", "Days to triage median"),
])
def test_report_column_headings_are_spelt_with_their_hyphens(key, shown):
    from masg_cli.views_reports import heading

    assert heading(key) == shown


def test_the_report_without_dates_says_it_covers_all_dates(store):
    add_referral()
    first_line = ok("report", "summary").stdout.splitlines()[0]
    assert first_line == "Summary for all localities, all dates"


def test_the_report_names_its_period_in_words(store):
    add_referral()
    assert ok("report", "summary", "--from", "2026-11-02", "--to", "2027-05-27").stdout.startswith(
        "Summary for all localities, 2 November 2026 to 27 May 2027")
    assert ok("report", "summary", "--locality", "North", "--from", "2026-11-02").stdout.startswith(
        "Summary for North, from 2 November 2026")


def test_the_workbook_headings_and_period_read_the_same_way(store, tmp_path):
    from openpyxl import load_workbook

    add_referral()
    ok("report", "summary", "--xlsx", tmp_path / "report.xlsx")
    book = load_workbook(tmp_path / "report.xlsx")
    headings = [c.value for sheet in book.worksheets if sheet.title != "About" for c in sheet[1]]
    assert {"Re-referrals", "Re-referral rate (12 months)", "Follow-ups on time"} <= set(headings)
    assert [row for row in book["About"].values if row[0] == "Period"] == [("Period", "all dates")]


# --- 2. The final review form's answer boxes never break across a page ---------------------------


def test_every_answer_box_of_the_final_review_form_is_kept_on_one_page():
    from docx import Document
    from docx.oxml.ns import qn

    from masg_cli.documents import template_path

    document = Document(str(template_path("final-review-form.docx")))
    boxes = [table.rows[0] for table in document.tables
             if len(table.rows) == 1 and table.rows[0].cells[1].text.strip() == ""]
    labels = [row.cells[0].text for row in boxes]
    assert "The family's view" in labels and len(labels) == 6
    for row in boxes:
        kept = row._tr.trPr.find(qn("w:cantSplit")) if row._tr.trPr is not None else None
        assert kept is not None and kept.get(qn("w:val")) == "true", row.cells[0].text


# --- 6. The README's examples run in order on one store; its sections are where masg says -------

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> list[str]:
    """Every `masg ...` line of the README's examples, continuation lines joined, comments and
    [optional parts] left out."""
    text = README.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [re.sub(r"\[[^\]]*\]", "", line.split("  #")[0]).strip() for line in text.splitlines()]
    return [line for line in lines if line.startswith("masg ")]


def test_the_readmes_meeting_and_decision_examples_run_in_order_on_one_store(store):
    add_referral()  # MASG-2026-0001, received 2 November 2026, as in the README
    ok("referral", "triage", "MASG-2026-0001", "--outcome", "accept")
    wanted = ("masg meeting schedule", "masg meeting cancel", "masg meeting move", "masg agenda build",
              "masg decision record MASG-2026-0001", "masg family-response", "masg tac record")
    commands = [c for c in readme_commands() if c.startswith(wanted)]
    assert [next(w for w in wanted if c.startswith(w)) for c in commands] == list(wanted)
    for command in commands:
        result = run(*shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}: {result.stderr}"
    assert ok("referral", "show", "MASG-2026-0001", "--json").json["status"] == "active"


def test_the_import_refusal_points_at_a_readme_section_that_exists(store, tmp_path):
    (tmp_path / "tracker.ods").write_bytes(b"not a tracker")
    result = run("import", tmp_path / "tracker.ods", "--dry-run")
    assert result.exit_code != 0
    section = re.search(r"README\.md \(([^)]+)\)", result.stderr).group(1)
    assert f"\n## {section}\n" in README.read_text(encoding="utf-8")
