"""The children of a referral put right: one added, corrected or taken off, numbered as show lists them.

The audit trail says which child (its number) and which fields changed, never the values: a
child's name, birth date, NHS number or UPN identifies the child, and audit entries are read by
people who need not know who the child is.
"""

from __future__ import annotations

from datetime import date

from masg_cli import child_details, rules
from masg_cli.errors import NotFound, Refused
from masg_cli.models import Child, id_of
from masg_cli.names import fold, sounds
from masg_cli.services.referrals import children_of, get_referral, save_change


def add_child(uow, reference: str, *, name: str, dob: date, details: child_details.ChildDetails) -> int:
    """A child the referral left out (a brother or sister): checked as intake checks; its number."""
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    rules.check_children([(name, dob)], referral.received)
    checked = child_details.check_child_details(details)
    family = children_of(session, referral)
    number = len(family) + 1
    session.add(Child(referral_id=id_of(referral), position=number, name=name.strip(), dob=dob,
                      name_key=fold(name), name_sound=sounds(name), **_stored(checked.given())))
    save_change(uow, referral, "child add",
                {"child": number, "children": number, "fields": ["name", "dob", *sorted(checked.given())]})
    return number


def edit_child(uow, reference: str, number: int, *, reason: str | None, name: str | None,
               dob: date | None, details: child_details.ChildDetails) -> list[str]:
    """Correct a child's name, birth date or details; returns the names of the fields changed.

    An empty value ('') clears an optional detail: not known after all."""
    why = rules.check_correction_reason(reason)
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    child = _child(session, referral, number)
    after_name = name.strip() if name is not None else child.name
    after_dob = dob if dob is not None else child.dob
    # Checked as a child given at intake is, under its own number.
    rules.check_children([("x", child.dob)] * (number - 1) + [(after_name, after_dob)], referral.received)
    wanted = {"name": after_name, "dob": after_dob} | _stored(child_details.check_child_details(details).given())
    changed = sorted(field for field, value in wanted.items() if getattr(child, field) != value)
    if not changed:
        raise Refused(f"nothing to correct: child {number} of {referral.reference} already holds what was given")
    for field in changed:
        setattr(child, field, wanted[field])
    child.name_key, child.name_sound = fold(child.name), sounds(child.name)
    session.add(child)
    save_change(uow, referral, "child edit", {"reason": why, "child": number, "fields": changed})
    return changed


def remove_child(uow, reference: str, number: int, *, reason: str | None) -> None:
    """Take off a child recorded by mistake; the others are numbered again, in order."""
    why = rules.check_correction_reason(reason)
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    child = _child(session, referral, number)
    family = children_of(session, referral)
    if len(family) == 1:
        raise Refused(f"child {number} is the only child of {referral.reference}; a referral needs one. "
                      "Correct the child with 'masg referral child edit', or withdraw the referral")
    session.delete(child)
    session.flush()
    for position, other in enumerate((c for c in family if c.id != child.id), start=1):
        if other.position != position:
            other.position = position
            session.add(other)
    save_change(uow, referral, "child remove", {"reason": why, "child": number, "children": len(family) - 1})


def _child(session, referral, number: int) -> Child:
    family = children_of(session, referral)
    if not 1 <= number <= len(family):
        raise NotFound(f"{referral.reference} has no child {number}; it has {len(family)} "
                       "(numbered as 'masg referral show' lists them)")
    return family[number - 1]


def _stored(given: dict) -> dict:
    """An empty detail is kept as not known (None)."""
    return {field: (value or None) for field, value in given.items()}
