"""The agenda of a meeting, and the invitations that give each referrer their slot.

The agenda goes to many agencies, so it shows children by initials with the reference; the
invitations are e-mail drafts, one per referrer, naming references, never a child.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from masg_cli import rules
from masg_cli.dates import uk
from masg_cli.documents.email import sender_of, write_eml
from masg_cli.documents.pack_cases import children_of_all
from masg_cli.documents.render import render_text
from masg_cli.documents.words import plain
from masg_cli.models import Locality, Meeting, PanelMember
from masg_cli.services.agenda import initials


KIND = {rules.SLOT_NEW: "New case", rules.SLOT_REVIEW: "Review"}
ATTENDING = {"yes": "Yes", "no": "No", "unknown": "Not yet known"}


def slot_outcome(slot) -> str:
    """What became of a slot, for the agenda and the pack ("" while it waits for the panel)."""
    if slot.outcome == rules.SLOT_PENDING:
        return ""
    if slot.outcome == rules.SLOT_MOVED and slot.note:
        return slot.note  # "moved to meeting 7": where the case went
    return plain("slot", slot.outcome)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "locality"


def file_stem(template: str, meeting: Meeting, locality: Locality) -> str:
    """agenda-2026-12-01-north: the template's name, the date, the locality; never a child's name."""
    return f"{template}-{meeting.date.isoformat()}-{slug(locality.name)}"


def meeting_context(session: Session, meeting: Meeting, *, on: date) -> dict:
    """What every pre-meeting document says about the meeting (and the letterhead needs)."""
    from masg_cli.services.setup import panel_type

    locality = session.get_one(Locality, meeting.locality_id)
    return {
        "panel": panel_type(session), "locality": locality.name, "meeting_id": meeting.id,
        "meeting_date": uk(meeting.date), "meeting_day": f"{meeting.date:%A} {uk(meeting.date)}",
        "start_time": meeting.start_time, "end_time": meeting.end_time, "venue": meeting.venue,
        "coordinator": locality.coordinator, "coordinator_contact": locality.contact,
        "produced": uk(on),
    }


def agenda_context(session: Session, meeting: Meeting, rows, *, on: date, children=None) -> dict:
    """The agenda: children by initials only, since it goes to many agencies.

    ``children`` (referral id -> names), when the caller has read them already (the pack has).
    """
    if children is None:
        children = {i: [c["name"] for c in kids]
                    for i, kids in children_of_all(session, [r for _, r in rows]).items()}
    from masg_cli.services.actions import open_actions_by_case

    members = session.exec(select(PanelMember).where(PanelMember.locality_id == meeting.locality_id)
                           .order_by(PanelMember.name)).all()
    actions = open_actions_by_case(session, [r.id for _, r in rows], before=meeting.date)
    return meeting_context(session, meeting, on=on) | {
        "slots": [{"time": s.time, "reference": r.reference, "kind": KIND[s.kind],
                   "outcome": slot_outcome(s), "initials": initials(children.get(r.id, [])),
                   "referrer": r.referrer_name, "agency": r.referrer_agency,
                   "attending": ATTENDING.get(s.attending, s.attending),
                   "open_actions": _open_count(actions[r.id])} for s, r in rows],
        "members": [{"name": m.name, "agency": m.agency} for m in members],
        # Earlier actions still open come back to the case's next meeting (Marac's practice).
        "actions": [a | {"reference": r.reference} for _, r in rows for a in actions[r.id]],
        "case_actions": actions,
    }


def _open_count(actions: list[dict]) -> str:
    return f"{len(actions)} open action{'s' if len(actions) != 1 else ''}" if actions else ""


def write_invite(base: dict, cases, meeting: Meeting, out_dir, *, template: Path) -> Path:
    """One referrer's invitation: their slot(s) at the meeting, by reference.

    ``base`` is the meeting_context; ``cases`` the referrer's (slot, referral) pairs, in time order.
    """
    first = cases[0][1]
    context = invite_context(base, cases)
    refs = ", ".join(r.reference for _, r in cases)
    subject = (f"{base['panel']} panel {base['meeting_day']}, {cases[0][0].time}: "
               f"your slot for {refs}")
    return write_eml(out_dir, f"invite-{meeting.date.isoformat()}-{first.reference}.eml",
                     to=[(first.referrer_name, first.referrer_email)], subject=subject,
                     body=render_text(template, context), sender=sender_of(base))


def invite_context(base: dict, cases) -> dict:
    """What one referrer's invitation says: the meeting, and their cases by reference."""
    return base | {
        "referrer": cases[0][1].referrer_name,
        "cases": [{"time": s.time, "reference": r.reference, "kind": KIND[s.kind]} for s, r in cases],
    }
