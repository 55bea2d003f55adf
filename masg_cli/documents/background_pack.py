"""The background pack, for panel members only: the full details of each case on the agenda.

With the agenda it makes the agenda pack sent before a meeting, and a draft to the panel
members with both attached.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from masg_cli.dates import uk
from masg_cli.documents.agenda import KIND, agenda_context, file_stem, slot_outcome
from masg_cli.documents.email import sender_of, write_eml
from masg_cli.documents.pack_agreed import agreed_of_all
from masg_cli.documents.pack_cases import case_records
from masg_cli.documents.pdf import to_pdf
from masg_cli.documents.render import multiline, progress, removed_on_failure, render_docx, render_text
from masg_cli.documents.templates import template_path
from masg_cli.documents.words import plain
from masg_cli.models import Locality, Meeting, Referral
from masg_cli.services.attachments import megabytes



def _age(born: date, on: date) -> str:
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return str(max(years, 0))


def case_context(slot, referral: Referral, meeting: Meeting, record: dict, agreed: dict) -> dict:
    """One case of the background pack: the family, needs, agencies, transition flags, history,
    and what the panel agreed before.

    ``record`` is the case as case_records() read it, ``agreed`` as agreed_of_all() did.
    """
    triage_text = (f"{plain('triage', referral.triage_outcome)} on {uk(referral.triaged_on)}"
                   if referral.triage_outcome else "not recorded")
    if referral.triage_note:
        triage_text += f": {referral.triage_note}"
    contact = ", ".join(x for x in (referral.referrer_email, referral.referrer_phone) if x)
    return {
        "time": slot.time, "reference": referral.reference, "kind": KIND[slot.kind],
        "outcome": slot_outcome(slot), "received": uk(referral.received), "referrer": referral.referrer_name,
        "referrer_agency": referral.referrer_agency, "referrer_contact": contact or "not given",
        "consent": f"{uk(referral.consent_date)}, given by {plain('consent_by', referral.consent_by)}",
        "triage": triage_text,
        "flags": ", ".join(plain("flag", f) for f in record["flags"]) or "none",
        "earlier": " then ".join(record["earlier"]) or "none",
        "needs": multiline(referral.needs),
        "agencies": ", ".join(record["agencies"]) or "none named",
        "children": [{"name": c["name"], "dob": uk(c["dob"]), "age": _age(c["dob"], meeting.date)}
                     for c in record["children"]],
        "history": [{"date": uk(e["date"]), "what": e["event"]} for e in record["plain_timeline"]],
        # Also in the history above; here on their own for a template that lists them apart.
        "notes": [{"date": uk(n["date"]), "kind": n["kind"], "with": n["with"] or "", "text": multiline(n["text"])}
                  for n in record["notes"]],
        # By the names 'agenda pack --attachments' gives them in the pack's folder.
        "attachments": [{"file": a["file"], "kind": a["kind"], "content": a["content"],
                         "size": megabytes(a["size"]), "added": uk(a["added"])} for a in record["attachments"]],
        "actions": record.get("actions", []),
    } | agreed


def pack_context(session: Session, meeting: Meeting, rows, *, on: date) -> tuple[dict, list[dict]]:
    """The agenda's context, and each case of the background pack; the store read once for both."""
    records = case_records(session, [r for _, r in rows])
    agreed = agreed_of_all(session, [r for _, r in rows])
    context = agenda_context(session, meeting, rows, on=on, children={
        r.id: [c["name"] for c in records[r.id]["children"]] for _, r in rows})
    actions = context.pop("case_actions")
    return context, [case_context(s, r, meeting, records[r.id] | {"actions": actions[r.id]}, agreed[r.id])
                     for s, r in rows]


def pack_documents(context: dict, cases: list[dict]) -> list[tuple[str, str, dict]]:
    """The agenda pack's documents: (kind, template, what it is filled with)."""
    return [("agenda", "agenda.docx", context),
            ("background-pack", "background-pack.docx", context | {"cases": cases})]


def write_pack(context: dict, cases: list[dict], meeting: Meeting, locality: Locality, out_dir, *,
               templates: Path | None = None, pdf: bool = False, members=None
               ) -> tuple[list[tuple[str, Path]], list[Path]]:
    """The agenda and the background pack, their PDFs when asked and, given ``members`` (name,
    address pairs), a draft to them with the documents attached.

    Returns each document made (kind, path), and every file written.
    """
    documents = pack_documents(context, cases)
    # The covering message first: a broken e-mail template must not leave the pack behind.
    body = render_text(template_path("pack-email.txt", templates), context) if members else None
    written: list[Path] = []
    with removed_on_failure(written):
        for kind, template, filled in progress(documents, "Agenda pack"):
            written.append(render_docx(template_path(template, templates), filled, out_dir,
                                       file_stem(kind, meeting, locality) + ".docx"))
        made = [(kind, path) for (kind, _, _), path in zip(documents, written)]
        attachments = [path for _, path in made]
        if pdf:
            attachments = []
            for _, path in progress(made, "PDFs"):
                attachments.append(to_pdf(path))
                written.append(attachments[-1])
        if body is not None:
            written.append(write_eml(
                out_dir, file_stem("pack", meeting, locality) + ".eml", to=members,
                subject=f"{context['panel']} {locality.name} panel {context['meeting_day']}: "
                        "agenda and background information (OFFICIAL-SENSITIVE)",
                body=body, attachments=attachments, sender=sender_of(context)))
    return made, written
