"""Build templates/followup-letter.docx and templates/final-review-form.docx
(run: python templates/make/followup.py).

What the templates can use (filled by masg_cli/documents/case.py case_context):

  reference, panel, locality, letter_date ("23 November 2026"), received, meeting_date (the
  decision's meeting), lead_name, lead_agency, lead_contact, referrer, referrer_agency,
  tac_date, last_reviewed, since_review ("11 weeks", "12 weeks and 2 days": from the last review
  to the letter's date), follow_up_due, coordinator, coordinator_contact,
  children: name, dob
  services: agency, what
  reviews: date, further ("further panel reviews" | "no further panel reviews")
  contacts: date, outcome (earlier 12-week contacts, in plain words: "support continues")
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GREY, council_letter, fields, heading, keep_together, loop_table, para, save  # noqa: E402


def case_fields(doc) -> None:
    fields(doc, [
        ("Reference", "{{ reference }}"),
        ("Children", "{% for c in children %}{{ c.name }} (born {{ c.dob }}){% if not loop.last %}; "
                     "{% endif %}{% endfor %}"),
        ("Referred by", "{{ referrer }}, {{ referrer_agency }} (received {{ received }})"),
        ("Panel decision", "{{ locality }} {{ panel }} panel, {{ meeting_date }}"),
        ("Lead Professional",
         "{{ lead_name }}, {{ lead_agency }}{% if lead_contact %} ({{ lead_contact }}){% endif %}"),
        ("Team Around the Child", "{{ tac_date }}"),
        ("Last reviewed by the panel", "{{ last_reviewed }}"),
    ])


def services_table(doc) -> None:
    loop_table(doc, ["Agency", "Service agreed by the panel"], ["{{ s.agency }}", "{{ s.what }}"],
               loop="s in services", widths_cm=(5.0, 12.0), empty="No services were recorded.")


def followup_letter() -> Path:
    doc = council_letter("12-week follow-up", subtitle="{{ letter_date }}")
    para(doc, "Dear {{ lead_name }},")
    para(doc, "You are the Lead Professional for the family below. When the {{ panel }} panel last "
              "reviewed the case, on {{ last_reviewed }}, it agreed that no further panel reviews were "
              "needed. The process asks me to contact you 12 weeks after that review; it is now "
              "{{ since_review }} since it, and I am writing to ask about the outcomes of the work "
              "to date.")
    case_fields(doc)
    heading(doc, "What the panel agreed", 1)
    services_table(doc)
    heading(doc, "What I would like to know", 1)
    for question in (
        "1. The outcomes of the work so far, for each child and for the family.",
        "2. Which of the services agreed are still involved, and which have finished.",
        "3. The family's view of the support they have received.",
        "4. What should happen next: the support carries on (I will contact you again in 12 "
        "weeks), the work is complete and the case can end (I will send you the final review form "
        "to complete), or the case comes back to the panel (you, with the family and the agencies "
        "involved, want the panel to consider it again).",
    ):
        para(doc, question)
    keep_together(
        para(doc, "Please reply by e-mail or telephone, quoting reference {{ reference }}. You can "
                  "contact me at any time for advice and guidance."),
        para(doc, "Yours sincerely,"),
        para(doc, "{{ coordinator }}", bold=True, space_after=0),
        para(doc, "CAF co-ordinator, {{ locality }}", space_after=0),
        para(doc, "{{ coordinator_contact }}"))
    para(doc, "This letter holds personal information about children: keep it securely.",
         colour=GREY, size=8.5)
    return save(doc, "followup-letter.docx")


def answer_box(doc, label: str) -> None:
    table = fields(doc, [(label, "\n\n\n")], label_width=5.0, value_width=12.0)
    # One row that may not break across pages: otherwise the label can sit at the foot of a page
    # and the space to write in at the top of the next (Word and LibreOffice both honour it).
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(keep)


def final_review_form() -> Path:
    doc = council_letter("Final review form",
                         subtitle="To be completed by the Lead Professional and returned to the CAF "
                                  "co-ordinator when the case closes")
    heading(doc, "The case", 1)
    case_fields(doc)
    heading(doc, "Services agreed by the panel", 2)
    services_table(doc)
    heading(doc, "Panel reviews", 2)
    loop_table(doc, ["Date", "Decision"], ["{{ r.date }}", "{{ r.further }}"], loop="r in reviews",
               widths_cm=(5.0, 12.0), empty="No panel reviews were recorded.")
    heading(doc, "12-week follow-ups", 2)
    loop_table(doc, ["Date", "Outcome"], ["{{ f.date }}", "{{ f.outcome }}"], loop="f in contacts",
               widths_cm=(5.0, 12.0), empty="No follow-up contacts were recorded.")
    heading(doc, "For the Lead Professional to complete", 1)
    for label in (
        "Outcomes achieved for each child",
        "Outcomes achieved for the family",
        "Services still involved, and services ended (with dates)",
        "The family's view",
        "Why the case is closing",
        "Any further support arranged (single agency or universal services)",
    ):
        answer_box(doc, label)
    fields(doc, [("Completed by (name, agency)", ""), ("Signature", ""), ("Date", "")])
    para(doc, "Please return this form to {{ coordinator }}, CAF co-ordinator, {{ locality }}: "
              "{{ coordinator_contact }}, quoting reference {{ reference }}. Form prepared on "
              "{{ letter_date }}.", size=9.5)
    return save(doc, "final-review-form.docx")


if __name__ == "__main__":
    for made in (followup_letter(), final_review_form()):
        print(made)
