"""Build templates/family-letter.docx (run: python templates/make/family_letter.py).

The letter the referrer hands to the family after the panel: what the panel agreed, who their
Lead Professional is, what happens next, that they can say no, and how to complain or see
their records. Written for a reading age of about 9 to 11 (tests/test_family_letter.py scores
it): short sentences, everyday words, every abbreviation left out or explained. What the
template can use (filled by masg_cli/documents/family_letter.py letter_context):

  reference, panel, locality, letter_date, meeting_date, review_date, children ("Ada Example
  and Ben Example"), referrer, referrer_agency, lead_name, lead_agency, lead_contact,
  coordinator, coordinator_contact,
  services: agency, what
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import council_letter, heading, keep_together, loop_table, para, save  # noqa: E402

SECTIONS = (
    ("What the panel agreed", None),
    ("Your Lead Professional", (
        "Your Lead Professional is {{ lead_name }} from {{ lead_agency }}. This is the person to "
        "talk to about the help. {% if lead_contact %}You can reach them on {{ lead_contact }}."
        "{% else %}Ask {{ coordinator }} how to reach them.{% endif %}",)),
    ("What happens next", (
        "{{ lead_name }} will get in touch with you soon. They will set up a meeting with you and "
        "the people who will help. At the meeting you all plan the help together. We call this a "
        "Team Around the Child meeting.",
        "The panel will look again at how things are going on {{ review_date }}.")),
    ("You can say no", (
        "You do not have to take this help. It is your choice. If you do not want it, tell "
        "{{ referrer }} or {{ coordinator }}. You can change your mind at any time.",)),
    ("If you are not happy", (
        "If you are not happy with what has happened, please talk to {{ coordinator }} first. "
        "You can also make a complaint to the council. {{ coordinator }} will tell you how.",)),
    ("The notes we keep", (
        "We keep notes about your family and the help you get. We keep them safe. You can ask "
        "to see them at any time. Just ask {{ coordinator }}.",)),
)


def family_letter() -> Path:
    doc = council_letter("What the panel agreed for your family", subtitle="{{ letter_date }}")
    para(doc, "Dear parent or carer,")
    para(doc, "This letter is about {{ children }}. {{ referrer }} from {{ referrer_agency }} asked "
              "for some help for your family. A group of people from different services met on "
              "{{ meeting_date }} to talk about how they can help. We call this group the panel.")
    for title, paragraphs in SECTIONS:
        heading(doc, title, 1)
        if paragraphs is None:
            para(doc, "The panel agreed that these services can help you:")
            loop_table(doc, ["Service", "How they can help"], ["{{ s.agency }}", "{{ s.what }}"],
                       loop="s in services", widths_cm=(6.0, 11.0))
            continue
        for text in paragraphs:
            para(doc, text)
    keep_together(
        para(doc, "Please keep this letter safe. Our number for your family is {{ reference }}. "
                  "Please tell us this number when you call."),
        para(doc, "Best wishes,"),
        para(doc, "{{ coordinator }}", bold=True, space_after=0),
        para(doc, "Panel co-ordinator, {{ locality }}", space_after=0),
        para(doc, "{{ coordinator_contact }}"))
    return save(doc, "family-letter.docx")


if __name__ == "__main__":
    print(family_letter())
