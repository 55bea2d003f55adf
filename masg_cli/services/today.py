"""The morning list: everything the co-ordinator must act on today, most urgent first.

Above all the overdue 12-week follow-ups: "the CAF co-ordinator will contact the Lead
Professional 12 weeks after the case was last reviewed". One query counts every section from
indexes; then each non-empty section reads its first rows in order (people see those and the
count), or all of them for programs (--json).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, func, or_, select

from masg_cli import rules
from masg_cli.models import AgendaSlot, Decision, Locality, Meeting, PanelAction, Referral
from masg_cli.services.decisions import latest_decision_id
from masg_cli.services.followups import follow_up_filter, follow_up_query, follow_up_rows

# Most urgent first; the names are the keys of 'masg today --json'.
SECTIONS = (
    "overdue_follow_ups",
    "late",
    "follow_ups_due_this_week",
    "reviews_overdue",
    "waiting_for_triage",
    "waiting_for_information",
    "attendance_unconfirmed",
    "decision_sheets_not_produced",
    "family_answers_awaited",
    "overdue_actions",
)


def _days(since: date | None, today: date) -> int | None:
    # Never negative: a decision recorded ahead of its meeting's date has kept nobody waiting yet.
    return max(0, (today - since).days) if since else None


def _filters(today: date) -> dict[str, list]:
    """Which referrals each referral-based section holds (the counts read only indexes)."""
    return {
        "overdue_follow_ups": follow_up_filter(today=today, overdue=True),
        "follow_ups_due_this_week": follow_up_filter(today=today, until=rules.due_this_week_until(today)),
        "reviews_overdue": [col(Referral.status).in_((rules.DECIDED, rules.ACTIVE)),
                            col(Referral.next_review) < rules.overdue_before(today),
                            col(Referral.id).not_in(_booked(today))],
        # Nothing from after the day asked about (--as-of): it had not arrived or been asked yet.
        "waiting_for_triage": [Referral.status == rules.RECEIVED, Referral.received <= today],
        "waiting_for_information": [Referral.status == rules.MORE_INFO,
                                    or_(col(Referral.triaged_on).is_(None), col(Referral.triaged_on) <= today)],
        "family_answers_awaited": [Referral.status == rules.DECIDED],
    }


def _booked(today: date):
    """Cases already holding a pending slot on a meeting today or later: their review is booked."""
    return (select(col(AgendaSlot.referral_id)).join(Meeting, col(Meeting.id) == AgendaSlot.meeting_id)
            .where(AgendaSlot.outcome == rules.SLOT_PENDING, Meeting.date >= today))


def _next_meetings(today: date):
    """Each locality's next scheduled meeting, on or after today."""
    from sqlalchemy.orm import aliased

    later = aliased(Meeting)
    first = (select(func.min(later.date))
             .where(later.locality_id == Meeting.locality_id, later.status == "scheduled", later.date >= today)
             .correlate(Meeting).scalar_subquery())
    return [Meeting.status == "scheduled", Meeting.date >= today, Meeting.date == first]


def _unconfirmed(today: date) -> list:
    # From the few next meetings to their slots (the index on agenda_slot.meeting_id), not the
    # other way round.
    meetings = select(Meeting.id).where(*_next_meetings(today))
    return [col(AgendaSlot.meeting_id).in_(meetings), col(AgendaSlot.attending) == "unknown",
            AgendaSlot.outcome == "pending"]


def _sheets_pending() -> list:
    # Only while the family's answer is awaited: once they have answered, the sheet has done its job.
    return [col(Referral.status) == rules.DECIDED, col(Decision.sheet_produced_at).is_(None)]


def _actions_overdue(today: date) -> list:
    # Read from the (status, due) index: open and due before today.
    return [PanelAction.status == rules.ACTION_OPEN, PanelAction.due < rules.overdue_before(today)]


def _counts(session: Session, today: date) -> dict[str, int]:
    """Every section's size in one query of indexed counts."""
    columns = [select(func.count()).select_from(Referral).where(*where).scalar_subquery().label(name)
               for name, where in _filters(today).items()]
    columns.append(select(func.count()).select_from(AgendaSlot)
                   .where(*_unconfirmed(today))
                   .scalar_subquery().label("attendance_unconfirmed"))
    columns.append(select(func.count()).select_from(Referral)
                   .join(Decision, Decision.id == latest_decision_id(Referral.id)).where(*_sheets_pending())
                   .scalar_subquery().label("decision_sheets_not_produced"))
    columns.append(select(func.count()).select_from(PanelAction).where(*_actions_overdue(today))
                   .scalar_subquery().label("overdue_actions"))
    return dict(session.exec(select(*columns)).one()._mapping)


def _first(where: list, order: tuple, limit: int | None) -> list:
    """Only the first ``limit`` cases, chosen from the index alone before any row is read.

    Decided and active cases come from two ranges of the (status, next_review) index; without
    this SQLite reads every overdue case's row to sort them all, only to keep ten.
    """
    if limit is None:
        return where
    return [col(Referral.id).in_(select(col(Referral.id)).where(*where).order_by(*order).limit(limit))]


def _items(today: date, limit: int | None) -> dict:
    """Each section's rows, most urgent first, with how they look as JSON."""
    f = _filters(today)

    def referrals(*columns):
        return select(Referral.reference, *columns).select_from(Referral).join(
            Locality, Locality.id == Referral.locality_id)

    return {
        "overdue_follow_ups": (follow_up_query(today=today, overdue=True), None),
        "follow_ups_due_this_week": (follow_up_query(today=today, until=rules.due_this_week_until(today)), None),
        "reviews_overdue": (
            referrals(Referral.next_review, Referral.status, Locality.name)
            .where(*_first(f["reviews_overdue"], (Referral.next_review, Referral.id), limit))
            .order_by(Referral.next_review, Referral.id),
            lambda r: {"reference": r[0], "next_review": r[1], "status": r[2], "locality": r[3],
                       "days_overdue": rules.days_overdue(r[1], today)}),
        "waiting_for_triage": (
            referrals(Referral.received, Locality.name, Referral.referrer_name, Referral.referrer_agency)
            .where(*f["waiting_for_triage"]).order_by(Referral.received, Referral.id),
            lambda r: {"reference": r[0], "received": r[1], "days_waiting": _days(r[1], today),
                       "locality": r[2], "referrer": r[3], "referrer_agency": r[4]}),
        "waiting_for_information": (
            referrals(Referral.triaged_on, Locality.name, Referral.referrer_name, Referral.referrer_agency,
                      Referral.triage_note)
            .where(*f["waiting_for_information"]).order_by(Referral.triaged_on, Referral.id),
            lambda r: {"reference": r[0], "asked_on": r[1], "days_waiting": _days(r[1], today),
                       "locality": r[2], "referrer": r[3], "referrer_agency": r[4], "asked": r[5]}),
        "attendance_unconfirmed": (
            # SQLModel types select() for at most four columns.
            select(Referral.reference, Meeting.id, Meeting.date, AgendaSlot.time, Locality.name,  # type: ignore[call-overload]
                   Referral.referrer_name, Referral.referrer_email, Referral.referrer_phone)
            .select_from(Meeting).join(AgendaSlot, AgendaSlot.meeting_id == Meeting.id)
            .join(Referral, Referral.id == AgendaSlot.referral_id)
            .join(Locality, Locality.id == Meeting.locality_id)
            .where(*_unconfirmed(today)).order_by(Meeting.date, Locality.name, AgendaSlot.time, AgendaSlot.id),
            lambda r: {"reference": r[0], "meeting": r[1], "date": r[2], "time": r[3], "locality": r[4],
                       "referrer": r[5], "referrer_email": r[6], "referrer_phone": r[7]}),
        "decision_sheets_not_produced": (
            select(col(Referral.reference), col(Meeting.id), col(Meeting.date), col(Referral.referrer_name))
            .select_from(Referral).join(Decision, Decision.id == latest_decision_id(Referral.id))
            .join(Meeting, col(Meeting.id) == Decision.meeting_id)
            .where(*_sheets_pending()).order_by(col(Referral.received), col(Referral.id)),
            lambda r: {"reference": r[0], "meeting": r[1], "meeting_date": r[2], "referrer": r[3]}),
        "family_answers_awaited": (
            select(col(Referral.reference), col(Meeting.date), col(Referral.referrer_name),
                   col(Referral.referrer_agency))
            .select_from(Referral).join(Decision, Decision.id == latest_decision_id(Referral.id))
            .join(Meeting, col(Meeting.id) == Decision.meeting_id)
            .where(*f["family_answers_awaited"]).order_by(col(Referral.received), col(Referral.id)),
            lambda r: {"reference": r[0], "meeting_date": r[1], "days_waiting": _days(r[1], today),
                       "referrer": r[2], "referrer_agency": r[3]}),
        "overdue_actions": (
            # SQLModel types select() for at most four columns.
            select(Referral.reference, PanelAction.id, PanelAction.meeting_id, PanelAction.owner,  # type: ignore[call-overload]
                   PanelAction.agency, PanelAction.what, PanelAction.due)
            .select_from(PanelAction).join(Referral, Referral.id == PanelAction.referral_id)
            .where(*_actions_overdue(today)).order_by(PanelAction.due, PanelAction.id),
            lambda r: {"reference": r[0], "id": r[1], "meeting": r[2], "owner": r[3], "agency": r[4],
                       "what": r[5], "due": r[6], "status": rules.ACTION_OPEN,
                       "days_overdue": rules.days_overdue(r[6], today)}),
    }


def morning_list(session: Session, *, today: date, limit: int | None = None) -> dict:
    """Each section of the morning list: {"count": n, "items": [...]}, most urgent first.

    With ``limit``, only the first rows of each section are read (people see those and the
    count); without, every row (for --json).
    """
    counts = _counts(session, today) if limit is not None else {}
    plan = _items(today, limit)
    out = {}
    for name in SECTIONS:
        if name == "late":
            from masg_cli.services.late import late_items

            out[name] = late_items(session, today=today, limit=limit)
            continue
        query, shape = plan[name]
        if limit is not None:
            if not counts[name]:
                out[name] = {"count": 0, "items": []}
                continue
            query = query.limit(limit)
        items = follow_up_rows(session, query, today) if shape is None else [shape(row) for row in session.exec(query)]
        out[name] = {"count": counts[name] if counts else len(items), "items": items}
    return out
