"""The actions a panel agrees for a case: who does what, for which agency, by when.

Marac's practice, which our panels follow: each case's actions are minuted with an owner, and
those not done come back to the next meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import now_utc, uk
from masg_cli.errors import NotFound, Refused
from masg_cli.models import Locality, Meeting, PanelAction, Referral, id_of
from masg_cli.services.meetings import get_meeting, label
from masg_cli.services.referrals import get_referral

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


@dataclass
class NewAction:
    """An action as the panel agreed it."""

    owner: str
    agency: str
    what: str
    due: date


def _text(value: str, option: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise Refused(f"an action needs {option}; give {option} TEXT")
    return text


def add_action(uow: UnitOfWork, reference: str, meeting_id: int, agreed: NewAction) -> PanelAction:
    """An action agreed for a case at a meeting of its locality."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    meeting = get_meeting(session, meeting_id)
    if meeting.locality_id != referral.locality_id:
        raise Refused(f"meeting {label(meeting)} is not a meeting of {referral.reference}'s locality; "
                      "see 'masg meeting list --locality L'")
    if meeting.status == rules.MEETING_CANCELLED:
        raise Refused(f"meeting {label(meeting)} is cancelled; an action is agreed at a meeting held")
    if referral.status == rules.CLOSED:
        raise Refused(f"{referral.reference} is closed ({referral.closed_reason}); actions are for open cases")
    rules.check_action_due(agreed.due, meeting.date)
    action = PanelAction(referral_id=id_of(referral), meeting_id=id_of(meeting),
                         owner=_text(agreed.owner, "--owner"), agency=_text(agreed.agency, "--agency"),
                         what=_text(agreed.what, "--what"), due=agreed.due, status=rules.ACTION_OPEN,
                         created_at=now_utc())
    session.add(action)
    session.flush()
    uow.record("action add", referral.reference, {"action": action.id, "meeting": meeting.id,
                                                  "agency": action.agency, "due": action.due})
    return action


def get_action(session: Session, action_id: int) -> PanelAction:
    action = session.get(PanelAction, action_id)
    if action is None:
        raise NotFound(f"there is no action {action_id}; see 'masg action list'")
    return action


def close_action(uow: UnitOfWork, action_id: int, *, status: str, on: date, reason: str | None = None,
                 note: str | None = None) -> PanelAction:
    """An action done, or not done (and why): once only."""
    session = uow.session
    action = get_action(session, action_id)
    rules.check_action_open(id_of(action), action.status)
    meeting = session.get_one(Meeting, action.meeting_id)
    if on < meeting.date:
        raise Refused(f"--date {uk(on)} is before the meeting that agreed action {action.id} "
                      f"({uk(meeting.date)}); give the day it was closed")
    action.status, action.closed_on = status, on
    action.reason, action.note = reason, (note or "").strip() or None
    session.add(action)
    session.flush()
    reference = session.get_one(Referral, action.referral_id).reference
    uow.record(f"action {status}", reference, {"action": action.id, "date": on,
                                               **({"reason": reason} if reason else {})})
    return action


# --- Reading them -------------------------------------------------------------------------------


def _query():
    return (select(PanelAction, Referral.reference).join(Referral, col(Referral.id) == PanelAction.referral_id)
            .join(Locality, col(Locality.id) == Referral.locality_id))


def action_json(action: PanelAction, reference: str, today: date) -> dict:
    return {"id": action.id, "reference": reference, "meeting": action.meeting_id, "owner": action.owner,
            "agency": action.agency, "what": action.what, "due": action.due, "status": action.status,
            "days_overdue": rules.action_days_overdue(action.status, action.due, today),
            "closed_on": action.closed_on, "reason": action.reason, "note": action.note}


def list_actions(session: Session, *, today: date, overdue: bool = False, locality: str | None = None,
                 reference: str | None = None) -> list[dict]:
    """The actions, by due date: all, or only the open ones due before today (--overdue)."""
    query = _query()
    if overdue:
        query = query.where(PanelAction.status == rules.ACTION_OPEN,
                            PanelAction.due < rules.overdue_before(today))
    if locality:
        from masg_cli.services.setup import get_locality

        query = query.where(Locality.id == get_locality(session, locality).id)
    if reference:
        query = query.where(Referral.id == get_referral(session, reference).id)
    rows = session.exec(query.order_by(PanelAction.due, PanelAction.id))
    return [action_json(action, ref, today) for action, ref in rows]


def open_actions(session: Session, referral_id: int, *, before: date | None = None) -> list[PanelAction]:
    """A case's open actions (agreed at meetings before ``before``, when given), by due date."""
    query = select(PanelAction).where(PanelAction.referral_id == referral_id,
                                      PanelAction.status == rules.ACTION_OPEN)
    if before is not None:
        query = query.join(Meeting, col(Meeting.id) == PanelAction.meeting_id).where(Meeting.date < before)
    return list(session.exec(query.order_by(col(PanelAction.due), col(PanelAction.id))))


def action_line(action: PanelAction) -> str:
    """One open action as the agenda and the background pack show it."""
    return f"{action.what} ({action.owner}, {action.agency}; due {uk(action.due)})"


def open_actions_by_case(session: Session, referral_ids: list[int], *, before: date) -> dict[int, list[dict]]:
    """Per case: its open actions agreed at meetings before ``before``, as documents show them."""
    found: dict[int, list[dict]] = {i: [] for i in referral_ids}
    if not referral_ids:
        return found
    rows = session.exec(
        select(PanelAction, col(Meeting.date)).join(Meeting, col(Meeting.id) == PanelAction.meeting_id)
        .where(col(PanelAction.referral_id).in_(referral_ids), PanelAction.status == rules.ACTION_OPEN,
               Meeting.date < before)
        .order_by(col(PanelAction.due), col(PanelAction.id)))
    for action, agreed_on in rows:
        found[action.referral_id].append({
            "id": action.id, "what": action.what, "owner": action.owner, "agency": action.agency,
            "due": uk(action.due), "agreed": uk(agreed_on), "line": action_line(action)})
    return found
