"""Chasing by e-mail: who is waited on for what, one draft each, never the same item twice a week.

Referrers are chased for attendance unconfirmed at a meeting in the next 7 days and for more
information past its target; Lead Professionals for a 12-week follow-up due within 7 days or
overdue, and for a TAC meeting past its target. Each query reads an indexed range; what was
reminded in the last 7 days is read by its day (indexed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, func, select

from masg_cli import rules
from masg_cli.documents.email import email_in
from masg_cli.documents.reminders import Item, write_reminder
from masg_cli.models import (
    AgendaSlot,
    Child,
    Decision,
    Locality,
    Meeting,
    PanelAction,
    PanelMember,
    Referral,
    Reminder,
)
from masg_cli.services.casefile import initials
from masg_cli.services.decisions import latest_decision_id
from masg_cli.services.followups import follow_up_filter
from masg_cli.services.late import Counting, counting

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork

AHEAD = timedelta(days=7)
NOT_AGAIN_WITHIN = timedelta(days=7)


@dataclass
class Recipient:
    name: str
    address: str
    items: list[Item] = field(default_factory=list)
    file: Path | None = None


def _attendance(session: Session, today: date) -> list:
    return list(session.exec(
        # SQLModel types select() for at most four columns.
        select(Referral.id, Referral.reference, Referral.referrer_name, Referral.referrer_email,  # type: ignore[call-overload]
               Locality.name, Meeting.date, AgendaSlot.time)
        .select_from(Meeting).join(AgendaSlot, AgendaSlot.meeting_id == Meeting.id)
        .join(Referral, Referral.id == AgendaSlot.referral_id).join(Locality, Locality.id == Meeting.locality_id)
        .where(Meeting.status == rules.MEETING_SCHEDULED, Meeting.date >= today, Meeting.date <= today + AHEAD,
               AgendaSlot.attending == "unknown", AgendaSlot.outcome == rules.SLOT_PENDING)
        .order_by(Meeting.date, AgendaSlot.time)))


def _more_info(session: Session, c: Counting) -> list:
    return list(session.exec(
        # SQLModel types select() for at most four columns.
        select(Referral.id, Referral.reference, Referral.referrer_name, Referral.referrer_email,  # type: ignore[call-overload]
               Locality.name, Referral.triaged_on)
        .join(Locality, Locality.id == Referral.locality_id)
        .where(Referral.status == rules.MORE_INFO, col(Referral.triaged_on) <= c.cut("more-info"))
        .order_by(Referral.triaged_on, Referral.id)))


def _lead_columns():
    return (func.coalesce(Decision.lead_name, Referral.tracker_lead_name),
            func.coalesce(Decision.lead_contact, Referral.tracker_lead_contact))


def _with_lead(*where):
    # SQLModel types select() for at most four columns.
    return (select(Referral.id, Referral.reference, *_lead_columns(), Locality.name,  # type: ignore[call-overload]
                   Referral.follow_up_due, Referral.family_response_date)
            .select_from(Referral).join(Locality, Locality.id == Referral.locality_id)
            .outerjoin(Decision, Decision.id == latest_decision_id(Referral.id)).where(*where))


def _follow_ups(session: Session, today: date) -> list:
    overdue = follow_up_filter(today=today, overdue=True)
    soon = follow_up_filter(today=today, until=today + AHEAD + timedelta(days=1))
    return [*session.exec(_with_lead(*overdue).order_by(Referral.follow_up_due)),
            *session.exec(_with_lead(*soon).order_by(Referral.follow_up_due))]


def _tac(session: Session, c: Counting) -> list:
    return list(session.exec(_with_lead(
        Referral.status == rules.ACTIVE, Referral.family_response == rules.FAMILY_ACCEPTED,
        col(Referral.tac_date).is_(None), col(Referral.family_response_date) <= c.cut("tac"))
        .order_by(Referral.family_response_date)))


def _overdue_actions(session: Session, today: date) -> list:
    """Open actions past their due day, with their owner's address where the owner is one of the
    locality's panel members (an action names its owner, not an address)."""
    member = (PanelMember.name == PanelAction.owner) & (PanelMember.locality_id == Referral.locality_id)
    return list(session.exec(
        # SQLModel types select() for at most four columns.
        select(PanelAction.referral_id, Referral.reference, PanelAction.owner,  # type: ignore[call-overload]
               PanelMember.email, Locality.name, PanelAction.due)
        .join(Referral, col(Referral.id) == PanelAction.referral_id)
        .join(Locality, col(Locality.id) == Referral.locality_id)
        .outerjoin(PanelMember, member)
        .where(col(PanelAction.status) == rules.ACTION_OPEN, col(PanelAction.due) < today)
        .order_by(col(PanelAction.due), col(PanelAction.id))))


def _due_items(session: Session, today: date) -> list[tuple[str, str | None, Item]]:
    """Every item to chase, as (person's name, their address or None, item); no initials yet."""
    c = counting(session, today)
    found = []
    for rid, ref, name, email, locality, day, time in _attendance(session, today):
        found.append((name, email, Item(rid, ref, "attendance", "", locality, day, time=time)))
    for rid, ref, name, email, locality, asked in _more_info(session, c):
        found.append((name, email, Item(rid, ref, "more-info", "", locality, asked, c.due("more-info", asked))))
    for rid, ref, name, contact, locality, due, _ in _follow_ups(session, today):
        found.append((name, email_in(contact), Item(rid, ref, "follow-up", "", locality, due)))
    for rid, ref, name, contact, locality, _, accepted in _tac(session, c):
        found.append((name, email_in(contact), Item(rid, ref, "tac", "", locality, accepted, c.due("tac", accepted))))
    for rid, ref, owner, email, locality, due in _overdue_actions(session, today):
        found.append((owner, email, Item(rid, ref, "action", "", locality, due)))
    return found


def _reminded_lately(session: Session, today: date) -> set[tuple[int, str, str]]:
    # The last week's reminders, read by their day: a few hundred rows however old the store.
    rows = session.exec(select(Reminder.referral_id, Reminder.kind, Reminder.recipient)
                        .where(Reminder.sent_on > today - NOT_AGAIN_WITHIN))
    return {(rid, kind, recipient.strip().lower()) for rid, kind, recipient in rows}


def _initials_of(session: Session, referral_ids: set[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    ordered = sorted(referral_ids)
    # In batches: a database takes only so many values in one IN (SQLite 32,766).
    for batch in (ordered[i:i + 500] for i in range(0, len(ordered), 500)):
        for rid, name in session.exec(select(Child.referral_id, Child.name)
                                      .where(col(Child.referral_id).in_(batch)).order_by(col(Child.position))):
            names.setdefault(rid, []).append(initials(name))
    return {rid: ", ".join(found) for rid, found in names.items()}


def reminders_due(uow: UnitOfWork, today: date, *, initials_shown: bool = True) -> list[Recipient]:
    """Each person to chase today with their items; a person without an address is warned about.

    ``initials_shown`` False (a dry run, which shows references only) skips reading the children.
    """
    session = uow.session
    found = _due_items(session, today)
    lately = _reminded_lately(session, today)
    shown = (_initials_of(session, {item.referral_id for _, address, item in found if address})
             if initials_shown else {})
    people: dict[str, Recipient] = {}
    for name, address, item in found:
        # One slot, one follow-up... per case, kind and person: two owners of a case's actions are
        # each chased.
        key = (item.referral_id, item.kind, (address or name or "").strip().lower())
        if key in lately:
            continue
        lately.add(key)
        if not address:
            uow.warn(f"warning: {name or 'the person'} ({item.kind}, {item.reference}) has no e-mail "
                     "address in masg; chase them another way")
            continue
        person = people.setdefault(address.strip().lower(), Recipient(name, address.strip()))
        person.items.append(Item(item.referral_id, item.reference, item.kind, shown.get(item.referral_id, ""),
                                 item.locality, item.on, item.due, item.time))
    return list(people.values())


def _signature(uow: UnitOfWork, person: Recipient) -> str:
    from masg_cli.services.setup import check_signed

    name = person.items[0].locality
    locality = uow.session.exec(select(Locality).where(Locality.name == name)).first()
    check_signed(uow, name, locality.coordinator if locality else None, locality.contact if locality else None)
    lines = [locality.coordinator if locality else "", f"CAF co-ordinator, {person.items[0].locality}",
             locality.contact if locality else ""]
    return "\n".join(line for line in lines if line)


def send_reminders(uow: UnitOfWork, *, out_dir: Path, today: date, dry_run: bool) -> list[Recipient]:
    """Draft one reminder per person and record each item chased (audited); a dry run only says."""
    from masg_cli.documents.render import prepare_folder

    if dry_run:
        if out_dir.exists() and not out_dir.is_dir():
            prepare_folder(out_dir)  # refuses a file as --out, as the real run would
        return reminders_due(uow, today, initials_shown=False)
    prepare_folder(out_dir)  # refused before anything is written or recorded
    people = reminders_due(uow, today)
    for number, person in enumerate(people, start=1):
        person.file = write_reminder(out_dir, number, on=today, name=person.name, address=person.address,
                                     items=person.items, signed=_signature(uow, person))
        for item in person.items:
            uow.session.add(Reminder(referral_id=item.referral_id, kind=item.kind, recipient=person.address,
                                     sent_on=today, file=person.file.name))
            uow.record("reminder", item.reference, {"kind": item.kind, "to": person.address,
                                                    "file": person.file.name, "on": today})
    return people
