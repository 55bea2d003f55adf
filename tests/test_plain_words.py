"""Every value a reader sees is in plain words: no document prints a command word."""

from __future__ import annotations

import re

import pytest
from builders import case_at, slot_at
from document_text import docx_text

from conftest import ok

# The command line's words, as they would show if a document printed a stored value as it is.
COMMAND_WORDS = [
    r"triage: accept\b", r"given by both(?! parents)", r"given by young-person", r"\bchild-in-need-plan\b",
    r"\bchild-protection-plan\b", r"\blooked-after\b", r"\bcomplex-needs\b", r"\bin-hospital\b",
    r"\bmore-info\b", r"\bsingle-agency\b", r"\bnot-appropriate\b", r"\bre-refer\b",
    r"\bclose\b", r"\(new, ", r"\(review, ", r"follow-up: continue\b", r"family accepted(?! the offer)",
    r", pending\)", r"\bTrue\b", r"\bFalse\b", r"\bNone\b",
]


def _raw_words(text: str) -> list[str]:
    return [pattern for pattern in COMMAND_WORDS if re.search(pattern, text)]


@pytest.fixture
def every_document(store, tmp_path):
    """Each document masg makes, for one case with every word the command line has."""
    reviewed = case_at("monitoring", "--transition", "child-in-need-plan", "--transition",
                       "looked-after", "--consent-by", "both")
    ok("followup", "record", reviewed, "--date", "2027-02-23", "--outcome", "continue")
    meeting = slot_at(reviewed, "2027-03-02", "review")
    out = tmp_path / "out"
    ok("agenda", "pack", str(meeting), "--out", str(out))
    ok("decision", "sheet", reviewed, "--out", str(out))
    ok("followup", "letter", reviewed, "--out", str(out))
    ok("referral", "final-review-form", reviewed, "--out", str(out))
    return sorted(out.glob("*.docx"))


def test_no_document_prints_a_command_word(every_document):
    assert len(every_document) == 5
    for path in every_document:
        assert _raw_words(docx_text(path)) == [], path.name


def test_the_background_pack_says_the_process_in_plain_words(every_document):
    [pack] = [p for p in every_document if p.name.startswith("background-pack")]
    text = docx_text(pack)
    for words in ("accepted for the panel", "a parent and the young person", "recent child in need plan",
                  "looked after now", "12-week follow-up: support continues", "family accepted the offer"):
        assert words in text


def test_every_stored_word_of_the_process_has_plain_words():
    from masg_cli import rules
    from masg_cli.documents.words import PLAIN

    for kind, words in (("triage", rules.TRIAGE_OUTCOMES), ("consent_by", rules.CONSENT_GIVERS),
                        ("flag", rules.TRANSITION_FLAGS), ("follow_up", rules.FOLLOW_UP_OUTCOMES),
                        ("closed_reason", rules.CLOSED_REASONS), ("slot", rules.SLOT_OUTCOMES)):
        assert set(words) <= set(PLAIN[kind]), kind
