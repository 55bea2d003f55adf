"""Case notes: what the co-ordinator heard or did about a case, kept with it.

Notes join the case's history ('referral show', the background pack, exports, subject access),
never an agenda or minutes, which go to every agency. Their text may name people, so the audit
entry says that a note was added, of which kind and for which day, not what it says.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from masg_cli import rules
from masg_cli.dates import now_utc
from masg_cli.errors import UsageProblem
from masg_cli.models import Note, Referral, id_of
from masg_cli.services.referrals import get_referral


def add_note(uow, reference: str, *, text: str, kind: str, with_whom: str | None, on: date) -> Note:
    """Keep a note on the case file: a phone call, an e-mail, a meeting, or anything else."""
    if kind not in rules.NOTE_KINDS:
        raise UsageProblem(f"--kind '{kind}' is not one of {', '.join(rules.NOTE_KINDS)}")
    text = (text or "").strip()
    if not text:
        raise UsageProblem("--text is empty; say what was said or done")
    # A closed case takes notes too (a call after closure); a call before the CAF arrived is
    # dated as it happened.
    referral = get_referral(uow.session, reference, for_update=True)
    note = Note(referral_id=id_of(referral), date=on, kind=kind, with_whom=(with_whom or "").strip() or None,
                text=text, recorded_at=now_utc())
    uow.session.add(note)
    uow.session.flush()
    uow.record("note add", referral.reference, {"note": note.id, "kind": kind, "date": on})
    return note


def as_json(note: Note) -> dict:
    return {"id": note.id, "date": note.date, "kind": note.kind, "with": note.with_whom, "text": note.text}


def notes_of(session: Session, referral: Referral) -> list[dict]:
    """A case's notes in date order (the order they were added, within a day)."""
    rows = session.exec(select(Note).where(Note.referral_id == referral.id).order_by(col(Note.date), col(Note.id)))
    return [as_json(n) for n in rows]


def notes_of_all(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """Each case's notes in date order, for many cases in one query (the background pack)."""
    grouped: dict[int, list[dict]] = {i: [] for i in ids}
    for note in session.exec(select(Note).where(col(Note.referral_id).in_(ids)).order_by(col(Note.date), col(Note.id))):
        grouped[note.referral_id].append(as_json(note))
    return grouped


def timeline_event(note: dict) -> str:
    """A note as one line of a case's history: its kind, with whom, and what it says."""
    with_whom = f" with {note['with']}" if note.get("with") else ""
    return f"note ({note['kind']}{with_whom}): {note['text']}"
