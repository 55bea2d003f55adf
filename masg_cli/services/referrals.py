"""Referral intake and triage: a CAF arrives with consent, the co-ordinator decides what next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli import child_details, rules
from masg_cli.dates import now_utc
from masg_cli.errors import NotFound, Refused
from masg_cli.fields import check_email, check_one_line
from masg_cli.models import (
    AgendaSlot,
    Child,
    Locality,
    Referral,
    SuggestedAgency,
    TransitionFlag,
    TriageEntry,
    id_of,
)
from masg_cli.services.setup import get_locality

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


@dataclass
class NewReferral:
    """What a CAF referral brings: the family, the referrer, consent and the needs."""

    children: list[tuple[str, date]]
    locality: str
    referrer_name: str
    referrer_agency: str
    consent_date: date | None
    consent_by: str | None
    needs: str
    received: date
    referrer_email: str = ""
    referrer_phone: str = ""
    agencies: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)
    re_referral_of: str | None = None
    step_down: bool = False  # came down from children's social care
    child_details: list[child_details.ChildDetails] = field(default_factory=list)  # one a child, in order
    not_duplicate: bool = False  # the co-ordinator says a child matching an open case is another child


def next_reference(session: Session, panel: str, year: int) -> str:
    """Hand out the next number for the panel and year; the counter row serialises writers.

    The audit trail's head is locked first, as every writer does, so that a command that records
    and then numbers (an import) and one that numbers and then records never deadlock.
    """
    from masg_cli.services.audit import lock_head
    from masg_cli.services.intake import take_numbers

    lock_head(session)
    return rules.reference(panel, year, take_numbers(session, panel, year, 1))


def add_referral(uow: UnitOfWork, new: NewReferral) -> Referral:
    """Log a CAF referral: refused without consent; status received, waiting for triage."""
    from masg_cli.services.intake import CaseToOpen, open_cases

    session = uow.session
    _check_as_typed(new)
    consent_date, consent_by = rules.check_consent(new.consent_date, new.consent_by, new.received)
    rules.check_children(new.children, new.received)
    details = [child_details.check_child_details(d).given() for d in new.child_details]
    for flag in new.transitions:
        if flag not in rules.TRANSITION_FLAGS:
            raise Refused(f"unknown transition flag '{flag}'; use one of {', '.join(rules.TRANSITION_FLAGS)}")
    locality = get_locality(session, new.locality)
    earlier = get_referral(session, new.re_referral_of) if new.re_referral_of else None
    if earlier is not None:
        rules.check_not_before(earlier.reference, "a re-referral", new.received, "it was received",
                               earlier.received, "--received")
    from masg_cli.services.known import check_known_family, known_cases, open_duplicates

    check_known_family(uow, new.children, re_referral_of=earlier.reference if earlier else None,
                       not_duplicate=new.not_duplicate)
    overridden = open_duplicates(known_cases(session, new.children)) if new.not_duplicate else []
    # The audit trail says what changed, but never a child's name.
    audit = {"status": rules.RECEIVED, "locality": locality.name, "received": new.received,
             "children": len(new.children), "consent_date": new.consent_date, "consent_by": new.consent_by,
             "agencies": len(new.agencies), "transitions": list(dict.fromkeys(new.transitions)),
             "re_referral_of": earlier.reference if earlier else None, "step_down": new.step_down,
             "child_details": sorted({name for given in details for name in given})}
    if overridden:  # the known-family check overridden: whose open cases, by whom (the entry's user)
        audit["not_duplicate_of"] = overridden
    [reference] = open_cases(uow, [CaseToOpen(
        locality_id=id_of(locality), received=new.received, consent_date=consent_date,
        consent_by=consent_by, needs=new.needs.strip(), referrer_name=new.referrer_name.strip(),
        referrer_agency=new.referrer_agency.strip(), referrer_email=(new.referrer_email or "").strip(),
        referrer_phone=(new.referrer_phone or "").strip(), children=new.children, agencies=new.agencies,
        transitions=new.transitions, re_referral_of=earlier.reference if earlier else None,
        action="referral add", audit=audit, step_down=new.step_down, child_details=details)])
    return get_referral(session, reference)


def _check_as_typed(new: NewReferral) -> None:
    """What a referral needs filled in, each name and agency on one line, a real e-mail address."""
    rules.check_given([("--referrer", new.referrer_name), ("--referrer-agency", new.referrer_agency),
                       ("--needs", new.needs)])
    check_one_line([
        *(("--child", name) for name, _ in new.children), ("--locality", new.locality),
        ("--referrer", new.referrer_name), ("--referrer-agency", new.referrer_agency),
        ("--referrer-phone", new.referrer_phone), *(("--agency", agency) for agency in new.agencies),
        ("--re-referral-of", new.re_referral_of)])
    check_email("--referrer-email", new.referrer_email)


def get_referral(session: Session, reference: str, *, for_update: bool = False) -> Referral:
    wanted = (reference or "").strip().upper()
    query = select(Referral).where(Referral.reference == wanted)
    if for_update:
        query = query.with_for_update()
    referral = session.exec(query).first()
    if referral is None:
        raise NotFound(f"there is no referral {wanted}; see 'masg referral list'")
    return referral


def set_status(uow: UnitOfWork, referral: Referral, action: str, status: str, *,
               closed_reason: str | None = None, closed_on: date | None = None,
               changes: dict | None = None) -> None:
    """Move a referral to its new status and write the move to the audit trail."""
    before = referral.status
    referral.status = status
    cancelled = []
    if status == rules.CLOSED:
        referral.closed_reason = closed_reason
        referral.closed_on = closed_on
        # Nothing is due for a closed case: no panel review (the decision keeps the date), no contact.
        referral.next_review = None
        referral.follow_up_due = None
        # A closed case leaves every agenda it still waits on: no slot, invitation or pack for it.
        for slot in uow.session.exec(select(AgendaSlot).where(
                AgendaSlot.referral_id == referral.id, AgendaSlot.outcome == rules.SLOT_PENDING)):
            slot.outcome = rules.SLOT_CANCELLED
            slot.note = f"case closed ({closed_reason})"
            uow.session.add(slot)
            cancelled.append(slot.meeting_id)
    entry: dict[str, object] = {"status": [before, status]}
    if closed_reason:
        entry["closed_reason"] = closed_reason
    if cancelled:
        entry["agenda_cancelled"] = sorted(cancelled)
    entry.update(changes or {})
    save_change(uow, referral, action, entry)


def save_change(uow: UnitOfWork, referral: Referral, action: str, changes: dict) -> None:
    """Save a change to the referral and write it to the audit trail."""
    referral.updated_at = now_utc()
    uow.session.add(referral)
    uow.session.flush()
    uow.record(action, referral.reference, changes)


def triage(uow: UnitOfWork, reference: str, *, outcome: str, agencies: list[str], note: str | None,
           on: date) -> rules.TriageResult:
    """The co-ordinator's triage: accept, single-agency, more-info or not-appropriate.

    ``agencies``: for single-agency, the one agency the referrer should go to; for accept, the
    agencies the co-ordinator found involved, added to the case's (MAAG counts them all)."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "triage", referral.closed_reason)
    rules.check_not_before(referral.reference, "the triage", on, "it was received", referral.received)
    agencies = [a.strip() for a in agencies if a and a.strip()]
    check_one_line(("--agency", agency) for agency in agencies)
    if outcome == rules.SINGLE_AGENCY and len(agencies) > 1:
        raise Refused("single-agency sends the referrer to one agency: give --agency once")
    agency = agencies[0] if outcome != rules.ACCEPT and agencies else None
    known = agencies_of(session, referral)
    if outcome == rules.ACCEPT:
        for added in dict.fromkeys(a for a in agencies if a.lower() not in {k.lower() for k in known}):
            session.add(SuggestedAgency(referral_id=id_of(referral), agency=added))
            known.append(added)
    result = rules.triage(referral.reference, outcome, panel=referral.panel, agency=agency,
                          note=note, agencies_named=len(known))
    referral.triaged_on = on
    referral.triage_outcome = outcome
    referral.triage_agency = agency
    referral.triage_note = note
    # Every triage is kept (what was asked of the referrer, rule 2); the columns above hold the latest.
    session.add(TriageEntry(referral_id=id_of(referral), date=on, outcome=outcome, agency=agency, note=note))
    set_status(uow, referral, "triage", result.status, closed_reason=result.closed_reason,
               closed_on=on if result.status == rules.CLOSED else None,
               changes={"outcome": outcome, "agency": agency, "date": on})
    if result.warning:
        uow.warn(result.warning)
    return result


INFO_RECEIVED = "info-received"  # a triage_entry's outcome for the referrer's answer


def triage_history(session: Session, referral: Referral) -> list[TriageEntry]:
    """Every triage and answer to more-info, oldest first."""
    return list(session.exec(select(TriageEntry).where(TriageEntry.referral_id == referral.id)
                             .order_by(col(TriageEntry.date), col(TriageEntry.id))))


def info_received(uow: UnitOfWork, reference: str, *, note: str | None, on: date) -> Referral:
    """The referrer has answered the co-ordinator's questions: the CAF is triaged again."""
    referral = get_referral(uow.session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "info-received", referral.closed_reason)
    rules.check_not_before(referral.reference, "the information", on, "more information was asked for",
                           referral.triaged_on)
    referral.info_received_on = on
    uow.session.add(TriageEntry(referral_id=id_of(referral), date=on, outcome=INFO_RECEIVED,
                                note=(note or "").strip() or None))
    set_status(uow, referral, "info-received", rules.RECEIVED, changes={"date": on, "note": bool(note)})
    return referral


def withdraw(uow: UnitOfWork, reference: str, *, reason: str, on: date) -> Referral:
    """Consent withdrawn: the case closes whatever stage it had reached."""
    if not reason.strip():
        raise Refused("give --reason: why consent was withdrawn")
    referral = get_referral(uow.session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "withdraw", referral.closed_reason)
    rules.check_not_before(referral.reference, "the withdrawal", on, "it was received", referral.received)
    referral.closure_outcome = reason.strip()
    set_status(uow, referral, "withdraw", rules.CLOSED, closed_reason=rules.CLOSED_WITHDRAWN,
               closed_on=on, changes={"date": on})
    return referral


def list_referrals(session: Session, *, status: str | None, locality: str | None) -> list[Referral]:
    query = select(Referral).order_by(col(Referral.received), col(Referral.id))
    if status:
        query = query.where(Referral.status == status)
    if locality:
        query = query.where(Referral.locality_id == get_locality(session, locality).id)
    return list(session.exec(query))


def children_of(session: Session, referral: Referral) -> list[Child]:
    return list(session.exec(select(Child).where(col(Child.referral_id) == referral.id).order_by(col(Child.position))))


def agencies_of(session: Session, referral: Referral) -> list[str]:
    return list(session.exec(select(SuggestedAgency.agency).where(SuggestedAgency.referral_id == referral.id)
                             .order_by(col(SuggestedAgency.id))))


def flags_of(session: Session, referral: Referral) -> list[str]:
    return list(session.exec(select(TransitionFlag.flag).where(TransitionFlag.referral_id == referral.id)
                             .order_by(col(TransitionFlag.id))))


def locality_names(session: Session) -> dict[int, str]:
    return {id_of(loc): loc.name for loc in session.exec(select(Locality))}
