"""The minutes of a meeting held: made from its attendance, outcomes and actions, and recorded.

What the minutes say is masg_cli/documents/minutes.py; here is what the process asks around
them: a meeting that was held, members to send them to, everything refused before a file is
written, and the record of what went out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from masg_cli import rules
from masg_cli.documents import minutes
from masg_cli.documents.templates import check_before_writing
from masg_cli.errors import Refused
from masg_cli.models import Locality
from masg_cli.services.meetings import get_meeting, label
from masg_cli.services.produced import record_document
from masg_cli.services.setup import warn_unsigned


def produce_minutes(uow, meeting_id: int, *, out_dir: Path, pdf: bool, eml: bool, on: date) -> list[Path]:
    """The minutes of a meeting; optionally a PDF and one draft to each member present or sending apologies."""
    session = uow.session
    meeting = get_meeting(session, meeting_id)
    if meeting.status == rules.MEETING_CANCELLED:
        raise Refused(f"meeting {label(meeting)} was cancelled, so it has no minutes")
    check_before_writing(uow.templates, pdf=pdf)  # a refusal leaves nothing behind
    locality = session.get(Locality, meeting.locality_id)
    to = minutes.recipients(session, meeting) if eml else None
    if eml and not to:
        raise Refused(f"no panel member is recorded as present or sending apologies at meeting "
                      f"{label(meeting)}; record attendance with 'masg meeting attendance', or leave out --eml")
    context = minutes.minutes_context(session, meeting, on=on)
    warn_unsigned(uow, context)
    if not context["present"]:
        uow.warn(f"warning: no attendance is recorded for meeting {label(meeting)}; the minutes list "
                 f"no one present (record it with 'masg meeting attendance {meeting.id}')")
    document, written = minutes.write(context, meeting, locality, out_dir, templates=uow.templates, pdf=pdf,
                                      to=to)
    record_document(uow, "minutes", document, meeting=meeting)
    return written
