"""A case that moves on outside the usual steps: a family moves locality, a safeguarding concern
passes it to children's social care (step-up), or it turns out to duplicate an open case."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from masg_cli import rules
from masg_cli.errors import Refused
from masg_cli.models import AgendaSlot, Locality, id_of
from masg_cli.services.referrals import get_referral, save_change, set_status
from masg_cli.services.setup import get_locality


def transfer(uow, reference: str, *, to: str, reason: str | None, on: date) -> tuple[Locality, list[int]]:
    """The family has moved: the case goes to the new locality, its reference stays, and the
    agenda slots it waits on in the old one are cancelled; returns the locality and those meetings."""
    why = rules.check_correction_reason(reason)
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "transfer", referral.closed_reason)
    rules.check_not_before(referral.reference, "the transfer", on, "it was received", referral.received)
    before = session.get(Locality, referral.locality_id)
    after = get_locality(session, to)
    if after.id == before.id:
        raise Refused(f"{referral.reference} is already in {after.name}; give the locality the family moved to")
    cancelled = []
    for slot in session.exec(select(AgendaSlot).where(AgendaSlot.referral_id == referral.id,
                                                      AgendaSlot.outcome == rules.SLOT_PENDING)):
        slot.outcome = rules.SLOT_CANCELLED
        slot.note = f"case transferred to {after.name}"
        session.add(slot)
        cancelled.append(slot.meeting_id)
    referral.locality_id = id_of(after)
    changes = {"reason": why, "date": on, "fields": {"locality": [before.name, after.name]},
               "agenda_cancelled": sorted(cancelled)}
    if referral.status == rules.SCHEDULED and cancelled:
        # Its slot is gone: it waits for an agenda of the new locality, as an accepted case does.
        changes["status"] = [referral.status, rules.ACCEPTED]
        referral.status = rules.ACCEPTED
    save_change(uow, referral, "referral transfer", changes)
    return after, sorted(cancelled)


def step_up(uow, reference: str, *, on: date, note: str | None):
    """Safeguarding concerns: an open case is passed to children's social care and closes (stepped-up)."""
    rules.check_step_up_note(note)
    referral = get_referral(uow.session, reference, for_update=True)
    rules.check_move(referral.reference, referral.status, "step-up", referral.closed_reason)
    rules.check_not_before(referral.reference, "the step-up", on, "it was received", referral.received)
    referral.closure_outcome = (note or "").strip()
    set_status(uow, referral, "step-up", rules.CLOSED, closed_reason=rules.CLOSED_STEPPED_UP,
               closed_on=on, changes={"date": on})
    return referral


def withdraw_as_duplicate(uow, reference: str, *, duplicate_of: str, on: date):
    """The same family's case is already open: this one closes as its duplicate."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    original = get_referral(session, duplicate_of)
    rules.check_not_duplicate_of_itself(referral.reference, original.reference)
    rules.check_move(referral.reference, referral.status, "withdraw", referral.closed_reason)
    if original.status not in rules.OPEN_STATUSES:
        raise Refused(f"{original.reference} is closed ({original.closed_reason}), so {referral.reference} "
                      "does not duplicate an open case; link it with 'masg referral edit' "
                      "or withdraw it with --reason")
    referral.closure_outcome = f"duplicate of {original.reference}"
    set_status(uow, referral, "withdraw", rules.CLOSED, closed_reason=rules.CLOSED_DUPLICATE, closed_on=on,
               changes={"date": on, "duplicate_of": original.reference})
    return referral
