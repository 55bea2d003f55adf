"""The documents sent to a case's Lead Professional: the 12-week letter and the final review form.

Both are the case's details (services/reviews.case_context) in a Word template, with an optional
PDF and an unsent e-mail draft to the Lead Professional. Everything that can refuse (no e-mail
address for --eml, no LibreOffice for --pdf) is checked before anything is written, and a later
failure removes what this call wrote, so a refusal never leaves a document behind in --out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from masg_cli.errors import Refused
from masg_cli.models import Referral

@dataclass(frozen=True)
class CaseDocument:
    """One kind of document: its template name (and file prefix), what the e-mail calls it, and
    what it asks the Lead Professional to do."""

    kind: str
    subject: str
    what: str
    ask: str


FOLLOW_UP_LETTER = CaseDocument(
    "followup-letter", "12-week follow-up", "12-week follow-up letter",
    "Please let me know the outcomes of the work so far, and whether the case should continue, close "
    "(with a final review form) or come back to the panel.")
FINAL_REVIEW_FORM = CaseDocument(
    "final-review-form", "final review form", "final review form",
    "Please complete the attached final review form and return it to me, so that the case can be closed.")


def produce_case_document(uow, referral: Referral, document: CaseDocument, *, out_dir, on: date,
                          pdf: bool = False, eml: bool = False) -> list[Path]:
    """Write ``document`` for the case (and its PDF and e-mail draft when asked); record it."""
    from masg_cli import documents
    from masg_cli.services.reviews import case_context, covering_message, email_in
    from masg_cli.services.setup import warn_unsigned

    documents.check_before_writing(pdf=pdf)  # a refusal leaves nothing behind
    context = case_context(uow.session, referral, on=on)
    warn_unsigned(uow, context)
    address = email_in(context["lead_contact"])
    if eml and address is None:
        raise Refused(f"the Lead Professional's contact for {referral.reference} holds no e-mail address, "
                      f"so no draft can be addressed; run without --eml and send the {document.what} "
                      "another way")
    name = f"{document.kind}-{referral.reference}"
    path = documents.render_docx(documents.template_path(f"{document.kind}.docx"), context, out_dir,
                                 f"{name}.docx")
    written = [path]
    try:
        attachment = path
        if pdf:
            attachment = documents.to_pdf(path)
            written.append(attachment)
        if eml:
            written.append(documents.write_eml(
                out_dir, f"{name}.eml", to=address,
                subject=f"{referral.panel} {document.subject} {referral.reference}",
                body=covering_message(context, document.what, document.ask), attachments=[attachment]))
    except BaseException:
        for made in written:
            Path(made).unlink(missing_ok=True)
        raise
    documents.record_document(uow, document.kind, path, referral=referral)
    return written
