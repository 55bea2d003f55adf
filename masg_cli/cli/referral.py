"""masg referral: log CAF referrals, triage them, and see each case's history."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import sys
from enum import Enum

import typer

from masg_cli.cli.context import day, today, unit_of_work
from masg_cli.errors import Refused, UsageProblem
from masg_cli.render import print_json, say

referral_app = typer.Typer(help="CAF referrals: intake, triage, history.", no_args_is_help=True)


class ConsentBy(str, Enum):
    parent = "parent"
    young_person = "young-person"
    both = "both"


class Flag(str, Enum):
    looked_after = "looked-after"
    previously_looked_after = "previously-looked-after"
    in_hospital = "in-hospital"
    complex_needs = "complex-needs"
    child_in_need_plan = "child-in-need-plan"
    child_protection_plan = "child-protection-plan"


class Status(str, Enum):
    received = "received"
    more_info = "more-info"
    accepted = "accepted"
    scheduled = "scheduled"
    decided = "decided"
    active = "active"
    monitoring = "monitoring"
    closed = "closed"


class Outcome(str, Enum):
    accept = "accept"
    single_agency = "single-agency"
    more_info = "more-info"
    not_appropriate = "not-appropriate"


def _ask(label: str, *, required: bool = True, is_date: bool = False,
         choices: list[str] | None = None) -> str | None:
    """One question at the terminal; on stderr, so that --json output stays pure JSON."""
    from rich.console import Console
    from rich.prompt import Prompt

    from masg_cli.dates import parse_date

    console = Console(stderr=True, highlight=False)
    while True:
        answer = Prompt.ask(label, default=None if required else "", show_default=False,
                            console=console, choices=choices, show_choices=bool(choices))
        if answer and answer.strip():
            if is_date:
                try:
                    parse_date(answer)
                except UsageProblem as problem:
                    console.print(problem.message, markup=False)
                    continue
            return answer.strip()
        if not required:
            return None


def _ask_consent(values: dict) -> None:
    """Consent comes first: without it there is no referral, so nothing else is asked."""
    from masg_cli.rules import CONSENT_GIVERS, NO_CONSENT_MESSAGE

    if values["consent_date"] is None:
        values["consent_date"] = _ask("Date consent was given (DD/MM/YYYY), or blank if none",
                                      required=False, is_date=True)
        if values["consent_date"] is None:
            raise Refused(NO_CONSENT_MESSAGE)
    if values["consent_by"] is None:
        values["consent_by"] = _ask("Consent given by", choices=list(CONSENT_GIVERS))


def _ask_children(values: dict) -> None:
    while True:
        values["children"].append(_ask("Child's full name"))
        values["dobs"].append(_ask("Date of birth (DD/MM/YYYY)", is_date=True))
        if _ask("Another child in this family? (y/n)", choices=["y", "n"]) != "y":
            return


def _fill_in(values: dict) -> dict:
    """Ask for each missing required value at a terminal; refuse at once when there is none."""
    interactive = sys.stdin.isatty()
    if values["consent_date"] is None or values["consent_by"] is None:
        if not interactive:
            from masg_cli.rules import NO_CONSENT_MESSAGE

            raise Refused(NO_CONSENT_MESSAGE)
        _ask_consent(values)
    prompts = {
        "children": "Child's full name",
        "locality": "Locality",
        "referrer": "Referrer's name",
        "referrer_agency": "Referrer's agency",
        "needs": "The needs, in a sentence",
    }
    for key, label in prompts.items():
        if values[key]:
            continue
        if not interactive:
            option = "--child and --dob" if key == "children" else "--" + key.replace("_", "-")
            raise UsageProblem(f"missing {option}; give it on the command line (see 'masg referral add --help')")
        if key == "children":
            _ask_children(values)
        else:
            values[key] = _ask(label)
        if key == "referrer_agency" and interactive and values.get("referrer_email") is None:
            values["referrer_email"] = _ask("Referrer's e-mail (for the decision sheet), or blank",
                                            required=False)
    return values


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
    transition: list[Flag] = typer.Option(None, "--transition", help="A transition package flag; repeat for more."),
    re_referral_of: str = typer.Option(None, "--re-referral-of", metavar="REF", help="The earlier referral this one follows."),
    received: str = typer.Option(None, "--received", "--as-of", metavar="DATE",
                                  help="When the CAF arrived. Default: today."),
    json: bool = typer.Option(False, "--json", help="Print the new referral as JSON."),
) -> None:
    """Log a CAF referral that has arrived; prints its new reference."""
    values = _fill_in({
        "children": child or [], "dobs": dob or [], "locality": locality, "referrer": referrer,
        "referrer_agency": referrer_agency, "needs": needs, "consent_date": consent_date,
        "consent_by": consent_by.value if consent_by else None, "referrer_email": referrer_email,
    })
    from masg_cli.dates import parse_date
    from masg_cli.services.referrals import NewReferral

    if len(values["children"]) != len(values["dobs"]):
        raise UsageProblem("give one --dob for each --child, in the same order")
    new = NewReferral(
        children=[(name, parse_date(d, "--dob")) for name, d in zip(values["children"], values["dobs"])],
        locality=values["locality"], referrer_name=values["referrer"],
        referrer_agency=values["referrer_agency"], referrer_email=values["referrer_email"] or "",
        referrer_phone=referrer_phone or "",
        consent_date=parse_date(values["consent_date"], "--consent-date") if values["consent_date"] else None,
        consent_by=values["consent_by"], needs=values["needs"], received=day(received, "--received", today()),
        agencies=agency or [], transitions=[f.value for f in transition or []], re_referral_of=re_referral_of,
    )
    with unit_of_work(write=True) as uow:
        from masg_cli.services.casefile import referral_summary
        from masg_cli.services.referrals import add_referral

        shown = referral_summary(uow.session, add_referral(uow, new))
    print_json(shown) if json else say(shown["reference"])


@referral_app.command("list")
def list_(
    status: Status = typer.Option(None, "--status", help="Only referrals with this status."),
    locality: str = typer.Option(None, "--locality", help="Only this locality."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
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
    reference: str = typer.Argument(..., metavar="REF", help="The referral's reference."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a case with its whole history."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.casefile import referral_detail

        detail = referral_detail(uow.session, reference)
    if json:
        return print_json(detail)
    from masg_cli.views import referral_card

    referral_card(detail)


@referral_app.command("triage")
def triage(
    reference: str = typer.Argument(..., metavar="REF"),
    outcome: Outcome = typer.Option(..., "--outcome", help="accept, single-agency, more-info or not-appropriate."),
    agency: list[str] = typer.Option(None, "--agency", metavar="AGENCY",
                                     help="single-agency: the agency the referrer should go to. accept: an "
                                          "agency involved, added to the case's; repeat for more."),
    note: str = typer.Option(None, "--note", help="more-info: what was asked; not-appropriate: the discussion."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE", help="When it was triaged. Default: today."),
) -> None:
    """Triage a received referral."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.referrals import triage as triage_referral

        result = triage_referral(uow, reference, outcome=outcome.value, agencies=agency or [], note=note,
                                 on=day(date, "--date", today()))
    next_step = {
        "accepted": ": it waits for the next agenda ('masg agenda build')",
        "more-info": ": record the referrer's answer with 'masg referral info-received'",
        "closed": f" ({result.closed_reason})",
    }[result.status]
    say(f"{reference.strip().upper()} {result.status}{next_step}.")


@referral_app.command("info-received")
def info_received(
    reference: str = typer.Argument(..., metavar="REF"),
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
    reference: str = typer.Argument(..., metavar="REF"),
    reason: str = typer.Option(..., "--reason", help="Why (e.g. consent withdrawn by the parent)."),
    date: str = typer.Option(None, "--date", "--as-of", metavar="DATE", help="When. Default: today."),
) -> None:
    """Consent withdrawn: close the case at whatever stage it is."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.referrals import withdraw as withdraw_referral

        referral = withdraw_referral(uow, reference, reason=reason, on=day(date, "--date", today()))
    say(f"{referral.reference} closed (withdrawn).")


def register(app: typer.Typer) -> None:
    app.add_typer(referral_app, name="referral")
