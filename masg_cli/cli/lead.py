"""masg lead: the Lead Professional of a case changes between panels; the earlier ones stay in its history."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import required_day, unit_of_work
from masg_cli.render import say

lead_app = typer.Typer(help="The Lead Professional: a new one between panels.", no_args_is_help=True)


@lead_app.command("change")
def change(
    reference: str = options.reference(help=None),
    name: str = typer.Option(..., "--name", help="The new Lead Professional's name."),
    agency: str = typer.Option(..., "--agency", help="The new Lead Professional's agency."),
    contact: str = typer.Option(None, "--contact", help="Their phone or e-mail."),
    date: str = typer.Option(..., "--date", metavar="DATE", help="From when they lead the case."),
    reason: str = typer.Option(..., "--reason", help="Why the Lead Professional changes (kept; no names of children)."),
) -> None:
    """A new Lead Professional from a date: letters, forms, lists and exports name them from then on."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.leads import change_lead

        lead = change_lead(uow, reference, name=name, agency=agency, contact=contact,
                           on=required_day(date, "--date"), reason=reason)
    say(f"{reference.strip().upper()}: Lead Professional now {lead.name}, {lead.agency}.")
