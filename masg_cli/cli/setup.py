"""masg init and masg locality: the store, its panel, and the localities whose panels meet."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import unit_of_work
from masg_cli.cli.options import WEEKDAY, Cadence, Panel
from masg_cli.render import print_json, say, table

locality_app = typer.Typer(help="The localities (or districts) whose panels meet.", no_args_is_help=True)
member_app = typer.Typer(help="Panel members: who the agenda and background pack go to.", no_args_is_help=True)
locality_app.add_typer(member_app, name="member")


def init(
    panel: Panel = typer.Option(None, "--panel", help="MASG (fortnightly per locality) or MAAG (weekly per district)."),
    locality: list[str] = typer.Option(None, "--locality",
                                       help="A locality to add with the panel's defaults; repeat for more."),
) -> None:
    """Create the store (or check an existing one) and say which panel it serves."""
    with unit_of_work(write=True, create=True) as uow:
        from masg_cli.services.setup import initialise

        result = initialise(uow, panel=panel.value if panel else None, localities=locality or [])
    say(f"Store ready at {uow.location.describe()} for {result['panel']}.")
    for name in result["localities_added"]:
        say(f"Added locality {name}.")


def _settings(cadence, weekday, start, end, slot_minutes, venue, coordinator, contact):
    from masg_cli.dates import parse_time
    from masg_cli.services.setup import LocalitySettings

    return LocalitySettings(
        cadence=cadence.value if cadence else None, weekday=weekday,
        start=parse_time(start, "--start") if start else None,
        end=parse_time(end, "--end") if end else None, slot_minutes=slot_minutes,
        venue=venue, coordinator=coordinator, contact=contact,
    )


def _say_meets(verb: str, shown: dict) -> None:
    slots = shown["slots_per_meeting"]
    say(f"{verb} locality {shown['name']}: {shown['cadence']} on {shown['weekday']}, "
        f"{shown['start']}-{shown['end']}, {slots} slot{'' if slots == 1 else 's'} "
        f"of {shown['slot_minutes']} minutes.")


@locality_app.command("add")
def locality_add(
    name: str = typer.Argument(..., help="The locality's name, e.g. 'North'."),
    cadence: Cadence = typer.Option(None, help="How often it meets. Default: fortnightly (MASG), weekly (MAAG)."),
    weekday: str = typer.Option(None, metavar=WEEKDAY, callback=options.weekday,
                                help="The day it meets. Default: tue."),
    start: str = typer.Option(None, help="Start time, HH:MM. Default: 09:30."),
    end: str = typer.Option(None, help="End time, HH:MM. Default: 12:30."),
    slot_minutes: int = typer.Option(None, min=5, max=240, help="Minutes per case. Default: 20."),
    venue: str = typer.Option(None, help="Where it meets."),
    coordinator: str = typer.Option(None, help="The locality's CAF co-ordinator (goes on documents)."),
    contact: str = typer.Option(None, help="The co-ordinator's phone or e-mail (goes on documents)."),
) -> None:
    """Add a locality with its meeting day, times and CAF co-ordinator."""
    wanted = _settings(cadence, weekday, start, end, slot_minutes, venue, coordinator, contact)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.setup import add_locality, locality_json

        shown = locality_json(add_locality(uow, name, wanted))
    _say_meets("Added", shown)


@locality_app.command("set")
def locality_set(
    name: str = typer.Argument(..., help="The locality's name, as 'masg locality list' shows it."),
    cadence: Cadence = typer.Option(None, help="How often it meets."),
    weekday: str = typer.Option(None, metavar=WEEKDAY, callback=options.weekday, help="The day it meets."),
    start: str = typer.Option(None, help="Start time, HH:MM."),
    end: str = typer.Option(None, help="End time, HH:MM."),
    slot_minutes: int = typer.Option(None, min=5, max=240, help="Minutes per case."),
    venue: str = typer.Option(None, help="Where it meets."),
    coordinator: str = typer.Option(None, help="The locality's CAF co-ordinator (goes on documents)."),
    contact: str = typer.Option(None, help="The co-ordinator's phone or e-mail (goes on documents)."),
    quorum: int = typer.Option(None, "--quorum", metavar="N", min=0,
                               help="The panel is quorate with members or deputies of N different agencies present."),
    quorum_agency: list[str] = typer.Option(None, "--quorum-agency", metavar="AGENCY",
                                            help="An agency the panel cannot decide without; "
                                                 "repeat for more (replaces the list)."),
) -> None:
    """Change a locality's settings; what is not given stays as it is. Scheduled meetings keep theirs."""
    wanted = _settings(cadence, weekday, start, end, slot_minutes, venue, coordinator, contact)
    wanted.quorum, wanted.quorum_agencies = quorum, (quorum_agency or None)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.setup import locality_json, set_locality

        shown = locality_json(set_locality(uow, name, wanted))
    _say_meets("Updated", shown)
    if quorum is not None or quorum_agency:
        say(f"Quorum: {_quorum_text(shown)}.")
    if shown["coordinator"] or shown["contact"]:
        say(f"Documents are signed: {shown['coordinator'] or '(no name)'}, {shown['contact'] or '(no contact)'}.")


def _quorum_text(shown: dict) -> str:
    count = f"{shown['quorum']} agencies" if shown["quorum"] else "no count"
    return count + (f", including {', '.join(shown['quorum_agencies'])}" if shown["quorum_agencies"] else "")


@locality_app.command("list")
def locality_list(json: bool = options.as_json()) -> None:
    """List the localities and how their panels meet."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.setup import list_localities, locality_json

        rows = [locality_json(loc) for loc in list_localities(uow.session)]
    if json:
        return print_json(rows)
    table("Localities", ["Locality", "Meets", "Day", "Times", "Slots", "Venue", "CAF co-ordinator", "Contact",
                         "Quorum"],
          [(r["name"], r["cadence"], r["weekday"], f"{r['start']}-{r['end']}",
            f"{r['slots_per_meeting']} x {r['slot_minutes']} min", r["venue"], r["coordinator"], r["contact"],
            _quorum_text(r))
           for r in rows], empty="No localities yet: add one with 'masg locality add NAME'.")


@member_app.command("add")
def member_add(
    locality: str = typer.Argument(..., help="The locality."),
    name: str = typer.Option(..., "--name", help="The member's name."),
    agency: str = typer.Option(..., "--agency", help="Their agency."),
    email: str = typer.Option(..., "--email", help="Their e-mail address."),
) -> None:
    """Add a panel member to a locality."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.setup import add_member

        member = add_member(uow, locality, name=name, agency=agency, email=email)
    say(f"Added {member.name} ({member.agency}) to {locality}.")


@member_app.command("list")
def member_list(
    locality: str = typer.Argument(..., help="The locality."),
    json: bool = options.as_json(),
) -> None:
    """List a locality's panel members."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.setup import list_members, member_json

        rows = [member_json(m) for m in list_members(uow.session, locality)]
    if json:
        return print_json(rows)
    table(f"Panel members: {locality}", ["Name", "Agency", "E-mail"],
          [(r["name"], r["agency"], r["email"]) for r in rows],
          empty="No panel members yet: add them with 'masg locality member add'.")
