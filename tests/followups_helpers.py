"""Cases at the later stages of the process, for the review and follow-up tests.

The panel's steps before a review (decision, family's answer) are real commands; only the
meeting and the case's agenda slot are written straight into the store (slot_at), so these tests
do not depend on the scheduler's or the agenda builder's choices. test_rereferral_closure.py walks
the whole journey through the real commands.
"""

from __future__ import annotations

import os
from datetime import date

from conftest import add_referral, ok

SERVICES = ["CAMHS: Weekly sessions for anxiety", "O'Brien & Sons <Ltd>: Help with morning routines"]

MEETING_DAY = "2026-11-24"
FIRST_REVIEW = "2026-12-01"
LEAD = ("Siân Sample", "O'Brien & Sons <Ltd>", "07700 900123, sian.sample@example.org")


def slot_at(reference: str, day: str, kind: str = "new", attending: str = "unknown") -> int:
    """A North meeting on `day` (made if missing) with the case in a pending slot; its id."""
    from sqlmodel import select

    from masg_cli.models import AgendaSlot, Locality, Meeting
    from masg_cli.services.referrals import get_referral
    from masg_cli.store import locate, transaction

    when = date.fromisoformat(day)
    with transaction(locate(os.environ["MASG_DB"]), user="test-coordinator", write=True) as uow:
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
                               time=f"{9 + taken:02d}:30", attending=attending, outcome="pending"))
        if kind == "new":
            referral.status = "scheduled"
            session.add(referral)
        return meeting.id


def decide(reference: str, meeting: int, *, review: str = FIRST_REVIEW, lead=LEAD) -> None:
    args = ["decision", "record", reference, "--meeting", str(meeting)]
    for service in SERVICES:
        args += ["--service", service]
    ok(*args, "--lead-name", lead[0], "--lead-agency", lead[1], "--lead-contact", lead[2],
       "--review-date", review)


def accepted_case(**extra) -> str:
    args = [x for pair in extra.items() for x in pair]
    ref = add_referral(*args)
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    return ref


def decided_case(*, lead=LEAD) -> tuple[str, int]:
    """A case the panel decided on 24 November 2026, review due 1 December 2026."""
    ref = accepted_case()
    meeting = slot_at(ref, MEETING_DAY)
    decide(ref, meeting, review=FIRST_REVIEW, lead=lead)
    return ref, meeting


def active_case(*, lead=LEAD) -> str:
    ref, _ = decided_case(lead=lead)
    ok("family-response", ref, "--accepted", "--date", "2026-11-26")
    return ref


def monitoring_case(reviewed: str = FIRST_REVIEW, *, lead=LEAD) -> str:
    """An active case whose first review decided no further panel reviews."""
    ref = active_case(lead=lead)
    ok("review", "record", ref, "--date", reviewed, "--further-reviews", "no")
    return ref


def show(ref: str) -> dict:
    return ok("referral", "show", ref, "--json").json
