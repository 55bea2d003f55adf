"""masg referral child add|edit|remove: a referral's children put right, numbered as show lists them."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from typing import Any

import typer

from masg_cli import child_details
from masg_cli.cli import options
from masg_cli.cli.context import day, required_day, unit_of_work
from masg_cli.cli.referral import referral_app
from masg_cli.render import say

child_app = typer.Typer(help="A referral's children: add one, correct one, take one off.", no_args_is_help=True)
referral_app.add_typer(child_app, name="child")

CHILD_FIELD_HELP = {
    "sex": f"{options.one_of(child_details.SEXES)}.",
    "ethnicity": "The DfE census ethnicity code (e.g. WBRI, MWBC, NOBT).",
    "school": "The child's school or setting.",
    "gp": "The child's GP practice.",
    "postcode": "The family's UK postcode (checked).",
    "nhs_number": "The NHS number: 10 digits, spaces allowed (modulus-11 check).",
    "upn": "The Unique Pupil Number: 13 characters (check letter).",
}


def child_field(name: str, suffix: str = "") -> Any:
    """One of CHILD FIELDS as an option, worded once for child add, child edit and referral add."""
    return typer.Option(None, f"--{name.replace('_', '-')}", help=CHILD_FIELD_HELP[name] + suffix)


def details_in_order(children: int, **given: list[str] | None) -> list[child_details.ChildDetails]:
    """`referral add`'s child details, the Nth value of each option the Nth child's ('' or none: not known)."""
    from masg_cli.errors import UsageProblem

    for name, values in given.items():
        if values and len(values) > children:
            raise UsageProblem(f"--{name.replace('_', '-')} is given {len(values)} times for {children} "
                               "--child; give it at most once a child, in the same order")
    return [child_details.ChildDetails(**{name: ((values or [])[i:i + 1] or [""])[0] or None
                                  for name, values in given.items()}) for i in range(children)]


def number_argument() -> Any:
    return typer.Argument(..., metavar="N", min=1, help="The child's number, 1.., as 'masg referral show' lists them.")


@child_app.command("add")
def add(
    reference: str = options.reference(help=None),
    name: str = typer.Option(..., "--name", help="The child's full name."),
    dob: str = typer.Option(..., "--dob", metavar="DATE", help="The child's date of birth."),
    sex: str = child_field("sex"), ethnicity: str = child_field("ethnicity"), school: str = child_field("school"),
    gp: str = child_field("gp"), postcode: str = child_field("postcode"),
    nhs_number: str = child_field("nhs_number"), upn: str = child_field("upn"),
) -> None:
    """Add a child the referral left out (a brother or sister)."""
    details = child_details.ChildDetails(sex=sex, ethnicity=ethnicity, school=school, gp=gp, postcode=postcode,
                                 nhs_number=nhs_number, upn=upn)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.children import add_child

        number = add_child(uow, reference, name=name, dob=required_day(dob, "--dob"), details=details)
    say(f"{reference.strip().upper()}: child {number} added.")


CLEAR = " Give '' to clear it."


@child_app.command("edit")
def edit(
    reference: str = options.reference(help=None),
    number: int = number_argument(),
    reason: str = typer.Option(..., "--reason",
                               help="Why the record is corrected (kept in the audit trail; no names)."),
    name: str = typer.Option(None, "--name", help="The child's full name."),
    dob: str = typer.Option(None, "--dob", metavar="DATE", help="The child's date of birth."),
    sex: str = child_field("sex", CLEAR), ethnicity: str = child_field("ethnicity", CLEAR),
    school: str = child_field("school", CLEAR), gp: str = child_field("gp", CLEAR),
    postcode: str = child_field("postcode", CLEAR), nhs_number: str = child_field("nhs_number", CLEAR),
    upn: str = child_field("upn", CLEAR),
) -> None:
    """Correct a child's name, date of birth or details (the audit trail says which, not the values)."""
    details = child_details.ChildDetails(sex=sex, ethnicity=ethnicity, school=school, gp=gp, postcode=postcode,
                                 nhs_number=nhs_number, upn=upn)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.children import edit_child

        changed = edit_child(uow, reference, number, reason=reason, name=name, dob=day(dob, "--dob"),
                             details=details)
    say(f"{reference.strip().upper()}: child {number} corrected ({', '.join(changed)}).")


@child_app.command("remove")
def remove(
    reference: str = options.reference(help=None),
    number: int = number_argument(),
    reason: str = typer.Option(..., "--reason", help="Why the child is taken off (kept in the audit trail; no names)."),
) -> None:
    """Take off a child recorded by mistake; the others keep their order."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.children import remove_child

        remove_child(uow, reference, number, reason=reason)
    say(f"{reference.strip().upper()}: child {number} taken off.")
