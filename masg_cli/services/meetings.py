"""Panel meetings: scheduling at the locality's rhythm, listing, cancelling, moving, calendars.

The leaflet: MASG meets fortnightly in each locality (MAAG weekly in each district). A meeting
that falls on an England and Wales bank holiday moves to the next working day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import uk
from masg_cli.errors import NotFound, Refused
from masg_cli.fields import check_one_line
from masg_cli.models import AgendaSlot, AuditEntry, Locality, Meeting, Referral, id_of
from masg_cli.services.setup import get_locality

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def bank_holidays(years) -> dict[date, str]:
    """England and Wales bank holidays (the holidays library, offline, rules to 2100; the days
    it gave are kept between commands: masg_cli/bank_holidays.py)."""
    from masg_cli.bank_holidays import bank_holidays as kept

    return kept(years)


# The largest id a database column holds (a 64-bit integer); a longer number is no meeting's id.
LARGEST_ID = 2**63 - 1


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id) if 0 < meeting_id <= LARGEST_ID else None
    if meeting is None:
        raise NotFound(f"there is no meeting {meeting_id}; see 'masg meeting list'")
    return meeting


def label(meeting: Meeting) -> str:
    return f"{meeting.id} ({uk(meeting.date)})"


def active_slots(session: Session, meeting: Meeting) -> list[AgendaSlot]:
    """The slots still on a meeting's agenda (not moved away or cancelled), in time order."""
    return list(session.exec(
        select(AgendaSlot).where(AgendaSlot.meeting_id == meeting.id,
                                 col(AgendaSlot.outcome).not_in((rules.SLOT_MOVED, rules.SLOT_CANCELLED)))
        .order_by(col(AgendaSlot.time), col(AgendaSlot.id))
    ))


# --- schedule ---------------------------------------------------------------------------------

@dataclass
class Scheduled:
    locality: str
    created: list[Meeting] = field(default_factory=list)
    existing: list[Meeting] = field(default_factory=list)
    moved: list[tuple[Meeting, date, str]] = field(default_factory=list)  # meeting, planned, why


def schedule(uow: UnitOfWork, locality_name: str, *, start: date, until: date) -> Scheduled:
    """Create the locality's meetings from ``start`` to ``until``; running it again adds nothing."""
    session = uow.session
    locality = get_locality(session, locality_name)
    anchor, planned = rules.meeting_rhythm(locality.anchor_date, locality.weekday,
                                           locality.cadence, start, until)
    if len(planned) > 200:
        raise Refused(f"{len(planned)} meetings is more than masg schedules at once; "
                      "choose a shorter --from/--until range")
    if locality.anchor_date != anchor:
        locality.anchor_date = anchor
        session.add(locality)
    holidays = bank_holidays({d.year for d in planned} | {d.year + 1 for d in planned})
    have = {m.planned_date: m for m in session.exec(
        select(Meeting).where(Meeting.locality_id == locality.id,
                              col(Meeting.planned_date).in_(planned)))}
    result = Scheduled(locality=locality.name)
    for planned_date in planned:
        if planned_date in have:
            result.existing.append(have[planned_date])
            continue
        actual = rules.working_day(planned_date, holidays)
        why = holidays.get(planned_date)
        meeting = Meeting(locality_id=id_of(locality), planned_date=planned_date, date=actual,
                          start_time=locality.start_time, end_time=locality.end_time,
                          venue=locality.venue, status=rules.MEETING_SCHEDULED,
                          uid=f"{uuid.uuid4()}@masg",
                          note=f"moved from {uk(planned_date)} ({why})" if actual != planned_date else None)
        session.add(meeting)
        result.created.append(meeting)
        if actual != planned_date:
            result.moved.append((meeting, planned_date, why or "not a working day"))
    session.flush()
    if result.created:
        uow.record("meeting schedule", None, {
            "locality": locality.name, "from": start.isoformat(), "until": until.isoformat(),
            "meetings": [m.id for m in result.created]})
    return result


# --- list ---------------------------------------------------------------------------------------

def list_meetings(session: Session, *, locality: str | None = None, start: date | None = None,
                  until: date | None = None, status: str | None = None) -> list[dict]:
    """Meetings in date order with how full their agendas are."""
    from masg_cli.services.setup import slots_per_meeting

    query = (select(Meeting, Locality).join(Locality, col(Locality.id) == Meeting.locality_id)
             .order_by(col(Meeting.date), col(Meeting.start_time), col(Meeting.id)))
    if locality:
        query = query.where(Meeting.locality_id == get_locality(session, locality).id)
    if start:
        query = query.where(Meeting.date >= start)
    if until:
        query = query.where(Meeting.date <= until)
    if status:
        if status not in (rules.MEETING_SCHEDULED, rules.MEETING_CANCELLED):
            raise Refused(f"--status '{status}' is not a meeting status; use scheduled or cancelled")
        query = query.where(Meeting.status == status)
    out = []
    for meeting, loc in session.exec(query):
        # A deferred case's slot is free again, as 'agenda build' finds it.
        used = len([s for s in active_slots(session, meeting) if s.outcome not in rules.SLOT_FREED])
        capacity = len(rules.slot_times(meeting.start_time, meeting.end_time, loc.slot_minutes)) \
            if loc.slot_minutes else slots_per_meeting(loc)
        out.append(meeting_json(meeting, loc) | {"slots": used, "free": max(0, capacity - used)})
    return out


def meeting_json(meeting: Meeting, locality: Locality) -> dict:
    return {
        "id": meeting.id, "locality": locality.name, "date": meeting.date,
        "planned_date": meeting.planned_date, "time": meeting.start_time, "end": meeting.end_time,
        "venue": meeting.venue, "status": meeting.status, "note": meeting.note,
    }


# --- cancel and move by hand ------------------------------------------------------------------

def _return_to_queue(uow: UnitOfWork, meeting: Meeting, action: str) -> list[str]:
    """Free every pending slot of the meeting: new cases are accepted again, reviews stay due."""
    from masg_cli.services.referrals import set_status

    session = uow.session
    returned = []
    for slot in active_slots(session, meeting):
        if slot.outcome != rules.SLOT_PENDING:
            continue
        slot.outcome = rules.SLOT_CANCELLED
        session.add(slot)
        referral = session.get_one(Referral, slot.referral_id)
        returned.append(referral.reference)
        if slot.kind == rules.SLOT_NEW and referral.status == rules.SCHEDULED:
            set_status(uow, referral, action, rules.ACCEPTED, changes={"meeting": meeting.id})
        else:
            uow.record(action, referral.reference, {"meeting": meeting.id, "slot": "cancelled"})
    return returned


def cancel(uow: UnitOfWork, meeting_id: int, *, reason: str | None) -> tuple[Meeting, list[str]]:
    """Call a meeting off: its cases go back to the queue for the next agenda."""
    session = uow.session
    meeting = get_meeting(session, meeting_id)
    rules.check_meeting_open(label(meeting), meeting.status)
    rules.check_can_cancel(label(meeting), [s.outcome for s in active_slots(session, meeting)])
    returned = _return_to_queue(uow, meeting, "meeting cancel")
    meeting.status = rules.MEETING_CANCELLED
    meeting.note = (reason or "").strip() or meeting.note
    session.add(meeting)
    uow.record("meeting cancel", None, {"meeting": meeting.id, "date": meeting.date.isoformat(),
                                        "cases returned": len(returned)})
    return meeting, returned


def move(uow: UnitOfWork, meeting_id: int, *, to: date, start: str | None,
         venue: str | None) -> tuple[Meeting, list[str]]:
    """Hold a meeting on another day: its cases keep their places, referrers need a new invitation.

    Answers about attending were given for the old date, so they go back to unknown.
    """
    session = uow.session
    check_one_line([("--venue", venue)])
    meeting = get_meeting(session, meeting_id)
    rules.check_meeting_open(label(meeting), meeting.status)
    slots = active_slots(session, meeting)
    rules.check_can_cancel(label(meeting), [s.outcome for s in slots])
    before = meeting.date
    if to.weekday() >= 5 or to in bank_holidays([to.year]):
        uow.warn(f"warning: {uk(to)} is a weekend or bank holiday; meeting {meeting.id} was moved anyway")
    meeting.date = to
    if start:
        from masg_cli.dates import hhmm, minutes

        shift = minutes(start) - minutes(meeting.start_time)
        meeting.start_time, meeting.end_time = start, hhmm(minutes(meeting.end_time) + shift)
        for slot in slots:
            slot.time = hhmm(minutes(slot.time) + shift)
    if venue is not None:
        meeting.venue = venue.strip()
    meeting.note = f"moved by hand from {uk(before)}"
    affected = []
    for slot in slots:
        slot.attending, slot.invited_at = "unknown", None
        session.add(slot)
        affected.append(session.get_one(Referral, slot.referral_id).reference)
    session.add(meeting)
    uow.record("meeting move", None, {"meeting": meeting.id, "date": [before.isoformat(), to.isoformat()],
                                      "time": meeting.start_time, "cases": len(affected)})
    return meeting, affected


# --- calendar -----------------------------------------------------------------------------------

def calendar(session: Session, *, locality: str | None) -> bytes:
    """The meetings as an iCalendar file for Outlook: each keeps its UID, so re-importing updates."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    london = ZoneInfo("Europe/London")
    cal = Calendar.new(name="Multi-agency panel meetings", prodid="-//masg//panel meetings//EN")
    # No METHOD: Outlook imports a calendar without one as PUBLISH (MS-STANOICAL V0078), and a
    # PUBLISH would need an ORGANIZER (RFC 5546) that a panel's calendar does not have.
    cal.add_component(london_timezone())
    query = (select(Meeting, Locality).join(Locality, col(Locality.id) == Meeting.locality_id)
             .order_by(col(Meeting.date)))
    if locality:
        query = query.where(Meeting.locality_id == get_locality(session, locality).id)
    revisions = _revisions(session)
    for meeting, loc in session.exec(query):
        cancelled = meeting.status == rules.MEETING_CANCELLED
        event = Event.new(uid=meeting.uid, summary=f"{'Cancelled: ' if cancelled else ''}{loc.name} panel meeting")
        # Outlook replaces its copy of an event only when SEQUENCE rises (RFC 5546 2.1.4).
        event.add("sequence", revisions.get(id_of(meeting), 0))
        hours, mins = (int(x) for x in meeting.start_time.split(":"))
        end_h, end_m = (int(x) for x in meeting.end_time.split(":"))
        day = meeting.date
        event.add("dtstart", datetime(day.year, day.month, day.day, hours, mins, tzinfo=london))
        event.add("dtend", datetime(day.year, day.month, day.day, end_h, end_m, tzinfo=london))
        if meeting.venue:
            event.add("location", meeting.venue)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("description", f"{loc.name} multi-agency panel, meeting {meeting.id}. "
                                 "The agenda and background pack come separately.")
        cal.add_component(event)
    return cal.to_ical()


def _revisions(session: Session) -> dict[int, int]:
    """How many times each meeting was moved or cancelled, from the audit trail: the calendar's
    SEQUENCE, which must rise with every change (the trail already counts them, and keeps them)."""
    import json

    counted: dict[int, int] = {}
    for changes in session.exec(select(AuditEntry.changes).where(
            col(AuditEntry.action).in_(("meeting move", "meeting cancel")))):
        meeting = json.loads(changes).get("meeting")
        if isinstance(meeting, int):
            counted[meeting] = counted.get(meeting, 0) + 1
    return counted


def london_timezone():
    """Europe/London's VTIMEZONE as Outlook reads one: a STANDARD and a DAYLIGHT, each with a
    yearly RRULE.

    Outlook approximates every VTIMEZONE to one yearly change each way and reads only TZID,
    DTSTART, RRULE, TZOFFSETFROM and TZOFFSETTO (MS-STANOICAL 2.2.47; its own exports carry no
    RDATE, 2.2.106). icalendar's ``add_missing_timezones()`` lists each year's change as RDATEs,
    which Outlook ignores, leaving it to guess from one DTSTART. The UK's rule (the last Sundays
    of March and October, at 01:00 UTC) has held since 1996; a test checks it against zoneinfo
    for every day to 2100. DTSTART is local time before the change, as RFC 5545 says.
    """
    from datetime import datetime, timedelta

    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", "Europe/London")
    for part, start, month, before, after, name in (
            (TimezoneDaylight(), datetime(1996, 3, 31, 1, 0), 3, 0, 1, "BST"),
            (TimezoneStandard(), datetime(1996, 10, 27, 2, 0), 10, 1, 0, "GMT")):
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("tzname", name)  # Outlook ignores it (MS-OXCICAL); other calendars show it
        zone.add_component(part)
    return zone


def write_calendar(session: Session, out, *, locality: str | None) -> tuple[object, int]:
    from pathlib import Path

    from masg_cli.services.export import private_output

    data = calendar(session, locality=locality)
    target = Path(out).expanduser()
    with private_output(target) as staged:  # staged, so a killed command leaves nothing beside --out
        staged.write_bytes(data)
    return target, data.count(b"BEGIN:VEVENT")
