"""After the panel: its decisions, the family's answer, the TAC meeting and the Lead Professional.

The decision sheet sent to the referrer is services/decision_sheets.py.

The leaflet: "After the MASG meeting, a decision sheet will be sent to the referrer ... The
referrer must then share this information with the family and if the family agree to accept
services agreed by the MASG, the referrer will then advise the Lead Professional", who "will ...
set up a Team Around the Child meeting, with the family".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import now_utc
from masg_cli.errors import Refused
from masg_cli.fields import check_one_line
from masg_cli.models import AgendaSlot, Decision, Locality, Meeting, Referral, Service, id_of
from masg_cli.services.meetings import get_meeting
from masg_cli.services.meetings import label as meeting_label
from masg_cli.services.referrals import get_referral, save_change, set_status

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


@dataclass
class PanelDecision:
    """What the panel agreed for a case: services per agency, the Lead Professional, a review."""

    services: list[tuple[str, str]]  # (agency, what)
    lead_name: str
    lead_agency: str
    lead_contact: str
    review_date: date
    inquorate_reason: str | None = None  # why the panel decided at an inquorate meeting


def _slot(session: Session, meeting: Meeting, referral: Referral) -> AgendaSlot | None:
    return session.exec(
        select(AgendaSlot).where(AgendaSlot.meeting_id == meeting.id,
                                 AgendaSlot.referral_id == referral.id)
        .order_by(col(AgendaSlot.id).desc())
    ).first()


def services_of(session: Session, decision: Decision) -> list[Service]:
    return list(session.exec(select(Service).where(col(Service.decision_id) == decision.id).order_by(col(Service.id))))


def _decision_at(session: Session, meeting: Meeting, referral: Referral) -> Decision | None:
    return session.exec(select(Decision).where(Decision.meeting_id == meeting.id,
                                               Decision.referral_id == referral.id)).first()


def latest_decision_id(referral_id):
    """The id of a case's latest decision, as a subquery: the one at the latest meeting (the
    higher id breaks a tie). ``referral_id`` is an id, or ``Referral.id`` to correlate it with
    each case of an outer query (the lists and the morning list use it that way)."""
    return (
        select(col(Decision.id)).join(Meeting, col(Meeting.id) == Decision.meeting_id)
        .where(col(Decision.referral_id) == referral_id).order_by(col(Meeting.date).desc(), col(Decision.id).desc())
        .limit(1).correlate(Referral).scalar_subquery()
    )


def latest_decision(session: Session, referral: Referral) -> Decision | None:
    return session.exec(select(Decision).where(Decision.id == latest_decision_id(referral.id))).first()


def _replace_services(session: Session, decision: Decision, services: list[tuple[str, str]]) -> None:
    for old in services_of(session, decision):
        session.delete(old)
    session.flush()
    for agency, what in services:
        session.add(Service(decision_id=id_of(decision), agency=agency, description=what))


def record_decision(uow: UnitOfWork, reference: str, meeting_id: int, agreed: PanelDecision) -> tuple[Decision, bool]:
    """Record the panel's decision for a case on the meeting's agenda; again corrects it.

    Returns the decision and whether it was a correction of one already recorded.
    """
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    meeting = get_meeting(session, meeting_id)
    slot = _slot(session, meeting, referral)
    rules.check_on_agenda(referral.reference, meeting_label(meeting), slot.outcome if slot else None)
    rules.check_services(agreed.services)
    rules.check_lead_professional(agreed.lead_name, agreed.lead_agency)
    check_one_line([*(("--service", f"{agency}: {what}") for agency, what in agreed.services),
                    ("--lead-name", agreed.lead_name), ("--lead-agency", agreed.lead_agency),
                    ("--lead-contact", agreed.lead_contact)])
    rules.check_review_date(agreed.review_date, meeting.date)
    _warn_if_co_ordinator_leads(uow, referral, agreed.lead_name)
    from masg_cli.services.attendance import check_quorum

    inquorate_reason = check_quorum(uow, meeting, agreed.inquorate_reason)
    existing = _decision_at(session, meeting, referral)
    if existing is not None:
        existing.inquorate_reason = inquorate_reason
        return _correct(uow, referral, existing, agreed), True
    rules.check_move(referral.reference, referral.status, "decision", referral.closed_reason)
    decision = Decision(referral_id=id_of(referral), meeting_id=id_of(meeting), lead_name=agreed.lead_name.strip(),
                        lead_agency=agreed.lead_agency.strip(), lead_contact=(agreed.lead_contact or "").strip(),
                        review_date=agreed.review_date, recorded_at=now_utc(), inquorate_reason=inquorate_reason)
    session.add(decision)
    session.flush()
    _replace_services(session, decision, agreed.services)
    assert slot is not None  # check_on_agenda refused a case without a slot on this meeting
    slot.outcome = "decided"
    session.add(slot)
    # The agenda builder puts a decided or active case on the first meeting on or after this.
    referral.next_review = agreed.review_date
    set_status(uow, referral, "decision record", rules.DECIDED, changes={
        "meeting": meeting.id, "review_date": agreed.review_date,
        "services": [agency for agency, _ in agreed.services], "lead_agency": decision.lead_agency,
        **({"inquorate": True} if inquorate_reason else {}),
    })
    return decision, False


def _correct(uow: UnitOfWork, referral: Referral, decision: Decision, agreed: PanelDecision) -> Decision:
    """A decision recorded again for the same meeting replaces the first, and the audit says what changed."""
    if referral.status not in (rules.DECIDED, rules.ACTIVE):
        raise Refused(f"{referral.reference} is {referral.status}; a decision can be corrected only "
                      "while the case is decided or active")
    session = uow.session
    old_services = [(s.agency, s.description) for s in services_of(session, decision)]
    changes: dict = {"meeting": decision.meeting_id}
    # Dates and agencies are shown as they were and are; free text only as 'changed'.
    if decision.review_date != agreed.review_date:
        changes["review_date"] = [decision.review_date, agreed.review_date]
        if referral.next_review == decision.review_date:
            referral.next_review = agreed.review_date
    if decision.lead_agency != agreed.lead_agency.strip():
        changes["lead_agency"] = [decision.lead_agency, agreed.lead_agency.strip()]
    for field, value in (("lead_name", agreed.lead_name.strip()),
                         ("lead_contact", (agreed.lead_contact or "").strip())):
        if getattr(decision, field) != value:
            changes[field] = "changed"
    if old_services != list(agreed.services):
        changes["services"] = [[a for a, _ in old_services], [a for a, _ in agreed.services]]
        _replace_services(session, decision, agreed.services)
    decision.lead_name = agreed.lead_name.strip()
    decision.lead_agency = agreed.lead_agency.strip()
    decision.lead_contact = (agreed.lead_contact or "").strip()
    decision.review_date = agreed.review_date
    session.add(decision)
    referral.updated_at = now_utc()
    session.add(referral)
    session.flush()
    if len(changes) > 1 and decision.sheet_produced_at is not None:
        # The sheet the referrer has is out of date: the morning list shows it as not produced.
        decision.sheet_produced_at = None
        changes["sheet"] = "to produce again"
        uow.warn(f"warning: the decision sheet of {referral.reference} was produced before this "
                 "correction; produce it again with 'masg decision sheet --overwrite' and send it to the referrer")
    uow.record("decision correct", referral.reference, changes)
    return decision


def defer(uow: UnitOfWork, reference: str, meeting_id: int, *, note: str | None) -> Referral:
    """Not reached, or the panel needs more information: back to the queue for the next meeting."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    meeting = get_meeting(session, meeting_id)
    slot = _slot(session, meeting, referral)
    if slot is None or slot.outcome != "pending":
        rules.check_on_agenda(referral.reference, meeting_label(meeting), slot.outcome if slot else None)
        raise Refused(f"{referral.reference} was already decided at meeting {meeting_label(meeting)}; "
                      "correct the decision with 'masg decision record' instead of deferring")
    status = rules.deferred_status(referral.reference, referral.status, slot.kind, referral.closed_reason)
    slot.outcome = "deferred"
    slot.note = (note or "").strip() or None
    session.add(slot)
    changes = {"meeting": meeting.id, "note": bool(slot.note)}
    if status != referral.status:
        set_status(uow, referral, "decision defer", status, changes=changes)
    else:  # a review the panel did not reach: the case stays as it is, and waits for the next agenda
        session.flush()
        uow.record("decision defer", referral.reference, changes | {"kind": slot.kind})
    return referral


def family_response(uow: UnitOfWork, reference: str, *, answer: str, on: date) -> Referral:
    """The family's answer to the panel's offer: accepted (active) or declined (closed)."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "family-response", referral.closed_reason)
    decision = latest_decision(session, referral)
    if decision is None:  # e.g. a case brought in by an older import: no panel decision to answer
        raise Refused(f"{referral.reference} has no panel decision recorded, so there is no offer for the "
                      "family to answer; record the panel's decision with 'masg decision record' first")
    meeting = session.get_one(Meeting, decision.meeting_id)
    rules.check_family_response_date(referral.reference, on, meeting.date)
    status, closed_reason = rules.family_response_outcome(answer)
    referral.family_response = answer
    referral.family_response_date = on
    set_status(uow, referral, "family-response", status, closed_reason=closed_reason,
               closed_on=on if closed_reason else None, changes={"answer": answer, "date": on})
    return referral


def team_around_the_child(uow: UnitOfWork, reference: str, *, on: date) -> Referral:
    """The Team Around the Child meeting the Lead Professional set up with the family."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "tac", referral.closed_reason)
    rules.check_tac_date(referral.reference, on, referral.family_response_date)
    before = referral.tac_date
    referral.tac_date = on
    save_change(uow, referral, "tac record", {"tac_date": [before, on] if before else on})
    return referral


def locality_of(session: Session, referral: Referral) -> Locality:
    return session.get_one(Locality, referral.locality_id)


def _warn_if_co_ordinator_leads(uow, referral: Referral, lead_name: str) -> None:
    """The leaflet has the panel identify a Lead Professional from the agencies around the family;
    the locality's own CAF co-ordinator named as one is allowed (a correction may follow) but said."""
    locality = locality_of(uow.session, referral)
    if locality.coordinator and " ".join(lead_name.split()).lower() == " ".join(locality.coordinator.split()).lower():
        # No name in the line: the co-ordinator knows who they are.
        uow.warn(f"warning: the Lead Professional named for {referral.reference} is {locality.name}'s own "
                 "CAF co-ordinator; the panel identifies a Lead Professional from the agencies working "
                 "with the family (correct it with 'masg decision record' again if that was a slip)")


# --- The Lead Professional ------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadProfessional:
    name: str
    agency: str
    contact: str


def lead_professional(referral: Referral, decision: Decision | None) -> LeadProfessional | None:
    """Who the co-ordinator contacts about the case: the latest panel decision's Lead Professional,
    else (a case imported without a decision) the one the team's tracker gave, else nobody known."""
    if decision is not None:
        return LeadProfessional(decision.lead_name, decision.lead_agency, decision.lead_contact or "")
    given = (referral.tracker_lead_name, referral.tracker_lead_agency, referral.tracker_lead_contact)
    if not any(given):
        return None
    return LeadProfessional(*(value or "" for value in given))
