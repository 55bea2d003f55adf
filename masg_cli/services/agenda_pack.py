"""What goes out before a meeting: the referrers' slot invitations and the agenda pack.

The agenda goes to many agencies, so it shows children by initials with the reference; the
background pack, for panel members only, carries the full details of each case.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from masg_cli import documents, rules
from masg_cli.dates import now_utc, uk
from masg_cli.errors import Refused
from masg_cli.models import AgendaSlot, Locality, Meeting, PanelMember, Referral
from masg_cli.services.agenda import initials
from masg_cli.services.meetings import get_meeting, label
from masg_cli.services.pack_cases import case_records, children_of_all, pending_cases
from masg_cli.services.setup import warn_unsigned

KIND = {rules.SLOT_NEW: "New case", rules.SLOT_REVIEW: "Review"}
ATTENDING = {"yes": "Yes", "no": "No", "unknown": "Not yet known"}


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "locality"


def file_stem(template: str, meeting: Meeting, locality: Locality) -> str:
    """agenda-2026-12-01-north: the template's name, the date, the locality; never a child's name."""
    return f"{template}-{meeting.date.isoformat()}-{slug(locality.name)}"


def meeting_context(session: Session, meeting: Meeting, *, on: date) -> dict:
    """What every pre-meeting document says about the meeting (and the letterhead needs)."""
    from masg_cli.services.setup import panel_type

    locality = session.get(Locality, meeting.locality_id)
    return {
        "panel": panel_type(session), "locality": locality.name, "meeting_id": meeting.id,
        "meeting_date": uk(meeting.date), "meeting_day": f"{meeting.date:%A} {uk(meeting.date)}",
        "start_time": meeting.start_time, "end_time": meeting.end_time, "venue": meeting.venue,
        "coordinator": locality.coordinator, "coordinator_contact": locality.contact,
        "produced": uk(on),
    }


def _cases(session: Session, meeting: Meeting) -> list[tuple[AgendaSlot, Referral]]:
    rows = pending_cases(session, meeting)
    if not rows:
        raise Refused(f"meeting {label(meeting)} has no cases waiting on its agenda; "
                      f"run 'masg agenda build {meeting.id}' first")
    return rows


# --- invitations ------------------------------------------------------------------------------

def invite(uow, meeting_id: int, *, out_dir: Path, on: date) -> list[Path]:
    """One e-mail draft per referrer giving their slot(s); a referrer without e-mail is named."""
    session = uow.session
    meeting = get_meeting(session, meeting_id)
    rules.check_meeting_open(label(meeting), meeting.status)
    documents.check_before_writing()
    base = meeting_context(session, meeting, on=on)
    warn_unsigned(uow, base)
    by_referrer: dict[str, list] = {}
    for slot, referral in _cases(session, meeting):
        if not referral.referrer_email:
            uow.warn(f"warning: {referral.reference} has no referrer e-mail; tell the referrer "
                     f"their {slot.time} slot another way")
            continue
        by_referrer.setdefault(referral.referrer_email.strip().lower(), []).append((slot, referral))
    template = documents.template_path("invite-email.txt")
    written = []
    for cases in by_referrer.values():
        first = cases[0][1]
        context = base | {
            "referrer": first.referrer_name,
            "cases": [{"time": s.time, "reference": r.reference, "kind": KIND[s.kind]} for s, r in cases],
        }
        refs = ", ".join(r.reference for _, r in cases)
        subject = (f"{base['panel']} panel {base['meeting_day']}, {cases[0][0].time}: "
                   f"your slot for {refs}")
        path = documents.write_eml(out_dir, f"invite-{meeting.date.isoformat()}-{first.reference}.eml",
                                   to=[(first.referrer_name, first.referrer_email)], subject=subject,
                                   body=documents.render_text(template, context))
        written.append(path)
        for slot, referral in cases:
            slot.invited_at = now_utc()
            session.add(slot)
            documents.record_document(uow, "invite", path, referral=referral, meeting=meeting)
    return written


# --- the agenda pack --------------------------------------------------------------------------

def agenda_context(session: Session, meeting: Meeting, rows, *, on: date, children=None) -> dict:
    """The agenda: children by initials only, since it goes to many agencies.

    ``children`` (referral id -> names), when the caller has read them already (the pack has).
    """
    if children is None:
        children = {i: [c["name"] for c in kids]
                    for i, kids in children_of_all(session, [r for _, r in rows]).items()}
    members = session.exec(select(PanelMember).where(PanelMember.locality_id == meeting.locality_id)
                           .order_by(PanelMember.name)).all()
    return meeting_context(session, meeting, on=on) | {
        "slots": [{"time": s.time, "reference": r.reference, "kind": KIND[s.kind],
                   "initials": initials(children.get(r.id, [])),
                   "referrer": r.referrer_name, "agency": r.referrer_agency,
                   "attending": ATTENDING.get(s.attending, s.attending)} for s, r in rows],
        "members": [{"name": m.name, "agency": m.agency} for m in members],
    }


def _age(born: date, on: date) -> str:
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return str(max(years, 0))


def case_context(slot, referral: Referral, meeting: Meeting, record: dict) -> dict:
    """One case of the background pack: the family, needs, agencies, transition flags, history.

    ``record`` is the case as case_records() read it.
    """
    triage_text = (f"{referral.triage_outcome} on {uk(referral.triaged_on)}"
                   if referral.triage_outcome else "not recorded")
    if referral.triage_note:
        triage_text += f": {referral.triage_note}"
    contact = ", ".join(x for x in (referral.referrer_email, referral.referrer_phone) if x)
    return {
        "time": slot.time, "reference": referral.reference, "kind": KIND[slot.kind],
        "received": uk(referral.received), "referrer": referral.referrer_name,
        "referrer_agency": referral.referrer_agency, "referrer_contact": contact or "not given",
        "consent": f"{uk(referral.consent_date)}, given by {referral.consent_by}",
        "triage": triage_text,
        "flags": ", ".join(record["flags"]) or "none",
        "earlier": " then ".join(record["earlier"]) or "none",
        "needs": documents.multiline(referral.needs),
        "agencies": ", ".join(record["agencies"]) or "none named",
        "children": [{"name": c["name"], "dob": uk(c["dob"]), "age": _age(c["dob"], meeting.date)}
                     for c in record["children"]],
        "history": [{"date": uk(e["date"]), "what": e["event"]} for e in record["timeline"]],
    }


def pack(uow, meeting_id: int, *, out_dir: Path, pdf: bool, eml: bool, on: date) -> list[Path]:
    """The agenda and the background pack for a meeting; optionally PDFs and a draft to members."""
    session = uow.session
    meeting = get_meeting(session, meeting_id)
    rules.check_meeting_open(label(meeting), meeting.status)
    documents.check_before_writing(pdf=pdf)  # a refusal leaves nothing behind
    locality = session.get(Locality, meeting.locality_id)
    members = session.exec(select(PanelMember).where(PanelMember.locality_id == locality.id)).all()
    if eml and not members:
        raise Refused(f"{locality.name} has no panel members to send the pack to; add them with "
                      "'masg locality member add', or leave out --eml")
    rows = _cases(session, meeting)
    records = case_records(session, [r for _, r in rows])
    context = agenda_context(session, meeting, rows, on=on, children={
        r.id: [c["name"] for c in records[r.id]["children"]] for _, r in rows})
    warn_unsigned(uow, context)
    cases = [case_context(s, r, meeting, records[r.id]) for s, r in rows]
    documents_to_make = [
        ("agenda", "agenda.docx", context),
        ("background-pack", "background-pack.docx", context | {"cases": cases}),
    ]
    # The covering message first: a broken e-mail template must not leave the pack behind.
    body = documents.render_text(documents.template_path("pack-email.txt"), context) if eml else None
    made: list[Path] = []
    written: list[Path] = made
    try:
        for kind, template, filled in documents.progress(documents_to_make, "Agenda pack"):
            made.append(documents.render_docx(template, filled, out_dir,
                                              file_stem(kind, meeting, locality) + ".docx"))
        for (kind, _, _), path in zip(documents_to_make, made):
            documents.record_document(uow, kind, path, meeting=meeting)
        attachments = [documents.to_pdf(p) for p in documents.progress(made, "PDFs")] if pdf else list(made)
        written = made + (attachments if pdf else [])
        if body is not None:
            written.append(documents.write_eml(
                out_dir, file_stem("pack", meeting, locality) + ".eml",
                to=[(m.name, m.email) for m in members],
                subject=f"{context['panel']} {locality.name} panel {context['meeting_day']}: "
                        "agenda and background information (OFFICIAL-SENSITIVE)",
                body=body, attachments=attachments))
    except BaseException:  # the command saves nothing, so it leaves no file behind either
        for path in {*made, *written}:
            Path(path).unlink(missing_ok=True)
        raise
    return written
