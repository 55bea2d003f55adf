"""masg family-response: the family accepts the services the panel agreed, or declines them."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import day, today, unit_of_work
from masg_cli.errors import UsageProblem
from masg_cli.render import say


def family_response(
    reference: str = options.reference(),
    accepted: bool = typer.Option(False, "--accepted", help="The family accepts the services agreed."),
    declined: bool = typer.Option(False, "--declined", help="The family declines them (the case closes)."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE",
                             help="When the family answered. Default: today."),
) -> None:
    """Record the family's answer to the decision: accepted (active) or declined (closed)."""
    if accepted == declined:
        raise UsageProblem("give exactly one of --accepted or --declined")
    answer = rules.FAMILY_ACCEPTED if accepted else rules.FAMILY_DECLINED
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decisions import family_response as record_answer

        referral = record_answer(uow, reference, answer=answer, on=day(date, "--date", today()))
    if accepted:
        say(f"{referral.reference} active: the referrer tells the Lead Professional, who sets up a "
            "Team Around the Child meeting ('masg tac record').")
    else:
        say(f"{referral.reference} closed (declined).")
