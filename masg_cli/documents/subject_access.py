"""The readable copy of a subject access request: every referral of one child, as masg holds it.

Built with python-docx rather than from a template: it is a record of the store for the family,
not a letter a co-ordinator brands, and it must hold every field whatever the templates say.
"""

from __future__ import annotations

import io
from datetime import date

from masg_cli.dates import uk


def _text(value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return uk(value)
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "-"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header):
        cell.text = title
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = _text(value)


_CASE_FIELDS = ("status", "closed_reason", "locality", "received", "referrer", "referrer_agency", "referrer_email",
                "referrer_phone", "consent", "needs", "agencies", "transitions", "step_down", "earlier_referrals",
                "later_referrals", "lead_professional", "next_review", "follow_up_due", "closed_on",
                "closure_outcome")


def _referral(document, case: dict) -> None:
    document.add_heading(case["reference"], level=1)
    _table(document, ["Field", "Held"], [[f.replace("_", " "), case.get(f)] for f in _CASE_FIELDS])
    document.add_heading("Children", level=2)
    _table(document, ["Name", "Born", "Details"],
           [[c["name"], c["dob"], {k: v for k, v in c.items() if k not in ("name", "dob") and v}]
            for c in case["children"]])
    document.add_heading("What happened", level=2)
    _table(document, ["Date", "Event"], [[e["date"], e["event"]] for e in case["timeline"]])
    for extra, title in (("notes", "Notes"), ("attachments", "Attachments")):
        if case.get(extra):
            document.add_heading(title, level=2)
            _table(document, ["Held"], [[item] for item in case[extra]])
    document.add_heading("Audit trail", level=2)
    _table(document, ["When", "Who", "What", "Changes"],
           [[e["at"][:16].replace("T", " "), e["user"], e["action"], e["changes"]] for e in case["history"]])


def docx_bytes(held: dict) -> bytes:
    """The Word document, A4, as bytes (written by the caller, 0600)."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_heading("Subject access: what masg holds about a child", level=0)
    child = held["child"]
    document.add_paragraph(f"{child['name']}, born {uk(child['dob'])}. Produced {uk(held['produced'])}; "
                           f"{len(held['referrals'])} referral(s).")
    for case in held["referrals"]:
        _referral(document, case)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
