"""The 12-week follow-up: the co-ordinator's contact with the Lead Professional.

The leaflet: "Where it is agreed that further reviews by the MASG are not needed, the CAF
co-ordinator will contact the Lead Professional 12 weeks after the case was last reviewed by MASG
to ascertain the outcomes of the work to date."

The list is read column by column in indexed SQL (``referral.follow_up_due`` has an index, and
the Lead Professional comes from each case's latest decision through ``decision.referral_id``, or
from the case's own row when it was imported from a tracker without one), so a store of 100,000
cases costs no more than the cases that are due.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.errors import Refused
from masg_cli.models import FollowUp, Locality, Referral, id_of
from masg_cli.services.referrals import (
    NewReferral,
    add_referral,
    agencies_of,
    children_of,
    flags_of,
    get_referral,
    save_change,
    set_status,
)
from masg_cli.services.setup import get_locality

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork



def follow_up_filter(*, today: date, overdue: bool = False, until: date | None = None,
                     locality_id: int | None = None) -> list:
    """Which cases are open follow-ups: monitoring with a due date (overdue: due before today)."""
    where = [col(Referral.status) == rules.MONITORING, col(Referral.follow_up_due).is_not(None)]
    if overdue:
        where.append(col(Referral.follow_up_due) < rules.overdue_before(today))
    if until is not None:
        where += [col(Referral.follow_up_due) >= rules.overdue_before(today), col(Referral.follow_up_due) < until]
    if locality_id is not None:
        where.append(col(Referral.locality_id) == locality_id)
    return where


def follow_up_query(*, today: date, overdue: bool = False, until: date | None = None,
                    locality_id: int | None = None):
    """Open follow-ups with their Lead Professional, soonest due first (the (status,
    follow_up_due) index gives them in order; the locality's name is looked up in Python).

    The Lead Professional is the current one (``services.leads``): a change made since the latest
    decision, else that decision's, else (a case imported without one) the tracker's."""
    from masg_cli.services.leads import join_lead, lead_columns

    return (
        # SQLModel types select() for at most four columns.
        join_lead(select(Referral.reference, Referral.follow_up_due, Referral.last_reviewed,  # type: ignore[call-overload, type-var]
                         Referral.locality_id, *lead_columns()).select_from(Referral))
        .where(*follow_up_filter(today=today, overdue=overdue, until=until, locality_id=locality_id))
        .order_by(Referral.follow_up_due, Referral.id)
    )


def follow_up_rows(session: Session, query, today: date) -> list[dict]:
    names = dict(session.exec(select(Locality.id, Locality.name)).all())
    return [
        {"reference": reference, "due": due, "lead_professional": lead_name,
         "days_overdue": rules.days_overdue(due, today), "locality": names.get(locality_id),
         "lead_agency": lead_agency, "lead_contact": lead_contact, "last_reviewed": last_reviewed}
        for reference, due, last_reviewed, locality_id, lead_name, lead_agency, lead_contact
        in session.exec(query)
    ]


def follow_ups(session: Session, *, today: date, overdue: bool, locality: str | None) -> list[dict]:
    """Every open follow-up (or only the overdue ones: due before ``today``)."""
    locality_id = get_locality(session, locality).id if locality else None
    return follow_up_rows(session, follow_up_query(today=today, overdue=overdue, locality_id=locality_id),
                          today)


def record_follow_up(uow: UnitOfWork, reference: str, *, on: date, outcome: str, note: str | None,
                     new_referral: str | None = None, consent_date: date | None = None,
                     consent_by: str | None = None) -> tuple[Referral, FollowUp, Referral | None]:
    """Record the contact with the Lead Professional: continue, close or re-refer.

    re-refer links the re-referral the Lead Professional made (``new_referral``, already added
    with 'referral add --re-referral-of'), or makes it now on their behalf from the family's fresh
    consent (``consent_date``, ``consent_by``). Returns the case, the follow-up row and, for
    re-refer, the linked referral.
    """
    from masg_cli.services.reviews import latest_step  # here: the lists need not import the documents

    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "follow-up", referral.closed_reason)
    result = rules.follow_up_contact(referral.reference, outcome, on, since=latest_step(session, referral))
    contact = FollowUp(referral_id=id_of(referral), date=on, due=referral.follow_up_due, outcome=outcome,
                       note=(note or "").strip() or None)
    new = None
    if outcome == rules.FOLLOW_UP_RE_REFER:
        new = (_linked(session, referral, new_referral) if new_referral
               else _re_refer(uow, referral, on, note=note, consent_date=consent_date, consent_by=consent_by))
    contact.new_referral_id = new.id if new else None
    session.add(contact)
    changes = {"date": on, "outcome": outcome, "due": referral.follow_up_due,
               "next_due": result.follow_up_due, "new_referral": new.reference if new else None}
    referral.follow_up_due = result.follow_up_due
    if result.status != referral.status:
        set_status(uow, referral, "followup record", result.status, closed_reason=result.closed_reason,
                   closed_on=on, changes=changes)
    else:
        save_change(uow, referral, "followup record", changes)
    return referral, contact, new


def _linked(session: Session, earlier: Referral, reference: str) -> Referral:
    """The re-referral the Lead Professional already made, which must name this case as earlier."""
    new = get_referral(session, reference)
    if new.re_referral_of_id != earlier.id:
        raise Refused(f"{new.reference} is not a re-referral of {earlier.reference}; give the referral added "
                      f"with 'masg referral add --re-referral-of {earlier.reference}'")
    return new


PHONE = re.compile(r"\+?\d[\d ()-]{5,}\d")


def _re_refer(uow: UnitOfWork, earlier: Referral, on: date, *, note: str | None, consent_date: date | None,
              consent_by: str | None) -> Referral:
    """The Lead Professional re-refers the family (leaflet rule 11), with the family's consent
    given for this referral (rule 1): a new referral linked to the earlier one, waiting for triage.
    """
    session = uow.session
    rules.check_consent(consent_date, consent_by, on)  # fresh consent, never the earlier referral's
    # The latest decision's Lead Professional, or the tracker's for a case imported without one.
    from masg_cli.documents.email import email_in
    from masg_cli.services.leads import current_lead

    lead = current_lead(session, earlier)
    if lead is None or not (lead.name and lead.agency):
        raise Refused(f"{earlier.reference} has no panel decision, nor a Lead Professional's name and agency from "
                      "its tracker, so masg does not know who re-refers; "
                      f"add the re-referral with 'masg referral add --re-referral-of {earlier.reference}' and "
                      "give it here with --new-referral")
    contact = lead.contact
    phone = PHONE.search(contact)
    new = NewReferral(
        children=[(c.name, c.dob) for c in children_of(session, earlier)],
        locality=session.get_one(Locality, earlier.locality_id).name,
        referrer_name=lead.name, referrer_agency=lead.agency,
        referrer_email=email_in(contact) or "", referrer_phone=phone.group(0) if phone else "",
        consent_date=consent_date, consent_by=consent_by,
        needs=(note or "").strip() or earlier.needs,
        received=on, agencies=agencies_of(session, earlier), transitions=flags_of(session, earlier),
        re_referral_of=earlier.reference,
    )
    return add_referral(uow, new)


def produce_letter(uow: UnitOfWork, reference: str, *, out_dir, pdf: bool, eml: bool, on: date) -> list:
    """The 12-week letter to the Lead Professional: what was agreed, the last review, what to tell us."""
    from masg_cli.documents.followup_letter import FOLLOW_UP_LETTER
    from masg_cli.services.case_documents import produce_case_document

    referral = get_referral(uow.session, reference)
    rules.check_move(referral.reference, referral.status, "follow-up", referral.closed_reason)
    return produce_case_document(uow, referral, FOLLOW_UP_LETTER, out_dir=out_dir, on=on, pdf=pdf, eml=eml)
