"""masg meeting: the panel's meetings per locality, their calendar, cancelling and moving."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.cli import options
from masg_cli.cli.context import day, required_day, unit_of_work
from masg_cli.cli.options import MeetingStatus
from masg_cli.render import print_json, say

meeting_app = typer.Typer(help="Panel meetings: schedule them, list them, put them in Outlook.",
                          no_args_is_help=True)


@meeting_app.command("schedule")
def schedule(
    locality: str = typer.Option(..., "--locality", help="The locality (MASG) or district (MAAG)."),
    start: str = typer.Option(..., "--from", metavar="DATE", help="The first day to schedule from."),
    until: str = typer.Option(..., "--until", metavar="DATE", help="The last day to schedule to."),
) -> None:
    """Create meetings at the locality's cadence, weekday and time; bank holidays move to the next working day."""
    begin, end = required_day(start, "--from"), required_day(until, "--until")
    with unit_of_work(write=True) as uow:
        from masg_cli.services.meetings import schedule as make

        result = make(uow, locality, start=begin, until=end)
    from masg_cli.dates import uk

    say(f"{result.locality}: {len(result.created)} meeting(s) scheduled, "
        f"{len(result.existing)} already there.")
    for meeting in result.created:
        say(f"  meeting {meeting.id}: {meeting.date:%A} {uk(meeting.date)} at {meeting.start_time}")
    for meeting, planned, why in result.moved:
        say(f"  meeting {meeting.id} moved from {uk(planned)} ({why}) to {uk(meeting.date)}")


@meeting_app.command("list")
def list_meetings(
    locality: str = typer.Option(None, "--locality", help="Only this locality's meetings."),
    start: str = typer.Option(None, "--from", metavar="DATE", help="Only meetings on or after this day."),
    until: str = typer.Option(None, "--until", metavar="DATE", help="Only meetings on or before this day."),
    status: MeetingStatus = typer.Option(None, "--status", case_sensitive=False,
                                         help="Only meetings with this status."),
    json: bool = options.as_json("Print JSON (a list of meetings) instead of a table."),
) -> None:
    """The meetings in date order, with how many slots are taken and free."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.meetings import list_meetings as rows_of

        rows = rows_of(uow.session, locality=locality, start=day(start, "--from"),
                       until=day(until, "--until"), status=status.value if status else None)
    if json:
        return print_json(rows)
    from masg_cli.dates import uk_short
    from masg_cli.render import table

    table("Meetings", ["Id", "Locality", "Date", "Time", "Venue", "Status", "Cases", "Free"],
          [(r["id"], r["locality"], f"{r['date']:%a} {uk_short(r['date'])}", r["time"], r["venue"],
            r["status"], r["slots"], r["free"]) for r in rows],
          empty="No meetings match; schedule them with 'masg meeting schedule'.")


@meeting_app.command("cancel")
def cancel(
    meeting: int = typer.Argument(..., metavar="MEETING", help="The meeting's id ('masg meeting list')."),
    reason: str = typer.Option(None, "--reason", help="Why it is cancelled (kept with the meeting)."),
) -> None:
    """Cancel a meeting: its cases go back to the queue for the next agenda."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.meetings import cancel as call_off

        cancelled, returned = call_off(uow, meeting, reason=reason)
    say(f"Meeting {cancelled.id} cancelled; {len(returned)} case(s) back in the queue"
        + (f": {', '.join(returned)}" if returned else "") + ".")
    if returned:
        say("Tell their referrers, and build the next agenda ('masg agenda build MEETING').")


@meeting_app.command("move")
def move(
    meeting: int = typer.Argument(..., metavar="MEETING", help="The meeting's id."),
    to: str = typer.Option(..., "--to", metavar="DATE", help="The new day."),
    start: str = typer.Option(None, "--start", metavar="HH:MM", help="A new start time (slots shift with it)."),
    venue: str = typer.Option(None, "--venue", help="A new venue."),
) -> None:
    """Hold a meeting on another day; its cases keep their places and need new invitations."""
    from masg_cli.dates import parse_time, uk

    new_start = parse_time(start, "--start") if start else None
    with unit_of_work(write=True) as uow:
        from masg_cli.services.meetings import move as shift

        moved, cases = shift(uow, meeting, to=required_day(to, "--to"), start=new_start, venue=venue)
    say(f"Meeting {moved.id} is now on {moved.date:%A} {uk(moved.date)} at {moved.start_time}.")
    if cases:
        say(f"{len(cases)} referrer(s) need a new invitation: 'masg agenda invite {moved.id} --out DIR'.")


@meeting_app.command("ics")
def ics(
    out: Path = options.out_file("The calendar file to write (.ics)."),
    locality: str = typer.Option(None, "--locality", help="Only this locality's meetings."),
    overwrite: bool = options.overwrite("FILE if it exists"),
) -> None:
    """Write the meetings as a calendar file for Outlook; importing it again updates, never duplicates."""
    with unit_of_work(write=False, overwrite=overwrite) as uow:
        from masg_cli.services.meetings import write_calendar

        path, count = write_calendar(uow.session, out, locality=locality)
    say(f"{count} meeting(s) written to {path}.")


@meeting_app.command("attendance")
def attendance(
    meeting: int = typer.Argument(..., metavar="MEETING", help="The meeting's id ('masg meeting list')."),
    member: str = typer.Option(None, "--member", metavar="NAME", help="A panel member ('masg locality member list')."),
    present: bool = typer.Option(False, "--present", help="With --member: they were there."),
    apologies: bool = typer.Option(False, "--apologies", help="With --member: they sent apologies."),
    deputy: str = typer.Option(None, "--deputy", metavar="NAME", help="With --apologies: who came for their agency."),
    chair: bool = typer.Option(False, "--chair", help="With --member: they chaired the meeting."),
    guest: str = typer.Option(None, "--guest", metavar="NAME", help="Someone not on the panel (with --agency)."),
    agency: str = typer.Option(None, "--agency", help="With --guest: their agency."),
    json: bool = options.as_json("Print JSON (a list of who attended) instead of a table."),
) -> None:
    """Record who attended a meeting (members, deputies, the chair, guests), or list it and its quorum."""
    from masg_cli.views_meeting import attendance_problem

    if problem := attendance_problem(member, present, apologies, deputy, chair, guest, agency):
        raise problem
    if member is None and guest is None:
        return _show_attendance(meeting, json)
    with unit_of_work(write=True) as uow:
        from masg_cli.services import attendance as record

        if member is not None:
            row = record.record_member(uow, meeting, record.MemberAttendance(
                member=member, present=present, deputy=deputy, chair=chair))
        else:
            row = record.record_guest(uow, meeting, name=guest, agency=agency)
    from masg_cli.views_meeting import attendance_recorded

    attendance_recorded(meeting, row)


def _show_attendance(meeting: int, json: bool) -> None:
    with unit_of_work(write=False) as uow:
        from masg_cli.services.attendance import attendance_json, meeting_attendance

        held, rows, quorum = meeting_attendance(uow.session, meeting)
        shown = [attendance_json(row) for row in rows]
        held_on = held.date
    if json:
        return print_json(shown)
    from masg_cli.views_meeting import attendance_table

    attendance_table(meeting, held_on, shown, quorum)


@meeting_app.command("minutes")
def minutes(
    meeting: int = typer.Argument(..., metavar="MEETING", help="The meeting's id ('masg meeting list')."),
    out: Path = options.out_folder("The folder for the minutes."),
    pdf: bool = options.pdf("Also a PDF of the minutes (needs LibreOffice)."),
    eml: bool = options.eml(to="each member present or sending apologies, minutes attached"),
    as_of: str = options.as_of("The day the minutes are dated. Default: today."),
    unsigned: bool = options.unsigned(),
) -> None:
    """The minutes: attendance, quorum, each case's outcome by initials, the actions agreed and still open."""
    from masg_cli.cli.context import today

    with unit_of_work(write=True, unsigned=unsigned) as uow:
        from masg_cli.services.minutes import produce_minutes

        written = produce_minutes(uow, meeting, out_dir=out, pdf=pdf, eml=eml, on=today(as_of))
    for path in written:
        say(str(path))
