"""Cases at any step of the process, for the tests: `case_at("monitoring")`, one `decide()`.

Two ways to build a case:
- through the real commands (`case_at`, `on_agenda`, `decide`): the referral is added, triaged
  and decided as a co-ordinator would; only the meeting and the case's agenda slot are written
  straight into the store (`slot_at`), so these tests do not depend on the scheduler's or the
  agenda builder's choices (test_rereferral_closure.py walks the whole journey through commands);
- straight into the store (`write(lambda uow: stored_case(uow, ...))`): any status, any dates,
  for the reports, export and retention tests.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

from conftest import REFERRAL, add_referral, ok, run

SERVICES = ["CAMHS: Weekly sessions for anxiety", "O'Brien & Sons <Ltd>: Help with morning routines"]
# The Lead Professional of a decision recorded by hand in the decision tests...
LEAD = ("Siân Sample", "School nursing", "07700 900123")
# ...and of the cases case_at builds: an agency with awkward characters, a contact with an e-mail.
LEAD_WITH_EMAIL = ("Siân Sample", "O'Brien & Sons <Ltd>", "07700 900123, sian.sample@example.org")

MEETING_DAY = "2026-11-24"  # the panel meeting case_at's cases are decided at
FIRST_REVIEW = "2026-12-01"  # the review date those decisions set


# --- Through the commands --------------------------------------------------------------------------


def meeting_on(day: str) -> int:
    """The id of North's meeting on `day` (scheduling North's meetings to the end of 2026)."""
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-11-24", "--until", "2026-12-31")
    [meeting] = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == day]
    return meeting


def on_agenda(reference: str, day: str = MEETING_DAY) -> int:
    """Build the agenda of the meeting on `day` (it takes every accepted case and every review
    due) and check that `reference` is on it; returns the meeting's id."""
    meeting = meeting_on(day)
    ok("agenda", "build", meeting)
    slots = ok("agenda", "show", meeting, "--json").json["slots"]
    assert reference in [s["reference"] for s in slots], slots
    return meeting


def decide(reference: str, meeting: int, *, services=None, review: str = FIRST_REVIEW, lead=LEAD,
           check: bool = True):
    """Record the panel's decision (the usual fictional one unless told otherwise)."""
    args = ["decision", "record", reference, "--meeting", str(meeting)]
    for service in SERVICES if services is None else services:
        args += ["--service", service]
    args += ["--lead-name", lead[0], "--lead-agency", lead[1], "--review-date", review]
    if lead[2]:
        args += ["--lead-contact", lead[2]]
    return ok(*args) if check else run(*args)


def referral_for_child_born(dob: str) -> str:
    """The usual fictional referral (received 2 November 2026), its child born on `dob`."""
    details = [dob if previous == "--dob" else value for previous, value in zip([None, *REFERRAL], REFERRAL)]
    return ok("referral", "add", *details).stdout.strip()


def schedule_december() -> None:
    """North's fortnightly Tuesday meetings of December 2026: the 1st, 15th and 29th."""
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")


def slot_at(reference: str, day: str, kind: str = "new", attending: str = "unknown") -> int:
    """A North meeting on `day` (made if missing) with the case in a pending slot; its id."""
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
                               time=f"{9 + taken:02d}:30", attending=attending, outcome="pending"))
        if kind == "new":
            referral.status = "scheduled"
            session.add(referral)
        return meeting.id


STEPS = ("accepted", "decided", "active", "monitoring")


def case_at(status: str, *referral_options: str, lead=LEAD_WITH_EMAIL, reviewed: str = FIRST_REVIEW) -> str:
    """A North case brought to `status` by the real commands; its reference.

    accepted: triaged on 3 November 2026; decided: at the panel of 24 November 2026, review due
    1 December 2026 (`lead` its Lead Professional); active: the family accepted on 26 November;
    monitoring: reviewed on `reviewed` with no further panel reviews (follow-up 84 days later).
    `referral_options` go to `masg referral add`.
    """
    if status not in STEPS:
        raise ValueError(f"case_at builds {', '.join(STEPS)}, not {status!r}")
    reference = add_referral(*referral_options)
    ok("referral", "triage", reference, "--outcome", "accept", "--date", "2026-11-03")
    if status == "accepted":
        return reference
    decide(reference, slot_at(reference, MEETING_DAY), review=FIRST_REVIEW, lead=lead)
    if status == "decided":
        return reference
    ok("family-response", reference, "--accepted", "--date", "2026-11-26")
    if status == "active":
        return reference
    ok("review", "record", reference, "--date", reviewed, "--further-reviews", "no")
    return reference


def show(reference: str) -> dict:
    """The whole case, as `masg referral show --json` gives it."""
    return ok("referral", "show", reference, "--json").json


# --- Straight into the store -----------------------------------------------------------------------

STAMP = datetime(2026, 11, 23, 8, 0, 0, tzinfo=timezone.utc)


@contextmanager
def in_store(*, write: bool):
    """The test's own store, opened as a command would open it."""
    from masg_cli.store import locate, transaction

    with transaction(locate(os.environ["MASG_DB"]), user="test-coordinator", write=write) as uow:
        yield uow


def store_path() -> Path | None:
    """The test's SQLite store file (None on a server database)."""
    from masg_cli.cli.context import location

    return location().path


def write(build) -> object:
    """Run ``build(uow)`` in one committed transaction of the test's store."""
    from masg_cli.cli.context import location
    from masg_cli.store import transaction

    with transaction(location(), user="test-fixture", write=True) as uow:
        return build(uow)


def locality_id(session, name: str = "North") -> int:
    from masg_cli.services.setup import get_locality

    return get_locality(session, name).id


def stored_case(uow, reference: str, *, status: str = "received", received: date = date(2026, 1, 5),
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


def out_folder(tmp_path: Path) -> Path:
    """An empty folder for what a command writes (tmp_path also holds the test's store)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def refuse_audit_entry(monkeypatch, action: str) -> None:
    """Make the store refuse the audit entry of `action` as a busy SQLite store would."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from masg_cli.store import UnitOfWork

    original = UnitOfWork.record

    def record(self, what, reference, changes):
        if what == action:
            raise OperationalError("INSERT INTO audit_entry", {}, sqlite3.OperationalError("database is locked"))
        return original(self, what, reference, changes)

    monkeypatch.setattr(UnitOfWork, "record", record)


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
