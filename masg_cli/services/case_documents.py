"""Sending a case's Lead Professional a document: the 12-week letter or the final review form.

What each says and how it is written is masg_cli/documents (case.py and one module per
document); here is what the process asks around it. Everything that can refuse (no e-mail
address for --eml, no LibreOffice for --pdf) is checked before anything is written, a later
failure removes what this call wrote, and the document is recorded on the case.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from masg_cli.documents import case
from masg_cli.documents.email import email_in
from masg_cli.documents.templates import check_before_writing
from masg_cli.errors import Refused
from masg_cli.models import Referral
from masg_cli.services.produced import record_document
from masg_cli.services.setup import warn_unsigned

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def produce_case_document(uow: UnitOfWork, referral: Referral, document: case.CaseDocument, *, out_dir, on: date,
                          pdf: bool = False, eml: bool = False) -> list[Path]:
    """Write ``document`` for the case (and its PDF and e-mail draft when asked); record it."""
    check_before_writing(uow.templates, pdf=pdf)  # a refusal leaves nothing behind
    context = case.case_context(uow.session, referral, on=on)
    warn_unsigned(uow, context)
    address = email_in(context["lead_contact"])
    if eml and address is None:
        raise Refused(f"the Lead Professional's contact for {referral.reference} holds no e-mail address, "
                      f"so no draft can be addressed; run without --eml and send the {document.what} "
                      "another way")
    written = case.write(document, context, out_dir, templates=uow.templates, pdf=pdf,
                         to=address if eml else None)
    record_document(uow, document.kind, written[0], referral=referral)
    return written
