"""What a reminder shows: one e-mail draft per person, their items by reference and initials.

Never a child's full name, and never the free text of a triage note (it may hold one): e-mail
is less safe than the panel's own documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from masg_cli.dates import uk

KINDS = ("attendance", "more-info", "follow-up", "tac", "action")


@dataclass(frozen=True)
class Item:
    """One thing a person is chased for."""

    referral_id: int
    reference: str
    kind: str  # one of KINDS
    initials: str
    locality: str
    on: date  # the meeting, the day asked, the follow-up due, or the family's acceptance
    due: date | None = None  # the last day within target, for more-info and tac
    time: str = ""  # the slot's time, for attendance


def _line(item: Item) -> str:
    case = f"{item.reference} ({item.initials}, {item.locality})" if item.initials else item.reference
    if item.kind == "attendance":
        return (f"{case}: please confirm whether you will attend the panel on {uk(item.on)} at "
                f"{item.time}.")
    if item.kind == "more-info":
        return (f"{case}: we asked for more information on {uk(item.on)} and have not had it "
                f"(due by {uk(item.due)}); please send it, or tell us if the referral should close.")
    if item.kind == "follow-up":
        return (f"{case}: the 12-week follow-up is due on {uk(item.on)}; please tell us how the "
                "work is going (outcomes so far, services continuing, the family's view).")
    if item.kind == "action":
        # Never the action's own words: they may name a child, and a draft holds initials only.
        return (f"{case}: an action you took on at the panel was due by {uk(item.on)} and is not yet "
                "recorded as done; please tell us whether it is done, or why not.")
    return (f"{case}: the family accepted on {uk(item.on)} and no Team Around the Child meeting "
            f"is recorded (due by {uk(item.due)}); please tell us its date.")


def subject(items: list[Item]) -> str:
    references = sorted({i.reference for i in items})
    shown = ", ".join(references[:3]) + (f" and {len(references) - 3} more" if len(references) > 3 else "")
    return f"Reminder: CAF referral{'s' if len(references) > 1 else ''} {shown}"


def body(name: str, items: list[Item], *, signed: str) -> str:
    lines = "\n".join(f"- {_line(item)}" for item in items)
    return (f"Dear {name or 'colleague'},\n\n"
            f"A reminder about the following from the multi-agency panel:\n\n{lines}\n\n"
            f"Thank you.\n\n{signed}\n")


def filename(on: date, number: int, name: str) -> str:
    """reminder-2027-01-15-001-alex-teacher.eml: dated, so next week's drafts can go in the same
    folder, and numbered, so two people of one name never collide."""
    slug = re.sub(r"[^a-z0-9]+", "-", (name or "recipient").lower()).strip("-")[:40] or "recipient"
    return f"reminder-{on.isoformat()}-{number:03d}-{slug}.eml"


def write_reminder(out_dir: Path, number: int, *, on: date, name: str, address: str, items: list[Item],
                   signed: str) -> Path:
    from masg_cli.documents.email import write_eml

    return write_eml(out_dir, filename(on, number, name), to=[(name, address)], subject=subject(items),
                     body=body(name, items, signed=signed))
