"""masg followup: the 12-week contact with the Lead Professional once reviews have ended."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import day, required_day, today, unit_of_work
from masg_cli.cli.options import ConsentBy, FollowUpOutcome
from masg_cli.errors import UsageProblem
from masg_cli.render import print_json, say

followup_app = typer.Typer(help="The 12-week follow-up with the Lead Professional.", no_args_is_help=True)


@followup_app.command("list")
def followup_list(
    overdue: bool = typer.Option(False, "--overdue", help="Only follow-ups due before today."),
    as_of: str = options.as_of("Count from this day. Default: today."),
    locality: str = typer.Option(None, "--locality", help="Only this locality."),
    json: bool = options.as_json(),
) -> None:
    """Every open 12-week follow-up: due date, Lead Professional, days overdue."""
    when = today(as_of)
    with unit_of_work(write=False) as uow:
        from masg_cli.services.followups import follow_ups

        rows = follow_ups(uow.session, today=when, overdue=overdue, locality=locality)
    if json:
        return print_json(rows)
    from masg_cli.views import follow_up_table

    follow_up_table("Overdue follow-ups" if overdue else "Follow-ups", rows)


@followup_app.command("record")
def followup_record(
    reference: str = options.reference(),
    date: str = typer.Option(..., "--date", help="The day you spoke to the Lead Professional."),
    outcome: FollowUpOutcome = typer.Option(..., "--outcome",
                                            help=options.one_of(rules.FOLLOW_UP_OUTCOMES) + "."),
    note: str = typer.Option(None, "--note", help="The outcomes of the work so far (re-refer: the needs now)."),
    new_referral: str = typer.Option(None, "--new-referral", metavar="REF2",
                                     help="re-refer: the re-referral already added with "
                                          "'referral add --re-referral-of REF'."),
    consent_date: str = typer.Option(None, "--consent-date", metavar="DATE",
                                     help="re-refer without --new-referral: when the family consented to it."),
    consent_by: ConsentBy = typer.Option(None, "--consent-by", help="re-refer: who gave that consent."),
) -> None:
    """Record the contact with the Lead Professional and what it decided."""
    if outcome.value != rules.FOLLOW_UP_RE_REFER and (new_referral or consent_date or consent_by):
        raise UsageProblem("--new-referral, --consent-date and --consent-by go with --outcome re-refer only")
    if new_referral and (consent_date or consent_by):
        raise UsageProblem("give either --new-referral (a re-referral already added) or --consent-date and "
                           "--consent-by (make it now), not both")
    options.consent_in_full(consent_date, consent_by.value if consent_by else None)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.followups import record_follow_up

        referral, _, new = record_follow_up(
            uow, reference, on=required_day(date, "--date"), outcome=outcome.value, note=note,
            new_referral=new_referral,
            consent_date=day(consent_date, "--consent-date"), consent_by=consent_by.value if consent_by else None)
    from masg_cli.views import follow_up_recorded

    follow_up_recorded(referral, outcome.value, new, linked=bool(new_referral))


@followup_app.command("letter")
def followup_letter(
    reference: str = options.reference(),
    out: Path = options.out_folder(),
    pdf: bool = options.pdf(),
    eml: bool = options.eml(to="the Lead Professional"),
    as_of: str = options.as_of("The letter's date. Default: today."),
    overwrite: bool = options.overwrite("the letter if already in DIR"),
    unsigned: bool = options.unsigned(),
) -> None:
    """The 12-week letter to the Lead Professional (followup-letter.docx)."""
    with unit_of_work(write=True, overwrite=overwrite, unsigned=unsigned) as uow:
        from masg_cli.services.followups import produce_letter

        written = produce_letter(uow, reference, out_dir=out, pdf=pdf, eml=eml, on=today(as_of))
    for path in written:
        say(str(path))
