"""masg decision, family-response, tac: what the panel decided and what happened next."""


from pathlib import Path

import typer

from masg_cli.cli.context import day, today, unit_of_work
from masg_cli.errors import UsageProblem
from masg_cli.render import say

decision_app = typer.Typer(help="The panel's decisions and the decision sheets for referrers.",
                           no_args_is_help=True)
tac_app = typer.Typer(help="The Team Around the Child meeting the Lead Professional sets up.",
                      no_args_is_help=True)


@decision_app.command("record")
def record(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    meeting: int = typer.Option(..., "--meeting", metavar="MEETING", help="The meeting's id ('masg meeting list')."),
    service: list[str] = typer.Option(None, "--service", metavar="'AGENCY: WHAT'",
                                      help="A service agreed: the agency, a colon, what it does; repeat for more."),
    lead_name: str = typer.Option(..., "--lead-name", help="The temporary Lead Professional's name."),
    lead_agency: str = typer.Option(..., "--lead-agency", help="The Lead Professional's agency."),
    lead_contact: str = typer.Option("", "--lead-contact", help="How to reach them (phone, e-mail)."),
    review_date: str = typer.Option(..., "--review-date", help="When the panel reviews the case (after the meeting)."),
) -> None:
    """Record the panel's decision for a case on the meeting's agenda; again corrects it."""
    from masg_cli.parsing import parse_service
    from masg_cli.services.decisions import PanelDecision

    agreed = PanelDecision(services=[parse_service(s, i) for i, s in enumerate(service or [], start=1)],
                           lead_name=lead_name, lead_agency=lead_agency, lead_contact=lead_contact,
                           review_date=day(review_date, "--review-date"))
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decisions import record_decision

        decision, corrected = record_decision(uow, reference, meeting, agreed)
    from masg_cli.dates import uk

    what = "corrected" if corrected else "decided"
    say(f"{reference.upper()} {what}: review on {uk(decision.review_date)}. "
        f"Next: the decision sheet ('masg decision sheet {reference.upper()} --out DIR').")


@decision_app.command("defer")
def defer(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
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
    out: Path = typer.Option(..., "--out", metavar="DIR", help="The folder to write into."),
    pdf: bool = typer.Option(False, "--pdf", help="Also a PDF of each sheet (needs LibreOffice)."),
    eml: bool = typer.Option(False, "--eml", help="Also an e-mail draft to the referrer, sheet attached."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The letter's date. Default: today."),
) -> None:
    """The decision sheet for the referrer (one case, or every case decided at a meeting)."""
    if (reference is None) == (meeting is None):
        raise UsageProblem("give either REF (one case) or --meeting MEETING (every case decided there)")
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decision_sheets import produce_sheets

        written = produce_sheets(uow, reference=reference, meeting_id=meeting, out_dir=out, pdf=pdf, eml=eml,
                                 on=today(as_of))
    for path in written:
        say(str(path))


def family_response(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    accepted: bool = typer.Option(False, "--accepted", help="The family accepts the services agreed."),
    declined: bool = typer.Option(False, "--declined", help="The family declines them (the case closes)."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE",
                                help="When the family answered. Default: today."),
) -> None:
    """Record the family's answer to the decision: accepted (active) or declined (closed)."""
    if accepted == declined:
        raise UsageProblem("give exactly one of --accepted or --declined")
    answer = "accepted" if accepted else "declined"
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decisions import family_response as record_answer

        referral = record_answer(uow, reference, answer=answer, on=day(date, "--date", today()))
    if accepted:
        say(f"{referral.reference} active: the referrer tells the Lead Professional, who sets up a "
            "Team Around the Child meeting ('masg tac record').")
    else:
        say(f"{referral.reference} closed (declined).")


@tac_app.command("record")
def tac_record(
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    date: str = typer.Option(..., "--date", help="The date of the Team Around the Child meeting."),
) -> None:
    """Record the Team Around the Child meeting for an active case."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.decisions import team_around_the_child

        referral = team_around_the_child(uow, reference, on=day(date, "--date"))
    from masg_cli.dates import uk

    say(f"{referral.reference}: Team Around the Child meeting on {uk(referral.tac_date)}.")


def register(app: typer.Typer) -> None:
    """Add the decision group, family-response and the tac group to the root app."""
    app.add_typer(decision_app, name="decision")
    app.command("family-response")(family_response)
    app.add_typer(tac_app, name="tac")
