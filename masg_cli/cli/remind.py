"""masg remind: e-mail drafts chasing referrers and Lead Professionals, one per person."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.cli import options
from masg_cli.cli.context import today, unit_of_work
from masg_cli.render import print_json


def remind(
    out: Path = options.out_folder("The folder for the e-mail drafts."),
    as_of: str = options.as_of("The day chased from. Default: today."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say who would be chased; write and record nothing."),
    json: bool = options.as_json("Print JSON: to, items (reference, kind), file."),
    unsigned: bool = options.unsigned(),
) -> None:
    """Chase attendance, more information, follow-ups, TAC meetings and overdue actions: a draft each."""
    when = today(as_of)
    with unit_of_work(write=not dry_run, unsigned=unsigned) as uow:
        from masg_cli.services.reminders import send_reminders

        people = send_reminders(uow, out_dir=out, today=when, dry_run=dry_run)
    if json:
        return print_json([{"to": p.address, "name": p.name, "file": p.file.name if p.file else None,
                            "items": [{"reference": i.reference, "kind": i.kind} for i in p.items]}
                           for p in people])
    from masg_cli.views_targets import reminders_sent

    reminders_sent(people, out, dry_run=dry_run)
