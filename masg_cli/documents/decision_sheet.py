"""The decision sheet for the referrer: what the panel agreed, who the Lead Professional is, the
review date and what the referrer does next; with its covering e-mail to the referrer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from masg_cli.dates import uk
from masg_cli.documents.email import sender_of, write_eml
from masg_cli.documents.render import render_text, write_document
from masg_cli.documents.templates import template_path
from masg_cli.models import Decision, Meeting, Referral
from masg_cli.services.decisions import locality_of, services_of
from masg_cli.services.referrals import children_of


KIND = "decision-sheet"


def file_name(reference: str) -> str:
    """decision-sheet-<REF>.docx: a file name never carries a child's name."""
    return f"{KIND}-{reference}.docx"


def sheet_context(session: Session, referral: Referral, decision: Decision, *, on: date) -> dict:
    """Everything the decision sheet says, as text ready for the template (dates in UK style)."""
    meeting = session.get_one(Meeting, decision.meeting_id)
    locality = locality_of(session, referral)
    return {
        "reference": referral.reference,
        "panel": referral.panel,
        "letter_date": uk(on),
        "locality": locality.name,
        "children": [{"name": c.name, "dob": uk(c.dob)} for c in children_of(session, referral)],
        "referrer": referral.referrer_name,
        "referrer_agency": referral.referrer_agency,
        "referrer_email": referral.referrer_email,
        "meeting_date": uk(meeting.date),
        "meeting_venue": meeting.venue,
        "services": [{"agency": s.agency, "what": s.description} for s in services_of(session, decision)],
        "lead_name": decision.lead_name,
        "lead_agency": decision.lead_agency,
        "lead_contact": decision.lead_contact,
        "review_date": uk(decision.review_date),
        "coordinator": locality.coordinator,
        "coordinator_contact": locality.contact,
    }


def write(context: dict, out_dir, *, templates: Path | None = None, pdf: bool = False,
          eml: bool = False) -> list[Path]:
    """One case's sheet, its PDF when asked and, with ``eml``, a draft to the referrer with it
    attached; written whole, or nothing is left behind."""
    sheet = template_path(f"{KIND}.docx", templates)
    # The covering message first: a broken e-mail template must not leave a sheet behind.
    body = render_text(template_path("decision-email.txt", templates), context) if eml else None
    return write_document(sheet, context, out_dir, file_name(context["reference"]), pdf=pdf,
                          drafts=(lambda attachment: [_draft(context, out_dir, attachment, body)])
                          if body is not None else None)


def _draft(context: dict, out_dir, attachment: Path, body: str) -> Path:
    """The covering e-mail to the referrer: the reference in the subject, never a child's name."""
    return write_eml(
        out_dir, f"{KIND}-{context['reference']}.eml", to=context["referrer_email"],
        subject=f"{context['panel']} decision sheet {context['reference']} "
                f"(meeting of {context['meeting_date']})",
        body=body, attachments=[attachment], sender=sender_of(context))
