"""Putting a case before the panel and recording its decision, for the decision tests."""

from __future__ import annotations

import os
from contextlib import contextmanager

from conftest import ok, run

SERVICES = ["CAMHS: Weekly sessions for anxiety", "O'Brien & Sons <Ltd>: Help with morning routines"]
LEAD = ("Siân Sample", "School nursing", "07700 900123")
DECISION = {"services": SERVICES, "lead": LEAD, "review": "2026-12-01"}


@contextmanager
def in_store(*, write: bool):
    """The test's own store, opened as a command would open it."""
    from masg_cli.store import locate, transaction

    with transaction(locate(os.environ["MASG_DB"]), user="test-coordinator", write=write) as uow:
        yield uow


def _slot(reference: str, day: str, kind: str) -> int:
    """A meeting of North on `day` (made if missing) with the case in a pending slot."""
    from datetime import date

    from sqlmodel import select

    from masg_cli.models import AgendaSlot, Locality, Meeting
    from masg_cli.services.referrals import get_referral

    when = date.fromisoformat(day)
    with in_store(write=True) as uow:
        session = uow.session
        north = session.exec(select(Locality).where(Locality.name == "North")).one()
        meeting = session.exec(select(Meeting).where(Meeting.date == when)).first()
        if meeting is None:
            meeting = Meeting(locality_id=north.id, planned_date=when, date=when, start_time="09:30",
                              end_time="12:30", venue=north.venue, uid=f"test-{day}@masg")
            session.add(meeting)
            session.flush()
        referral = get_referral(session, reference)
        taken = len(session.exec(select(AgendaSlot).where(AgendaSlot.meeting_id == meeting.id)).all())
        session.add(AgendaSlot(meeting_id=meeting.id, referral_id=referral.id, kind=kind,
                               time=f"{9 + taken}:30".zfill(5), outcome="pending"))
        if kind == "new":
            referral.status = "scheduled"
        session.add(referral)
        return meeting.id


def on_agenda(reference: str, day: str = "2026-11-24") -> int:
    """Put an accepted case on the agenda of the meeting on `day`; returns the meeting's id."""
    return _slot(reference, day, "new")


def second_meeting(reference: str, day: str, *, kind: str = "review") -> int:
    return _slot(reference, day, kind)


def decide(reference: str, meeting: int, *, services=None, review: str = "2026-12-01", lead=LEAD,
           check: bool = True):
    """Record the panel's decision (the usual fictional one unless told otherwise)."""
    args = ["decision", "record", reference, "--meeting", str(meeting)]
    for service in SERVICES if services is None else services:
        args += ["--service", service]
    args += ["--lead-name", lead[0], "--lead-agency", lead[1], "--review-date", review]
    if lead[2]:
        args += ["--lead-contact", lead[2]]
    return ok(*args) if check else run(*args)
