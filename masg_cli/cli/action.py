"""masg action: what the panel agreed someone would do for a case, and whether it was done."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import day, required_day, today, unit_of_work
from masg_cli.cli.options import NotDoneReason
from masg_cli.render import print_json, say

action_app = typer.Typer(help="Actions agreed at panel: an owner, an agency, a due date.", no_args_is_help=True)


@action_app.command("add")
def action_add(
    reference: str = options.reference(),
    meeting: int = typer.Option(..., "--meeting", metavar="MEETING", help="The meeting that agreed it."),
    owner: str = typer.Option(..., "--owner", metavar="NAME", help="Who does it."),
    agency: str = typer.Option(..., "--agency", help="The owner's agency."),
    what: str = typer.Option(..., "--what", metavar="TEXT", help="What they will do."),
    due: str = typer.Option(..., "--due", metavar="DATE", help="By when (on or after the meeting)."),
    json: bool = options.as_json("Print the new action as JSON."),
) -> None:
    """Record an action the panel agreed for a case, with its owner and due date."""
    from masg_cli.services.actions import NewAction

    agreed = NewAction(owner=owner, agency=agency, what=what, due=required_day(due, "--due"))
    with unit_of_work(write=True) as uow:
        from masg_cli.services.actions import action_json, add_action

        action = add_action(uow, reference, meeting, agreed)
        shown = action_json(action, reference.strip().upper(), today())
    if json:
        return print_json(shown)
    from masg_cli.dates import uk

    say(f"Action {shown['id']} for {shown['reference']}: {shown['owner']} ({shown['agency']}), "
        f"due {uk(shown['due'])}.")


@action_app.command("done")
def action_done(
    action: int = typer.Argument(..., metavar="ID", help="The action's id ('masg action list')."),
    date: str = typer.Option(None, "--date", help="The day it was done. Default: today."),
    note: str = typer.Option(None, "--note", help="What was done."),
) -> None:
    """Mark an open action done."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.actions import close_action

        closed = close_action(uow, action, status=rules.ACTION_DONE, on=day(date, "--date", today()), note=note)
    say(f"Action {closed.id} done.")


@action_app.command("not-done")
def action_not_done(
    action: int = typer.Argument(..., metavar="ID", help="The action's id ('masg action list')."),
    reason: NotDoneReason = typer.Option(..., "--reason", help=options.one_of(rules.NOT_DONE_REASONS) + "."),
    note: str = typer.Option(None, "--note", help="What happened."),
    date: str = typer.Option(None, "--date", help="The day it was closed. Default: today."),
) -> None:
    """Close an open action that was not done, saying why."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.actions import close_action

        closed = close_action(uow, action, status=rules.ACTION_NOT_DONE, on=day(date, "--date", today()),
                              reason=reason.value, note=note)
    say(f"Action {closed.id} closed as not done ({closed.reason}).")


@action_app.command("list")
def action_list(
    overdue: bool = typer.Option(False, "--overdue", help="Only open actions due before today."),
    as_of: str = options.as_of("Count from this day. Default: today."),
    locality: str = typer.Option(None, "--locality", help="Only this locality's cases."),
    reference: str = typer.Option(None, "--reference", metavar="REF", help="Only this case."),
    json: bool = options.as_json("Print JSON (a list of actions) instead of a table."),
) -> None:
    """The panel's actions by due date: owner, agency, status and days overdue."""
    when = today(as_of)
    with unit_of_work(write=False) as uow:
        from masg_cli.services.actions import list_actions

        rows = list_actions(uow.session, today=when, overdue=overdue, locality=locality, reference=reference)
    if json:
        return print_json(rows)
    from masg_cli.views_meeting import action_table

    action_table(rows)
