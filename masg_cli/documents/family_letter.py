"""The letter for the family: the referrer "must then share this information with the family",
so the panel's decision is also written for them, in plain English (what was agreed, who their
Lead Professional is, what happens next, that they can say no, how to complain or see their
records). Only the words differ from the decision sheet; the facts are the same decision's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from masg_cli.dates import uk
from masg_cli.documents.render import write_document
from masg_cli.documents.templates import template_path
from masg_cli.models import Decision, Meeting, Referral
from masg_cli.services.decisions import locality_of, services_of
from masg_cli.services.referrals import children_of

KIND = "family-letter"


def _names(names: list[str]) -> str:
    """"Ada", "Ada and Ben", "Ada, Ben and Cal": as a sentence says them."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def letter_context(session: Session, referral: Referral, decision: Decision, *, on: date) -> dict:
    """Everything the family letter says, as text ready for the template (dates in UK style)."""
    meeting = session.get_one(Meeting, decision.meeting_id)
    locality = locality_of(session, referral)
    return {
        "reference": referral.reference, "panel": referral.panel, "locality": locality.name,
        "letter_date": uk(on), "meeting_date": uk(meeting.date), "review_date": uk(decision.review_date),
        "children": _names([c.name for c in children_of(session, referral)]),
        "referrer": referral.referrer_name, "referrer_agency": referral.referrer_agency,
        "services": [{"agency": s.agency, "what": s.description} for s in services_of(session, decision)],
        "lead_name": decision.lead_name, "lead_agency": decision.lead_agency,
        "lead_contact": decision.lead_contact,
        "coordinator": locality.coordinator, "coordinator_contact": locality.contact,
    }


def write(context: dict, out_dir, *, templates: Path | None = None, pdf: bool = False) -> list[Path]:
    """``family-letter-<REF>.docx`` and its PDF when asked; written whole, or nothing is left."""
    return write_document(template_path(f"{KIND}.docx", templates), context, out_dir,
                          f"{KIND}-{context['reference']}.docx", pdf=pdf)
