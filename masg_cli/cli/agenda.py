"""masg agenda: the cases of a meeting with their time slots, invitations and the agenda pack."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from enum import Enum
from pathlib import Path

import typer

from masg_cli.cli.context import today, unit_of_work
from masg_cli.render import print_json, say

agenda_app = typer.Typer(help="A meeting's agenda: time slots, attendance, invitations, the pack.",
                         no_args_is_help=True)

MEETING = typer.Argument(..., metavar="MEETING", help="The meeting's id ('masg meeting list').")


class Attending(str, Enum):
    """The referrer's answer: anything else is a usage problem (exit 2)."""

    yes = "yes"
    no = "no"


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
    json: bool = typer.Option(False, "--json", help="Print JSON ({meeting, slots}) instead of a table."),
) -> None:
    """The agenda in time order, and which referrers have not answered yet."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.agenda import agenda

        shown = agenda(uow.session, meeting)
    if json:
        return print_json(shown)
    _agenda_view(shown)


def _agenda_view(shown: dict) -> None:
    """The agenda for people: the meeting, its slots, and who has not answered yet."""
    from masg_cli.dates import uk
    from masg_cli.render import table

    m = shown["meeting"]
    title = (f"Meeting {m['id']}: {m['locality']}, {m['date']:%A} {uk(m['date'])}, "
             f"{m['time']}-{m['end']}" + (f", {m['venue']}" if m["venue"] else "")
             + (" (CANCELLED)" if m["status"] == "cancelled" else ""))
    table(title, ["Time", "Reference", "Children", "Kind", "Referrer", "Agency", "Attending", "Outcome"],
          [(s["time"], s["reference"], s["children"], s["kind"], s["referrer"], s["referrer_agency"],
            s["attending"], s["outcome"]) for s in shown["slots"]],
          empty=f"No cases yet; fill it with 'masg agenda build {m['id']}'.")
    say(f"{len(shown['slots'])} of {m['capacity']} slots taken.")
    if shown["not_answered"]:
        say(f"Not answered yet: {', '.join(shown['not_answered'])}.")


@agenda_app.command("move")
def move(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    source: int = typer.Option(None, "--from", metavar="MEETING", help="The meeting it is on now (default: its agenda)."),
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
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
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
    out: Path = typer.Option(..., "--out", metavar="DIR", help="The folder for the e-mail drafts."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The day the drafts are dated."),
) -> None:
    """Write one e-mail draft (.eml) per referrer giving the date, time, venue and reference."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.agenda_pack import invite as draft

        written = draft(uow, meeting, out_dir=out, on=today(as_of))
    say(f"{len(written)} invitation draft(s) written to {out}; open each, check it and send it.")


@agenda_app.command("pack")
def pack(
    meeting: int = MEETING,
    out: Path = typer.Option(..., "--out", metavar="DIR", help="The folder for the documents."),
    pdf: bool = typer.Option(False, "--pdf", help="Also make PDFs (needs LibreOffice)."),
    eml: bool = typer.Option(False, "--eml", help="Also an e-mail draft to the locality's panel members."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The day the documents are dated."),
) -> None:
    """Make the agenda (children by initials) and the background pack (full details)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.agenda_pack import pack as make

        written = make(uow, meeting, out_dir=out, pdf=pdf, eml=eml, on=today(as_of))
    for path in written:
        say(str(path))


def register(app: typer.Typer) -> None:
    """Add the agenda group to the root app."""
    app.add_typer(agenda_app, name="agenda")
