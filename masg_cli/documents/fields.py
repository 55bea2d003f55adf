"""What each document's template is given: every field's name, type, an example and its meaning.

Declared once, by deriving: the names, types and examples come from the very contexts
'masg templates check' renders against (samples.py, built by the document modules' own
builders), so they cannot drift from what masg fills; only the meanings are written here, and a
test fails when a builder fills a field this table does not describe. 'masg templates fields'
prints it and docs/template-fields.md is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from masg_cli.errors import UsageProblem


@dataclass(frozen=True)
class Field:
    name: str  # as a template writes it; "cases[].reference": `reference` of each of `cases`
    type: str
    example: str
    meaning: str


# By a field's own name; a list's element fields are described by theirs ("date" of a review).
MEANINGS = {
    "actions": "the actions agreed (each: what, owner, due...)",
    "added": "when it was added",
    "age": "the child's age in years on the document's date",
    "agencies": "the agencies suggested to help, joined",
    "agency": "the agency",
    "agreed": "what the panel agreed last time",
    "apologies": "the members who sent apologies",
    "attachments": "the case's attachments",
    "attending": "whether the referrer is attending",
    "cases": "the cases on the agenda, in slot order",
    "chair": "who chaired the meeting",
    "children": "the children of the referral",
    "consent": "when consent was given, and by whom",
    "contacts": "the follow-up contacts made",
    "content": "what the file is (PDF, Word document...)",
    "coordinator": "the locality's CAF co-ordinator, who signs",
    "coordinator_contact": "the CAF co-ordinator's contact",
    "date": "the day it happened",
    "deferrals": "each time the case was deferred",
    "deputy": "who came in their place",
    "dob": "date of birth",
    "due": "when it is due",
    "earlier": "the earlier referral this is a re-referral of",
    "earlier_actions": "actions from earlier meetings still open",
    "end_time": "when the meeting ends",
    "family": "the family's answer to the offer",
    "file": "the attachment's file name in the pack",
    "flags": "the transition flags, in plain words",
    "follow_up_due": "when the 12-week follow-up is due",
    "further": "whether there are further panel reviews",
    "guests": "guests at the meeting",
    "history": "the case's history, oldest first",
    "id": "the action's number in masg",
    "initials": "the children's initials (the agenda never names them)",
    "inquorate_reasons": "why an inquorate meeting went ahead",
    "kind": "new case or review",
    "last_reviewed": "the day of the last panel review",
    "lead": "the Lead Professional and their agency",
    "lead_agency": "the Lead Professional's agency",
    "lead_contact": "the Lead Professional's contact",
    "lead_name": "the Lead Professional",
    "letter_date": "the document's date",
    "line": "the action in one line: what, who, by when",
    "locality": "the locality (the panel's area)",
    "meeting_date": "the day of the panel meeting",
    "meeting_day": "the weekday and day of the panel meeting",
    "meeting_id": "the meeting's number in masg",
    "meeting_venue": "where the panel meets",
    "members": "the locality's panel members",
    "name": "the name",
    "needs": "the needs the referral describes (its lines kept)",
    "note": "the note recorded",
    "notes": "the case's notes",
    "open_actions": "the case's open actions, joined",
    "outcome": "the outcome",
    "owner": "who does it",
    "panel": "MASG or MAAG",
    "present": "the members present",
    "produced": "the day the document was made",
    "quorate": "whether the meeting was quorate",
    "quorum": "the quorum, in words",
    "reason": "why",
    "received": "when the referral was received",
    "reference": "the referral's reference",
    "referrer": "the referrer",
    "referrer_agency": "the referrer's agency",
    "referrer_contact": "the referrer's e-mail and phone",
    "referrer_email": "the referrer's e-mail address",
    "review_date": "the next panel review",
    "reviews": "the panel reviews so far",
    "services": "the services agreed",
    "since_review": "the time since the last review",
    "size": "the file's size",
    "slots": "the agenda's slots, in time order",
    "start_time": "when the meeting starts",
    "tac": "the Team Around the Child meeting's date",
    "tac_date": "the Team Around the Child meeting's date",
    "text": "what was noted (its lines kept)",
    "time": "the slot's time",
    "triage": "the triage outcome, in words",
    "venue": "where the meeting is",
    "what": "what it is, in words",
    "with": "who the note is with",
}


def document_names() -> tuple[str, ...]:
    from masg_cli.documents.templates import SHIPPED

    return SHIPPED


def template_name(given: str) -> str:
    """'decision-sheet' or 'decision-sheet.docx': the shipped template's name, or a usage error."""
    names = document_names()
    wanted = given.strip().lower()
    for name in names:
        if wanted in (name, name.rsplit(".", 1)[0]):
            return name
    raise UsageProblem(f"there is no document '{given}'; give one of {', '.join(names)}")


def fields_of(name: str, sample: dict | None = None) -> list[Field]:
    """The fields the template ``name`` is given, in the order its builder fills them."""
    if sample is None:
        from masg_cli.documents.samples import sample_contexts

        sample = sample_contexts()[name]
    return list(_walk(sample, ""))


def all_fields() -> dict[str, list[Field]]:
    from masg_cli.documents.samples import sample_contexts

    samples = sample_contexts()
    return {name: fields_of(name, samples[name]) for name in document_names()}


def _walk(context: dict, prefix: str):
    for key, value in context.items():
        path = f"{prefix}{key}"
        items = value if isinstance(value, (list, tuple)) else None
        yield Field(path, _type(value), _example(value), MEANINGS.get(key, ""))
        if items and isinstance(items[0], dict):
            yield from _walk(items[0], f"{path}[].")
        elif isinstance(value, dict):
            yield from _walk(value, f"{path}.")


def _type(value) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int):
        return "number"
    if isinstance(value, (list, tuple)):
        return "list" if value else "list (none in the sample)"
    if isinstance(value, dict):
        return "group"
    if isinstance(value, str):
        return "text"
    return "text (lines kept)"  # docxtpl's Listing: line breaks survive into Word


def _example(value) -> str:
    if isinstance(value, (list, tuple, dict)):
        return ""
    text = str(getattr(value, "xml", value))
    text = " ".join(text.replace("\a", " ").split())
    return text if len(text) <= 40 else text[:37] + "..."


def as_json(fields: dict[str, list[Field]]) -> dict[str, list[dict]]:
    return {name: [vars(f) for f in found] for name, found in fields.items()}


def markdown(fields: dict[str, list[Field]]) -> str:
    """docs/template-fields.md: generated by 'masg templates fields --markdown', never by hand."""
    lines = ["# The fields each template is given", "",
             "Generated by `masg templates fields --markdown > docs/template-fields.md`; do not edit.",
             "The examples are the fictional case `masg templates check` fills every template with.",
             "`[]` marks a list: `{% for c in cases %}{{ c.reference }}{% endfor %}` writes",
             "`cases[].reference` of each case. A name not listed for a template is refused by",
             "`masg templates check`.", ""]
    for name, found in fields.items():
        lines += [f"## {name}", "", "| Field | Type | Example | Meaning |", "|---|---|---|---|"]
        lines += [f"| `{f.name}` | {f.type} | {_cell(f.example)} | {_cell(f.meaning)} |" for f in found]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
