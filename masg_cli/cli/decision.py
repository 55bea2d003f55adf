"""masg decision: what the panel decided for each case, and the sheet that tells the referrer."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.cli import options
from masg_cli.cli.context import required_day, today, unit_of_work
from masg_cli.errors import UsageProblem
from masg_cli.render import say

decision_app = typer.Typer(help="The panel's decisions and the decision sheets for referrers.",
                           no_args_is_help=True)


@decision_app.command("record")
def record(
    reference: str = options.reference(),
    meeting: int = typer.Option(..., "--meeting", metavar="MEETING", help="The meeting's id ('masg meeting list')."),
    service: list[str] = typer.Option(None, "--service", metavar="'AGENCY: WHAT'",
                                      help="A service agreed: the agency, a colon, what it does; repeat for more."),
    lead_name: str = typer.Option(..., "--lead-name", help="The temporary Lead Professional's name."),
    lead_agency: str = typer.Option(..., "--lead-agency", help="The Lead Professional's agency."),
    lead_contact: str = typer.Option("", "--lead-contact", help="How to reach them (phone, e-mail)."),
    review_date: str = typer.Option(..., "--review-date", help="When the panel reviews the case (after the meeting)."),
    inquorate_reason: str = typer.Option(None, "--inquorate-reason", metavar="TEXT",
                                         help="Why the panel decided although not quorate (kept, and in the minutes)."),
) -> None:
    """Record the panel's decision for a case on the meeting's agenda; again corrects it."""
    from masg_cli.parsing import parse_service
    from masg_cli.services.decisions import PanelDecision

    agreed = PanelDecision(services=[parse_service(s, i) for i, s in enumerate(service or [], start=1)],
                           lead_name=lead_name, lead_agency=lead_agency, lead_contact=lead_contact,
                           review_date=required_day(review_date, "--review-date"),
                           inquorate_reason=inquorate_reason)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decisions import record_decision

        decision, corrected = record_decision(uow, reference, meeting, agreed)
    from masg_cli.dates import uk

    what = "corrected" if corrected else "decided"
    say(f"{reference.upper()} {what}: review on {uk(decision.review_date)}. "
        f"Next: the decision sheet ('masg decision sheet {reference.upper()} --out DIR').")


@decision_app.command("defer")
def defer(
    reference: str = options.reference(),
    meeting: int = typer.Option(..., "--meeting", metavar="MEETING", help="The meeting's id."),
    note: str = typer.Option(None, "--note", help="Why: not reached, or what the panel needs to know."),
) -> None:
    """Not reached, or more information needed: the case waits for the next meeting."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decisions import defer as defer_case

        referral = defer_case(uow, reference, meeting, note=note)
    say(f"{referral.reference} deferred: {referral.status} again, it goes on the next agenda ('masg agenda build').")


@decision_app.command("sheet")
def sheet(
    reference: str = typer.Argument(None, metavar="[REF]", help="One case; or give --meeting for all."),
    meeting: int = typer.Option(None, "--meeting", metavar="MEETING", help="Every case decided at this meeting."),
    out: Path = options.out_folder(),
    pdf: bool = options.pdf("Also a PDF of each sheet (needs LibreOffice)."),
    eml: bool = options.eml(to="the referrer, sheet attached"),
    as_of: str = options.as_of("The letter's date. Default: today."),
    overwrite: bool = options.overwrite("sheets already in DIR"),
    unsigned: bool = options.unsigned(),
) -> None:
    """The decision sheet for the referrer (one case, or every case decided at a meeting)."""
    if (reference is None) == (meeting is None):
        raise UsageProblem("give either REF (one case) or --meeting MEETING (every case decided there)")
    with unit_of_work(write=True, overwrite=overwrite, unsigned=unsigned) as uow:
        from masg_cli.services.decision_sheets import produce_sheets

        written = produce_sheets(uow, reference=reference, meeting_id=meeting, out_dir=out, pdf=pdf, eml=eml,
                                 on=today(as_of))
    for path in written:
        say(str(path))


@decision_app.command("family-letter")
def family_letter(
    reference: str = options.reference(),
    out: Path = options.out_folder(),
    pdf: bool = options.pdf("Also a PDF of the letter (needs LibreOffice)."),
    as_of: str = options.as_of("The letter's date. Default: today."),
    unsigned: bool = options.unsigned(),
) -> None:
    """A plain-English letter about the panel's decision, for the referrer to give the family."""
    with unit_of_work(write=True, unsigned=unsigned) as uow:
        from masg_cli.services.decision_sheets import produce_family_letter

        written = produce_family_letter(uow, reference, out_dir=out, pdf=pdf, on=today(as_of))
    for path in written:
        say(str(path))
