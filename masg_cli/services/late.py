"""Items past their target: what 'masg today' lists as late and 'masg remind' chases.

Each target becomes one cut-off date (the latest start already past target), so every late
item is found by an indexed range on its start date; only the late rows are read, and a row's
due day and days late are worked out for those alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, literal, literal_column
from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import latest_late_start, target_due
from masg_cli.models import AgendaSlot, Decision, Document, Meeting, Referral
from masg_cli.services.decisions import latest_decision_id
from masg_cli.services.meetings import bank_holidays
from masg_cli.services.targets import current_targets

MINUTES_KIND = "minutes"
_HELD = (rules.SLOT_DECIDED, rules.SLOT_REVIEWED, rules.SLOT_DEFERRED)


@dataclass(frozen=True)
class Counting:
    """One day's view of a store's targets: each target's cut-off, and the holidays behind it."""

    today: date
    targets: dict
    holidays: dict
    known: dict = field(default_factory=dict, compare=False)  # due days already worked out

    def cut(self, name: str) -> date:
        t = self.targets[name]
        return latest_late_start(self.today, t.days, t.working_days, self.holidays)

    def due(self, name: str, start: date) -> date:
        if (name, start) not in self.known:
            t = self.targets[name]
            self.known[name, start] = target_due(start, t.days, t.working_days, self.holidays)
        return self.known[name, start]


def counting(session: Session, today: date) -> Counting:
    # Two years back: a year-long working-day target still finds its holidays.
    holidays = bank_holidays(range(today.year - 2, today.year + 2))
    return Counting(today, {t.name: t for t in current_targets(session)}, holidays)


def _triage(c: Counting):
    start = func.coalesce(Referral.info_received_on, Referral.received)
    return (select(Referral.reference, start.label("start"), literal(None).label("meeting"))
            .where(Referral.status == rules.RECEIVED, Referral.received <= c.cut("triage"),
                   start <= c.cut("triage")))


def _more_info(c: Counting):
    return (select(Referral.reference, col(Referral.triaged_on).label("start"), literal(None).label("meeting"))
            .where(Referral.status == rules.MORE_INFO, col(Referral.triaged_on) <= c.cut("more-info")))


def _sheet(c: Counting):
    return (select(Referral.reference, col(Meeting.date).label("start"), col(Meeting.id).label("meeting"))
            .select_from(Referral).join(Decision, Decision.id == latest_decision_id(Referral.id))
            .join(Meeting, col(Meeting.id) == Decision.meeting_id)
            .where(Referral.status == rules.DECIDED, col(Decision.sheet_produced_at).is_(None),
                   Meeting.date <= c.cut("sheet")))


def _minutes(c: Counting):
    """Meetings held without minutes, counted only from the first meeting that had minutes made:
    before masg made minutes nobody could have produced them with it."""
    first = (select(func.min(Meeting.date)).join(Document, col(Document.meeting_id) == Meeting.id)
             .where(Document.kind == MINUTES_KIND).scalar_subquery())
    made = exists().where(col(Document.meeting_id) == Meeting.id, col(Document.kind) == MINUTES_KIND)
    held = exists().where(col(AgendaSlot.meeting_id) == Meeting.id, col(AgendaSlot.outcome).in_(_HELD))
    # A meeting has no reference; late_items names it "meeting N", as 'meeting list' shows its id.
    return (select(literal(None).label("reference"), col(Meeting.date).label("start"),
                   col(Meeting.id).label("meeting"))
            .where(Meeting.status == rules.MEETING_SCHEDULED, Meeting.date <= c.cut("minutes"),
                   Meeting.date >= first, held, ~made))


def _tac(c: Counting):
    return (select(Referral.reference, col(Referral.family_response_date).label("start"),
                   literal(None).label("meeting"))
            .where(Referral.status == rules.ACTIVE, Referral.family_response == rules.FAMILY_ACCEPTED,
                   col(Referral.tac_date).is_(None), col(Referral.family_response_date) <= c.cut("tac")))


QUERIES = {"triage": _triage, "more-info": _more_info, "sheet": _sheet, "minutes": _minutes, "tac": _tac}


def late_items(session: Session, *, today: date, limit: int | None = None) -> dict:
    """Every item past its target, latest first: {"count": n, "items": [...]} as 'today' shows it."""
    c = counting(session, today)
    count, found = 0, []
    for name, build in QUERIES.items():
        query = build(c)
        ordered = query.order_by(literal_column("start"), literal_column("meeting"), literal_column("reference"))
        rows = list(session.exec(ordered.limit(limit) if limit else ordered))
        counted = limit is not None and len(rows) == limit
        count += session.exec(select(func.count()).select_from(query.subquery())).one() if counted else len(rows)
        for reference, start, meeting in rows:
            due = c.due(name, start)
            found.append({"reference": reference or f"meeting {meeting}", "target": name, "due": due,
                          "days_late": (today - due).days, "since": start, "meeting": meeting})
    found.sort(key=lambda item: (-item["days_late"], item["reference"]))
    return {"count": count, "items": found[:limit] if limit else found}

