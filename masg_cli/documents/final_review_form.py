"""The final review form, pre-filled from the case, for the Lead Professional to complete and
return so that the case can close (the case's details: case.case_context)."""

from __future__ import annotations

from masg_cli.documents.case import CaseDocument

FINAL_REVIEW_FORM = CaseDocument(
    "final-review-form", "final review form", "final review form",
    "Please complete the attached final review form and return it to me, so that the case can be closed.")
