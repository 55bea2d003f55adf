"""The 12-week follow-up: the co-ordinator's contact with the Lead Professional.

The leaflet: "Where it is agreed that further reviews by the MASG are not needed, the CAF
co-ordinator will contact the Lead Professional 12 weeks after the case was last reviewed by MASG
to ascertain the outcomes of the work to date."

The list is read column by column in indexed SQL (``referral.follow_up_due`` has an index, and
the Lead Professional comes from each case's latest decision through ``decision.referral_id``),
so a store of 100,000 cases costs no more than the cases that are due.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from masg_cli import rules
from masg_cli.dates import now_utc
from masg_cli.errors import Refused
from masg_cli.models import Decision, FollowUp, Locality, Referral
from masg_cli.services.referrals import (
    NewReferral,
    add_referral,
    agencies_of,
    children_of,
    flags_of,
    get_referral,
    set_status,
)
from masg_cli.services.reviews import covering_message, case_context, email_in, latest_step
from masg_cli.services.decisions import latest_decision_id
from masg_cli.services.setup import get_locality

LETTER = "followup-letter"


def follow_up_filter(*, today: date, overdue: bool = False, until: date | None = None,
                     locality_id: int | None = None) -> list:
    """Which cases are open follow-ups: monitoring with a due date (overdue: due before today)."""
    where = [Referral.status == rules.MONITORING, Referral.follow_up_due.is_not(None)]
    if overdue:
        where.append(Referral.follow_up_due < rules.overdue_before(today))
    if until is not None:
        where += [Referral.follow_up_due >= rules.overdue_before(today), Referral.follow_up_due < until]
    if locality_id is not None:
        where.append(Referral.locality_id == locality_id)
    return where


def follow_up_query(*, today: date, overdue: bool = False, until: date | None = None,
                    locality_id: int | None = None):
    """Open follow-ups with their Lead Professional, soonest due first (the (status,
    follow_up_due) index gives them in order; the locality's name is looked up in Python)."""
    return (
        select(Referral.reference, Referral.follow_up_due, Referral.last_reviewed, Referral.locality_id,
               Decision.lead_name, Decision.lead_agency, Decision.lead_contact)
        .select_from(Referral)
        .outerjoin(Decision, Decision.id == latest_decision_id(Referral.id))
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


def record_follow_up(uow, reference: str, *, on: date, outcome: str, note: str | None
                     ) -> tuple[Referral, FollowUp, Referral | None]:
    """Record the contact with the Lead Professional: continue, close or re-refer.

    Returns the case, the follow-up row and, for re-refer, the new linked referral.
    """
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "follow-up", referral.closed_reason)
    result = rules.follow_up_contact(referral.reference, outcome, on, since=latest_step(session, referral))
    contact = FollowUp(referral_id=referral.id, date=on, due=referral.follow_up_due, outcome=outcome,
                       note=(note or "").strip() or None)
    new = _re_refer(uow, referral, on) if outcome == rules.FOLLOW_UP_RE_REFER else None
    contact.new_referral_id = new.id if new else None
    session.add(contact)
    changes = {"date": on, "outcome": outcome, "due": referral.follow_up_due,
               "next_due": result.follow_up_due, "new_referral": new.reference if new else None}
    referral.follow_up_due = result.follow_up_due
    if result.status != referral.status:
        set_status(uow, referral, "followup record", result.status, closed_reason=result.closed_reason,
                   closed_on=on, changes=changes)
    else:
        referral.updated_at = now_utc()
        session.add(referral)
        session.flush()
        uow.record("followup record", referral.reference, changes)
    return referral, contact, new


def _re_refer(uow, earlier: Referral, on: date) -> Referral:
    """A new referral for the same family, linked to the earlier one, waiting for triage."""
    session = uow.session
    if on < earlier.consent_date:
        raise Refused(f"the re-referral of {earlier.reference} cannot be dated before its consent")
    new = NewReferral(
        children=[(c.name, c.dob) for c in children_of(session, earlier)],
        locality=session.get(Locality, earlier.locality_id).name,
        referrer_name=earlier.referrer_name, referrer_agency=earlier.referrer_agency,
        referrer_email=earlier.referrer_email, referrer_phone=earlier.referrer_phone,
        consent_date=earlier.consent_date, consent_by=earlier.consent_by, needs=earlier.needs,
        received=on, agencies=agencies_of(session, earlier), transitions=flags_of(session, earlier),
        re_referral_of=earlier.reference,
    )
    return add_referral(uow, new)


def produce_letter(uow, reference: str, *, out_dir, pdf: bool, eml: bool, on: date) -> list:
    """The 12-week letter to the Lead Professional: what was agreed, the last review, what to tell us."""
    from masg_cli import documents

    session = uow.session
    referral = get_referral(session, reference)
    rules.check_move(referral.reference, referral.status, "follow-up", referral.closed_reason)
    context = case_context(session, referral, on=on)
    address = email_in(context["lead_contact"])
    if eml and address is None:
        raise Refused(f"the Lead Professional's contact for {referral.reference} holds no e-mail address, "
                      "so no draft can be addressed; run without --eml and send the letter another way")
    path = documents.render_docx(documents.template_path(f"{LETTER}.docx"), context, out_dir,
                                 f"{LETTER}-{referral.reference}.docx")
    written, attachment = [path], path
    if pdf:
        attachment = documents.to_pdf(path)
        written.append(attachment)
    if eml:
        written.append(documents.write_eml(
            out_dir, f"{LETTER}-{referral.reference}.eml", to=address,
            subject=f"{referral.panel} 12-week follow-up {referral.reference}",
            body=covering_message(context, "12-week follow-up letter",
                           "Please let me know the outcomes of the work so far, and whether the case "
                           "should continue, close (with a final review form) or come back to the panel."),
            attachments=[attachment]))
    documents.record_document(uow, LETTER, path, referral=referral)
    return written
