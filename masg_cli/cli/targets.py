"""masg targets: the local timescales (triage, more-info, sheet, minutes, tac) and their days."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import unit_of_work
from masg_cli.render import print_json

targets_app = typer.Typer(help="Local timescales: triage, more-info, sheet, minutes and TAC targets.",
                          no_args_is_help=True)


@targets_app.command("list")
def targets_list(json: bool = options.as_json("Print JSON: name, days, working_days.")) -> None:
    """Each target, its days, and whether they are working days or calendar days."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.targets import current_targets

        found = current_targets(uow.session)
    if json:
        return print_json([t.as_json() for t in found])
    from masg_cli.views_targets import targets_table

    targets_table(found)


@targets_app.command("set", context_settings={"ignore_unknown_options": True})
def targets_set(
    name: str = typer.Argument(..., metavar="NAME", help="triage, more-info, sheet, minutes or tac."),
    days: int = typer.Argument(..., metavar="DAYS", help="How many days the target allows (1 or more)."),
    working_days: bool = typer.Option(None, "--working-days/--calendar-days",
                                      help="Count working days (no weekends or bank holidays) or every day. "
                                           "Default: as the target counts now."),
) -> None:
    """Change a target's days (audited)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.targets import set_target

        target = set_target(uow, name.strip().lower(), days, working_days)
    from masg_cli.views_targets import target_set

    target_set(target)
