"""masg referral: log CAF referrals, triage them, see each case's history, close it, hold it."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import day, location, required_day, today, unit_of_work
from masg_cli.cli.options import ConsentBy, Status, TransitionFlag, TriageOutcome
from masg_cli.errors import UsageProblem
from masg_cli.render import print_json, say

referral_app = typer.Typer(help="CAF referrals: intake, triage, history.", no_args_is_help=True)


def _in_order(name: str):
    """A child's detail on `referral add`: repeated in the children's order."""
    from masg_cli.cli.referral_children import child_field

    return child_field(name, " The Nth one is the Nth --child's; '' skips a child.")


@referral_app.command("add")
def add(
    child: list[str] = typer.Option(None, "--child", help="A child's full name; repeat with --dob for each child."),
    dob: list[str] = typer.Option(None, "--dob", help="That child's date of birth (YYYY-MM-DD or DD/MM/YYYY)."),
    locality: str = typer.Option(None, "--locality", help="The locality the family lives in."),
    referrer: str = typer.Option(None, "--referrer", help="The referrer's name."),
    referrer_agency: str = typer.Option(None, "--referrer-agency", help="The referrer's agency."),
    referrer_email: str = typer.Option(None, "--referrer-email", help="The referrer's e-mail."),
    referrer_phone: str = typer.Option(None, "--referrer-phone", help="The referrer's phone."),
    consent_date: str = typer.Option(None, "--consent-date", help="When the family gave consent."),
    consent_by: ConsentBy = typer.Option(None, "--consent-by", help="Who gave consent."),
    needs: str = typer.Option(None, "--needs", help="The needs the CAF describes."),
    agency: list[str] = typer.Option(None, "--agency", help="An agency suggested or involved; repeat for more."),
    transition: list[TransitionFlag] = typer.Option(None, "--transition",
                                                    help="A transition package flag; repeat for more."),
    re_referral_of: str = typer.Option(None, "--re-referral-of", metavar="REF",
                                       help="The earlier referral this one follows."),
    received: str = typer.Option(None, "--received", "--as-of", metavar="DATE",
                                  help="When the CAF arrived. Default: today."),
    step_down: bool = typer.Option(False, "--step-down", help="The case came down from children's social care."),
    not_duplicate: bool = typer.Option(False, "--not-duplicate",
                                       help="A child matching an open case is another child (audited)."),
    sex: list[str] = _in_order("sex"), ethnicity: list[str] = _in_order("ethnicity"),
    school: list[str] = _in_order("school"), gp: list[str] = _in_order("gp"),
    postcode: list[str] = _in_order("postcode"), nhs_number: list[str] = _in_order("nhs_number"),
    upn: list[str] = _in_order("upn"),
    json: bool = options.as_json("Print the new referral as JSON."),
) -> None:
    """Log a CAF referral that has arrived; prints its new reference."""
    from masg_cli.cli.prompts import fill_in
    from masg_cli.cli.referral_children import details_in_order

    values = fill_in({
        "children": child or [], "dobs": dob or [], "locality": locality, "referrer": referrer,
        "referrer_agency": referrer_agency, "needs": needs, "consent_date": consent_date,
        "consent_by": consent_by.value if consent_by else None, "referrer_email": referrer_email,
        "referrer_phone": referrer_phone, "agencies": agency or [], "received": received,
        "transitions": [f.value for f in transition or []],
    })
    new = _new_referral(values, re_referral_of=re_referral_of,
                        received=day(values["received"], "--received", today()))
    new.step_down, new.not_duplicate = step_down, not_duplicate
    new.child_details = details_in_order(len(new.children), sex=sex, ethnicity=ethnicity, school=school, gp=gp,
                                         postcode=postcode, nhs_number=nhs_number, upn=upn)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.casefile import referral_summary
        from masg_cli.services.referrals import add_referral

        from masg_cli.services.known import earlier_closed

        shown = referral_summary(uow.session, add_referral(uow, new))
        shown["earlier"] = earlier_closed(uow.session, new.children, leave_out=shown["reference"])
    print_json(shown) if json else say(shown["reference"])


def _new_referral(values: dict, *, re_referral_of: str | None, received):
    """The referral as the service takes it, from what was typed or answered at the prompts."""
    from masg_cli.dates import parse_date
    from masg_cli.services.referrals import NewReferral

    if len(values["children"]) != len(values["dobs"]):
        raise UsageProblem("give one --dob for each --child, in the same order")
    return NewReferral(
        children=[(name, parse_date(d, "--dob")) for name, d in zip(values["children"], values["dobs"])],
        locality=values["locality"], referrer_name=values["referrer"],
        referrer_agency=values["referrer_agency"], referrer_email=values["referrer_email"] or "",
        referrer_phone=values["referrer_phone"] or "",
        consent_date=parse_date(values["consent_date"], "--consent-date") if values["consent_date"] else None,
        consent_by=values["consent_by"], needs=values["needs"], received=received,
        agencies=values["agencies"], transitions=values["transitions"], re_referral_of=re_referral_of,
    )


@referral_app.command("list")
def list_(
    status: Status = typer.Option(None, "--status", help="Only referrals with this status."),
    locality: str = typer.Option(None, "--locality", help="Only this locality."),
    json: bool = options.as_json(),
) -> None:
    """List referrals, oldest first."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.casefile import referral_rows

        rows = referral_rows(uow.session, status=status.value if status else None, locality=locality)
    if json:
        return print_json(rows)
    from masg_cli.views import referral_table

    referral_table(rows)


@referral_app.command("show")
def show(
    reference: str = options.reference(),
    json: bool = options.as_json(),
) -> None:
    """Show a case with its whole history."""
    # On a team store each look is recorded (who looked at which case, when): that is a write.
    with unit_of_work(write=not location().is_sqlite) as uow:
        from masg_cli.services.access import record_view
        from masg_cli.services.casefile import referral_detail

        detail = referral_detail(uow.session, reference)
        record_view(uow, detail["reference"], "referral show")
    if json:
        return print_json(detail)
    from masg_cli.views import referral_card

    referral_card(detail)


@referral_app.command("triage")
def triage(
    reference: str = options.reference(help=None),
    outcome: TriageOutcome = typer.Option(..., "--outcome", help=options.one_of(rules.TRIAGE_OUTCOMES) + "."),
    agency: list[str] = typer.Option(None, "--agency", metavar="AGENCY",
                                     help="single-agency: the agency the referrer should go to. accept: an "
                                          "agency involved, added to the case's; repeat for more."),
    note: str = typer.Option(None, "--note", help="more-info: what was asked; not-appropriate: the discussion; "
                                          "step-up: to whom in children's social care."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE", help="When it was triaged. Default: today."),
) -> None:
    """Triage a received referral."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.referrals import triage as triage_referral

        result = triage_referral(uow, reference, outcome=outcome.value, agencies=agency or [], note=note,
                                 on=day(date, "--date", today()))
    next_step = {
        rules.ACCEPTED: ": it waits for the next agenda ('masg agenda build')",
        rules.MORE_INFO: ": record the referrer's answer with 'masg referral info-received'",
        rules.CLOSED: f" ({result.closed_reason})",
    }[result.status]
    say(f"{reference.strip().upper()} {result.status}{next_step}.")


@referral_app.command("info-received")
def info_received(
    reference: str = options.reference(help=None),
    note: str = typer.Option(None, "--note", help="What the referrer sent."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE", help="When it arrived. Default: today."),
) -> None:
    """The referrer has sent the information asked for: the case goes back to triage."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.referrals import info_received as record_info

        referral = record_info(uow, reference, note=note, on=day(date, "--date", today()))
    say(f"{referral.reference} received again: triage it with 'masg referral triage'.")


@referral_app.command("withdraw")
def withdraw(
    reference: str = options.reference(help=None),
    reason: str = typer.Option(None, "--reason", help="Why (e.g. consent withdrawn by the parent)."),
    duplicate_of: str = typer.Option(None, "--duplicate-of", metavar="REF2",
                                     help="The open case of the same family this one duplicates (closed duplicate)."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE", help="When. Default: today."),
) -> None:
    """Consent withdrawn, or a duplicate of an open case: close the case at whatever stage it is."""
    if not (reason or duplicate_of):
        raise UsageProblem("give --reason (why consent was withdrawn), or --duplicate-of REF2")
    with unit_of_work(write=True) as uow:
        from masg_cli.services.moves import withdraw_as_duplicate
        from masg_cli.services.referrals import withdraw as withdraw_referral

        on = day(date, "--date", today())
        referral = (withdraw_as_duplicate(uow, reference, duplicate_of=duplicate_of, on=on) if duplicate_of
                    else withdraw_referral(uow, reference, reason=reason, on=on))
    say(f"{referral.reference} closed ({referral.closed_reason}).")


@referral_app.command("close")
def referral_close(
    reference: str = options.reference(),
    final_review_date: str = typer.Option(..., "--final-review-date", metavar="DATE",
                                          help="The date of the Lead Professional's final review form."),
    outcome: str = typer.Option(..., "--outcome", help="The outcome the form records."),
) -> None:
    """The returned final review form closes the case (completed)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.reviews import close_referral

        referral, closed_now = close_referral(uow, reference, outcome=outcome,
                                              final_review_date=required_day(final_review_date, "--final-review-date"))
    from masg_cli.dates import uk

    what = "closed (completed)" if closed_now else "final review form recorded"
    say(f"{referral.reference} {what}: final review form of {uk(referral.final_review_date)}.")


@referral_app.command("final-review-form")
def final_review_form(
    reference: str = options.reference(),
    out: Path = options.out_folder(),
    eml: bool = options.eml(to="the Lead Professional"),
    as_of: str = options.as_of("The form's date. Default: today."),
    overwrite: bool = options.overwrite("the form if already in DIR"),
    unsigned: bool = options.unsigned(),
) -> None:
    """The final review form, pre-filled, for the Lead Professional to complete and return."""
    with unit_of_work(write=True, overwrite=overwrite, unsigned=unsigned) as uow:
        from masg_cli.services.reviews import produce_final_review_form

        written = produce_final_review_form(uow, reference, out_dir=out, eml=eml, on=today(as_of))
    for path in written:
        say(str(path))


@referral_app.command("hold")
def hold(
    reference: str = options.reference(help=None),
    reason: str = typer.Option(..., "--reason", help="Why it must be kept (e.g. litigation); no names."),
) -> None:
    """Put a case on legal hold: retention never removes it."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.retention import set_hold

        referral = set_hold(uow, reference, hold=True, reason=reason)
    say(f"{referral.reference} is on legal hold: retention will not remove it.")


@referral_app.command("release")
def release(reference: str = options.reference(help=None)) -> None:
    """Release a case from legal hold: retention applies to it again."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.retention import set_hold

        referral = set_hold(uow, reference, hold=False, reason=None)
    say(f"{referral.reference} is released from legal hold.")


# Corrections, moves, step-up and the child subcommands live in their own module, on this group.
from masg_cli.cli import referral_record  # noqa: E402,F401
from masg_cli.cli import referral_children  # noqa: E402,F401
