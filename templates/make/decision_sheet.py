"""Build templates/decision-sheet.docx (run: python templates/make/decision_sheet.py).

The decision sheet goes to the referrer after the panel meeting (the leaflet: "details of
services agreed by the panel to support the family and the agreed identified temporary Lead
Professional"). What the template can use (filled by masg_cli/documents/decision_sheet.py
sheet_context; dates are already in UK style, "22 November 2026"):

  reference, panel, locality, letter_date, meeting_date, meeting_venue, referrer,
  referrer_agency, referrer_email, lead_name, lead_agency, lead_contact, review_date,
  coordinator, coordinator_contact,
  children: name, dob
  services: agency, what
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GREY, council_letter, fields, heading, keep_together, loop_table, para, save  # noqa: E402


def decision_sheet() -> Path:
    doc = council_letter("Decision sheet", subtitle="{{ letter_date }}")
    para(doc, "Dear {{ referrer }},")
    para(doc, "The {{ locality }} {{ panel }} panel discussed your referral on {{ meeting_date }}. "
              "Below are the services it agreed to support the family and the temporary Lead "
              "Professional it identified.")
    fields(doc, [
        ("Reference", "{{ reference }}"),
        ("Referred by", "{{ referrer }}, {{ referrer_agency }}"),
        ("Panel meeting", "{{ locality }} {{ panel }} panel, {{ meeting_date }}"),
        ("Panel review date", "{{ review_date }}"),
    ])
    heading(doc, "Children", 1)
    loop_table(doc, ["Full name", "Date of birth"], ["{{ c.name }}", "{{ c.dob }}"],
               loop="c in children", widths_cm=(11.0, 6.0))
    heading(doc, "Services agreed by the panel", 1)
    loop_table(doc, ["Agency", "Service agreed"], ["{{ s.agency }}", "{{ s.what }}"],
               loop="s in services", widths_cm=(5.5, 11.5))
    heading(doc, "Temporary Lead Professional", 1)
    fields(doc, [
        ("Name", "{{ lead_name }}"),
        ("Agency", "{{ lead_agency }}"),
        ("Contact", "{% if lead_contact %}{{ lead_contact }}{% else %}Please ask the CAF "
                    "co-ordinator{% endif %}"),
    ])
    heading(doc, "What happens next", 1)
    for step in (
        "1. Please share this decision sheet with the family.",
        "2. If the family accept the services agreed, please tell the Lead Professional, "
        "{{ lead_name }} ({{ lead_agency }}). Please let me know the family's answer either way.",
        "3. The Lead Professional will liaise with the services agreed and set up a Team Around the "
        "Child meeting with the family, to agree how the services will work together to meet the "
        "needs of the child, young person and family, and to set future meetings to review the work.",
        "4. The panel will review the case on {{ review_date }}, to see how well the support is "
        "working and whether further or different help is needed.",
    ):
        para(doc, step)
    keep_together(
        para(doc, "Please quote {{ reference }} with any questions. CAF co-ordinators can also help "
                  "Lead Professionals."),
        para(doc, "Yours sincerely,"),
        para(doc, "{{ coordinator }}", bold=True, space_after=0),
        para(doc, "CAF co-ordinator, {{ locality }} · {{ coordinator_contact }}"))
    para(doc, "This sheet holds personal information about children: keep it securely and share it "
              "only with the family and the Lead Professional.", colour=GREY, size=8)
    return save(doc, "decision-sheet.docx")


if __name__ == "__main__":
    print(decision_sheet())
