"""The minutes of a panel meeting: who was there, whether it was quorate, each case's outcome and
the actions agreed, sent to every agency within days.

Minutes go to every agency on the panel, so they show each child by initials with the reference,
never a full name; the background pack is where full details live.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterator

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import uk
from masg_cli.documents.agenda import KIND as SLOT_KIND
from masg_cli.documents.agenda import file_stem, meeting_context, slug
from masg_cli.documents.email import write_eml
from masg_cli.documents.pack_cases import children_of_all
from masg_cli.documents.render import render_text, write_document
from masg_cli.documents.templates import template_path
from masg_cli.models import (AgendaSlot, Decision, Locality, Meeting, PanelAction, PanelMember, Referral,
                             Review, Service, id_of)

TEMPLATE = "minutes.docx"
EMAIL = "minutes-email.txt"


# --- Who was there ------------------------------------------------------------------------------


def attendance_context(session: Session, meeting: Meeting) -> dict:
    """The chair, who was present (deputies with whom they came for), apologies, guests, quorum."""
    from masg_cli.services.attendance import attendance_of, quorum_at

    rows = attendance_of(session, meeting)
    present, apologies, guests, chair = [], [], [], None
    for a in rows:
        if a.role == rules.ATTENDANCE_PRESENT:
            present.append({"name": a.name, "agency": a.agency, "note": "Chair" if a.chair else ""})
        elif a.role == rules.ATTENDANCE_APOLOGIES:
            apologies.append({"name": a.name, "agency": a.agency,
                              "deputy": f"{a.deputy} attended" if a.deputy else "No deputy"})
            if a.deputy:
                present.append({"name": a.deputy, "agency": a.agency,
                                "note": f"Deputy for {a.name}" + ("; chair" if a.chair else "")})
        else:
            guests.append({"name": a.name, "agency": a.agency})
        if a.chair:
            chair = f"{a.deputy if a.role == rules.ATTENDANCE_APOLOGIES else a.name} ({a.agency})"
    found = quorum_at(session, meeting)
    if found is None:
        quorum = "Attendance was not recorded, so the quorum was not checked."
    elif found.quorate:
        quorum = f"Quorate: {len(found.agencies)} agencies present ({', '.join(found.agencies)})."
    else:
        quorum = f"Not quorate: {found.missing()}."
    return {"chair": chair or "Not recorded", "present": present, "apologies": apologies, "guests": guests,
            "quorum": quorum, "quorate": bool(found and found.quorate)}


# --- Each case's outcome -------------------------------------------------------------------------


def _decided(session: Session, meeting: Meeting, referral: Referral) -> tuple[str, str | None]:
    decision = session.exec(select(Decision).where(Decision.meeting_id == meeting.id,
                                                   Decision.referral_id == referral.id)).first()
    if decision is None:
        return "Decided (no decision recorded)", None
    services = session.exec(select(Service).where(Service.decision_id == decision.id).order_by(col(Service.id)))
    agreed = "; ".join(f"{s.agency}: {s.description}" for s in services) or "none"
    return (f"Services agreed: {agreed}. Lead Professional: {decision.lead_name} ({decision.lead_agency}). "
            f"Panel review: {uk(decision.review_date)}."), decision.inquorate_reason


def _reviewed(session: Session, meeting: Meeting, referral: Referral) -> tuple[str, str | None]:
    review = session.exec(select(Review).where(Review.meeting_id == meeting.id, Review.referral_id == referral.id)
                          .order_by(col(Review.id).desc())).first()
    if review is None:
        return "Reviewed", None
    if review.further_reviews:
        text = f"Reviewed: further panel reviews needed; next review {uk(review.next_review)}."
    else:
        text = ("Reviewed: no further panel reviews; the CAF co-ordinator contacts the Lead Professional "
                f"in 12 weeks ({uk(rules.follow_up_due(review.date))}).")
    if review.note:
        text += f" {review.note}"
    return text, review.inquorate_reason


def _outcome(session: Session, meeting: Meeting, slot: AgendaSlot, referral: Referral) -> tuple[str, str | None]:
    """What the panel did with a case: decided, reviewed, deferred and why, or not discussed."""
    if slot.outcome == rules.SLOT_DECIDED:
        return _decided(session, meeting, referral)
    if slot.outcome == rules.SLOT_REVIEWED:
        return _reviewed(session, meeting, referral)
    if slot.outcome == rules.SLOT_DEFERRED:
        return f"Deferred: {slot.note or 'no reason recorded'}.", None
    return "Not discussed.", None


def _action_row(action: PanelAction, reference: str, agreed_on: date | None = None) -> dict:
    row = {"reference": reference, "what": action.what, "owner": action.owner, "agency": action.agency,
           "due": uk(action.due), "id": action.id}
    return row | ({"agreed": uk(agreed_on)} if agreed_on else {})


def cases_context(session: Session, meeting: Meeting) -> dict:
    """Each case on the agenda (initials, kind, outcome), the actions agreed and those still open."""
    from masg_cli.services.agenda import initials
    from masg_cli.services.meetings import active_slots

    slots = active_slots(session, meeting)
    referrals = {s.referral_id: session.get_one(Referral, s.referral_id) for s in slots}
    children = children_of_all(session, list(referrals.values()))
    cases, reasons = [], []
    for slot in slots:
        referral = referrals[slot.referral_id]
        outcome, reason = _outcome(session, meeting, slot, referral)
        cases.append({"time": slot.time, "reference": referral.reference, "kind": SLOT_KIND[slot.kind],
                      "initials": initials([c["name"] for c in children[id_of(referral)]]), "outcome": outcome})
        if reason:
            reasons.append({"reference": referral.reference, "reason": reason})
    agreed = session.exec(select(PanelAction, Referral.reference)
                          .join(Referral, col(Referral.id) == PanelAction.referral_id)
                          .where(PanelAction.meeting_id == meeting.id).order_by(col(PanelAction.id)))
    earlier = session.exec(
        select(PanelAction, Referral.reference, col(Meeting.date))
        .join(Referral, col(Referral.id) == PanelAction.referral_id)
        .join(Meeting, col(Meeting.id) == PanelAction.meeting_id)
        .where(Meeting.locality_id == meeting.locality_id, Meeting.date < meeting.date,
               PanelAction.status == rules.ACTION_OPEN).order_by(col(PanelAction.due), col(PanelAction.id)))
    return {"cases": cases, "inquorate_reasons": reasons,
            "actions": [_action_row(a, ref) for a, ref in agreed],
            "earlier_actions": [_action_row(a, ref, on) for a, ref, on in earlier]}


def minutes_context(session: Session, meeting: Meeting, *, on: date) -> dict:
    return meeting_context(session, meeting, on=on) | attendance_context(session, meeting) \
        | cases_context(session, meeting)


# --- Writing them ------------------------------------------------------------------------------


def recipients(session: Session, meeting: Meeting) -> list[tuple[str, str]]:
    """Each panel member present or sending apologies, with their address (deputies and guests
    are not on the panel list: the member passes the minutes on)."""
    from masg_cli.models import Attendance

    rows = session.exec(select(PanelMember.name, PanelMember.email)
                        .join(Attendance, col(Attendance.panel_member_id) == PanelMember.id)
                        .where(Attendance.meeting_id == meeting.id).order_by(PanelMember.name))
    return [(name, email) for name, email in rows if email]


def write(context: dict, meeting: Meeting, locality: Locality, out_dir, *, templates: Path | None = None,
          pdf: bool = False, to: list[tuple[str, str]] | None = None) -> tuple[Path, list[Path]]:
    """The minutes, their PDF when asked, and one draft to each of ``to``; whole, or nothing left.

    Returns the minutes document and every file written.
    """
    body = render_text(template_path(EMAIL, templates), context) if to else ""

    def drafts(attachment: Path) -> Iterator[Path]:
        subject = (f"{context['panel']} {locality.name} panel {context['meeting_day']}: minutes "
                   "(OFFICIAL-SENSITIVE)")
        for name, address in to or []:
            yield write_eml(out_dir, f"{file_stem('minutes', meeting, locality)}-{slug(name)}.eml",
                            to=[(name, address)], subject=subject, body=body, attachments=[attachment])

    written = write_document(template_path(TEMPLATE, templates), context, out_dir,
                             file_stem("minutes", meeting, locality) + ".docx", pdf=pdf, drafts=drafts)
    return written[0], written
