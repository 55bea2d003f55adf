"""Does the store say what its audit trail says? Replaying the trail, case by case.

A verified, anchored chain shows the trail was not rewritten; it says nothing of a ``referral``
or ``child`` row changed behind masg's back. Every referral is created by an entry that gives its
status, locality, dates, consent and number of children (``referral add``, ``referral import``),
and every move of status is an entry ``status: [before, after]``; retention's removal is one too.
Replaying them gives what each case must look like now, and each row that differs is named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlmodel import col

from masg_cli.models import AuditEntry, Child, Locality, Referral

if TYPE_CHECKING:
    from sqlmodel import Session

# What the creating entry gives, compared with the row (the trail never holds a child's name).
KEY_FIELDS = ("locality", "received", "consent_date", "consent_by", "children")


@dataclass
class Case:
    """One referral as the trail tells it."""

    status: str | None = None
    closed_reason: str | None = None
    created: bool = False
    removed: bool = False
    key: dict = field(default_factory=dict)
    last_entry: int | None = None


def _apply(case: Case, entry_id: int, action: str, changes: dict) -> None:
    status = changes.get("status")
    if isinstance(status, str):  # the entry that created the case
        case.created, case.status = True, status
        case.closed_reason = changes.get("closed_reason")
        case.key.update({k: changes[k] for k in KEY_FIELDS if k in changes})
    elif isinstance(status, list) and len(status) == 2:
        case.status = status[1]
        if "closed_reason" in changes:
            case.closed_reason = changes["closed_reason"]
    # A correction (referral edit, referral transfer) gives each changed field as [old, new]; a
    # child added or taken off gives how many children the case has after it.
    fields = changes.get("fields")
    if isinstance(fields, dict):
        case.key.update({k: v[1] for k, v in fields.items() if k in KEY_FIELDS and isinstance(v, list) and len(v) == 2})
    if action in ("child add", "child remove") and "children" in changes:
        case.key["children"] = changes["children"]
    if action == "retention remove":
        case.removed = True
    case.last_entry = entry_id


def replay(session: Session) -> dict[str, Case]:
    """Every referral the trail names, as its entries leave it."""
    cases: dict[str, Case] = {}
    query = select(col(AuditEntry.id), col(AuditEntry.reference), col(AuditEntry.action), col(AuditEntry.changes)) \
        .where(col(AuditEntry.reference).is_not(None)).order_by(col(AuditEntry.id))
    for entry_id, reference, action, changes in session.execute(query):
        try:
            body = json.loads(changes)
        except ValueError:
            body = {}
        _apply(cases.setdefault(reference, Case()), entry_id, action, body if isinstance(body, dict) else {})
    return cases


def _rows(session: Session):
    children = select(col(Child.referral_id), func.count().label("n")).group_by(col(Child.referral_id)).subquery()
    return session.execute(
        select(col(Referral.reference), col(Referral.status), col(Referral.closed_reason), col(Locality.name),
               col(Referral.received), col(Referral.consent_date), col(Referral.consent_by),
               func.coalesce(children.c.n, 0))
        .join(Locality, col(Locality.id) == Referral.locality_id)
        .outerjoin(children, children.c.referral_id == Referral.id).order_by(col(Referral.id)))


def _differences(case: Case, row) -> list[str]:
    _, status, closed_reason, locality, received, consent_date, consent_by, children = row
    held = {"locality": locality, "received": received.isoformat(), "consent_date": consent_date.isoformat(),
            "consent_by": consent_by, "children": children}
    found = []
    if status != case.status:
        found.append(f"status is {status}, the trail says {case.status}")
    elif status == "closed" and case.closed_reason and closed_reason != case.closed_reason:
        found.append(f"closed as {closed_reason}, the trail says {case.closed_reason}")
    for name, value in case.key.items():
        if name in held and str(held[name]) != str(value):
            found.append(f"{name.replace('_', ' ')} differs from the trail's")
    return found


def disagreements(session: Session) -> list[str]:
    """One line per referral whose row is not what the trail says it is (empty: all agree)."""
    cases = replay(session)
    problems, seen = [], set()
    for row in _rows(session):
        reference = row[0]
        seen.add(reference)
        case = cases.get(reference)
        if case is None or not case.created:
            problems.append(f"{reference}: no audit entry created it")
        elif case.removed:
            problems.append(f"{reference}: the trail says retention removed it (entry {case.last_entry})")
        else:
            problems.extend(f"{reference}: {d} (entry {case.last_entry})" for d in _differences(case, row))
    for reference, case in cases.items():
        if case.created and not case.removed and reference not in seen:
            problems.append(f"{reference}: in the trail ({case.status}) but not in the store")
    return problems
