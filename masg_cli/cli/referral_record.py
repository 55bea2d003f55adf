"""masg referral edit, child, transfer, step-up: keeping a case's record right without losing its history."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import day, required_day, today, unit_of_work
from masg_cli.cli.options import ConsentBy, TransitionFlag
from masg_cli.cli.referral import referral_app
from masg_cli.render import say

REASON_HELP = "Why the record is corrected (kept in the audit trail; no names)."


@referral_app.command("edit")
def edit(
    reference: str = options.reference(help=None),
    reason: str = typer.Option(..., "--reason", help=REASON_HELP),
    referrer: str = typer.Option(None, "--referrer", help="The referrer's name."),
    referrer_agency: str = typer.Option(None, "--referrer-agency", help="The referrer's agency."),
    referrer_email: str = typer.Option(None, "--referrer-email", help="The referrer's e-mail."),
    referrer_phone: str = typer.Option(None, "--referrer-phone", help="The referrer's phone."),
    needs: str = typer.Option(None, "--needs", help="The needs the CAF describes."),
    consent_date: str = typer.Option(None, "--consent-date", metavar="DATE", help="When the family gave consent."),
    consent_by: ConsentBy = typer.Option(None, "--consent-by", help="Who gave consent."),
    received: str = typer.Option(None, "--received", metavar="DATE", help="When the CAF arrived."),
    add_agency: list[str] = typer.Option(None, "--add-agency", metavar="A", help="An agency to add; repeat for more."),
    remove_agency: list[str] = typer.Option(None, "--remove-agency", metavar="A",
                                            help="An agency to take off; repeat for more."),
    add_transition: list[TransitionFlag] = typer.Option(None, "--add-transition", help="A transition flag to add."),
    remove_transition: list[TransitionFlag] = typer.Option(None, "--remove-transition",
                                                           help="A transition flag to take off."),
    step_down: bool = typer.Option(None, "--step-down/--no-step-down",
                                   help="Whether the case came down from children's social care."),
) -> None:
    """Correct what was recorded at intake (checked as intake checks it; the reference stays)."""
    from masg_cli.services.corrections import ReferralCorrection

    correction = ReferralCorrection(
        referrer_name=referrer, referrer_agency=referrer_agency, referrer_email=referrer_email,
        referrer_phone=referrer_phone, needs=needs, consent_date=day(consent_date, "--consent-date"),
        consent_by=consent_by.value if consent_by else None, received=day(received, "--received"),
        step_down=step_down, add_agencies=add_agency or [], remove_agencies=remove_agency or [],
        add_transitions=[f.value for f in add_transition or []],
        remove_transitions=[f.value for f in remove_transition or []])
    with unit_of_work(write=True) as uow:
        from masg_cli.services.corrections import edit_referral

        changed = edit_referral(uow, reference, reason=reason, correction=correction)
    say(f"{reference.strip().upper()} corrected: {', '.join(changed)}.")


@referral_app.command("transfer")
def transfer(
    reference: str = options.reference(help=None),
    to: str = typer.Option(..., "--to", metavar="LOCALITY", help="The locality the family has moved to."),
    reason: str = typer.Option(..., "--reason", help="Why (e.g. the family moved house); no names."),
    date: str = typer.Option(None, "--date", metavar="DATE", help="When. Default: today."),
) -> None:
    """The family has moved: the case goes to another locality; its reference stays."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.moves import transfer as transfer_case

        locality, cancelled = transfer_case(uow, reference, to=to, reason=reason, on=day(date, "--date", today()))
    freed = f"; its slot on meeting {', '.join(map(str, cancelled))} is cancelled" if cancelled else ""
    say(f"{reference.strip().upper()} is now in {locality.name}{freed}.")


@referral_app.command("step-up")
def step_up(
    reference: str = options.reference(help=None),
    date: str = typer.Option(..., "--date", metavar="DATE", help="When it was passed to children's social care."),
    note: str = typer.Option(..., "--note", help="To whom it was passed (team, worker) and why."),
) -> None:
    """Safeguarding concerns: an open case is passed to children's social care (closed stepped-up)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.moves import step_up as step_up_case

        referral = step_up_case(uow, reference, on=required_day(date, "--date"), note=note)
    say(f"{referral.reference} closed (stepped-up).")
