"""What the command line accepts, said once: the process's words as choices, the document options.

Each choice is built from its vocabulary in ``rules.py`` (member name = value), so a status or a
flag is spelt in one place and a new one reaches ``--help``, completion and validation at once.
"""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from enum import Enum
from typing import Any

import typer

from masg_cli import rules


def _choices(name: str, vocabulary: tuple[str, ...]) -> Any:
    # Typed Any: mypy cannot see the members of an Enum made at run time.
    return Enum(name, {word: word for word in vocabulary}, type=str)


Status = _choices("Status", rules.STATUSES)
TriageOutcome = _choices("TriageOutcome", rules.TRIAGE_OUTCOMES)
ConsentBy = _choices("ConsentBy", rules.CONSENT_GIVERS)
TransitionFlag = _choices("TransitionFlag", rules.TRANSITION_FLAGS)
FurtherReviews = _choices("FurtherReviews", rules.FURTHER_REVIEW_ANSWERS)
FollowUpOutcome = _choices("FollowUpOutcome", rules.FOLLOW_UP_OUTCOMES)
Panel = _choices("Panel", rules.PANELS)
Cadence = _choices("Cadence", rules.CADENCES)
MeetingStatus = _choices("MeetingStatus", rules.MEETING_STATUSES)
Attending = _choices("Attending", rules.ATTENDANCE_ANSWERS)
ExportFormat = _choices("ExportFormat", rules.EXPORT_FORMATS)
NoteKind = _choices("NoteKind", rules.NOTE_KINDS)
AttachmentKind = _choices("AttachmentKind", rules.ATTACHMENT_KINDS)
NotDoneReason = _choices("NotDoneReason", rules.NOT_DONE_REASONS)


def one_of(vocabulary: tuple[str, ...]) -> str:
    """A vocabulary as a sentence says it: 'csv, xlsx or json'."""
    return f"{', '.join(vocabulary[:-1])} or {vocabulary[-1]}"


WEEKDAY = "|".join(rules.WEEKDAYS)
_DAY_NAMES = dict(zip(rules.WEEKDAYS, ("monday", "tuesday", "wednesday", "thursday", "friday")))


def weekday(value: str | None) -> str | None:
    """'tue', 'Tue', 'Tuesday': what co-ordinators type; kept as the day's three letters."""
    if value is None:
        return None
    text = value.strip().lower()
    for short, name in _DAY_NAMES.items():
        if len(text) >= 3 and name.startswith(text):
            return short
    raise typer.BadParameter(f"'{value}' is not a weekday a panel meets on; give {one_of(rules.WEEKDAYS)}")


# --- Options many commands share; a document command's --out, --pdf, --eml and --as-of -----------
# Factories, not shared objects: each command gets its own, worded for what it writes.


def out_folder(help: str = "The folder to write into.") -> Any:
    return typer.Option(..., "--out", metavar="DIR", help=help)


def out_file(help: str) -> Any:
    return typer.Option(..., "--out", metavar="FILE", help=help)


def pdf(help: str = "Also a PDF (needs LibreOffice).") -> Any:
    return typer.Option(False, "--pdf", help=help)


def eml(to: str) -> Any:
    return typer.Option(False, "--eml", help=f"Also an e-mail draft to {to}.")


def overwrite(what: str = "a file already there") -> Any:
    """Every command that writes files refuses to replace one unless told (docs/files-and-privacy.md)."""
    return typer.Option(False, "--overwrite", help=f"Replace {what} (said on stderr).")


def as_of(help: str) -> Any:
    return typer.Option(None, "--as-of", metavar="DATE", help=help)


def as_json(help: str = "Print JSON.") -> Any:
    return typer.Option(False, "--json", help=help)


def reference(help: str | None = "The referral's reference.") -> Any:
    return typer.Argument(..., metavar="REF", help=help)



def consent_in_full(consent_date: str | None, consent_by: str | None) -> None:
    """Consent is a date and who gave it: one without the other names the option left out.

    Refused (exit 1), as no consent at all is: the referral cannot be made without it."""
    from masg_cli.errors import Refused

    otherwise = ("; without consent, refer to the single agency on its own form, or to children's "
                 "social care if there are safeguarding concerns")
    if consent_date and not consent_by:
        raise Refused(f"--consent-date needs --consent-by: say who gave consent "
                      f"({one_of(rules.CONSENT_GIVERS)}){otherwise}")
    if consent_by and not consent_date:
        raise Refused(f"--consent-by needs --consent-date: say when consent was given "
                      f"(YYYY-MM-DD or DD/MM/YYYY){otherwise}")


def unsigned() -> Any:
    """Outgoing documents are refused while their locality has no co-ordinator or contact to sign them."""
    return typer.Option(False, "--unsigned",
                        help="Write it even though the locality has no co-ordinator or contact "
                             "(a deliberate draft, signed blank; said on stderr).")
