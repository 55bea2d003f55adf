"""Opening cases: the one way a referral is written, for 'referral add' and a tracker's import alike.

The caller has checked each case against the process (consent, the children, the referrer...).
``open_cases`` gives every case its reference (a tracker's kept one, or the next number for its
panel and year), writes it with its children, agencies and transition flags in batched INSERTs,
and adds one audit entry per case. One referral typed at the desk and a tracker of 100,000 rows
take the same path, so an imported case is stored exactly as an added one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, text

from masg_cli import rules
from masg_cli.dates import now_utc
from masg_cli.models import Child, Referral, SuggestedAgency, TransitionFlag
from masg_cli.names import fold, sounds
from masg_cli.services.audit import lock_head
from masg_cli.services.setup import panel_type

if TYPE_CHECKING:
    from sqlmodel import Session
    from masg_cli.store import UnitOfWork

BATCH = 1000  # referrals per INSERT statement: SQLite takes at most 32,766 values in one


@dataclass(slots=True)
class CaseToOpen:
    """A case about to be opened: its referral's values, its family, and what the audit trail says.

    A case typed at the desk is ``received``; a tracker's can arrive further on (accepted,
    monitoring, closed), with the dates and outcomes of the steps already taken.
    """

    locality_id: int
    received: date
    consent_date: date
    consent_by: str
    needs: str
    referrer_name: str
    referrer_agency: str
    children: list[tuple[str, date]]
    action: str  # the audit trail's word for how it was opened: "referral add", "referral import"
    audit: dict  # what the audit entry records: never a child's name, never free text
    referrer_email: str = ""
    referrer_phone: str = ""
    agencies: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)
    re_referral_of: str | None = None  # the earlier referral's reference: in the store or opened before it
    reference: str | None = None  # kept from a tracker; None: the next number
    status: str = rules.RECEIVED
    closed_reason: str | None = None
    triaged_on: date | None = None
    triage_outcome: str | None = None
    triage_agency: str | None = None
    triage_note: str | None = None
    family_response: str | None = None
    family_response_date: date | None = None
    tac_date: date | None = None
    next_review: date | None = None
    last_reviewed: date | None = None
    follow_up_due: date | None = None
    closed_on: date | None = None
    final_review_date: date | None = None
    closure_outcome: str | None = None
    tracker_lead_name: str | None = None
    tracker_lead_agency: str | None = None
    tracker_lead_contact: str | None = None
    step_down: bool = False
    child_details: list[dict] = field(default_factory=list)  # the optional details of each child, in order


# The referral's columns a CaseToOpen gives as they are.
COLUMNS = ("locality_id", "received", "consent_date", "consent_by", "needs", "referrer_name", "referrer_agency",
           "referrer_email", "referrer_phone", "status", "closed_reason", "triaged_on", "triage_outcome",
           "triage_agency", "triage_note", "family_response", "family_response_date", "tac_date", "next_review",
           "last_reviewed", "follow_up_due", "closed_on", "final_review_date", "closure_outcome",
           "tracker_lead_name", "tracker_lead_agency", "tracker_lead_contact", "step_down")


def open_cases(uow: UnitOfWork, cases: Sequence[CaseToOpen]) -> list[str]:
    """Open every case, in order; returns their references."""
    session = uow.session
    lock_head(session)  # the audit trail's head first, as every writer takes it: no deadlock
    panel = panel_type(session)
    references = allocate_references(session, panel, cases)
    in_store = ids_of(session, {c.re_referral_of for c in cases if c.re_referral_of})
    ids: dict[str, int] = {}
    stamp = now_utc()
    table = Referral.__table__  # type: ignore[attr-defined]  # SQLModel does not type __table__
    for start in range(0, len(cases), BATCH):
        batch = range(start, min(start + BATCH, len(cases)))
        rows = [_referral_row(cases[i], references[i], panel, stamp, in_store) for i in batch]
        ids.update(session.execute(insert(table).returning(table.c.reference, table.c.id), rows).all())
        _add_family(session, [(ids[references[i]], cases[i]) for i in batch])
    _link_to_earlier_cases(session, cases, references, ids, in_store)
    uow.record_many((reference, case.action, case.audit) for reference, case in zip(references, cases))
    return references


def _referral_row(case: CaseToOpen, reference: str, panel: str, stamp, in_store: dict[str, int]) -> dict:
    row = {name: getattr(case, name) for name in COLUMNS}
    row.update(reference=reference, panel=panel, re_referral_of_id=in_store.get(case.re_referral_of or ""),
               info_received_on=None, legal_hold=False, created_at=stamp, updated_at=stamp)
    return row


def _add_family(session: Session, opened: list[tuple[int, CaseToOpen]]) -> None:
    """Each case's children (in order), the agencies it names and its transition flags, once each."""
    children = [_child_row(rid, case, position, name, dob)
                for rid, case in opened for position, (name, dob) in enumerate(case.children, start=1)]
    agencies = [{"referral_id": rid, "agency": agency} for rid, case in opened
                for agency in dict.fromkeys(a.strip() for a in case.agencies if a.strip())]
    flags = [{"referral_id": rid, "flag": flag} for rid, case in opened
             for flag in dict.fromkeys(f.strip() for f in case.transitions if f.strip())]
    for model, rows in ((Child, children), (SuggestedAgency, agencies), (TransitionFlag, flags)):
        if rows:
            session.execute(insert(model.__table__), rows)  # type: ignore[union-attr]


CHILD_DETAILS = ("sex", "ethnicity", "school", "gp", "postcode", "nhs_number", "upn")


def _child_row(referral_id: int, case: CaseToOpen, position: int, name: str, dob: date) -> dict:
    # Every row names every column: one INSERT statement takes them all alike.
    given = case.child_details[position - 1] if position <= len(case.child_details) else {}
    return {"referral_id": referral_id, "position": position, "name": name.strip(), "dob": dob,
            "name_key": fold(name), "name_sound": sounds(name),
            **{detail: given.get(detail) for detail in CHILD_DETAILS}}


def _link_to_earlier_cases(session: Session, cases, references, ids, in_store) -> None:
    """A re-referral of a case opened earlier in the same batch links to it once both have ids."""
    links = [{"id": ids[reference], "earlier": ids[case.re_referral_of]}
             for reference, case in zip(references, cases)
             if case.re_referral_of and case.re_referral_of not in in_store]
    if links:
        session.execute(text("UPDATE referral SET re_referral_of_id = :earlier WHERE id = :id"), links)


def ids_of(session: Session, references: set[str]) -> dict[str, int]:
    """reference -> id of those referrals in the store (asked for in chunks: few, or many)."""
    found: dict[str, int] = {}
    wanted = sorted(references)
    table = Referral.__table__  # type: ignore[attr-defined]  # SQLModel does not type __table__
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(session.execute(select(table.c.reference, table.c.id)
                                     .where(table.c.reference.in_(chunk))).all())
    return found


# --- References ------------------------------------------------------------------------------------


def allocate_references(session: Session, panel: str, cases: Sequence[CaseToOpen]) -> list[str]:
    """Each case's reference: its kept one, or the next number for its panel and received year.

    The counters move past every kept reference first, so that a new number never collides with
    one; new numbers are then handed out in the cases' order, one counter update per year.
    """
    kept: dict[int, int] = {}
    for case in cases:
        if case.reference:
            parts = rules.reference_parts(case.reference)
            assert parts is not None, "a kept reference is checked before its case is opened"
            _, year, number = parts
            kept[year] = max(kept.get(year, 0), number)
    for year, number in sorted(kept.items()):
        session.execute(text(
            "INSERT INTO reference_counter (panel, year, last_number) VALUES (:p, :y, :n) "
            "ON CONFLICT (panel, year) DO UPDATE SET last_number = "
            "CASE WHEN reference_counter.last_number < :n THEN :n ELSE reference_counter.last_number END"),
            {"p": panel, "y": year, "n": number})
    wanted = Counter(case.received.year for case in cases if not case.reference)
    following = {year: take_numbers(session, panel, year, count) for year, count in sorted(wanted.items())}
    references = []
    for case in cases:
        if case.reference is None:
            year = case.received.year
            case_number, following[year] = following[year], following[year] + 1
            references.append(rules.reference(panel, year, case_number))
        else:
            references.append(case.reference)
    return references


def take_numbers(session: Session, panel: str, year: int, count: int) -> int:
    """Reserve ``count`` numbers for the panel and year; returns the first. The counter row
    serialises writers (hold the audit trail's head first: ``lock_head``)."""
    last = session.execute(text(
        "INSERT INTO reference_counter (panel, year, last_number) VALUES (:panel, :year, :count) "
        "ON CONFLICT (panel, year) DO UPDATE "
        "SET last_number = reference_counter.last_number + :count RETURNING last_number"),
        {"panel": panel, "year": year, "count": count}).scalar_one()
    return last - count + 1
