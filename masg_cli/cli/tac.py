"""masg tac: the Team Around the Child meeting the Lead Professional sets up for an active case."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import required_day, unit_of_work
from masg_cli.render import say

tac_app = typer.Typer(help="The Team Around the Child meeting the Lead Professional sets up.",
                      no_args_is_help=True)


@tac_app.command("record")
def tac_record(
    reference: str = options.reference(),
    date: str = typer.Option(..., "--date", help="The date of the Team Around the Child meeting."),
) -> None:
    """Record the Team Around the Child meeting for an active case."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decisions import team_around_the_child

        referral = team_around_the_child(uow, reference, on=required_day(date, "--date"))
    from masg_cli.dates import uk

    say(f"{referral.reference}: Team Around the Child meeting on {uk(referral.tac_date)}.")
