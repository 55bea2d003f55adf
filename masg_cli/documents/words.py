"""The process's words as a reader of a document says them.

Commands take short words ("accept", "both", "child-in-need-plan"); parents, teachers and
panel members read letters and packs. Every document says a stored value through ``plain``,
so one table here is the only place a word is translated, and tests/test_plain_words.py
checks that no document prints a command word.
"""

from __future__ import annotations

PLAIN: dict[str, dict] = {
    "triage": {
        "accept": "accepted for the panel",
        "single-agency": "passed to a single agency",
        "more-info": "more information asked for",
        "not-appropriate": "not appropriate for the panel",
        "info-received": "the information asked for was received",
        "step-up": "passed to children's social care",
    },
    # "both" is the parent and the young person together (SPEC: --consent-by parent|young-person|both).
    "consent_by": {"parent": "a parent", "young-person": "the young person",
                   "both": "a parent and the young person"},
    "flag": {
        "looked-after": "looked after now",
        "previously-looked-after": "looked after in the past",
        "in-hospital": "in hospital",
        "complex-needs": "complex needs",
        "child-in-need-plan": "recent child in need plan",
        "child-protection-plan": "recent child protection plan",
    },
    "family_response": {"accepted": "the family accepted the offer",
                        "declined": "the family said no to the offer"},
    "family_answer": {"accepted": "accepted the offer", "declined": "said no to the offer"},
    "further_reviews": {True: "further panel reviews", False: "no further panel reviews"},
    "follow_up": {"continue": "support continues", "close": "case closed",
                  "re-refer": "referred to the panel again"},
    "closed_reason": {
        "single-agency": "passed to a single agency",
        "not-appropriate": "not appropriate for the panel",
        "withdrawn": "withdrawn",
        "declined": "the family said no",
        "completed": "support completed",
        "stepped-up": "passed to children's social care",
        "duplicate": "the same family's case was already open",
    },
    "slot": {"pending": "waiting", "decided": "decided", "deferred": "deferred to a later meeting",
             "reviewed": "reviewed", "moved": "moved to another meeting",
             "cancelled": "meeting cancelled"},
    "slot_kind": {"new": "new case", "review": "case review"},
}


def plain(kind: str, value) -> str:
    """``value`` (a stored word of ``kind``) in plain words; a word not in the table as it is,
    since free text (a closure's own words, an agency) is already the reader's."""
    return PLAIN[kind].get(value, value if isinstance(value, str) else str(value))
