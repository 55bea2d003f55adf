"""The Lead Professional of a case: named by the panel's decision, changed between panels.

One source for every reader (referral show, the follow-up list, today, the letters and forms,
exports): the latest ``lead_change`` dated on or after the latest decision's meeting, else that
decision's Lead Professional, else (a case imported without a decision) the tracker's.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import now_utc
from masg_cli.errors import Refused
from masg_cli.models import Decision, LeadChange, Meeting, Referral, id_of
from masg_cli.services.decisions import LeadProfessional, latest_decision, latest_decision_id, lead_professional
from masg_cli.services.referrals import get_referral, save_change


def latest_lead_change_id(referral_id):
    """The id of a case's latest Lead Professional change, as a subquery (correlated with
    ``Referral.id`` in the lists, as ``latest_decision_id`` is)."""
    return (
        select(LeadChange.id).where(LeadChange.referral_id == referral_id)
        .order_by(col(LeadChange.date).desc(), col(LeadChange.id).desc()).limit(1).correlate(Referral).scalar_subquery()
    )


def lead_columns():
    """The current Lead Professional's name, agency and contact as SQL columns, for a query that
    has joined the latest Decision, its Meeting and the latest LeadChange (outer joins)."""
    changed = and_(col(LeadChange.id).is_not(None),
                   or_(col(Decision.id).is_(None), col(LeadChange.date) >= Meeting.date))
    return tuple(case((changed, getattr(LeadChange, mine)),
                      else_=func.coalesce(getattr(Decision, theirs), getattr(Referral, tracker)))
                 for mine, theirs, tracker in (("name", "lead_name", "tracker_lead_name"),
                                               ("agency", "lead_agency", "tracker_lead_agency"),
                                               ("contact", "lead_contact", "tracker_lead_contact")))


def join_lead(query):
    """``query`` (from Referral) with what ``lead_columns`` reads joined in."""
    return (query.outerjoin(Decision, Decision.id == latest_decision_id(Referral.id))
            .outerjoin(Meeting, Meeting.id == Decision.meeting_id)
            .outerjoin(LeadChange, LeadChange.id == latest_lead_change_id(Referral.id)))


def lead_changes(session: Session, referral: Referral) -> list[LeadChange]:
    return list(session.exec(select(LeadChange).where(LeadChange.referral_id == referral.id)
                             .order_by(col(LeadChange.date), col(LeadChange.id))))


def current_lead(session: Session, referral: Referral) -> LeadProfessional | None:
    """Who the co-ordinator contacts about the case today, and who the letters and forms name."""
    decision = latest_decision(session, referral)
    changes = lead_changes(session, referral)
    if changes:
        meeting = session.get(Meeting, decision.meeting_id) if decision else None
        if meeting is None or changes[-1].date >= meeting.date:
            return LeadProfessional(changes[-1].name, changes[-1].agency, changes[-1].contact)
    return lead_professional(referral, decision)


def _since(session: Session, referral: Referral) -> date | None:
    """The day the current Lead Professional took the case on, as the store knows it."""
    changes = lead_changes(session, referral)
    decision = latest_decision(session, referral)
    meeting = session.get(Meeting, decision.meeting_id) if decision else None
    days = [d for d in ((changes[-1].date if changes else None), (meeting.date if meeting else None)) if d]
    return max(days) if days else None


def change_lead(uow, reference: str, *, name: str, agency: str, contact: str | None, on: date,
                reason: str | None) -> LeadProfessional:
    """A new Lead Professional from ``on``: the earlier one stays in the case's history."""
    why = rules.check_correction_reason(reason)
    rules.check_lead_professional(name, agency)
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    before = current_lead(session, referral)
    if before is None:
        raise Refused(f"{referral.reference} has no Lead Professional yet; the panel names one with "
                      "'masg decision record'")
    rules.check_not_before(referral.reference, "the new Lead Professional", on,
                           "the current one took the case on", _since(session, referral))
    after = LeadProfessional(name.strip(), agency.strip(), (contact or "").strip())
    if after == before:
        raise Refused(f"{after.name} of {after.agency} is already {referral.reference}'s Lead Professional")
    session.add(LeadChange(referral_id=id_of(referral), date=on, name=after.name, agency=after.agency,
                           contact=after.contact, reason=why, recorded_at=now_utc()))
    fields = {key: [old, new] for key, old, new in zip(("lead_name", "lead_agency", "lead_contact"),
                                                          astuple(before), astuple(after))
              if old != new}
    save_change(uow, referral, "lead change", {"reason": why, "date": on, "fields": fields})
    return after
