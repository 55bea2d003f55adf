"""masg person: one child across the store: every referral they are in, and a subject access copy."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.cli import options
from masg_cli.cli.context import day, required_day, today, unit_of_work
from masg_cli.render import print_json, say

person_app = typer.Typer(help="A child across the store: find their referrals, export what is held.",
                         no_args_is_help=True)


@person_app.command("find")
def find(
    name: str = typer.Argument(..., metavar="NAME", help="The child's name, or part of it (each word is matched)."),
    dob: str = typer.Option(None, "--dob", metavar="DATE",
                            help="Only children born that day (or day and month swapped)."),
    json: bool = options.as_json(),
) -> None:
    """Every referral of a child, spelt the same (exact) or sounding alike (similar)."""
    born = day(dob, "--dob")
    with unit_of_work(write=False) as uow:
        from masg_cli.services.person import find as find_person

        rows = find_person(uow.session, name, dob=born)
    if json:
        return print_json(rows)
    from masg_cli.dates import uk_short
    from masg_cli.render import table

    table("Referrals of the child", ["Reference", "Status", "Child", "Born", "Locality", "Received", "Match"],
          [(r["reference"], r["status"], r["child"], uk_short(r["dob"]), r["locality"], uk_short(r["received"]),
            r["match"]) for r in rows], empty="No referral holds a child of that name.")


@person_app.command("export")
def export(
    name: str = typer.Option(..., "--name", help="The child's full name, as recorded (case and accents aside)."),
    dob: str = typer.Option(..., "--dob", metavar="DATE", help="The child's date of birth."),
    out: Path = options.out_folder("The folder to write the JSON and Word copies into."),
    as_of: str = options.as_of("The date the copies carry. Default: today."),
) -> None:
    """Everything held about one child (subject access): JSON and a Word document, yours alone."""
    born = required_day(dob, "--dob")
    with unit_of_work(write=True) as uow:
        from masg_cli.services.person import export as export_person

        written = export_person(uow, name=name, dob=born, out_dir=out, on=today(as_of))
    for path in written:
        say(str(path))
