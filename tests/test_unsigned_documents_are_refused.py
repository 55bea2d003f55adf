"""Every outgoing document is refused while its locality cannot sign it; --unsigned writes a draft."""

from __future__ import annotations

import pytest

from builders import MEETING_DAY, case_at, decide, digest, out_folder, slot_at
from conftest import add_referral, ok, run

BLANK_SIGNATURE = "documents will be signed with a blank name"
LOCALITY_SET = "masg locality set North --coordinator NAME --contact TEXT"


def decided_at_a_meeting() -> tuple[str, int]:
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = slot_at(ref, MEETING_DAY)
    decide(ref, meeting)
    return ref, meeting


def invited() -> list:
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    return ["agenda", "invite", slot_at(ref, MEETING_DAY), "--as-of", "2026-11-17"]


def sheet_for_a_meeting() -> list:
    return ["decision", "sheet", "--meeting", decided_at_a_meeting()[1], "--as-of", "2026-11-25"]


def family_letter() -> list:
    return ["decision", "family-letter", decided_at_a_meeting()[0], "--as-of", "2026-11-25"]


def minutes() -> list:
    return ["meeting", "minutes", decided_at_a_meeting()[1], "--as-of", "2026-11-25"]


def final_review_form() -> list:
    return ["referral", "final-review-form", case_at("monitoring"), "--as-of", "2027-02-23"]


def follow_up_letter() -> list:
    return ["followup", "letter", case_at("monitoring"), "--as-of", "2027-02-23"]


def reminder() -> list:
    case_at("monitoring")  # its follow-up, due 23 February 2027, is chased a week before
    return ["remind", "--as-of", "2027-02-16"]


DOCUMENTS = [invited, sheet_for_a_meeting, family_letter, minutes, final_review_form, follow_up_letter, reminder]


@pytest.mark.parametrize("command", DOCUMENTS, ids=lambda build: build.__name__)
def test_a_document_for_a_locality_without_a_coordinator_is_refused_naming_the_locality_set_to_run(
        store, tmp_path, command):
    args = command()
    ok("locality", "set", "North", "--coordinator", "", "--contact", "")
    folder = out_folder(tmp_path)
    before = digest()
    result = run(*args, "--out", folder)
    assert result.exit_code == 1, result.stdout
    assert LOCALITY_SET in result.stderr and "--unsigned" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert list(folder.iterdir()) == [] and digest() == before


@pytest.mark.parametrize("command", DOCUMENTS, ids=lambda build: build.__name__)
def test_a_document_given_unsigned_is_written_with_one_warning(store, tmp_path, command):
    args = command()
    ok("locality", "set", "North", "--coordinator", "")
    folder = out_folder(tmp_path)
    result = ok(*args, "--out", folder, "--unsigned")
    assert list(folder.iterdir()) != []
    assert result.stderr.count(BLANK_SIGNATURE) == 1 and "no CAF co-ordinator;" in result.stderr


def test_a_locality_with_its_coordinator_and_contact_needs_no_unsigned(store, tmp_path):
    folder = out_folder(tmp_path)
    result = ok(*family_letter(), "--out", folder)
    assert BLANK_SIGNATURE not in result.stderr and list(folder.iterdir()) != []
