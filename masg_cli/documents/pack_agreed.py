"""What the panel agreed for each case before, for the background pack: a panel reviewing a
case must see its own decision (services, Lead Professional, review date), what followed it
(the TAC meeting, the family's answer, earlier reviews) and why any meeting deferred the case.

Read for all of a meeting's cases at once, one query per table, as pack_cases.py does.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import uk
from masg_cli.documents.words import plain
from masg_cli.models import AgendaSlot, Decision, Meeting, Referral, Review, Service, id_of


def _latest_decisions(session: Session, ids: list[int]) -> dict[int, tuple[Decision, Meeting]]:
    latest: dict[int, tuple[Decision, Meeting]] = {}
    for decision, meeting in session.exec(
            select(Decision, Meeting).join(Meeting, col(Meeting.id) == Decision.meeting_id)
            .where(col(Decision.referral_id).in_(ids)).order_by(col(Meeting.date), col(Decision.id))):
        latest[decision.referral_id] = (decision, meeting)  # the last one read is the latest
    return latest


def _services(session: Session, decision_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {i: [] for i in decision_ids}
    for service in session.exec(select(Service).where(col(Service.decision_id).in_(decision_ids))
                                .order_by(col(Service.id))):
        found[service.decision_id].append({"agency": service.agency, "what": service.description})
    return found


def _reviews(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {i: [] for i in ids}
    for review in session.exec(select(Review).where(col(Review.referral_id).in_(ids))
                               .order_by(col(Review.date), col(Review.id))):
        found[review.referral_id].append({
            "date": uk(review.date),
            "outcome": (f"further panel reviews, next on {uk(review.next_review)}" if review.further_reviews
                        and review.next_review else plain("further_reviews", review.further_reviews)),
            "note": review.note or ""})
    return found


def _deferrals(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {i: [] for i in ids}
    for slot, meeting in session.exec(
            select(AgendaSlot, Meeting).join(Meeting, col(Meeting.id) == AgendaSlot.meeting_id)
            .where(col(AgendaSlot.referral_id).in_(ids), AgendaSlot.outcome == rules.SLOT_DEFERRED)
            .order_by(col(Meeting.date), col(AgendaSlot.id))):
        found[slot.referral_id].append({"date": uk(meeting.date),
                                        "reason": slot.note or "no reason was recorded"})
    return found


def _family(referral: Referral) -> str:
    if not referral.family_response:
        return "not yet known"
    when = f" on {uk(referral.family_response_date)}" if referral.family_response_date else ""
    return plain("family_response", referral.family_response) + when


def agreed_of_all(session: Session, referrals: list[Referral]) -> dict[int, dict]:
    """Per referral id: ``agreed`` (the latest decision, empty when there is none), ``reviews``
    and ``deferrals`` (each with its date and reason)."""
    ids = [id_of(r) for r in referrals]
    latest = _latest_decisions(session, ids)
    services = _services(session, [id_of(d) for d, _ in latest.values()])
    reviews, deferrals = _reviews(session, ids), _deferrals(session, ids)
    found = {}
    for r in referrals:
        agreed = {}
        if id_of(r) in latest:
            decision, meeting = latest[id_of(r)]
            agreed = {
                "meeting_date": uk(meeting.date), "services": services[id_of(decision)],
                "lead": f"{decision.lead_name}, {decision.lead_agency}",
                "lead_contact": decision.lead_contact or "not given",
                "review_date": uk(decision.review_date),
                "tac": uk(r.tac_date) if r.tac_date else "not yet held",
                "family": _family(r)}
        found[id_of(r)] = {"agreed": agreed, "reviews": reviews[id_of(r)],
                           "deferrals": deferrals[id_of(r)]}
    return found
