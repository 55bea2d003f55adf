"""masg agenda: the cases of a meeting with their time slots, invitations and the agenda pack."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.cli import options
from masg_cli.cli.context import today, unit_of_work
from masg_cli.cli.options import Attending
from masg_cli.render import print_json, say

agenda_app = typer.Typer(help="A meeting's agenda: time slots, attendance, invitations, the pack.",
                         no_args_is_help=True)

MEETING = typer.Argument(..., metavar="MEETING", help="The meeting's id ('masg meeting list').")


@agenda_app.command("build")
def build(meeting: int = MEETING) -> None:
    """Fill the meeting's free slots: accepted cases and reviews due, longest waiting first."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.agenda import build as fill

        built = fill(uow, meeting)
    say(f"Meeting {built.meeting.id}: {len(built.added)} case(s) added, {built.kept} already on the agenda.")
    for reference, kind, time in built.added:
        say(f"  {time}  {reference}  {kind}")
    if built.queued:
        say(f"The meeting is full: {len(built.queued)} case(s) stay queued for the next meeting "
            f"({', '.join(built.queued)}).")


@agenda_app.command("show")
def show(
    meeting: int = MEETING,
    json: bool = options.as_json("Print JSON ({meeting, slots}) instead of a table."),
) -> None:
    """The agenda in time order, and which referrers have not answered yet."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.agenda import agenda

        shown = agenda(uow.session, meeting)
    if json:
        return print_json(shown)
    from masg_cli.views import agenda_view

    agenda_view(shown)


@agenda_app.command("move")
def move(
    reference: str = options.reference(),
    source: int = typer.Option(None, "--from", metavar="MEETING",
                               help="The meeting it is on now (default: its agenda)."),
    target: int = typer.Option(..., "--to", metavar="MEETING", help="The meeting to move it to."),
) -> None:
    """Move a case to another meeting of its locality: it takes that meeting's first free slot."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.agenda import move_case

        slot, meeting = move_case(uow, reference, from_meeting=source, to_meeting=target)
    say(f"{reference.upper()} is now on meeting {meeting.id} at {slot.time}; tell the referrer "
        f"('masg agenda invite {meeting.id} --out DIR').")


@agenda_app.command("attendance")
def attendance(
    reference: str = options.reference(),
    meeting: int = typer.Option(..., "--meeting", metavar="MEETING", help="The meeting's id."),
    attending: Attending = typer.Option(..., "--attending", case_sensitive=False, help="The referrer's answer."),
) -> None:
    """Record whether the referrer will attend their case's slot."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.agenda import attendance as answer

        slot = answer(uow, reference, meeting_id=meeting, attending=attending.value)
    say(f"{reference.upper()}: referrer attending {slot.attending} (slot {slot.time}).")


@agenda_app.command("invite")
def invite(
    meeting: int = MEETING,
    out: Path = options.out_folder("The folder for the e-mail drafts."),
    as_of: str = options.as_of("The day the drafts are dated."),
    overwrite: bool = options.overwrite("drafts already in DIR"),
    unsigned: bool = options.unsigned(),
) -> None:
    """Write one e-mail draft (.eml) per referrer giving the date, time, venue and reference."""
    with unit_of_work(write=True, overwrite=overwrite, unsigned=unsigned) as uow:
        from masg_cli.services.agenda_pack import invite as draft

        written = draft(uow, meeting, out_dir=out, on=today(as_of))
    say(f"{len(written)} invitation draft(s) written to {out}; open each, check it and send it.")


@agenda_app.command("pack")
def pack(
    meeting: int = MEETING,
    out: Path = options.out_folder("The folder for the documents."),
    pdf: bool = options.pdf("Also make PDFs (needs LibreOffice)."),
    eml: bool = options.eml(to="the locality's panel members"),
    as_of: str = options.as_of("The day the documents are dated."),
    attachments: bool = typer.Option(False, "--attachments",
                                     help="Also each case's attachments, named by reference and kind."),
    overwrite: bool = options.overwrite("documents already in DIR"),
    unsigned: bool = options.unsigned(),
) -> None:
    """Make the agenda (children by initials) and the background pack (full details)."""
    with unit_of_work(write=True, overwrite=overwrite, unsigned=unsigned) as uow:
        from masg_cli.services.agenda_pack import pack as make

        written = make(uow, meeting, out_dir=out, pdf=pdf, eml=eml, on=today(as_of),
                       attachments=attachments)
    for path in written:
        say(str(path))
