"""masg today: the morning list of everything that is due."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import today, unit_of_work
from masg_cli.render import print_json


def today_command(
    as_of: str = options.as_of("The morning of this day. Default: today."),
    rows: int = typer.Option(10, "--rows", min=1, help="Rows shown per section (--json gives all)."),
    json: bool = options.as_json("Print JSON: one array per section."),
) -> None:
    """The morning list: overdue follow-ups first, then everything else that is due."""
    when = today(as_of)
    with unit_of_work(write=False) as uow:
        from masg_cli.services.today import morning_list

        sections = morning_list(uow.session, today=when, limit=None if json else rows)
    if json:
        return print_json({"as_of": when} | {name: s["items"] for name, s in sections.items()})
    from masg_cli.views import morning_list as show

    show(when, sections)
