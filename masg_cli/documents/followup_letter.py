"""The 12-week follow-up letter to the Lead Professional: what was agreed, the last review, and
what the co-ordinator needs to hear back (the case's details: case.case_context)."""

from __future__ import annotations

from masg_cli.documents.case import CaseDocument

FOLLOW_UP_LETTER = CaseDocument(
    "followup-letter", "12-week follow-up", "12-week follow-up letter",
    "Please let me know the outcomes of the work so far, and whether the support should carry on, "
    "the work is complete (I will send a final review form) or the case should come back to the panel.")
