"""Retention: closed cases past the authority's retention period are removed, legal holds never.

The dry run lists references, the rule and the due date (never a name). Applying removes each
case and every row that belongs to it in the command's one transaction, and writes one audit
entry per case without personal data. The store's connections run with PRAGMA secure_delete,
so freed pages are overwritten; after the commit the CLI also runs VACUUM and truncates the
write-ahead log (``scrub``), so no copy of the removed rows stays in the database file. A wipe
that another reader holds up is recorded with the removal and finished later (masg_cli/wipe.py).

The audit entries about a removed case are kept: they hold references, statuses and dates,
never a child's name, and deleting them would break the audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import text

from masg_cli import rules
from masg_cli.errors import Refused
from masg_cli.models import Referral, Setting
from masg_cli.parsing import parse_retention_rule
from masg_cli.services.export import day
from masg_cli.services.referrals import get_referral

if TYPE_CHECKING:
    from sqlmodel import Session
    from masg_cli.store import UnitOfWork


@dataclass(frozen=True)
class Candidate:
    reference: str
    referral_id: int
    closed_on: date
    due: date
    on_hold: bool


def current_rule(session: Session) -> rules.RetentionRule:
    row = session.get(Setting, rules.RETENTION_SETTING)
    return parse_retention_rule(row.value if row else rules.RETENTION_DEFAULT)


def set_rule(uow: UnitOfWork, wanted: str) -> rules.RetentionRule:
    """The authority's retention rule, kept in the store's settings (audited)."""
    rule = parse_retention_rule(wanted)
    before = current_rule(uow.session)
    uow.session.merge(Setting(key=rules.RETENTION_SETTING, value=str(rule)))
    uow.record("retention rule", None, {"rule": [str(before), str(rule)]})
    return rule


CLOSED_CASES = """
SELECT r.id, r.reference, COALESCE(r.closed_on, r.received) AS closed_on, r.legal_hold,
       (SELECT MAX(c.dob) FROM child c WHERE c.referral_id = r.id) AS youngest
FROM referral r WHERE r.status = 'closed' ORDER BY r.id"""


def due_cases(session: Session, today: date) -> tuple[rules.RetentionRule, list[Candidate]]:
    """Closed cases whose retention period has ended by ``today`` (held ones marked, not left out)."""
    rule = current_rule(session)
    found = []
    for rid, reference, closed_on, hold, youngest in session.connection().execute(text(CLOSED_CASES)):
        closed = day(closed_on)
        if closed is None:  # no closing day to count the period from: keep the case
            continue
        due = rules.retention_due(rule, closed_on=closed, youngest_dob=day(youngest))
        if rules.past_retention(due, today):
            found.append(Candidate(reference, rid, closed, due, bool(hold)))
    return rule, sorted(found, key=lambda c: (c.due, c.reference))


# Every table holding a case's rows, children first (foreign keys are enforced).
_REMOVE = (
    "DELETE FROM service WHERE decision_id IN (SELECT id FROM decision WHERE referral_id = :id)",
    "DELETE FROM decision WHERE referral_id = :id",
    "DELETE FROM review WHERE referral_id = :id",
    "UPDATE follow_up SET new_referral_id = NULL WHERE new_referral_id = :id",
    "DELETE FROM follow_up WHERE referral_id = :id",
    "DELETE FROM agenda_slot WHERE referral_id = :id",
    "DELETE FROM document WHERE referral_id = :id",
    "DELETE FROM child WHERE referral_id = :id",
    "DELETE FROM suggested_agency WHERE referral_id = :id",
    "DELETE FROM transition_flag WHERE referral_id = :id",
    "DELETE FROM triage_entry WHERE referral_id = :id",
    "DELETE FROM note WHERE referral_id = :id",
    "DELETE FROM attachment_chunk WHERE attachment_id IN (SELECT id FROM attachment WHERE referral_id = :id)",
    "DELETE FROM attachment WHERE referral_id = :id",
    "DELETE FROM lead_change WHERE referral_id = :id",
    # Its actions go; the meeting's attendance and minutes stay (they hold initials only).
    "DELETE FROM panel_action WHERE referral_id = :id",
    "DELETE FROM reminder WHERE referral_id = :id",
    "DELETE FROM case_view WHERE referral_id = :id",
    # A later re-referral stays; it only loses the link to the removed one.
    "UPDATE referral SET re_referral_of_id = NULL WHERE re_referral_of_id = :id",
    "DELETE FROM referral WHERE id = :id",
)


def apply(uow: UnitOfWork, today: date) -> tuple[rules.RetentionRule, list[Candidate]]:
    """Remove every case past retention that is not on legal hold, in this one transaction."""
    rule, found = due_cases(uow.session, today)
    removed = [c for c in found if not c.on_hold]
    connection = uow.session.connection()
    for case in removed:
        for statement in _REMOVE:
            connection.execute(text(statement), {"id": case.referral_id})
        uow.record("retention remove", case.reference,
                   {"rule": str(rule), "closed_on": case.closed_on, "due": case.due, "as_of": today})
    if removed and uow.location.is_sqlite:
        from masg_cli import wipe

        # With the removal, in its transaction: cleared only once the file holds no copy (scrub).
        uow.session.merge(Setting(key=wipe.PENDING, value=wipe.VACUUM))
    return rule, found


def scrub(location) -> str | None:
    """After removal: rebuild the file and empty the write-ahead log, leaving no old pages.

    Runs after the removal has committed, so it must not fail the command. If another program
    is reading the store, the checkpoint reports busy (a result row, not an error): the wipe stays
    pending in the store, the co-ordinator is warned, and the next command that can finishes it.
    """
    if not location.is_sqlite:
        return None  # PostgreSQL: VACUUM is the server's autovacuum's job
    from masg_cli import wipe

    why = wipe.finish(location.path, wait_ms=wipe.WAIT_AFTER_REMOVAL_MS)
    if why is None:
        return None
    return (f"warning: cases removed; the file will be compacted on the next run: their old pages are "
            f"still in the store file ({why}). The next masg command that finds nobody else using the "
            "store wipes them: close the other program, then run any masg command ('masg doctor' "
            "shows when it is done)")


def set_hold(uow: UnitOfWork, reference: str, *, hold: bool, reason: str | None) -> Referral:
    """Put a case on legal hold (never removed by retention), or release it."""
    referral = get_referral(uow.session, reference, for_update=True)
    if hold and not (reason or "").strip():
        raise Refused("give --reason: why the case must be kept (no names, please)")
    if referral.legal_hold == hold:
        state = "already on legal hold" if hold else "not on legal hold"
        raise Refused(f"{referral.reference} is {state}; nothing to change")
    referral.legal_hold = hold
    uow.session.add(referral)
    uow.session.flush()
    changes: dict[str, object] = {"legal_hold": [not hold, hold]}
    if hold:
        changes["reason"] = (reason or "").strip()
    uow.record("legal hold" if hold else "legal hold release", referral.reference, changes)
    return referral
