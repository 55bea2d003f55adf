"""What the documents sent to a case's Lead Professional share: the case's details, and the way
each is written (a Word document, an optional PDF, an unsent e-mail draft to them).

The 12-week follow-up letter (followup_letter.py) and the final review form
(final_review_form.py) are each one ``CaseDocument`` over this context.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from masg_cli.dates import uk
from masg_cli.documents.email import covering_message, sender_of, write_eml
from masg_cli.documents.render import write_document
from masg_cli.documents.templates import template_path
from masg_cli.documents.words import plain
from masg_cli.models import FollowUp, Meeting, Referral, Review
from masg_cli.services.decisions import latest_decision, locality_of, services_of
from masg_cli.services.leads import current_lead
from masg_cli.services.referrals import children_of



@dataclass(frozen=True)
class CaseDocument:
    """One kind of document: its template name (and file prefix), what the e-mail calls it, and
    what it asks the Lead Professional to do."""

    kind: str
    subject: str
    what: str
    ask: str


def case_context(session: Session, referral: Referral, *, on: date) -> dict:
    """What the follow-up letter and the final review form say about a case (UK dates, plain text)."""
    decision = latest_decision(session, referral)  # None for a case imported from a tracker
    lead = current_lead(session, referral)
    meeting = session.get(Meeting, decision.meeting_id) if decision else None
    locality = locality_of(session, referral)
    reviews = session.exec(select(Review).where(Review.referral_id == referral.id)
                           .order_by(col(Review.date), col(Review.id))).all()
    contacts = session.exec(select(FollowUp).where(FollowUp.referral_id == referral.id)
                            .order_by(col(FollowUp.date), col(FollowUp.id))).all()
    return {
        "reference": referral.reference,
        "panel": referral.panel,
        "locality": locality.name,
        "letter_date": uk(on),
        "children": [{"name": c.name, "dob": uk(c.dob)} for c in children_of(session, referral)],
        "referrer": referral.referrer_name,
        "referrer_agency": referral.referrer_agency,
        "received": uk(referral.received),
        "meeting_date": uk(meeting.date) if meeting else "not recorded in masg (imported from a tracker)",
        "services": ([{"agency": s.agency, "what": s.description} for s in services_of(session, decision)]
                     if decision else [{"agency": "As recorded in your tracker", "what": ""}]),
        "lead_name": (lead and lead.name) or "Lead Professional",
        "lead_agency": (lead and lead.agency) or "as recorded in your tracker",
        "lead_contact": lead.contact if lead else "",
        "tac_date": uk(referral.tac_date) if referral.tac_date else "not recorded",
        "reviews": [{"date": uk(r.date), "further": plain("further_reviews", r.further_reviews)}
                    for r in reviews],
        "last_reviewed": uk(referral.last_reviewed) if referral.last_reviewed else "not yet reviewed",
        "since_review": _since(referral.last_reviewed, on),
        "follow_up_due": uk(referral.follow_up_due) if referral.follow_up_due else "",
        "contacts": [{"date": uk(f.date), "outcome": plain("follow_up", f.outcome)} for f in contacts],
        "coordinator": locality.coordinator,
        "coordinator_contact": locality.contact,
    }


def _since(reviewed: date | None, on: date) -> str:
    """The time from the last review to the letter, as the letter says it ("11 weeks and 2 days")."""
    if reviewed is None or on < reviewed:
        return "not known"
    weeks, days = divmod((on - reviewed).days, 7)
    parts = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((weeks, "week"), (days, "day")) if n]
    return " and ".join(parts) or "0 days"


def write(document: CaseDocument, context: dict, out_dir, *, templates: Path | None = None,
          pdf: bool = False, to: str | None = None) -> list[Path]:
    """The document (``<kind>-<REF>.docx``), its PDF when asked and, given ``to``, a draft to that
    address with it attached; written whole, or nothing is left behind."""
    name = f"{document.kind}-{context['reference']}"

    def draft(attachment: Path) -> list[Path]:
        return [write_eml(
            out_dir, f"{name}.eml", to=to,
            subject=f"{context['panel']} {document.subject} {context['reference']}",
            body=covering_message(context, document.what, document.ask), attachments=[attachment],
            sender=sender_of(context))]

    return write_document(template_path(f"{document.kind}.docx", templates), context, out_dir,
                          f"{name}.docx", pdf=pdf, drafts=draft if to is not None else None)
