"""The morning list: everything the co-ordinator must act on today, most urgent first.

Above all the overdue 12-week follow-ups: "the CAF co-ordinator will contact the Lead
Professional 12 weeks after the case was last reviewed". Each section is one indexed query that
also counts its rows (a window count), so a store of 100,000 cases is read no more than the
cases that are due; people see the first few rows of each section, programs (--json) all.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from masg_cli import rules
from masg_cli.models import AgendaSlot, Decision, Locality, Meeting, Referral
from masg_cli.services.followups import follow_up_query, follow_up_row, latest_decision_id

# Most urgent first; the names are the keys of 'masg today --json'.
SECTIONS = (
    "overdue_follow_ups",
    "follow_ups_due_this_week",
    "reviews_overdue",
    "waiting_for_triage",
    "waiting_for_information",
    "attendance_unconfirmed",
    "decision_sheets_not_produced",
    "family_answers_awaited",
)


def _days(since: date | None, today: date) -> int | None:
    return (today - since).days if since else None


def _reviews_overdue(today: date):
    return (
        select(Referral.reference, Referral.next_review, Referral.status, Locality.name)
        .select_from(Referral).join(Locality, Locality.id == Referral.locality_id)
        .where(Referral.next_review < today, Referral.status.in_((rules.DECIDED, rules.ACTIVE)))
        .order_by(Referral.next_review, Referral.reference)
    )


def _waiting(status: str, since_column):
    return (
        select(Referral.reference, since_column, Locality.name, Referral.referrer_name,
               Referral.referrer_agency, Referral.triage_note)
        .select_from(Referral).join(Locality, Locality.id == Referral.locality_id)
        .where(Referral.status == status).order_by(since_column, Referral.reference)
    )


def _attendance_unconfirmed(today: date):
    """Slots whose referrer has not said yes or no, on each locality's next scheduled meeting."""
    from sqlalchemy.orm import aliased

    later = aliased(Meeting)
    next_meeting = (
        select(func.min(later.date))
        .where(later.locality_id == Meeting.locality_id, later.status == "scheduled", later.date >= today)
        .correlate(Meeting).scalar_subquery()
    )
    return (
        select(Referral.reference, Meeting.id, Meeting.date, AgendaSlot.time, Locality.name,
               Referral.referrer_name, Referral.referrer_email, Referral.referrer_phone)
        .select_from(Meeting)
        .join(AgendaSlot, AgendaSlot.meeting_id == Meeting.id)
        .join(Referral, Referral.id == AgendaSlot.referral_id)
        .join(Locality, Locality.id == Meeting.locality_id)
        .where(Meeting.status == "scheduled", Meeting.date >= today, Meeting.date == next_meeting,
               AgendaSlot.attending == "unknown", AgendaSlot.outcome == "pending")
        .order_by(Meeting.date, Locality.name, AgendaSlot.time)
    )


def _sheets_not_produced():
    return (
        select(Referral.reference, Meeting.id, Meeting.date, Referral.referrer_name)
        .select_from(Decision)
        .join(Referral, Referral.id == Decision.referral_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Decision.sheet_produced_at.is_(None), Referral.status != rules.CLOSED)
        .order_by(Meeting.date, Referral.reference)
    )


def _family_answers_awaited():
    return (
        select(Referral.reference, Meeting.date, Referral.referrer_name, Referral.referrer_agency)
        .select_from(Referral).join(Decision, Decision.id == latest_decision_id(Referral.id))
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Referral.status == rules.DECIDED)
        .order_by(Meeting.date, Referral.reference)
    )


def _run(session: Session, query, limit: int | None) -> tuple[list, int]:
    """The section's rows (the first ``limit`` of them) and how many there are in all."""
    if limit is None:
        rows = list(session.exec(query))
        return rows, len(rows)
    rows = list(session.exec(query.add_columns(func.count().over()).limit(limit)))
    return [tuple(row)[:-1] for row in rows], (rows[0][-1] if rows else 0)


def morning_list(session: Session, *, today: date, limit: int | None = None) -> dict:
    """Each section of the morning list: {"count": n, "items": [...]}, most urgent first."""
    week_end = today + rules.THIS_WEEK
    plan = {
        "overdue_follow_ups": (follow_up_query(today=today, overdue=True),
                               lambda r: follow_up_row(r, today)),
        "follow_ups_due_this_week": (follow_up_query(today=today, until=week_end),
                                     lambda r: follow_up_row(r, today)),
        "reviews_overdue": (_reviews_overdue(today), lambda r: {
            "reference": r[0], "next_review": r[1], "status": r[2], "locality": r[3],
            "days_overdue": rules.days_overdue(r[1], today)}),
        "waiting_for_triage": (_waiting(rules.RECEIVED, Referral.received), lambda r: {
            "reference": r[0], "received": r[1], "days_waiting": _days(r[1], today), "locality": r[2],
            "referrer": r[3], "referrer_agency": r[4]}),
        "waiting_for_information": (_waiting(rules.MORE_INFO, Referral.triaged_on), lambda r: {
            "reference": r[0], "asked_on": r[1], "days_waiting": _days(r[1], today), "locality": r[2],
            "referrer": r[3], "referrer_agency": r[4], "asked": r[5]}),
        "attendance_unconfirmed": (_attendance_unconfirmed(today), lambda r: {
            "reference": r[0], "meeting": r[1], "date": r[2], "time": r[3], "locality": r[4],
            "referrer": r[5], "referrer_email": r[6], "referrer_phone": r[7]}),
        "decision_sheets_not_produced": (_sheets_not_produced(), lambda r: {
            "reference": r[0], "meeting": r[1], "meeting_date": r[2], "referrer": r[3]}),
        "family_answers_awaited": (_family_answers_awaited(), lambda r: {
            "reference": r[0], "meeting_date": r[1], "days_waiting": _days(r[1], today),
            "referrer": r[2], "referrer_agency": r[3]}),
    }
    out = {}
    for name in SECTIONS:
        query, shape = plan[name]
        rows, count = _run(session, query, limit)
        out[name] = {"count": count, "items": [shape(row) for row in rows]}
    return out
