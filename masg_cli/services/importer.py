"""Bring in an existing tracker (CSV or Excel): every row checked first, then all rows or none.

The whole tracker is read and checked before the write transaction begins, in a read transaction
of its own that asks the store only what the rows need: the localities and the panel, the
references the rows name, and the cases received within the rows' dates (the same case twice).
The rows are then written in one short write transaction, through ``open_cases`` as 'referral add'
writes one, so that other co-ordinators' commands wait a moment, not for the whole file. If
another co-ordinator wrote in between (the audit trail's head moved), the checks against the
store run again inside the write transaction before anything is written.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from masg_cli.errors import Refused
from masg_cli.tracker_file import read_table
from masg_cli.tracker_rows import COLUMNS, REQUIRED, TrackerContext, TrackerRow, heading, read_row

if TYPE_CHECKING:
    from sqlmodel import Session
    from masg_cli.store import UnitOfWork


@dataclass
class ImportPlan:
    rows: list[TrackerRow]
    ignored_columns: list[str]
    file_type: str
    checked_at: str | None = None  # the audit trail's head when the rows were checked against the store

    @property
    def refused(self) -> list[TrackerRow]:
        return [r for r in self.rows if r.problems]


def plan(session: Session, path: Path) -> ImportPlan:
    """Read the tracker and check every row against the store, changing nothing."""
    from masg_cli.services.audit import head_value

    header, lines = read_table(path)
    fields = [COLUMNS.get(heading(h)) for h in header]
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise Refused(f"the tracker has no column for: {', '.join(m.replace('_', ' ') for m in missing)}; "
                      "see the column mapping in docs/figures-and-exchange.md (Importing a tracker)")
    ignored = [str(h) for h, f in zip(header, fields) if f is None and heading(h)]
    checked_at = head_value(session)  # before the store is read: a later write is then seen as one
    context = _context(session)
    with _collector_paused():
        rows = [read_row(number, {f: value for f, value in zip(fields, line) if f}, context)
                for number, line in lines]
    check_against_store(session, rows)
    return ImportPlan(rows, ignored, Path(path).suffix.lower(), checked_at)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector walks every object still alive each time it runs: while a
    tracker's rows (which hold no cycles) are made by the hundred thousand, it only costs time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _context(session: Session) -> TrackerContext:
    from sqlmodel import select

    from masg_cli.models import Locality, id_of
    from masg_cli.services.setup import panel_type

    localities = {loc.name.lower(): (id_of(loc), loc.name) for loc in session.exec(select(Locality))}
    return TrackerContext(localities, panel_type(session))


# --- Checking the rows against the cases already in the store -----------------------------------------


def check_against_store(session: Session, rows: list[TrackerRow]) -> None:
    """References not taken nor repeated, no case already in the store, re-referrals of known cases."""
    from masg_cli.services.intake import ids_of

    named = {r.reference for r in rows if r.reference} | {r.re_referral_of for r in rows if r.re_referral_of}
    taken = set(ids_of(session, named))
    existing = _existing_cases(session, rows)
    known = _known_children(session, rows)
    seen: dict[str, int] = {}
    for row in rows:
        ref = row.reference
        if ref and ref in taken:
            row.problems.append(f"reference {ref} is already in the store")
        elif ref and ref in seen:
            row.problems.append(f"reference {ref} is also on row {seen[ref]}")
        elif (same := _same_case(row, existing)) is not None:
            row.problems.append(f"it is already in the store as {same} (same child and date of birth, "
                                "received date and locality); leave the row out")
        if ref:
            seen.setdefault(ref, row.number)
        _known_family(row, known)
        if row.linked_as_re_referral and row.re_referral_of:
            taken.add(row.re_referral_of)  # found in the store by the check itself
        earlier = row.re_referral_of
        if earlier and earlier not in taken and (earlier not in seen or seen[earlier] == row.number):
            row.problems.append(f"re referral of {earlier}: no such referral (earlier rows or the store)")


def _known_children(session: Session, rows: list[TrackerRow]) -> dict[str, list[tuple]]:
    """folded name -> [(dob, reference, status)] of the store's children the rows' children may be,
    asked by the indexed folded name in chunks (a tracker of 100,000 rows: 200 queries)."""
    from sqlalchemy import text

    from masg_cli.names import fold

    keys = sorted({fold(name) for r in rows for name, _ in (r.children or ())})
    found: dict[str, list[tuple]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        marks = ", ".join(f":k{i}" for i in range(len(chunk)))
        for key, dob, reference, status, _ in session.connection().execute(text(
                "SELECT c.name_key, c.dob, r.reference, r.status, r.id FROM child c JOIN referral r "
                f"ON r.id = c.referral_id WHERE c.name_key IN ({marks}) ORDER BY r.id"),
                {f"k{i}": key for i, key in enumerate(chunk)}):
            found.setdefault(key, []).append((dob if isinstance(dob, date) else date.fromisoformat(dob),
                                              reference, status))
    return found


def _known_family(row: TrackerRow, known: dict[str, list[tuple]]) -> None:
    """A row whose child is in an open case is refused (naming it); one whose child is in a closed
    case, and that names no earlier referral, is linked to the latest as a re-referral."""
    from masg_cli import rules
    from masg_cli.names import birth_dates, fold

    if row.problems:
        return
    matches = [(reference, status) for name, dob in row.children or () for born, reference, status
               in known.get(fold(name), ()) if born in birth_dates(dob)]
    for reference, status in matches:
        if status in rules.OPEN_STATUSES and reference != row.re_referral_of:
            row.problems.append(f"a child of the row is already in an open referral, {reference} ({status}); "
                                "leave the row out, or give it as the row's re referral of")
            return
    closed = [reference for reference, status in matches if status == rules.CLOSED]
    if closed and not row.re_referral_of:
        row.re_referral_of, row.linked_as_re_referral = closed[-1], True


def _existing_cases(session: Session, rows: list[TrackerRow]) -> dict:
    """(locality id, received, child's name, child's date of birth) -> reference, for every case
    in the store received within the rows' dates."""
    from sqlmodel import col, select

    from masg_cli.models import Child, Referral

    days = [r.received for r in rows if r.received]
    if not days:
        return {}
    # SQLModel types select() for at most four columns.
    found = session.exec(select(Referral.locality_id, Referral.received, Child.name, Child.dob, Referral.reference)  # type: ignore[call-overload]
                         .join(Child, Child.referral_id == Referral.id)
                         .where(col(Referral.received).between(min(days), max(days))))
    return {(loc, received, name.strip().lower(), dob): ref for loc, received, name, dob, ref in found}


def _same_case(row: TrackerRow, existing: dict) -> str | None:
    """The reference of a case already in the store that this row repeats, if any."""
    if row.problems or not row.locality or not row.received:
        return None
    for name, dob in row.children or ():
        found = existing.get((row.locality[0], row.received, name.strip().lower(), dob))
        if found:
            return found
    return None


# --- Writing, all or nothing -------------------------------------------------------------------------


def run_import(uow: UnitOfWork, path: Path) -> ImportPlan:
    """Import every row in one short write transaction, or refuse them all.

    ``uow`` is a write unit of work that has not touched the store yet: the tracker is read and
    checked in a read transaction beside it first, so the write lock is taken only to write.
    """
    from masg_cli.services.audit import lock_head
    from masg_cli.services.intake import open_cases

    with uow.reading() as session:
        checked = plan(session, path)
    refuse_unless_importable(checked, Path(path).name)
    cases = [_case_to_open(row) for row in checked.rows]
    head = lock_head(uow.session)  # the write transaction begins here
    if (head.value if head else None) != checked.checked_at:  # someone wrote since: check again
        check_against_store(uow.session, checked.rows)
        refuse_unless_importable(checked, Path(path).name)
    with _collector_paused():
        open_cases(uow, cases)
    uow.record("import", None, {"rows": len(checked.rows), "file_type": checked.file_type})
    for row in checked.rows:
        if row.linked_as_re_referral:
            uow.warn(f"row {row.number}: a child was referred before, in {row.re_referral_of} (closed); "
                     "imported as its re-referral")
    return checked


def refuse_unless_importable(checked: ImportPlan, name: str) -> None:
    """All rows or none: one refused row refuses the tracker, naming the first and how many."""
    if checked.rows and all(_only_already_there(r) for r in checked.rows):
        raise Refused(f"all {len(checked.rows)} rows of {name} are already in the store "
                      "(imported before?); nothing was imported")
    if checked.refused:
        first = checked.refused[0]
        raise Refused(f"{len(checked.refused)} of {len(checked.rows)} rows cannot be imported (row "
                      f"{first.number}: {first.problems[0]}); nothing was imported. See them all with --dry-run")


def _only_already_there(row: TrackerRow) -> bool:
    return bool(row.problems) and all("is already in the store" in p for p in row.problems)


def _case_to_open(row: TrackerRow):
    """The case a checked row opens; its audit entry holds no names and no free text: the row
    number, what the case became, and how many children."""
    from masg_cli.services.intake import CaseToOpen

    locality, received, consent, children = row.locality, row.received, row.consent_date, row.children
    # A row the checks passed has all four (each is refused when missing).
    assert locality is not None and received is not None and consent is not None and children is not None
    return CaseToOpen(
        locality_id=locality[0], received=received, consent_date=consent,
        consent_by=row.consent_by, needs=row.needs, referrer_name=row.referrer_name,
        referrer_agency=row.referrer_agency, referrer_email=row.referrer_email,
        referrer_phone=row.referrer_phone, children=children, agencies=row.agencies,
        transitions=row.transitions, re_referral_of=row.re_referral_of, reference=row.reference,
        status=row.status, closed_reason=row.closed_reason, triaged_on=row.triaged_on,
        triage_outcome=row.triage_outcome, triage_agency=row.triage_agency, triage_note=row.triage_note,
        family_response=row.family_response, family_response_date=row.family_response_date,
        tac_date=row.tac_date, next_review=row.next_review, last_reviewed=row.last_reviewed,
        follow_up_due=row.follow_up_due, closed_on=row.closed_on, final_review_date=row.final_review_date,
        closure_outcome=row.closure_outcome, tracker_lead_name=row.lead_name,
        tracker_lead_agency=row.lead_agency, tracker_lead_contact=row.lead_contact,
        action="referral import",
        audit={"row": row.number, "status": row.status, "closed_reason": row.closed_reason,
               "locality": locality[1], "received": received, "children": len(children),
               "kept_reference": bool(row.reference), "follow_up_due": row.follow_up_due,
               "lead_professional": bool(row.lead_name)})
