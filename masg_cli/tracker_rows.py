"""A row of a team's tracker, read into the values a case holds, and every reason it cannot be imported.

The column mapping (header names, any case; spaces, hyphens and underscores alike) is in
docs/figures-and-exchange.md and examples/tracker-sample.csv. Dates are DD/MM/YYYY (UK order) or YYYY-MM-DD, or
real dates in an Excel sheet. Several children go in one row separated by ';' in both the
child name and child date-of-birth columns, in the same order.

Nothing here reads the store: what a row is checked against (the localities, the panel) is passed
in, and the checks against other cases (references taken, the same case twice) are the importer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from masg_cli import rules
from masg_cli.dates import not_too_far_ahead, parse_date
from masg_cli.errors import Refused, UsageProblem
from masg_cli.fields import CONTROL, email_problem, one_line_problem

# Column heading (normalised) -> field. Several headings a tracker might use map to one field.
COLUMNS = {
    "reference": "reference", "ref": "reference",
    "received": "received", "date received": "received", "received on": "received",
    "locality": "locality", "district": "locality",
    "status": "status",
    "closed reason": "closed_reason", "closure reason": "closed_reason",
    "child name": "child_names", "child names": "child_names", "children": "child_names",
    "child dob": "child_dobs", "child dobs": "child_dobs", "date of birth": "child_dobs", "dob": "child_dobs",
    "consent date": "consent_date", "consent by": "consent_by", "consent given by": "consent_by",
    "referrer": "referrer_name", "referrer name": "referrer_name",
    "referrer agency": "referrer_agency", "agency of referrer": "referrer_agency",
    "referrer email": "referrer_email", "referrer phone": "referrer_phone",
    "needs": "needs", "agencies": "agencies", "transitions": "transitions",
    "re referral of": "re_referral_of",
    "triaged on": "triaged_on", "triage date": "triaged_on", "triage outcome": "triage_outcome",
    "triage agency": "triage_agency", "triage note": "triage_note",
    "family response": "family_response", "family response date": "family_response_date",
    "tac date": "tac_date", "next review": "next_review", "last reviewed": "last_reviewed",
    "follow up due": "follow_up_due", "closed on": "closed_on",
    "final review date": "final_review_date", "closure outcome": "closure_outcome",
    # The Lead Professional the team recorded: masg has no panel decision for an imported case.
    "lead professional": "lead_name", "lead professional name": "lead_name", "lp": "lead_name",
    "lead agency": "lead_agency", "lead professional agency": "lead_agency", "lp agency": "lead_agency",
    "lead contact": "lead_contact", "lead professional contact": "lead_contact", "lp contact": "lead_contact",
}
REQUIRED = ("received", "locality", "child_names", "child_dobs", "consent_date", "consent_by",
            "referrer_name", "referrer_agency", "needs")
DATES = ("received", "consent_date", "triaged_on", "family_response_date", "tac_date", "next_review",
         "last_reviewed", "follow_up_due", "closed_on", "final_review_date")
# Free text kept as the tracker has it (None when empty), and choices kept in lower case.
TEXTS = ("triage_agency", "triage_note", "closure_outcome", "lead_name", "lead_agency", "lead_contact")
CHOICES = {"triage_outcome": rules.TRIAGE_OUTCOMES, "family_response": ("accepted", "declined")}
TRIAGED = {"accepted", "scheduled", "decided", "active", "monitoring"}
# A scheduled, decided or active case stands on an agenda slot and a panel decision (Lead
# Professional, services) that a tracker row cannot supply: without them the case could never be
# decided, answered or reviewed. Such rows are refused with the way forward.
NOT_IMPORTABLE = {
    rules.SCHEDULED: "import it as accepted (it goes on the next agenda)",
    rules.DECIDED: "import it as accepted and record the decision at the next meeting, or as monitoring "
                   "or closed if the work is under way or done",
    rules.ACTIVE: "import it as monitoring (with its follow up due) or closed, or as accepted so the panel "
                  "records its decision",
}

Cells = dict  # field name (COLUMNS' values) -> the cell as read: text, or a number or date from Excel


@dataclass(frozen=True)
class TrackerContext:
    """What a row is checked against: the store's localities (lower-case name -> id, name) and panel."""

    localities: dict[str, tuple[int, str]]
    panel: str


@dataclass(slots=True)
class TrackerRow:
    """One tracker row as the case it would open; ``problems`` says why it cannot (empty: it can)."""

    number: int
    problems: list[str] = field(default_factory=list)
    reference: str | None = None
    received: date | None = None
    locality: tuple[int, str] | None = None  # the store's (id, name)
    status: str = rules.RECEIVED
    closed_reason: str | None = None
    children: list[tuple[str, date]] | None = None
    consent_date: date | None = None
    consent_by: str = ""
    referrer_name: str = ""
    referrer_agency: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""
    needs: str = ""
    agencies: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)
    re_referral_of: str | None = None
    linked_as_re_referral: bool = False  # re_referral_of found by the known-family check, not given
    triaged_on: date | None = None
    triage_outcome: str | None = None
    triage_agency: str | None = None
    triage_note: str | None = None
    family_response: str | None = None
    family_response_date: date | None = None
    tac_date: date | None = None
    next_review: date | None = None
    last_reviewed: date | None = None
    follow_up_due: date | None = None
    closed_on: date | None = None
    final_review_date: date | None = None
    closure_outcome: str | None = None
    lead_name: str | None = None
    lead_agency: str | None = None
    lead_contact: str | None = None


def heading(value) -> str:
    """A column heading as COLUMNS knows it: any case, spaces, hyphens and underscores alike."""
    return re.sub(r"[\s_\-]+", " ", str(value or "")).strip().lower()


def text(value) -> str:
    if type(value) is str:  # noqa: E721 - the common case, kept fast for large trackers
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return not_too_far_ahead(value.date(), what)
    if isinstance(value, date):
        return not_too_far_ahead(value, what)
    return _parse_date(text(value), what)


def _date_of_birth(value) -> date:
    day = _date(value, "child dob")
    if day is None:  # an empty entry is never listed; kept for the type
        raise UsageProblem("child dob is empty")
    return day


@lru_cache(maxsize=8192)
def _parse_date(written: str, what: str) -> date:
    # A tracker repeats the same few hundred dates over and over (received, consent, triage).
    return parse_date(written, what)


def _listed(value) -> list[str]:
    """A ';'-separated cell: its entries, stripped, empty ones left out."""
    return [item.strip() for item in text(value).split(";") if item.strip()]


def read_row(number: int, cells: Cells, context: TrackerContext) -> TrackerRow:
    """The row's values, each checked in the order a co-ordinator would put them right."""
    row = TrackerRow(number)
    for check in ROW_CHECKS:
        check(row, cells, context)
    _fill_in(row)
    return row


# --- Each check reads its columns into the row and says what is wrong with them ----------------------


def _required(row: TrackerRow, cells: Cells, _context) -> None:
    for name in REQUIRED:
        if not text(cells.get(name)) and name not in ("consent_date", "consent_by"):
            row.problems.append(f"{name.replace('_', ' ')} is empty")
    row.referrer_name, row.referrer_agency = text(cells.get("referrer_name")), text(cells.get("referrer_agency"))
    row.referrer_email, row.referrer_phone = text(cells.get("referrer_email")), text(cells.get("referrer_phone"))
    row.needs = text(cells.get("needs"))
    for name in TEXTS:
        setattr(row, name, text(cells.get(name)) or None)


def _dates(row: TrackerRow, cells: Cells, _context) -> None:
    for name in DATES:
        try:
            setattr(row, name, _date(cells.get(name), name.replace("_", " ")))
        except UsageProblem as exc:
            problem, form, _ = exc.message.partition("; write ")
            row.problems.append(problem + " (write DD/MM/YYYY)" if form else exc.message)


def _status(row: TrackerRow, cells: Cells, _context) -> None:
    status = row.status = text(cells.get("status")).lower() or rules.RECEIVED
    reason = text(cells.get("closed_reason")).lower() or None
    row.closed_reason = reason if status == rules.CLOSED else None
    if status not in rules.STATUSES:
        row.problems.append(f"status '{status}' is unknown (one of {', '.join(rules.STATUSES)})")
    elif status in NOT_IMPORTABLE:
        row.problems.append(f"status '{status}' cannot be imported: masg has no meeting or panel decision "
                            f"for it; {NOT_IMPORTABLE[status]}")
    elif status == rules.CLOSED and reason not in rules.CLOSED_REASONS:
        row.problems.append(f"a closed case needs a closed reason ({', '.join(rules.CLOSED_REASONS)})")


def _locality(row: TrackerRow, cells: Cells, context: TrackerContext) -> None:
    written = text(cells.get("locality"))
    row.locality = context.localities.get(written.lower())
    if written and row.locality is None:
        row.problems.append(f"locality '{written}' is unknown (add it with 'masg locality add')")


def _consent(row: TrackerRow, cells: Cells, _context) -> None:
    row.consent_by = text(cells.get("consent_by")).lower()
    if not row.received:
        return
    try:
        rules.check_consent(row.consent_date, row.consent_by or None, row.received)
    except Refused as exc:
        row.problems.append("no consent recorded (consent date and consent by)"
                            if exc.message == rules.NO_CONSENT_MESSAGE else exc.message)


def _children(row: TrackerRow, cells: Cells, _context) -> None:
    names = _listed(cells.get("child_names"))
    dobs = [cells["child_dobs"]] if isinstance(cells.get("child_dobs"), date) else _listed(cells.get("child_dobs"))
    if len(names) != len(dobs):
        row.problems.append(f"{len(names)} child name(s) but {len(dobs)} date(s) of birth")
        return
    try:
        row.children = [(name, _date_of_birth(dob)) for name, dob in zip(names, dobs)]
        if row.received:
            rules.check_children(row.children, row.received)
    except (UsageProblem, Refused) as exc:
        row.problems.append(exc.message)


def _reference(row: TrackerRow, cells: Cells, context: TrackerContext) -> None:
    reference = text(cells.get("reference")).upper()
    row.reference = reference or None
    row.re_referral_of = text(cells.get("re_referral_of")).upper() or None
    if not reference:
        return
    parts = rules.reference_parts(reference)
    if parts is None:
        row.problems.append(f"reference '{reference}' is not like {context.panel}-2026-0001")
    elif parts[0] != context.panel:
        row.problems.append(f"reference {reference} is a {parts[0]} reference; this store serves {context.panel}")


def _choices(row: TrackerRow, cells: Cells, _context) -> None:
    for name, allowed in CHOICES.items():
        given = text(cells.get(name)).lower()
        setattr(row, name, given or None)
        if given and given not in allowed:
            row.problems.append(f"{name.replace('_', ' ')} '{given}' is unknown (one of {', '.join(allowed)})")


def _agencies_and_transitions(row: TrackerRow, cells: Cells, _context) -> None:
    row.agencies = _listed(cells.get("agencies"))
    row.transitions = _listed(cells.get("transitions"))
    for flag in row.transitions:
        if flag not in rules.TRANSITION_FLAGS:
            row.problems.append(f"transition '{flag}' is unknown (one of {', '.join(rules.TRANSITION_FLAGS)})")


# The row's one-line fields that are kept, by the heading that names them (free text: needs,
# notes, outcomes). A locality or a reference is only looked up: an unknown one says so already.
ONE_LINE = (("referrer_name", "referrer"), ("referrer_agency", "referrer agency"),
            ("referrer_phone", "referrer phone"), ("triage_agency", "triage agency"),
            ("lead_name", "lead professional"), ("lead_agency", "lead agency"), ("lead_contact", "lead contact"))


def _one_line(row: TrackerRow, cells: Cells, _context) -> None:
    fields = [(heading, text(cells.get(name))) for name, heading in ONE_LINE]
    fields += [("child name", name) for name in _listed(cells.get("child_names"))]
    fields += [("agencies", agency) for agency in row.agencies]
    # One search of the whole row first: a large tracker's rows are almost all clean.
    if CONTROL.search("".join(value for _, value in fields)):
        row.problems.extend(p for p in (one_line_problem(what, value) for what, value in fields) if p)
    if problem := email_problem("referrer email", row.referrer_email):
        row.problems.append(problem)


def _later_steps(row: TrackerRow, _cells, _context) -> None:
    if row.status == rules.MONITORING and not (row.follow_up_due or row.last_reviewed):
        row.problems.append("a monitoring case needs follow up due (or last reviewed)")
    if row.status in TRIAGED and not row.triaged_on:
        row.triaged_on = row.received
    for later in ("triaged_on", "closed_on"):
        day = getattr(row, later)
        if day and row.received and day < row.received:
            row.problems.append(f"{later.replace('_', ' ')} is before the referral was received")


ROW_CHECKS = (_required, _dates, _status, _locality, _consent, _children, _reference, _choices,
              _agencies_and_transitions, _one_line, _later_steps)


def _fill_in(row: TrackerRow) -> None:
    """What the tracker leaves to be worked out: the 12-week follow-up, the day a case closed."""
    if row.status == rules.MONITORING and not row.follow_up_due and row.last_reviewed:
        row.follow_up_due = rules.follow_up_due(row.last_reviewed)
    if row.status == rules.CLOSED and not row.closed_on:
        row.closed_on = row.triaged_on or row.received
