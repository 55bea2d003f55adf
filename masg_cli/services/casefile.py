"""A referral as the co-ordinator reads it: its summary, its details and its dated timeline."""

from __future__ import annotations

import re

from datetime import date

from sqlalchemy import text
from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import uk
from masg_cli.models import (
    AgendaSlot,
    Decision,
    Document,
    FollowUp,
    Locality,
    Meeting,
    Referral,
    Review,
    Service,
)
from masg_cli.services import audit, notes
from masg_cli.services.attachments import attachments_of
from masg_cli.services.corrections import corrections
from masg_cli.services.intake import CHILD_DETAILS
from masg_cli.services.leads import current_lead, lead_changes
from masg_cli.services.referrals import agencies_of, children_of, flags_of, get_referral, triage_history
from masg_cli.services.setup import get_locality


def initials(name: str) -> str:
    """A child as agendas for many agencies show them: initials only, letters only."""
    # A nickname in double quotes or brackets (Nia "Nini" Roberts) is not one of the names.
    name = re.sub(r'["\u201c\u201d(\[][^"\u201c\u201d)\]]*["\u201c\u201d)\]]', " ", name)
    firsts = (next((c for c in part if c.isalpha()), "") for part in name.replace("-", " ").split())
    return "".join(firsts).upper()


def referral_summary(session: Session, referral: Referral) -> dict:
    locality = session.get(Locality, referral.locality_id)
    return {
        "reference": referral.reference,
        "status": referral.status,
        "closed_reason": referral.closed_reason,
        "locality": locality.name if locality else None,
        "received": referral.received,
        "referrer": referral.referrer_name,
        "referrer_agency": referral.referrer_agency,
    }


_ROW_SQL = (
    "SELECT r.reference, r.status, r.closed_reason, l.name, r.received, r.referrer_name, "
    "r.referrer_agency, r.next_review, r.follow_up_due "
    "FROM referral r JOIN locality l ON l.id = r.locality_id"
)


def referral_rows(session: Session, *, status: str | None, locality: str | None) -> list[dict]:
    """The referral list, oldest first.

    Read column by column in plain SQL: a list of 10,000 referrals builds no ORM objects and
    runs no per-value type processing (dates are ISO text in the store; fromisoformat is fast).
    """
    where: list[str] = []
    params: dict[str, object] = {}
    if status:
        where.append("r.status = :status")
        params["status"] = status
    if locality:
        where.append("r.locality_id = :locality_id")
        params["locality_id"] = get_locality(session, locality).id
    sql = _ROW_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.received, r.id"
    def day(value):  # ISO text from SQLite; a date already from a server database's driver
        return value if isinstance(value, date) else date.fromisoformat(value)

    return [
        {"reference": ref, "status": st, "closed_reason": reason, "locality": loc,
         "received": day(received), "referrer": referrer, "referrer_agency": agency,
         "next_review": day(review) if review else None,
         "follow_up_due": day(due) if due else None}
        for ref, st, reason, loc, received, referrer, agency, review, due
        in session.connection().execute(text(sql), params)
    ]


def _chain(session: Session, referral: Referral) -> tuple[list[str], list[str]]:
    """Earlier referrals this one follows (oldest first), and later ones that follow it."""
    earlier: list[str] = []
    seen = {referral.id}
    current = referral
    while current.re_referral_of_id and current.re_referral_of_id not in seen:
        current = session.get_one(Referral, current.re_referral_of_id)
        seen.add(current.id)
        earlier.insert(0, current.reference)
    later: list[str] = []
    frontier = [referral.id]
    while frontier:
        rows = session.exec(
            select(col(Referral.id), col(Referral.reference)).where(col(Referral.re_referral_of_id).in_(frontier))
            .order_by(col(Referral.id))
        ).all()
        frontier = [row_id for row_id, _ in rows if row_id not in seen]
        seen.update(frontier)
        later.extend(ref for row_id, ref in rows if row_id in frontier)
    return earlier, later


def _decisions(session: Session, referral: Referral) -> list[dict]:
    out = []
    for decision, meeting in session.exec(
        select(Decision, Meeting).join(Meeting, col(Meeting.id) == Decision.meeting_id)
        .where(col(Decision.referral_id) == referral.id).order_by(col(Meeting.date))
    ):
        services = session.exec(select(Service).where(Service.decision_id == decision.id)
                                .order_by(col(Service.id))).all()
        out.append({
            "meeting": meeting.id, "meeting_date": meeting.date,
            "services": [{"agency": s.agency, "what": s.description} for s in services],
            "lead_professional": {"name": decision.lead_name, "agency": decision.lead_agency,
                                  "contact": decision.lead_contact},
            "review_date": decision.review_date,
            "sheet_produced": decision.sheet_produced_at.date() if decision.sheet_produced_at else None,
        })
    return out


def _tracker_lead(referral: Referral) -> dict | None:
    """The Lead Professional an imported case's tracker gave (kept even after a decision, whose
    Lead Professional then counts), or None."""
    given = {"name": referral.tracker_lead_name, "agency": referral.tracker_lead_agency,
             "contact": referral.tracker_lead_contact}
    return given if any(given.values()) else None


def _current_lead(session: Session, referral: Referral) -> dict | None:
    """The case's Lead Professional now (name, agency, contact), or None before the panel names one."""
    lead = current_lead(session, referral)
    return {"name": lead.name, "agency": lead.agency, "contact": lead.contact} if lead else None


def _slots(session: Session, referral: Referral) -> list[dict]:
    return [
        {"meeting": meeting.id, "date": meeting.date, "time": slot.time, "kind": slot.kind,
         "attending": slot.attending, "outcome": slot.outcome, "note": slot.note}
        for slot, meeting in session.exec(
            select(AgendaSlot, Meeting).join(Meeting, col(Meeting.id) == AgendaSlot.meeting_id)
            .where(col(AgendaSlot.referral_id) == referral.id).order_by(col(Meeting.date), col(AgendaSlot.id))
        )
    ]


def _reviews(session: Session, referral: Referral) -> list[dict]:
    return [
        {"date": r.date, "further_reviews": r.further_reviews, "next_review": r.next_review, "note": r.note}
        for r in session.exec(select(Review).where(col(Review.referral_id) == referral.id)
                              .order_by(col(Review.date), col(Review.id)))
    ]


def _follow_ups(session: Session, referral: Referral) -> list[dict]:
    out = []
    for f in session.exec(select(FollowUp).where(FollowUp.referral_id == referral.id)
                          .order_by(col(FollowUp.date), col(FollowUp.id))):
        new_ref = session.get_one(Referral, f.new_referral_id).reference if f.new_referral_id else None
        out.append({"date": f.date, "due": f.due, "outcome": f.outcome, "note": f.note,
                    "new_referral": new_ref})
    return out


def _as_stored(kind: str, value) -> str:
    return value if isinstance(value, str) else str(value)


def timeline(detail: dict, say=_as_stored) -> list[dict]:
    """Every dated step of the case, in date order, for people to read at a glance.

    ``say(kind, word)`` spells the process's words: 'referral show' keeps the command words,
    the documents pass documents.words.plain.
    """
    events = [{"date": detail["received"], "event": "received"}]
    for entry in detail.get("triage_history") or []:
        events.append({"date": entry["date"], "event": "more information received"
                       if entry["outcome"] == "info-received" else f"triage: {say('triage', entry['outcome'])}"})
    if not detail.get("triage_history"):  # a case brought in by import: only its latest triage is known
        if detail["triage"]["date"]:
            outcome = detail["triage"]["outcome"]
            events.append({"date": detail["triage"]["date"], "event": f"triage: {say('triage', outcome)}"
                           if outcome else "triaged (outcome not in the tracker)"})
        if detail["info_received"]:
            events.append({"date": detail["info_received"], "event": "more information received"})
    for slot in detail["agenda"]:
        events.append({"date": slot["date"], "event": f"on the agenda of meeting {slot['meeting']} "
                       f"at {slot['time']} ({say('slot_kind', slot['kind'])}, {say('slot', slot['outcome'])})"})
    for decision in detail["decisions"]:
        events.append({"date": decision["meeting_date"], "event":
                       f"decision: Lead Professional {decision['lead_professional']['name']}, "
                       f"review {uk(decision['review_date'])}"})
    for change in detail.get("lead_changes") or []:
        events.append({"date": change["date"], "event": f"Lead Professional now {change['name']}, {change['agency']}"})
    if detail["family_response"]["answer"]:
        events.append({"date": detail["family_response"]["date"],
                       "event": f"family {say('family_answer', detail['family_response']['answer'])}"})
    if detail["tac_date"]:
        events.append({"date": detail["tac_date"], "event": "Team Around the Child meeting"})
    for review in detail["reviews"]:
        further = "further reviews" if review["further_reviews"] else "no further reviews"
        events.append({"date": review["date"], "event": f"panel review: {further}"})
    for follow in detail["follow_ups"]:
        linked = f" as {follow['new_referral']}" if follow["new_referral"] else ""
        events.append({"date": follow["date"],
                       "event": f"12-week follow-up: {say('follow_up', follow['outcome'])}{linked}"})
    for note in detail.get("notes") or []:
        events.append({"date": note["date"], "event": notes.timeline_event(note)})
    if detail["final_review_date"]:
        events.append({"date": detail["final_review_date"], "event": "final review form returned"})
    if detail["closed_on"]:
        events.append({"date": detail["closed_on"],
                       "event": f"closed ({say('closed_reason', detail['closed_reason'])})"})
    return sorted((e for e in events if e["date"]), key=lambda e: e["date"])


def child_object(child) -> dict:
    """A child as JSON shows it: name, date of birth, and the optional details (null when not known)."""
    return {"name": child.name, "dob": child.dob} | {
        name: getattr(child, name) for name in CHILD_DETAILS}


def referral_detail(session: Session, reference: str) -> dict:
    """The whole case: family, referrer, consent, triage, panel, follow-ups, chain and audit."""
    referral = get_referral(session, reference)
    earlier, later = _chain(session, referral)
    detail = referral_summary(session, referral) | {
        "panel": referral.panel,
        "children": [child_object(c) for c in children_of(session, referral)],
        "step_down": referral.step_down,
        "referrer_email": referral.referrer_email,
        "referrer_phone": referral.referrer_phone,
        "consent": {"date": referral.consent_date, "by": referral.consent_by},
        "needs": referral.needs,
        "agencies": agencies_of(session, referral),
        "transitions": flags_of(session, referral),
        "re_referral_of": earlier[-1] if earlier else None,
        "earlier_referrals": earlier,
        "later_referrals": later,
        "triage": {"date": referral.triaged_on, "outcome": referral.triage_outcome,
                   "agency": referral.triage_agency, "note": referral.triage_note},
        "info_received": referral.info_received_on,
        "triage_history": [{"date": t.date, "outcome": t.outcome, "agency": t.agency, "note": t.note}
                           for t in triage_history(session, referral)],
        "agenda": _slots(session, referral),
        "decisions": _decisions(session, referral),
        "tracker_lead_professional": _tracker_lead(referral),
        "lead_professional": _current_lead(session, referral),
        "lead_changes": [{"date": c.date, "name": c.name, "agency": c.agency, "contact": c.contact,
                          "reason": c.reason} for c in lead_changes(session, referral)],
        "family_response": {"answer": referral.family_response, "date": referral.family_response_date},
        "tac_date": referral.tac_date,
        "reviews": _reviews(session, referral),
        "next_review": referral.next_review,
        "last_reviewed": referral.last_reviewed,
        "follow_up_due": referral.follow_up_due,
        "follow_ups": _follow_ups(session, referral),
        "closed_on": referral.closed_on,
        "final_review_date": referral.final_review_date,
        "closure_outcome": referral.closure_outcome,
        "legal_hold": referral.legal_hold,
        "documents": [
            {"kind": d.kind, "path": d.path, "produced_at": d.produced_at}
            for d in session.exec(select(Document).where(col(Document.referral_id) == referral.id)
                                  .order_by(col(Document.id)))
        ],
        "notes": notes.notes_of(session, referral),
        "attachments": attachments_of(session, referral),
        "history": [audit.as_json(e) for e in audit.entries(session, referral.reference)],
        "open": referral.status in rules.OPEN_STATUSES,
    }
    detail["corrections"] = corrections(detail["history"])
    detail["timeline"] = timeline(detail)
    return detail
