"""At a terminal, 'masg referral add' asks for what its options left out; elsewhere it refuses.

Each answer is checked as it is given and asked again until it is right, so that a mistyped
locality or date never throws away the answers before it. Consent is asked first: without it
there is no referral, so nothing else is asked. Nothing is saved until the summary is confirmed;
Ctrl-C or Ctrl-D at any question saves nothing (cli/app.py says so).
"""

import sys
from datetime import date

from masg_cli.errors import Refused, UsageProblem

# What a referral cannot be saved without, and how a prompt asks for it.
REQUIRED = {
    "children": "--child and --dob",
    "locality": "--locality",
    "referrer": "--referrer",
    "referrer_agency": "--referrer-agency",
    "needs": "--needs",
}


def _console():
    from rich.console import Console

    # stderr, so that --json output stays pure JSON.
    return Console(stderr=True, highlight=False)


def _ask(label: str, *, required: bool = True, choices: list[str] | None = None,
         default: str | None = None) -> str | None:
    """One question at the terminal; a choice may be typed in any letter case ('Parent')."""
    from rich.prompt import Prompt

    while True:
        answer = Prompt.ask(label, default=default if default is not None else (None if required else ""),
                            show_default=default is not None, console=_console(), choices=choices,
                            show_choices=bool(choices), case_sensitive=False)
        if answer and answer.strip():
            return answer.strip()
        if not required:
            return None


def _ask_date(label: str, *, required: bool = True, default: str | None = None,
              check=None) -> date | None:
    """A date, asked again until it is a real one (and passes `check`, which returns a problem)."""
    from masg_cli.dates import parse_date

    while True:
        answer = _ask(f"{label} (DD/MM/YYYY)", required=required, default=default)
        if answer is None:
            return None
        try:
            day = parse_date(answer)
        except UsageProblem as not_a_date:
            _console().print(not_a_date.message, markup=False)
            continue
        wrong = check(day) if check else None
        if wrong is None:
            return day
        _console().print(wrong, markup=False)


def _ask_list(label: str, vocabulary: tuple[str, ...] | None = None) -> list[str]:
    """Several answers on one line, separated by commas; blank for none."""
    while True:
        answer = _ask(f"{label}, separated by commas, or blank for none", required=False)
        items = [item.strip() for item in (answer or "").split(",") if item.strip()]
        if vocabulary is None:
            return items
        known = {word.lower(): word for word in vocabulary}
        unknown = [item for item in items if item.lower() not in known]
        if not unknown:
            return [known[item.lower()] for item in items]
        _console().print(f"'{unknown[0]}' is not one of: {', '.join(vocabulary)}", markup=False)


def fill_in(values: dict) -> dict:
    """Ask for each missing value at a terminal, then confirm; without one, refuse at once."""
    from masg_cli.rules import NO_CONSENT_MESSAGE

    no_consent = values["consent_date"] is None or values["consent_by"] is None
    missing = [option for key, option in REQUIRED.items() if not values[key]]
    if not no_consent and not missing:
        return values
    if not sys.stdin.isatty():
        from masg_cli.cli.options import consent_in_full

        consent_in_full(values["consent_date"], values["consent_by"])
        if no_consent:
            raise Refused(NO_CONSENT_MESSAGE)
        raise UsageProblem(f"missing {missing[0]}; give it on the command line (see 'masg referral add --help')")
    _interview(values)
    _confirm(values)
    return values


def _interview(values: dict) -> None:
    """Every question the options left unanswered, in the order of the CAF form."""
    from masg_cli.rules import TRANSITION_FLAGS

    # The store first: a missing store or one without localities is said before anything is typed.
    localities = _locality_names()
    if values["locality"] and values["locality"].strip().lower() not in {n.lower() for n in localities}:
        _console().print(f"There is no locality '{values['locality']}'; choose one of these.", markup=False)
        values["locality"] = None
    _ask_consent(values)
    _ask_received(values)
    if not values["children"]:
        _ask_children(values)
    if not values["locality"]:
        values["locality"] = _ask("Locality", choices=localities)
    for key, label in (("referrer", "Referrer's name"), ("referrer_agency", "Referrer's agency")):
        if not values[key]:
            values[key] = _ask(label)
    if values["referrer_email"] is None:
        values["referrer_email"] = _ask("Referrer's e-mail (for the decision sheet), or blank", required=False)
    if values["referrer_phone"] is None:
        values["referrer_phone"] = _ask("Referrer's phone, or blank", required=False)
    if not values["needs"]:
        values["needs"] = _ask("The needs, in a sentence")
    if not values["agencies"]:
        values["agencies"] = _ask_list("Agencies involved or suggested")
    if not values["transitions"]:
        values["transitions"] = _ask_list(f"Transition flags ({', '.join(TRANSITION_FLAGS)})", TRANSITION_FLAGS)


def _ask_consent(values: dict) -> None:
    """Consent comes first: without it there is no referral, so nothing else is asked."""
    from masg_cli.dates import parse_date, uk
    from masg_cli.rules import CONSENT_GIVERS, NO_CONSENT_MESSAGE

    received = parse_date(values["received"], "--received") if values["received"] else None

    def before_received(day: date) -> str | None:
        if received and day > received:
            return f"consent must be given on or before the day the CAF was received ({uk(received)})"
        return None

    if values["consent_date"] is None:
        consent = _ask_date("Date consent was given, or blank if none", required=False, check=before_received)
        if consent is None:
            raise Refused(NO_CONSENT_MESSAGE)
        values["consent_date"] = consent.isoformat()
    if values["consent_by"] is None:
        values["consent_by"] = _ask("Consent given by", choices=list(CONSENT_GIVERS))


def _ask_received(values: dict) -> None:
    from masg_cli.cli.context import today
    from masg_cli.dates import parse_date, uk

    if values["received"] is not None:
        return
    consent = parse_date(values["consent_date"], "--consent-date")

    def after_consent(day: date) -> str | None:
        if day < consent:
            return f"the CAF cannot arrive before consent was given ({uk(consent)})"
        return None

    received = _ask_date("Date the CAF was received", default=today().strftime("%d/%m/%Y"), check=after_consent)
    values["received"] = received.isoformat() if received else None


def _ask_children(values: dict) -> None:
    while True:
        values["children"].append(_ask("Child's full name"))
        dob = _ask_date("Date of birth")
        values["dobs"].append(dob.isoformat() if dob else None)
        if _ask("Another child in this family?", choices=["y", "n"]) != "y":
            return


def _locality_names() -> list[str]:
    """The store's localities, offered as the choices; none yet is refused before more is typed."""
    from masg_cli.cli.context import unit_of_work

    with unit_of_work(write=False) as uow:
        from masg_cli.services.setup import list_localities

        names = [locality.name for locality in list_localities(uow.session)]
    if not names:
        raise Refused("this store has no localities yet; add one with 'masg locality add NAME', "
                      "then 'masg referral add' again")
    return names


def _confirm(values: dict) -> None:
    """The referral as it will be saved, and a yes before it is."""
    from rich.prompt import Confirm

    console = _console()
    console.print("\nThe referral to be saved:", markup=False)
    for label, text in summary_lines(values):
        console.print(f"  {label + ':':<14} {text}", markup=False)
    if not Confirm.ask("Save this referral?", console=console):
        raise Refused("the referral was not saved (you answered no); run 'masg referral add' to start again")


def summary_lines(values: dict) -> list[tuple[str, str]]:
    """What the co-ordinator is asked to confirm, in the UK date format."""
    from masg_cli.dates import parse_date, uk

    def day(text):
        return uk(parse_date(text)) if text else "today"

    children = "; ".join(f"{name} (born {day(dob)})" for name, dob in zip(values["children"], values["dobs"]))
    referrer = ", ".join(part for part in (values["referrer"], values["referrer_agency"],
                                           values["referrer_email"], values["referrer_phone"]) if part)
    return [
        ("Consent", f"{day(values['consent_date'])}, given by {values['consent_by']}"),
        ("Received", day(values["received"])),
        ("Children", children),
        ("Locality", values["locality"]),
        ("Referrer", referrer),
        ("Needs", values["needs"]),
        ("Agencies", ", ".join(values["agencies"]) or "none given"),
        ("Transitions", ", ".join(values["transitions"]) or "none"),
    ]
