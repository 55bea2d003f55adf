"""Is this family known? The co-ordinator's first question about any CAF, asked of the store.

A child is the same child when the folded name is the same and the date of birth is the same or
has its day and month swapped (a form filled in US order). The folded name is stored and indexed
with the date of birth (child.name_key, m007), so the check is one index look-up a child whatever
the size of the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from masg_cli import rules
from masg_cli.errors import Refused
from masg_cli.names import birth_dates, fold


@dataclass(frozen=True)
class KnownCase:
    """An earlier referral of one of the children: which child (its number here), and the case."""

    child: int
    reference: str
    status: str
    closed_reason: str | None


_MATCHES = (
    "SELECT DISTINCT r.reference, r.status, r.closed_reason, r.id FROM child c "
    "JOIN referral r ON r.id = c.referral_id "
    "WHERE c.name_key = :key AND c.dob IN (:dob, :swapped) ORDER BY r.id"
)


def known_cases(session, children: list[tuple[str, date]], *, leave_out: str | None = None) -> list[KnownCase]:
    """Every referral in the store with one of these children (``leave_out``: the case itself)."""
    found: list[KnownCase] = []
    for number, (name, dob) in enumerate(children, start=1):
        dobs = birth_dates(dob)
        rows = session.connection().execute(text(_MATCHES), {
            "key": fold(name), "dob": dobs[0], "swapped": dobs[-1]})
        found += [KnownCase(number, ref, status, reason) for ref, status, reason, _ in rows if ref != leave_out]
    return found


def check_known_family(uow, children: list[tuple[str, date]], *, re_referral_of: str | None,
                       not_duplicate: bool) -> list[str]:
    """Refuse a second open referral of a child; warn of closed ones. Returns the closed ones'
    references (oldest first) for `referral add --json`'s `earlier`.

    A re-referral of the open case itself is allowed (the leaflet lets a Lead Professional
    re-refer at any time), and so is ``not_duplicate`` (the co-ordinator has checked: another
    child of the same name and birthday), which the caller audits."""
    known = known_cases(uow.session, children)
    for case in known:
        if case.status in rules.OPEN_STATUSES and case.reference != re_referral_of and not not_duplicate:
            raise Refused(
                f"child {case.child} is already in an open referral, {case.reference} ({case.status}); "
                f"if this CAF follows it give --re-referral-of {case.reference}, if it is a different "
                "child give --not-duplicate, else add to the open case")
    earlier = list(dict.fromkeys(c.reference for c in known if c.status == rules.CLOSED))
    for reference in earlier:
        if reference != re_referral_of:
            uow.warn(f"warning: a child of this referral was referred before, in {reference} (closed); "
                     f"if this is a re-referral, link it with --re-referral-of {reference}")
    return earlier


def earlier_closed(session, children: list[tuple[str, date]], *, leave_out: str | None = None) -> list[str]:
    """The closed referrals of these children, oldest first (`referral add --json`'s `earlier`)."""
    return list(dict.fromkeys(c.reference for c in known_cases(session, children, leave_out=leave_out)
                              if c.status == rules.CLOSED))


def open_duplicates(known: list[KnownCase]) -> list[str]:
    """The open cases among those known, once each."""
    return list(dict.fromkeys(c.reference for c in known if c.status in rules.OPEN_STATUSES))
