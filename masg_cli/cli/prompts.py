"""At a terminal, 'masg referral add' asks for what its options left out; elsewhere it refuses.

Consent is asked first: without it there is no referral, so nothing else is asked.
"""

import sys

from masg_cli.errors import Refused, UsageProblem


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


def fill_in(values: dict) -> dict:
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
