"""The cases of a meeting as the agenda and the background pack show them, one query per table.

'referral show' reads one case at a time (casefile.referral_detail: about fourteen queries,
the audit trail and the later re-referrals included). A pack of twenty cases read that way
spent more time in the store than in Word, so here every table is read once for all the
meeting's cases. The history is casefile.timeline's, so the pack and 'referral show' agree.
"""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.models import (
    AgendaSlot,
    Child,
    Decision,
    FollowUp,
    Meeting,
    Referral,
    Review,
    SuggestedAgency,
    TransitionFlag,
    TriageEntry,
    id_of,
)
from masg_cli.documents.words import plain
from masg_cli.services.casefile import timeline
from masg_cli.services.attachments import in_pack
from masg_cli.services.notes import notes_of_all


def pending_cases(session: Session, meeting: Meeting) -> list[tuple[AgendaSlot, Referral]]:
    """The cases waiting on a meeting's agenda with their referrals, in time order (one query)."""
    return list(session.exec(
        select(AgendaSlot, Referral).join(Referral, col(Referral.id) == AgendaSlot.referral_id)
        .where(AgendaSlot.meeting_id == meeting.id, AgendaSlot.outcome == rules.SLOT_PENDING)
        .order_by(col(AgendaSlot.time), col(AgendaSlot.id))
    ))


def meeting_cases(session: Session, meeting: Meeting) -> list[tuple[AgendaSlot, Referral]]:
    """Every slot of a meeting's agenda with its referral, whatever the panel did with it, in
    time order: the agenda pack of a meeting is the same before, during and after it.

    A cancelled slot is left out: its case was withdrawn (consent gone, so its details go to
    nobody) or taken off the agenda before the meeting.
    """
    return list(session.exec(
        select(AgendaSlot, Referral).join(Referral, col(Referral.id) == AgendaSlot.referral_id)
        .where(AgendaSlot.meeting_id == meeting.id, AgendaSlot.outcome != rules.SLOT_CANCELLED)
        .order_by(col(AgendaSlot.time), col(AgendaSlot.id))
    ))


def _by_referral(rows, ids) -> dict[int, list]:
    grouped: dict[int, list] = {i: [] for i in ids}
    for referral_id, *values in rows:
        grouped[referral_id].append(values[0] if len(values) == 1 else values)
    return grouped


def children_of_all(session: Session, referrals: list[Referral]) -> dict[int, list[dict]]:
    """Each referral's children (name, dob) in the order the referrer gave them."""
    ids = [r.id for r in referrals]
    rows = session.exec(select(col(Child.referral_id), col(Child.name), col(Child.dob))
                        .where(col(Child.referral_id).in_(ids))
                        .order_by(col(Child.referral_id), col(Child.position)))
    return {i: [{"name": n, "dob": d} for n, d in kids] for i, kids in _by_referral(rows, ids).items()}


def _earlier(session: Session, referrals: list[Referral]) -> dict[int, list[str]]:
    """The referrals each one follows, oldest first: one query per step back along the chains."""
    earlier: dict[int, list[str]] = {id_of(r): [] for r in referrals}
    seen = {id_of(r): {id_of(r)} for r in referrals}
    reaching = {id_of(r): r.re_referral_of_id for r in referrals if r.re_referral_of_id}
    while reaching:
        found = {row_id: (reference, before) for row_id, reference, before in session.exec(
            select(Referral.id, Referral.reference, Referral.re_referral_of_id)
            .where(col(Referral.id).in_(set(reaching.values()))))}
        following = {}
        for case, wanted in reaching.items():
            if wanted not in found or wanted in seen[case]:
                continue
            reference, before = found[wanted]
            seen[case].add(wanted)
            earlier[case].insert(0, reference)
            if before:
                following[case] = before
        reaching = following
    return earlier


def _history_rows(session: Session, ids: list[int]) -> dict[str, dict[int, list]]:
    """Slots, decisions, reviews and follow-ups of every case, as casefile.timeline reads them."""
    later = aliased(Referral)
    slots = session.exec(
        # SQLModel types select() for at most four columns.
        select(AgendaSlot.referral_id, Meeting.id, Meeting.date, AgendaSlot.time, AgendaSlot.kind,  # type: ignore[call-overload]
               AgendaSlot.outcome)
        .join(Meeting, col(Meeting.id) == AgendaSlot.meeting_id).where(col(AgendaSlot.referral_id).in_(ids))
        .order_by(Meeting.date, AgendaSlot.id))
    decisions = session.exec(
        select(col(Decision.referral_id), col(Meeting.date), col(Decision.lead_name), col(Decision.review_date))
        .join(Meeting, col(Meeting.id) == Decision.meeting_id).where(col(Decision.referral_id).in_(ids))
        .order_by(col(Meeting.date)))
    reviews = session.exec(
        select(col(Review.referral_id), col(Review.date), col(Review.further_reviews))
        .where(col(Review.referral_id).in_(ids)).order_by(col(Review.date), col(Review.id)))
    follow_ups = session.exec(
        select(col(FollowUp.referral_id), col(FollowUp.date), col(FollowUp.outcome), col(later.reference))
        .outerjoin(later, col(later.id) == FollowUp.new_referral_id).where(col(FollowUp.referral_id).in_(ids))
        .order_by(col(FollowUp.date), col(FollowUp.id)))
    triages = session.exec(
        select(col(TriageEntry.referral_id), col(TriageEntry.date), col(TriageEntry.outcome))
        .where(col(TriageEntry.referral_id).in_(ids)).order_by(col(TriageEntry.date), col(TriageEntry.id)))
    return {
        "triage_history": _by_referral(((r, {"date": d, "outcome": o}) for r, d, o in triages), ids),
        "agenda": _by_referral(((r, {"meeting": m, "date": d, "time": t, "kind": k, "outcome": o})
                                for r, m, d, t, k, o in slots), ids),
        "decisions": _by_referral(((r, {"meeting_date": d, "lead_professional": {"name": lead},
                                        "review_date": due}) for r, d, lead, due in decisions), ids),
        "reviews": _by_referral(((r, {"date": d, "further_reviews": f}) for r, d, f in reviews), ids),
        "follow_ups": _by_referral(((r, {"date": d, "outcome": o, "new_referral": new})
                                    for r, d, o, new in follow_ups), ids),
    }


def case_records(session: Session, referrals: list[Referral]) -> dict[int, dict]:
    """Per referral id: children, agencies, transition flags, earlier referrals and the dated
    history (``timeline`` as 'referral show' words it, ``plain_timeline`` as documents do)."""
    ids = [id_of(r) for r in referrals]
    agencies = _by_referral(session.exec(
        select(SuggestedAgency.referral_id, SuggestedAgency.agency)
        .where(col(SuggestedAgency.referral_id).in_(ids)).order_by(col(SuggestedAgency.id))), ids)
    flags = _by_referral(session.exec(
        select(TransitionFlag.referral_id, TransitionFlag.flag)
        .where(col(TransitionFlag.referral_id).in_(ids)).order_by(col(TransitionFlag.id))), ids)
    family, earlier = children_of_all(session, referrals), _earlier(session, referrals)
    history = _history_rows(session, ids)
    history["notes"] = notes_of_all(session, ids)
    documents = in_pack(session, referrals)
    records = {}
    for r in referrals:
        rid = id_of(r)
        steps = {key: rows[rid] for key, rows in history.items()} | {
            "received": r.received, "info_received": r.info_received_on, "tac_date": r.tac_date,
            "triage": {"date": r.triaged_on, "outcome": r.triage_outcome},
            "family_response": {"answer": r.family_response, "date": r.family_response_date},
            "final_review_date": r.final_review_date, "closed_on": r.closed_on,
            "closed_reason": r.closed_reason,
        }
        records[rid] = {"children": family[rid], "agencies": agencies[rid], "flags": flags[rid],
                        "earlier": earlier[rid], "notes": steps["notes"], "timeline": timeline(steps),
                        "plain_timeline": timeline(steps, say=plain),
                        "attachments": [{"file": name, "kind": a.kind, "content": a.content,
                                         "size": a.size, "added": a.added_at.date()}
                                        for a, name in documents[rid]]}
    return records
