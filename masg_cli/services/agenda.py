"""A meeting's agenda: which cases it discusses, at what time, and who is coming.

The leaflet: each case on the agenda has a time slot; the referrer is told it and confirms
whether they will attend. Cases decided or active come back for review when it falls due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.errors import Refused
from masg_cli.models import AgendaSlot, Locality, Meeting, Referral, id_of
from masg_cli.services.meetings import active_slots, get_meeting, label, meeting_json
from masg_cli.services.referrals import children_of, get_referral, set_status

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def capacity(session: Session, meeting: Meeting) -> list[str]:
    """Every slot time the meeting holds, between its start and end."""
    locality = session.get_one(Locality, meeting.locality_id)
    return rules.slot_times(meeting.start_time, meeting.end_time, locality.slot_minutes)


def _free_times(session: Session, meeting: Meeting) -> list[str]:
    taken = {s.time for s in active_slots(session, meeting) if s.outcome not in rules.SLOT_FREED}
    return [t for t in capacity(session, meeting) if t not in taken]


def _pending_elsewhere(session: Session) -> set[int]:
    """Referrals already holding a pending slot on some agenda."""
    return set(session.exec(select(AgendaSlot.referral_id).where(AgendaSlot.outcome == rules.SLOT_PENDING)))


def _candidates(session: Session, meeting: Meeting) -> list[tuple[Referral, str]]:
    """Cases waiting for this meeting, longest waiting first: accepted ones and reviews due."""
    # A case already discussed or deferred here waits for a later meeting; a slot moved away
    # from here (or cancelled) does not keep it off this meeting once it is waiting again.
    here = set(session.exec(select(AgendaSlot.referral_id).where(
        AgendaSlot.meeting_id == meeting.id,
        col(AgendaSlot.outcome).not_in((rules.SLOT_MOVED, rules.SLOT_CANCELLED)))))
    busy = _pending_elsewhere(session) | here
    waiting: list[tuple[date, str, tuple[Referral, str]]] = []
    # A meeting dated before a CAF arrived cannot have discussed it.
    for referral in session.exec(select(Referral).where(
            Referral.locality_id == meeting.locality_id, Referral.status == rules.ACCEPTED,
            Referral.received <= meeting.date)):
        if referral.id not in busy:
            waiting.append((referral.received, referral.reference,
                            (referral, rules.SLOT_NEW)))
    for referral in session.exec(select(Referral).where(
            Referral.locality_id == meeting.locality_id,
            col(Referral.status).in_(rules.REVIEW_STATUSES), col(Referral.next_review).is_not(None))):
        if referral.id not in busy and referral.next_review and rules.review_due(referral.next_review, meeting.date):
            waiting.append((referral.next_review, referral.reference, (referral, rules.SLOT_REVIEW)))
    return rules.agenda_order(waiting)


@dataclass
class Built:
    meeting: Meeting
    added: list[tuple[str, str, str]] = field(default_factory=list)  # reference, kind, time
    kept: int = 0
    queued: list[str] = field(default_factory=list)


def build(uow: UnitOfWork, meeting_id: int) -> Built:
    """Fill the meeting's free slots; times already given to referrers stay as they are."""
    session = uow.session
    meeting = get_meeting(session, meeting_id)
    rules.check_meeting_open(label(meeting), meeting.status)
    result = Built(meeting=meeting, kept=len([s for s in active_slots(session, meeting)
                                              if s.outcome not in rules.SLOT_FREED]))
    free = _free_times(session, meeting)
    for referral, kind in _candidates(session, meeting):
        if not free:
            result.queued.append(referral.reference)
            continue
        time = free.pop(0)
        _place(uow, meeting, referral, kind, time, action="agenda")
        result.added.append((referral.reference, kind, time))
    return result


def _place(uow: UnitOfWork, meeting: Meeting, referral: Referral, kind: str, time: str, *, action: str) -> AgendaSlot:
    slot = AgendaSlot(meeting_id=id_of(meeting), referral_id=id_of(referral), kind=kind, time=time)
    uow.session.add(slot)
    changes = {"meeting": meeting.id, "time": time, "kind": kind}
    if kind == rules.SLOT_NEW and referral.status == rules.ACCEPTED:
        rules.check_move(referral.reference, referral.status, "agenda", referral.closed_reason)
        set_status(uow, referral, action, rules.SCHEDULED, changes=changes)
    else:
        uow.session.flush()
        uow.record(action, referral.reference, changes)
    return slot


# --- show -------------------------------------------------------------------------------------

def initials(names: list[str]) -> str:
    from masg_cli.services.casefile import initials as one

    return ", ".join(one(n) for n in names)


def agenda(session: Session, meeting_id: int) -> dict:
    """The agenda as the contract shapes it: the meeting and its slots in time order."""
    meeting = get_meeting(session, meeting_id)
    locality = session.get_one(Locality, meeting.locality_id)
    from masg_cli.services.actions import open_actions_by_case

    shown = active_slots(session, meeting)
    actions = open_actions_by_case(session, [s.referral_id for s in shown], before=meeting.date)
    slots = []
    for slot in shown:
        referral = session.get_one(Referral, slot.referral_id)
        slots.append({
            "time": slot.time, "reference": referral.reference, "kind": slot.kind,
            "attending": slot.attending, "outcome": slot.outcome,
            "children": initials([c.name for c in children_of(session, referral)]),
            "referrer": referral.referrer_name, "referrer_agency": referral.referrer_agency,
            "invited": slot.invited_at is not None,
            "open_actions": [a["id"] for a in actions[slot.referral_id]],
        })
    return {
        "meeting": meeting_json(meeting, locality) | {"capacity": len(capacity(session, meeting))},
        "slots": slots,
        "not_answered": [s["reference"] for s in slots
                         if s["attending"] == "unknown" and s["outcome"] == rules.SLOT_PENDING],
    }


# --- changes to one case ----------------------------------------------------------------------

def _pending_slot(session: Session, referral: Referral, meeting: Meeting | None) -> AgendaSlot:
    query = select(AgendaSlot).where(AgendaSlot.referral_id == referral.id,
                                     AgendaSlot.outcome == rules.SLOT_PENDING)
    if meeting is not None:
        query = query.where(AgendaSlot.meeting_id == meeting.id)
    slot = session.exec(query.order_by(col(AgendaSlot.id).desc())).first()
    if slot is None:
        where = f"the agenda of meeting {label(meeting)}" if meeting else "any agenda"
        raise Refused(f"{referral.reference} is not waiting on {where}; see 'masg agenda show'")
    return slot


def move_case(uow: UnitOfWork, reference: str, *, from_meeting: int | None,
              to_meeting: int) -> tuple[AgendaSlot, Meeting]:
    """Take a case off one agenda and give it the first free slot of another meeting."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    source = get_meeting(session, from_meeting) if from_meeting is not None else None
    slot = _pending_slot(session, referral, source)
    source = source or get_meeting(session, slot.meeting_id)
    target = get_meeting(session, to_meeting)
    rules.check_meeting_open(label(target), target.status)
    if target.id == source.id:
        raise Refused(f"{referral.reference} is already on meeting {label(target)}")
    if target.locality_id != referral.locality_id:
        raise Refused(f"meeting {label(target)} is another locality's panel; choose a meeting of "
                      f"the case's own locality ('masg meeting list')")
    rules.check_not_before(referral.reference, f"meeting {label(target)}", target.date, "it was received",
                           referral.received, "--to")
    free = _free_times(session, target)
    if not free:
        raise Refused(f"meeting {label(target)} is full; choose another meeting or move a case off it")
    slot.outcome = rules.SLOT_MOVED
    slot.note = f"moved to meeting {target.id}"
    session.add(slot)
    new = AgendaSlot(meeting_id=id_of(target), referral_id=id_of(referral), kind=slot.kind, time=free[0])
    session.add(new)
    session.flush()
    uow.record("agenda move", referral.reference, {"meeting": [source.id, target.id], "time": new.time})
    return new, target


def attendance(uow: UnitOfWork, reference: str, *, meeting_id: int, attending: str) -> AgendaSlot:
    """The referrer's answer: will they attend their case's slot?"""
    session = uow.session
    answer = rules.check_attending(attending)
    referral = get_referral(session, reference)
    meeting = get_meeting(session, meeting_id)
    slot = _pending_slot(session, referral, meeting)
    before = slot.attending
    slot.attending = answer
    session.add(slot)
    uow.record("agenda attendance", referral.reference,
               {"meeting": meeting.id, "attending": [before, answer]})
    return slot


def slot_rows(session: Session, meeting: Meeting) -> list[tuple[AgendaSlot, Referral]]:
    """The pending cases of a meeting with their referrals, for invitations and packs."""
    return [(s, session.get_one(Referral, s.referral_id)) for s in active_slots(session, meeting)
            if s.outcome == rules.SLOT_PENDING]
