"""masg note: the case file's notes (a phone call, an e-mail, a meeting about a case)."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import day, today, unit_of_work
from masg_cli.cli.options import NoteKind
from masg_cli.render import say

note_app = typer.Typer(help="Case notes: calls, e-mails and meetings about a case.", no_args_is_help=True)


@note_app.command("add")
def note_add(
    reference: str = options.reference(),
    text: str = typer.Option(..., "--text", help="What was said or done."),
    kind: NoteKind = typer.Option(rules.NOTE_DEFAULT_KIND, "--kind",
                                  help=f"{options.one_of(rules.NOTE_KINDS)}."),
    with_whom: str = typer.Option(None, "--with", metavar="NAME", help="Who the call, e-mail or meeting was with."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE", help="When it happened. Default: today."),
) -> None:
    """Add a note to a case's file; it joins the case's history and background pack page."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.notes import add_note

        note = add_note(uow, reference, text=text, kind=kind.value, with_whom=with_whom,
                        on=day(date, "--date", today()))
    from masg_cli.dates import uk

    say(f"{reference.strip().upper()}: note {note.id} ({note.kind}) of {uk(note.date)} added.")
