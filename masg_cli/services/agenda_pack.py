"""What goes out before a meeting: the referrers' slot invitations and the agenda pack.

What each document says is masg_cli/documents (agenda.py, background_pack.py); here is what
the process asks around them: an open meeting with cases waiting, panel members to send the
pack to, everything refused before a file is written, and the record of what went out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from masg_cli import rules
from masg_cli.dates import now_utc
from masg_cli.documents import agenda, background_pack
from masg_cli.documents.pack_cases import meeting_cases, pending_cases
from masg_cli.documents.templates import check_before_writing, template_path
from masg_cli.errors import Refused
from masg_cli.models import AgendaSlot, Locality, Meeting, PanelMember, Referral
from masg_cli.services.meetings import get_meeting, label
from masg_cli.services.produced import record_document
from masg_cli.services.setup import warn_unsigned

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def _cases(session: Session, meeting: Meeting, *, waiting: bool = True) -> list[tuple[AgendaSlot, Referral]]:
    """The cases waiting on the agenda (to invite), or with ``waiting=False`` every slot (the pack)."""
    rows = pending_cases(session, meeting) if waiting else meeting_cases(session, meeting)
    if not rows:
        raise Refused(f"meeting {label(meeting)} has no cases waiting on its agenda; "
                      f"run 'masg agenda build {meeting.id}' first")
    return rows


def invite(uow: UnitOfWork, meeting_id: int, *, out_dir: Path, on: date) -> list[Path]:
    """One e-mail draft per referrer giving their slot(s); a referrer without e-mail is named."""
    session = uow.session
    meeting = get_meeting(session, meeting_id)
    rules.check_meeting_open(label(meeting), meeting.status)
    check_before_writing(uow.templates)
    base = agenda.meeting_context(session, meeting, on=on)
    warn_unsigned(uow, base)
    by_referrer: dict[str, list] = {}
    for slot, referral in _cases(session, meeting):
        if not referral.referrer_email:
            uow.warn(f"warning: {referral.reference} has no referrer e-mail; tell the referrer "
                     f"their {slot.time} slot another way")
            continue
        by_referrer.setdefault(referral.referrer_email.strip().lower(), []).append((slot, referral))
    template = template_path("invite-email.txt", uow.templates)
    written = []
    for cases in by_referrer.values():
        path = agenda.write_invite(base, cases, meeting, out_dir, template=template)
        written.append(path)
        for slot, referral in cases:
            slot.invited_at = now_utc()
            session.add(slot)
            record_document(uow, "invite", path, referral=referral, meeting=meeting)
    return written


def pack(uow: UnitOfWork, meeting_id: int, *, out_dir: Path, pdf: bool, eml: bool, on: date,
         attachments: bool = False) -> list[Path]:
    """The agenda and the background pack for a meeting; optionally PDFs, a draft to members, and
    each case's attachments beside them."""
    session = uow.session
    meeting = get_meeting(session, meeting_id)
    rules.check_meeting_open(label(meeting), meeting.status)
    check_before_writing(uow.templates, pdf=pdf)  # a refusal leaves nothing behind
    locality = session.get_one(Locality, meeting.locality_id)
    members = session.exec(select(PanelMember).where(PanelMember.locality_id == locality.id)).all()
    if eml and not members:
        raise Refused(f"{locality.name} has no panel members to send the pack to; add them with "
                      "'masg locality member add', or leave out --eml")
    rows = _cases(session, meeting, waiting=False)
    context, cases = background_pack.pack_context(session, meeting, rows, on=on)
    warn_unsigned(uow, context)
    made, written = background_pack.write_pack(
        context, cases, meeting, locality, out_dir, templates=uow.templates, pdf=pdf,
        members=[(m.name, m.email) for m in members] if eml else None)
    for kind, path in made:
        record_document(uow, kind, path, meeting=meeting)
    if attachments:
        from masg_cli.documents.render import removed_on_failure
        from masg_cli.services.attachments import copy_into_pack

        with removed_on_failure(written):
            for referral, path in copy_into_pack(session, [r for _, r in rows], out_dir, written):
                record_document(uow, "attachment", path, referral=referral, meeting=meeting)
    return written
