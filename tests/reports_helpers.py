"""Cases in any state, written straight into the store (for reports, export and retention tests)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from pathlib import Path

from masg_cli.cli.context import location

STAMP = datetime(2026, 11, 23, 8, 0, 0, tzinfo=timezone.utc)


def store_path() -> Path:
    return location().path


def write(build) -> object:
    """Run ``build(uow)`` in one committed transaction of the test's store."""
    from masg_cli.store import transaction

    with transaction(location(), user="test-fixture", write=True) as uow:
        return build(uow)


def locality_id(session, name: str = "North") -> int:
    from masg_cli.services.setup import get_locality

    return get_locality(session, name).id


def case(uow, reference: str, *, status: str = "received", received: date = date(2026, 1, 5),
         children=(("Zoë Example", date(2015, 2, 3)),), locality: str = "North",
         services=(), lead_agency: str | None = None, meeting_date: date | None = None,
         slot_outcome: str = "decided", reviews=(), follow_ups=(), re_referral_of: int | None = None,
         agencies=("CAMHS",), **fields) -> int:
    """One referral with its children and, when asked, a meeting decision, reviews and follow-ups."""
    from masg_cli.models import (AgendaSlot, Child, Decision, FollowUp, Meeting, Referral, Review,
                                 Service, SuggestedAgency)

    s = uow.session
    loc = locality_id(s, locality)
    referral = Referral(reference=reference, panel=reference[:4], locality_id=loc, status=status,
                        received=received, consent_date=received, consent_by="parent",
                        needs=fields.pop("needs", "Attendance and anxiety"),
                        referrer_name=fields.pop("referrer_name", "Alex Teacher"),
                        referrer_agency="Northside Primary", re_referral_of_id=re_referral_of,
                        legal_hold=fields.pop("legal_hold", False), created_at=STAMP, updated_at=STAMP,
                        **fields)
    s.add(referral)
    s.flush()
    for position, (name, dob) in enumerate(children, start=1):
        s.add(Child(referral_id=referral.id, position=position, name=name, dob=dob))
    for agency in agencies:
        s.add(SuggestedAgency(referral_id=referral.id, agency=agency))
    if meeting_date:
        meeting = Meeting(locality_id=loc, planned_date=meeting_date, date=meeting_date, start_time="09:30",
                          end_time="12:30", uid=f"{reference}-{meeting_date}@test")
        s.add(meeting)
        s.flush()
        s.add(AgendaSlot(meeting_id=meeting.id, referral_id=referral.id, kind="new", time="09:30",
                         outcome=slot_outcome))
        if lead_agency:
            decision = Decision(referral_id=referral.id, meeting_id=meeting.id, lead_name="Siân Sample",
                                lead_agency=lead_agency, review_date=meeting_date, recorded_at=STAMP)
            s.add(decision)
            s.flush()
            for agency, what in services:
                s.add(Service(decision_id=decision.id, agency=agency, description=what))
    for when in reviews:
        s.add(Review(referral_id=referral.id, date=when, further_reviews=False))
    for when, due in follow_ups:
        s.add(FollowUp(referral_id=referral.id, date=when, due=due, outcome="continue"))
    s.flush()
    # As an import records a case, so that doctor's replay of the trail agrees with the store.
    uow.record("referral import", reference, {"status": status, "closed_reason": fields.get("closed_reason"),
                                              "locality": locality, "received": received,
                                              "children": len(children)})
    return referral.id


def digest(path: Path | None = None) -> str:
    """The store's bytes (and its -wal's), to prove a command changed nothing."""
    path = path or store_path()
    sha = hashlib.sha256()
    if path is None:  # a server database (MASG_TEST_DB=postgresql): every row of every table
        from conftest import store_rows

        sha.update("\n".join(store_rows()).encode("utf-8"))
        return sha.hexdigest()
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            sha.update(part.read_bytes())
    return sha.hexdigest()
