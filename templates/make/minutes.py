"""Build templates/minutes.docx (run: python templates/make/minutes.py).

The minutes go to every agency on the panel within days of the meeting, so children appear by
initials with the reference only. What the template can use (filled by
masg_cli/documents/minutes.py minutes_context; dates already in UK style):

  panel, locality, meeting_id, meeting_date, meeting_day, start_time, end_time, venue,
  coordinator, coordinator_contact, produced, chair, quorum (a sentence), quorate (true/false),
  present: name, agency, note ("Chair", "Deputy for ...")
  apologies: name, agency, deputy ("Dee Puty attended" | "No deputy")
  guests: name, agency
  inquorate_reasons: reference, reason
  cases: time, reference, initials, kind, outcome
  actions (agreed at this meeting): reference, what, owner, agency, due
  earlier_actions (agreed earlier, still open): reference, what, owner, agency, due, agreed
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GREY, council_letter, fields, heading, loop_table, para, save  # noqa: E402

CONFIDENTIAL = (
    "Confidentiality: these minutes are OFFICIAL-SENSITIVE. They are shared with the panel's "
    "agencies for the purpose of supporting the children and families discussed, under the consent "
    "each family gave to their referral. Children are identified by initials and reference only. "
    "Keep the minutes securely, do not forward them outside the panel's agencies, and destroy them "
    "in line with your agency's retention policy.")


def minutes() -> Path:
    doc = council_letter("Minutes of the panel meeting", subtitle="{{ meeting_day }}")
    fields(doc, [
        ("Meeting", "{{ locality }} {{ panel }} panel (meeting {{ meeting_id }})"),
        ("Date and time", "{{ meeting_day }}, {{ start_time }} to {{ end_time }}"),
        ("Venue", "{{ venue }}"),
        ("Chair", "{{ chair }}"),
        ("Minutes by", "{{ coordinator }}, CAF co-ordinator ({{ coordinator_contact }})"),
        ("Quorum", "{{ quorum }}"),
    ])
    para(doc, CONFIDENTIAL, size=8.5, colour=GREY)
    heading(doc, "Present", 1)
    loop_table(doc, ["Name", "Agency", ""], ["{{ p.name }}", "{{ p.agency }}", "{{ p.note }}"],
               loop="p in present", widths_cm=(5.5, 7.0, 4.5), empty="Attendance was not recorded.")
    heading(doc, "Apologies", 1)
    loop_table(doc, ["Name", "Agency", "Deputy"], ["{{ a.name }}", "{{ a.agency }}", "{{ a.deputy }}"],
               loop="a in apologies", widths_cm=(5.5, 7.0, 4.5), empty="None.")
    para(doc, "{%p if guests %}")
    heading(doc, "Also attending", 1)
    loop_table(doc, ["Name", "Agency"], ["{{ g.name }}", "{{ g.agency }}"],
               loop="g in guests", widths_cm=(5.5, 11.5))
    para(doc, "{%p endif %}")
    para(doc, "{%p if inquorate_reasons %}")
    heading(doc, "Decided although the meeting was not quorate", 1)
    loop_table(doc, ["Reference", "Why the panel went ahead"], ["{{ r.reference }}", "{{ r.reason }}"],
               loop="r in inquorate_reasons", widths_cm=(4.0, 13.0))
    para(doc, "{%p endif %}")
    heading(doc, "Cases", 1)
    loop_table(doc, ["Time", "Reference", "Children", "Case", "Outcome"],
               ["{{ c.time }}", "{{ c.reference }}", "{{ c.initials }}", "{{ c.kind }}", "{{ c.outcome }}"],
               loop="c in cases", widths_cm=(1.3, 3.2, 1.8, 1.9, 8.8), empty="No cases were on the agenda.")
    heading(doc, "Actions agreed", 1)
    loop_table(doc, ["Reference", "Action", "Owner", "Agency", "Due"],
               ["{{ a.reference }}", "{{ a.what }}", "{{ a.owner }}", "{{ a.agency }}", "{{ a.due }}"],
               loop="a in actions", widths_cm=(3.3, 5.3, 2.8, 2.8, 2.8), empty="No actions were agreed.")
    heading(doc, "Earlier actions still open", 1)
    loop_table(doc, ["Reference", "Action", "Owner", "Agency", "Due", "Agreed"],
               ["{{ a.reference }}", "{{ a.what }}", "{{ a.owner }}", "{{ a.agency }}", "{{ a.due }}",
                "{{ a.agreed }}"],
               loop="a in earlier_actions", widths_cm=(3.3, 4.3, 2.2, 2.2, 2.5, 2.5),
               empty="No earlier actions are open.")
    para(doc, "Minutes produced on {{ produced }}. Corrections to the CAF co-ordinator, please, "
              "within five working days.", colour=GREY, size=8.5)
    return save(doc, "minutes.docx")


if __name__ == "__main__":
    print(minutes())
