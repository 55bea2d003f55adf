"""The manager's figures for targets, step-ups, step-downs and re-referrals within 12 months.

A target's share met counts each item whose clock started in the period: within (done by its
due day), late (done after it, or not done and past it on the report's last day). The database
groups the items by their (start, done) days, so Python works out one due day per distinct
start, never one per case.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import overload

from sqlalchemy import func, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.models import AgendaSlot, Decision, Document, Locality, Meeting, Referral, TriageEntry
from masg_cli.services.late import MINUTES_KIND, counting

INFO_RECEIVED = "info-received"


@overload
def _day(value: None) -> None: ...
@overload
def _day(value: date | str) -> date: ...
def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def _in_period(column, period) -> list:
    where = [column.is_not(None)]
    if period.start:
        where.append(column >= period.start)
    if period.end:
        where.append(column <= period.end)
    return where


def _local(period) -> list:
    return [Referral.locality_id == period.locality_id] if period.locality_id else []


def _item(start, done, waiting, locality=Referral.locality_id):
    """An item's columns: when its clock started, when it was done, whether it is still waited for,
    and its locality."""
    return select(start.label("start"), done.label("done"), waiting.label("waiting"),
                  locality.label("locality_id"))


def _triage(period):
    first = (select(func.min(TriageEntry.date)).where(TriageEntry.referral_id == Referral.id,
                                                      TriageEntry.outcome != INFO_RECEIVED)
             .correlate(Referral).scalar_subquery())
    return _item(Referral.received, first, literal(True)).where(*_in_period(Referral.received, period), *_local(period))


def _more_info(period):
    answer = aliased(TriageEntry)
    answered = (select(func.min(answer.date)).where(answer.referral_id == TriageEntry.referral_id,
                                                    answer.outcome == INFO_RECEIVED, answer.date >= TriageEntry.date)
                .correlate(TriageEntry).scalar_subquery())
    return (_item(TriageEntry.date, answered, literal(True)).join(Referral, Referral.id == TriageEntry.referral_id)
            .where(TriageEntry.outcome == rules.MORE_INFORMATION, *_in_period(TriageEntry.date, period),
                   *_local(period)))


def _sheet(period):
    # A sheet never made counts as late only while the family's answer is awaited.
    return (_item(Meeting.date, Decision.sheet_produced_at, Referral.status == rules.DECIDED)
            .select_from(Decision).join(Meeting, Meeting.id == Decision.meeting_id)
            .join(Referral, Referral.id == Decision.referral_id)
            .where(*_in_period(Meeting.date, period), *_local(period)))


def _minutes(period):
    first = (select(func.min(Meeting.date)).join(Document, col(Document.meeting_id) == Meeting.id)
             .where(Document.kind == MINUTES_KIND).scalar_subquery())
    made = (select(func.min(Document.produced_at)).where(Document.meeting_id == Meeting.id,
                                                         Document.kind == MINUTES_KIND)
            .correlate(Meeting).scalar_subquery())
    held = (select(AgendaSlot.id).where(AgendaSlot.meeting_id == Meeting.id,
                                        col(AgendaSlot.outcome).in_((rules.SLOT_DECIDED, rules.SLOT_REVIEWED,
                                                                     rules.SLOT_DEFERRED))).exists())
    local = [Meeting.locality_id == period.locality_id] if period.locality_id else []
    return (_item(Meeting.date, made, literal(True), Meeting.locality_id)
            .where(Meeting.status == rules.MEETING_SCHEDULED, Meeting.date >= first, held,
                   *_in_period(Meeting.date, period), *local))


def _tac(period):
    return (_item(Referral.family_response_date, Referral.tac_date, Referral.status == rules.ACTIVE)
            .where(Referral.family_response == rules.FAMILY_ACCEPTED,
                   *_in_period(Referral.family_response_date, period), *_local(period)))


ITEMS = {"triage": _triage, "more-info": _more_info, "sheet": _sheet, "minutes": _minutes, "tac": _tac}


def _rate(counts: dict) -> dict:
    whole = counts["within"] + counts["late"]
    return {**counts, "rate": round(counts["within"] / whole, 3) if whole else None}


def _judge(done, waiting, due: date, last_day: date) -> str | None:
    if done is not None:
        return "within" if _day(done) <= due else "late"
    return "late" if waiting and due < last_day else None


def _share(session: Session, query, due, last_day: date, places: dict) -> tuple[dict, dict]:
    """The target's figures for the whole period, and by (locality, month of the start)."""
    total = {"within": 0, "late": 0}
    by_month: dict[tuple[str, str], dict] = {}
    g = query.subquery()
    # SQLModel types select() for at most four columns.
    grouped = (select(g.c.start, g.c.done, g.c.waiting, g.c.locality_id, func.count())  # type: ignore[call-overload]
               .group_by(g.c.start, g.c.done, g.c.waiting, g.c.locality_id))
    for s, d, w, place, n in session.exec(grouped):
        if s is None or (verdict := _judge(d, w, due(_day(s)), last_day)) is None:
            continue
        total[verdict] += n
        key = (places.get(place, ""), f"{_day(s):%Y-%m}")
        by_month.setdefault(key, {"within": 0, "late": 0})[verdict] += n
    return _rate(total), {key: _rate(counts) for key, counts in by_month.items()}


def target_shares(session: Session, period, last_day: date) -> tuple[dict, list[dict]]:
    """For each target: items within it, late, and the share within (0-1; None with no items);
    and the same by locality and month."""
    c = counting(session, last_day)
    places = dict(session.exec(select(Locality.id, Locality.name)).all())
    shares, rows = {}, []
    for name, build in ITEMS.items():
        shares[name], by_month = _share(session, build(period), partial(c.due, name), last_day, places)
        rows += [{"locality": place, "month": month, "target": name, **counts}
                 for (place, month), counts in by_month.items()]
    return shares, sorted(rows, key=lambda r: (r["month"], r["locality"], r["target"]))


def targets_and_steps(session: Session, period, tables: dict, today: date, steps: dict) -> dict:
    """What 'report summary' adds for targets, and the step-ups, step-downs and re-referrals
    (``steps``, counted by reports.steps_and_returns) as a table of their own; an item not done
    is judged on --to's day."""
    shares, by_month = target_shares(session, period, period.end or today)
    tables["targets"] = [{"target": name, **share} for name, share in shares.items()]
    tables["targets_by_month"] = by_month
    tables["steps"] = [steps]
    return {"targets": shares, **steps}
