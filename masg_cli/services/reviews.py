"""Panel reviews and closure: the review that decides whether the panel sees the case again, and
the final review form that closes it.

The leaflet: "The MASG will set a review date ... A decision will be taken at this first review
as to whether further reviews within the MASG are likely to be needed", and "When the
interventions have been completed and the case has been closed, the Lead Professional ... will
complete a final review form and send it to the CAF co-ordinator as part of the closure".
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, func, select

from masg_cli import rules
from masg_cli.documents import final_review_form
from masg_cli.errors import Refused
from masg_cli.models import AgendaSlot, Decision, FollowUp, Meeting, Referral, Review, id_of
from masg_cli.services import case_documents
from masg_cli.services.decisions import latest_decision
from masg_cli.services.referrals import get_referral, save_change, set_status

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def _decision_meeting(session: Session, referral: Referral) -> tuple[Decision, Meeting]:
    decision = latest_decision(session, referral)
    if decision is None:
        raise Refused(f"{referral.reference} has no panel decision yet; record it with 'masg decision record'")
    return decision, session.get_one(Meeting, decision.meeting_id)


def _review_slot(session: Session, referral: Referral, on: date) -> AgendaSlot | None:
    """The case's pending review slot on the latest meeting held on or before the review's date.

    A review written up a day or two after the meeting still takes the case off that agenda.
    """
    return session.exec(
        select(AgendaSlot).join(Meeting, col(Meeting.id) == AgendaSlot.meeting_id)
        .where(AgendaSlot.referral_id == referral.id, AgendaSlot.outcome == rules.SLOT_PENDING,
               AgendaSlot.kind == rules.SLOT_REVIEW, Meeting.date <= on)
        .order_by(col(Meeting.date).desc(), col(AgendaSlot.id).desc())
    ).first()


def record_review(uow: UnitOfWork, reference: str, *, on: date, further_reviews: bool,
                  next_review: date | None, note: str | None,
                  inquorate_reason: str | None = None) -> tuple[Referral, Review]:
    """Record the panel's review: further reviews (active, next date) or none (monitoring, 12 weeks)."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "review", referral.closed_reason)
    _, meeting = _decision_meeting(session, referral)
    previous = session.exec(select(func.max(Review.date)).where(Review.referral_id == referral.id)).one()
    result = rules.panel_review(referral.reference, on, decided_at=meeting.date, previous_review=previous,
                                further_reviews=further_reviews, next_review=next_review)
    slot = _review_slot(session, referral, on)
    kept_reason = None
    if slot is not None:  # a review at a panel meeting: the panel must have been able to decide
        from masg_cli.services.attendance import check_quorum

        kept_reason = check_quorum(uow, session.get_one(Meeting, slot.meeting_id), inquorate_reason)
    review = Review(referral_id=id_of(referral), meeting_id=slot.meeting_id if slot else None, date=on,
                    further_reviews=further_reviews, next_review=result.next_review,
                    note=(note or "").strip() or None, inquorate_reason=kept_reason)
    session.add(review)
    if slot is not None:
        slot.outcome = "reviewed"
        session.add(slot)
    referral.next_review = result.next_review
    referral.last_reviewed = result.last_reviewed
    referral.follow_up_due = result.follow_up_due
    set_status(uow, referral, "review record", result.status, changes={
        "date": on, "further_reviews": further_reviews, "next_review": result.next_review,
        "follow_up_due": result.follow_up_due, "meeting": slot.meeting_id if slot else None,
        **({"inquorate": True} if kept_reason else {}),
    })
    return referral, review


def _last_contact(session: Session, referral: Referral) -> date | None:
    return session.exec(select(func.max(FollowUp.date)).where(FollowUp.referral_id == referral.id)).one()


def latest_step(session: Session, referral: Referral) -> date | None:
    """The last panel review or follow-up contact: nothing later in the case can be dated before it."""
    days = [d for d in (referral.last_reviewed, _last_contact(session, referral)) if d is not None]
    return max(days) if days else None


def close_referral(uow: UnitOfWork, reference: str, *, final_review_date: date, outcome: str) -> tuple[Referral, bool]:
    """The Lead Professional's returned final review form closes the case (completed).

    A case already closed by a follow-up 'close' takes the form's date and outcome without
    changing status. Returns the referral and whether it closed now.
    """
    if not (outcome or "").strip():
        raise Refused("give --outcome: what the final review form says about the outcomes")
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    closes_now = rules.check_closure(referral.reference, referral.status, referral.closed_reason,
                                     referral.final_review_date, final_review_date,
                                     not_before=latest_step(session, referral))
    referral.final_review_date = final_review_date
    referral.closure_outcome = outcome.strip()
    changes = {"final_review_date": final_review_date, "outcome": True}
    if closes_now:
        set_status(uow, referral, "referral close", rules.CLOSED, closed_reason=rules.CLOSED_COMPLETED,
                   closed_on=final_review_date, changes=changes)
    else:
        save_change(uow, referral, "referral close", changes)
    return referral, closes_now


# --- The final review form ------------------------------------------------------------------------


def produce_final_review_form(uow: UnitOfWork, reference: str, *, out_dir, eml: bool, on: date) -> list:
    """The final review form, pre-filled, for the Lead Professional to complete and return."""
    referral = get_referral(uow.session, reference)
    if referral.status not in (rules.ACTIVE, rules.MONITORING) and not rules.final_review_form_awaited(
            referral.status, referral.closed_reason, referral.final_review_date):
        rules.check_move(referral.reference, referral.status, "final-review-form", referral.closed_reason)
    return case_documents.produce_case_document(uow, referral, final_review_form.FINAL_REVIEW_FORM,
                                                out_dir=out_dir, on=on, eml=eml)
