"""Build templates/agenda.docx and templates/background-pack.docx (run: python templates/make/agenda.py).

What the templates can use (filled by masg_cli/documents/agenda.py and background_pack.py):

Both: panel, locality, meeting_id, meeting_date ("1 December 2026"), meeting_day ("Tuesday
1 December 2026"), start_time, end_time, venue, coordinator, coordinator_contact, produced.

agenda.docx (goes to many agencies: children by initials only):
  slots: time, reference, kind ("New case" | "Review"), outcome ("" while the case waits,
         "deferred to a later meeting", "moved to meeting 7", "decided"...), initials, referrer, agency, attending,
         open_actions ("2 open actions", or "")
  members: name, agency
  actions (earlier actions still open): reference, what, owner, agency, due, agreed

background-pack.docx (full details, for panel members only):
  cases: time, reference, kind, outcome, received, referrer, referrer_agency, referrer_contact, consent,
         flags, earlier, needs, agencies, triage,
         children: name, dob, age
         history: date, what (the case's notes among them)
         notes: date, kind, with, text
         agreed (empty when the panel has not decided the case): meeting_date, lead,
                lead_contact, review_date, tac, family, services: agency, what
         reviews: date, outcome, note
         deferrals: date, reason
         attachments: file (its name in the pack folder), kind, content, size, added
         actions (its earlier actions still open): what, owner, agency, due, agreed
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GREY, _repeat_header, _shade, _widths, council_letter, heading, para, save  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.shared import Pt, RGBColor  # noqa: E402

# The look of common.fields / common.loop_table, but table text formatted by paragraph styles
# instead of on every run: a 20-case background pack repeats these cells hundreds of times, and
# the smaller XML is faster to fill (benchmarks/agenda_pack.py) and the same on the page.
TEXT, LABEL, HEADING = "Table text", "Table label", "Table heading"


def table_styles(doc) -> None:
    styles = doc.styles
    for name, bold, colour in ((TEXT, False, None), (LABEL, True, None), (HEADING, True, RGBColor(0xFF, 0xFF, 0xFF))):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = False
        style.font.size = Pt(9.5)
        style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        style.paragraph_format.space_after = Pt(1)


def cell_text(cell, text: str, style: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)


def fields(doc, pairs) -> None:
    """A two-column table of labels and values (Received | {{ c.received }} ...)."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in pairs:
        cells = table.add_row().cells
        _shade(cells[0], "E8EDF3")
        cell_text(cells[0], label, LABEL)
        cell_text(cells[1], value, TEXT)
    _widths(table, (5.0, 12.0))
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def loop_table(doc, headers, cells, *, loop: str, widths_cm, empty: str | None = None) -> None:
    """A header row, then one row repeated by docxtpl for each item of ``loop`` ("s in slots")."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers):
        _shade(cell, "1F3A5F")
        cell_text(cell, text, HEADING)
    _repeat_header(table.rows[0])
    cell_text(table.rows[1].cells[0], f"{{%tr for {loop} %}}", TEXT)
    for cell, text in zip(table.rows[2].cells, cells):
        cell_text(cell, text, TEXT)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}", TEXT)
    _widths(table, widths_cm)
    if empty:
        variable = loop.split(" in ", 1)[1].strip()
        para(doc, f"{{% if not {variable} %}}{empty}{{% endif %}}", colour=GREY)
    else:
        doc.add_paragraph().paragraph_format.space_after = Pt(2)


CASE_HEADING = "Case heading"


def case_heading_style(doc):
    """Heading 1 that starts a new page: each case of the pack on a page of its own. The break
    is the style's, not the paragraph's, because LibreOffice drops a paragraph's own page break
    when it re-saves the template (co-ordinators re-brand it there)."""
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style(CASE_HEADING, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Heading 1"]
    style.next_paragraph_style = doc.styles["Normal"]
    style.paragraph_format.page_break_before = True
    return style


def outcome(item: str) -> str:
    """What became of a slot, after its kind ("New case (deferred to a later meeting)")."""
    return f"{{% if {item}.outcome %}} ({{{{ {item}.outcome }}}}){{% endif %}}"


def meeting_fields(doc) -> None:
    fields(doc, [
        ("Meeting", "{{ locality }} {{ panel }} panel (meeting {{ meeting_id }})"),
        ("Date", "{{ meeting_day }}"),
        ("Time", "{{ start_time }} to {{ end_time }}"),
        ("Venue", "{{ venue }}"),
        ("CAF co-ordinator", "{{ coordinator }}, {{ coordinator_contact }}"),
    ])


def agenda() -> Path:
    doc = council_letter("Panel meeting agenda")
    table_styles(doc)
    meeting_fields(doc)
    heading(doc, "Cases", 1)
    para(doc, "Each referrer is invited for their case's time slot only. Children are shown by "
              "initials; full details are in the background pack sent to panel members.",
         colour=GREY, size=9.5)
    loop_table(
        doc,
        ["Time", "Reference", "Children", "New case or review", "Referrer", "Agency", "Attending"],
        ["{{ s.time }}", "{{ s.reference }}", "{{ s.initials }}",
         "{{ s.kind }}" + outcome("s") + "{% if s.open_actions %}; {{ s.open_actions }}{% endif %}",
         "{{ s.referrer }}", "{{ s.agency }}", "{{ s.attending }}"],
        loop="s in slots", widths_cm=(1.5, 3.2, 1.8, 2.2, 3.0, 3.3, 2.0),
        empty="No cases are on this agenda yet.",
    )
    para(doc, "{%p if actions %}")
    heading(doc, "Earlier actions still open", 1)
    loop_table(doc, ["Reference", "Action", "Owner", "Agency", "Due"],
               ["{{ a.reference }}", "{{ a.what }}", "{{ a.owner }}", "{{ a.agency }}", "{{ a.due }}"],
               loop="a in actions", widths_cm=(3.3, 5.3, 2.8, 2.8, 2.8))
    para(doc, "{%p endif %}")
    heading(doc, "Panel members", 1)
    loop_table(doc, ["Name", "Agency"], ["{{ m.name }}", "{{ m.agency }}"],
               loop="m in members", widths_cm=(7.0, 10.0),
               empty="No panel members are recorded for this locality.")
    para(doc, "Agenda produced on {{ produced }}. Please keep it securely and destroy it after the meeting.",
         colour=GREY, size=8.5)
    return save(doc, "agenda.docx")


def agreed_before(doc) -> None:
    """What the panel agreed last time, so that a review starts from the panel's own decision."""
    para(doc, "{%p if c.agreed %}")
    heading(doc, "What the panel agreed on {{ c.agreed.meeting_date }}", 2)
    fields(doc, [
        ("Lead Professional", "{{ c.agreed.lead }}"),
        ("Lead Professional's contact", "{{ c.agreed.lead_contact }}"),
        ("Review date set", "{{ c.agreed.review_date }}"),
        ("Team Around the Child meeting", "{{ c.agreed.tac }}"),
        ("The family's answer", "{{ c.agreed.family }}"),
    ])
    loop_table(doc, ["Agency", "Service agreed"], ["{{ s.agency }}", "{{ s.what }}"],
               loop="s in c.agreed.services", widths_cm=(5.0, 12.0), empty="No services were recorded.")
    para(doc, "{%p endif %}")
    para(doc, "{%p if c.reviews %}")
    heading(doc, "Earlier panel reviews", 2)
    loop_table(doc, ["Date", "Outcome", "Note"], ["{{ r.date }}", "{{ r.outcome }}", "{{ r.note }}"],
               loop="r in c.reviews", widths_cm=(3.5, 6.5, 7.0))
    para(doc, "{%p endif %}")
    para(doc, "{%p if c.deferrals %}")
    heading(doc, "Deferred", 2)
    loop_table(doc, ["Meeting", "Why the panel deferred the case"], ["{{ d.date }}", "{{ d.reason }}"],
               loop="d in c.deferrals", widths_cm=(3.5, 13.5))
    para(doc, "{%p endif %}")


def background_pack() -> Path:
    doc = council_letter("Background information for the panel")
    table_styles(doc)
    meeting_fields(doc)
    para(doc, "This pack holds children's personal details. It is for panel members preparing "
              "for this meeting only: do not forward it, keep it securely and destroy it after "
              "the meeting.", bold=True, size=9.5)
    heading(doc, "Cases at this meeting", 1)
    loop_table(doc, ["Time", "Reference", "New case or review", "Referrer"],
               ["{{ c.time }}", "{{ c.reference }}", "{{ c.kind }}" + outcome("c"),
                "{{ c.referrer }}, {{ c.referrer_agency }}"],
               loop="c in cases", widths_cm=(2.0, 4.0, 4.0, 7.0), empty="No cases are on this agenda yet.")
    para(doc, "{%p for c in cases %}")
    case_heading = heading(doc, "{{ c.time }} · {{ c.reference }} · {{ c.kind }}" + outcome("c"), 1)
    case_heading.style = case_heading_style(doc)
    fields(doc, [
        ("Received", "{{ c.received }}"),
        ("Referrer", "{{ c.referrer }}, {{ c.referrer_agency }}"),
        ("Referrer's contact", "{{ c.referrer_contact }}"),
        ("Consent", "{{ c.consent }}"),
        ("Triage", "{{ c.triage }}"),
        ("Transition package", "{{ c.flags }}"),
        ("Earlier referrals", "{{ c.earlier }}"),
    ])
    heading(doc, "Children", 2)
    loop_table(doc, ["Name", "Date of birth", "Age"], ["{{ ch.name }}", "{{ ch.dob }}", "{{ ch.age }}"],
               loop="ch in c.children", widths_cm=(8.0, 5.0, 4.0))
    heading(doc, "Needs", 2)
    para(doc, "{{ c.needs }}")
    heading(doc, "Agencies involved or suggested", 2)
    para(doc, "{{ c.agencies }}")
    agreed_before(doc)
    heading(doc, "History", 2)
    loop_table(doc, ["Date", "What happened"], ["{{ h.date }}", "{{ h.what }}"],
               loop="h in c.history", widths_cm=(4.0, 13.0))
    heading(doc, "Documents in the case file", 2)
    loop_table(doc, ["Document", "Kind", "What it is", "Size", "Added"],
               ["{{ a.file }}", "{{ a.kind }}", "{{ a.content }}", "{{ a.size }}", "{{ a.added }}"],
               loop="a in c.attachments", widths_cm=(5.5, 2.0, 3.5, 2.0, 4.0),
               empty="No documents are kept in this case's file.")
    heading(doc, "Actions still open", 2)
    loop_table(doc, ["Action", "Owner", "Agency", "Due", "Agreed"],
               ["{{ a.what }}", "{{ a.owner }}", "{{ a.agency }}", "{{ a.due }}", "{{ a.agreed }}"],
               loop="a in c.actions", widths_cm=(6.0, 3.0, 3.0, 2.5, 2.5),
               empty="No earlier actions are open for this case.")
    para(doc, "{%p endfor %}")
    return save(doc, "background-pack.docx")


if __name__ == "__main__":
    for made in (agenda(), background_pack()):
        print(made)
