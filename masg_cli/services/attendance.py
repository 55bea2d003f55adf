"""Who was at a panel meeting, and whether it was quorate: members present or sending apologies,
their deputies, the chair and guests; each locality's quorum.

SPEC "The meeting record": a meeting is quorate when the members and deputies present come from
at least N different agencies and include every quorum agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.errors import Refused
from masg_cli.models import Attendance, Locality, Meeting, PanelMember, QuorumAgency, id_of
from masg_cli.services.meetings import get_meeting, label

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


@dataclass
class MemberAttendance:
    """A panel member's attendance as the co-ordinator gives it."""

    member: str
    present: bool
    deputy: str | None = None
    chair: bool = False


# --- The locality's quorum --------------------------------------------------------------------


def quorum_agencies(session: Session, locality: Locality) -> list[str]:
    return list(session.exec(select(QuorumAgency.agency).where(QuorumAgency.locality_id == locality.id)
                             .order_by(col(QuorumAgency.id))))


def quorum_json(locality: Locality) -> dict:
    """The quorum part of a locality's JSON (its session gives the quorum agencies)."""
    session = object_session(locality)  # every session masg opens is SQLModel's
    agencies = quorum_agencies(session, locality) if isinstance(session, Session) and locality.id else []
    return {"quorum": locality.quorum, "quorum_agencies": agencies}


def set_quorum(session: Session, locality: Locality, quorum: int | None, agencies: list[str] | None) -> None:
    """A new quorum count and, when given, a new list of quorum agencies (replacing the old)."""
    if quorum is not None:
        if quorum < 0:
            raise Refused("--quorum is a number of agencies, 0 or more; give --quorum 3, say")
        locality.quorum = quorum
    if agencies is not None:
        for old in session.exec(select(QuorumAgency).where(QuorumAgency.locality_id == locality.id)):
            session.delete(old)
        session.flush()
        kept: dict[str, str] = {}
        for agency in agencies:
            if agency.strip():
                kept.setdefault(agency.strip().casefold(), agency.strip())
        for agency in kept.values():
            session.add(QuorumAgency(locality_id=id_of(locality), agency=agency))


# --- Recording attendance -----------------------------------------------------------------------


def _open_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = get_meeting(session, meeting_id)
    if meeting.status == rules.MEETING_CANCELLED:
        raise Refused(f"meeting {label(meeting)} is cancelled; attendance is recorded only for a "
                      "meeting held (see 'masg meeting list')")
    return meeting


def _panel_member(session: Session, meeting: Meeting, name: str) -> PanelMember:
    found = list(session.exec(select(PanelMember).where(
        PanelMember.locality_id == meeting.locality_id,
        func.lower(PanelMember.name) == " ".join(name.split()).lower())))
    locality = session.get_one(Locality, meeting.locality_id)
    if not found:
        raise Refused(f"'{name.strip()}' is not on {locality.name}'s panel; add them with 'masg locality "
                      f"member add {locality.name} --name ... --agency ... --email ...', or record "
                      "them with --guest NAME --agency AGENCY")
    if len(found) > 1:
        raise Refused(f"{locality.name}'s panel has {len(found)} members called '{name.strip()}'; "
                      "give each a distinct name with 'masg locality member add'")
    return found[0]


def _replace(session: Session, meeting: Meeting, **match) -> None:
    """Recording someone again corrects their attendance rather than adding a second line."""
    query = select(Attendance).where(Attendance.meeting_id == meeting.id)
    for column, value in match.items():
        query = query.where(func.lower(getattr(Attendance, column)) == value.lower()
                            if isinstance(value, str) else getattr(Attendance, column) == value)
    for old in session.exec(query):
        session.delete(old)
    session.flush()


def record_member(uow: UnitOfWork, meeting_id: int, given: MemberAttendance) -> Attendance:
    """A panel member present, or sending apologies with or without a deputy; perhaps the chair."""
    session = uow.session
    meeting = _open_meeting(session, meeting_id)
    member = _panel_member(session, meeting, given.member)
    deputy = " ".join((given.deputy or "").split()) or None
    if deputy and given.present:
        raise Refused(f"{member.name} is present, so no deputy comes for them; give --apologies "
                      "with --deputy NAME")
    if given.chair and not given.present and not deputy:
        raise Refused(f"{member.name} sent apologies, so cannot chair; record the chair's own "
                      "attendance with --chair")
    if given.chair:
        for old in session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id,
                                                         Attendance.chair == True)):  # noqa: E712
            old.chair = False
            session.add(old)
    _replace(session, meeting, panel_member_id=member.id)
    row = Attendance(meeting_id=id_of(meeting), panel_member_id=member.id, name=member.name,
                     agency=member.agency, deputy=deputy, chair=given.chair,
                     role=rules.ATTENDANCE_PRESENT if given.present else rules.ATTENDANCE_APOLOGIES)
    session.add(row)
    session.flush()
    uow.record("meeting attendance", None, {"meeting": meeting.id, "agency": member.agency,
                                            "attendance": row.role, "deputy": bool(deputy),
                                            "chair": given.chair})
    return row


def record_guest(uow: UnitOfWork, meeting_id: int, *, name: str, agency: str) -> Attendance:
    """Someone at the meeting who is not on the panel: they do not count towards the quorum."""
    session = uow.session
    meeting = _open_meeting(session, meeting_id)
    name, agency = " ".join(name.split()), " ".join(agency.split())
    if not name or not agency:
        raise Refused("a guest needs a name and an agency; give --guest NAME --agency AGENCY")
    _replace(session, meeting, role=rules.ATTENDANCE_GUEST, name=name)
    row = Attendance(meeting_id=id_of(meeting), name=name, agency=agency, role=rules.ATTENDANCE_GUEST)
    session.add(row)
    session.flush()
    uow.record("meeting attendance", None, {"meeting": meeting.id, "agency": agency, "attendance": "guest"})
    return row


# --- Reading it ---------------------------------------------------------------------------------

_ROLE_ORDER = {rules.ATTENDANCE_PRESENT: 0, rules.ATTENDANCE_APOLOGIES: 1, rules.ATTENDANCE_GUEST: 2}


def attendance_of(session: Session, meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance: the chair first, then present, apologies and guests, by name."""
    rows = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id))
    return sorted(rows, key=lambda a: (not a.chair, _ROLE_ORDER[a.role], a.name.casefold()))


def attendance_json(row: Attendance) -> dict:
    return {"name": row.name, "agency": row.agency, "attendance": row.role, "deputy": row.deputy,
            "chair": row.chair}


def quorum_at(session: Session, meeting: Meeting) -> rules.Quorum | None:
    """The meeting's quorum as its attendance shows it; None when no attendance is recorded."""
    rows = attendance_of(session, meeting)
    if not rows:
        return None
    locality = session.get_one(Locality, meeting.locality_id)
    return rules.quorum([a.agency for a in rows if rules.counts_for_quorum(a.role, a.deputy)],
                        needed=locality.quorum, quorum_agencies=quorum_agencies(session, locality))


def meeting_attendance(session: Session, meeting_id: int) -> tuple[Meeting, list[Attendance], rules.Quorum | None]:
    meeting = get_meeting(session, meeting_id)
    return meeting, attendance_of(session, meeting), quorum_at(session, meeting)


def _has_quorum_rule(session: Session, meeting: Meeting) -> bool:
    locality = session.get_one(Locality, meeting.locality_id)
    return bool(locality.quorum or quorum_agencies(session, locality))


def check_quorum(uow: UnitOfWork, meeting: Meeting, inquorate_reason: str | None) -> str | None:
    """Before a decision or review: refused at an inquorate meeting unless the panel said why it
    went ahead (the reason is returned, to be kept); with no attendance recorded, a warning: the
    minutes will have nobody to name, and a quorum set later could not be checked."""
    found = quorum_at(uow.session, meeting)
    reason = (inquorate_reason or "").strip() or None
    if found is None:
        unchecked = ", so its quorum is not checked" if _has_quorum_rule(uow.session, meeting) else ""
        message = (f"warning: no attendance is recorded for meeting {label(meeting)}{unchecked}; record "
                   f"it with 'masg meeting attendance {meeting.id} --member NAME --present'")
        if message not in uow.warnings:
            uow.warn(message)
    if found is None:
        return reason
    rules.check_quorate(label(meeting), found, reason)
    return None if found.quorate else reason
