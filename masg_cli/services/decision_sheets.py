"""The decision sheet sent to the referrer after the panel, for one case or a meeting's batch.

The leaflet: "After the MASG meeting, a decision sheet will be sent to the referrer". What the
sheet says is masg_cli/documents/decision_sheet.py; here is which cases get one, what is
refused before anything is written, and the record that each was produced.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli.dates import now_utc, uk
from masg_cli.documents import decision_sheet
from masg_cli.documents.render import progress, removed_on_failure
from masg_cli.documents.templates import check_before_writing
from masg_cli.errors import Refused, UsageProblem
from masg_cli.models import Decision, Meeting, Referral
from masg_cli.services.decisions import latest_decision
from masg_cli.services.meetings import get_meeting
from masg_cli.services.meetings import label as meeting_label
from masg_cli.services.produced import record_document
from masg_cli.services.referrals import get_referral
from masg_cli.services.setup import warn_unsigned

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def _cases_for_sheets(session: Session, reference: str | None, meeting_id: int | None
                      ) -> list[tuple[Referral, Decision]]:
    if reference is not None:
        referral = get_referral(session, reference)
        decision = latest_decision(session, referral)
        if decision is None:
            raise Refused(f"{referral.reference} has no panel decision yet; record it with "
                          "'masg decision record' first")
        return [(referral, decision)]
    if meeting_id is None:
        raise UsageProblem("give either REF (one case) or --meeting MEETING (every case decided there)")
    meeting = get_meeting(session, meeting_id)
    cases = list(session.exec(
        select(Referral, Decision).join(Decision, col(Decision.referral_id) == Referral.id)
        .where(Decision.meeting_id == meeting.id).order_by(Referral.reference)
    ))
    if not cases:
        raise Refused(f"no decisions are recorded for meeting {meeting_label(meeting)}; "
                      "record them with 'masg decision record'")
    return cases


def produce_sheets(uow: UnitOfWork, *, reference: str | None, meeting_id: int | None, out_dir, pdf: bool,
                   eml: bool, on: date) -> list:
    """Write the decision sheet of one case, or of every case decided at a meeting.

    With ``eml``, a draft to the referrer with the sheet attached. One case whose referrer has no
    e-mail is refused; in a meeting's batch that case's draft is skipped with a warning.
    """
    session = uow.session
    cases = _cases_for_sheets(session, reference, meeting_id)
    check_before_writing(uow.templates, pdf=pdf)  # a refusal leaves nothing behind
    if eml and reference is not None and not cases[0][0].referrer_email:
        raise Refused(f"{cases[0][0].reference} has no referrer e-mail, so no draft can be addressed; "
                      "run without --eml and send the sheet another way")
    written: list[Path] = []
    with removed_on_failure(written):
        for referral, decision in progress(cases, "Decision sheets"):
            context = decision_sheet.sheet_context(session, referral, decision, on=on)
            warn_unsigned(uow, context)
            _warn_if_dated_before_the_meeting(uow, referral, session.get_one(Meeting, decision.meeting_id), on)
            made = decision_sheet.write(context, out_dir, templates=uow.templates, pdf=pdf,
                                        eml=eml and bool(referral.referrer_email))
            written.extend(made)
            if eml and not referral.referrer_email:
                uow.warn(f"warning: {referral.reference} has no referrer e-mail; its sheet was written "
                         "but no e-mail draft")
            _record_sheet(uow, referral, decision, made[0])
    return written


def _warn_if_dated_before_the_meeting(uow: UnitOfWork, referral: Referral, meeting: Meeting, on: date) -> None:
    # A sheet saying the panel "discussed your referral on 4 December", dated 1 December, is a
    # slip of --as-of; written all the same (the date may be meant), but said.
    if on < meeting.date:
        uow.warn(f"warning: {referral.reference}'s decision sheet is dated {uk(on)}, before the meeting "
                 f"of {uk(meeting.date)} it reports; give --as-of {meeting.date.isoformat()} or later to redate it")


def _record_sheet(uow: UnitOfWork, referral: Referral, decision: Decision, path) -> None:
    decision.sheet_produced_at = now_utc()
    decision.sheet_file = str(path)
    uow.session.add(decision)
    meeting = uow.session.get(Meeting, decision.meeting_id)
    # record_document writes the audit entry (kind, file, meeting).
    record_document(uow, decision_sheet.KIND, path, referral=referral, meeting=meeting)


def produce_family_letter(uow: UnitOfWork, reference: str, *, out_dir, pdf: bool, on: date) -> list[Path]:
    """The plain-English letter the referrer hands to the family about the panel's decision."""
    from masg_cli.documents import family_letter

    [(referral, decision)] = _cases_for_sheets(uow.session, reference, None)
    check_before_writing(uow.templates, pdf=pdf)  # a refusal leaves nothing behind
    context = family_letter.letter_context(uow.session, referral, decision, on=on)
    warn_unsigned(uow, context)
    written = family_letter.write(context, out_dir, templates=uow.templates, pdf=pdf)
    record_document(uow, family_letter.KIND, written[0], referral=referral,
                    meeting=uow.session.get(Meeting, decision.meeting_id))
    return written
