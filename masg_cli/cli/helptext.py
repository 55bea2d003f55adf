"""Help that reads: plain labels for what an option takes, and every description in full.

Typer's plain help labels a value by its Python type (``<str>``, ``<list[str]>``, ``<int range>``)
and a required argument as ``{REF}``; Click cuts each command's description at about 45
characters with "...". A co-ordinator reads neither, so each command is tidied once, as it is
built, without touching the many modules that declare the options.
"""

import re
from typing import get_args

from masg_cli.cli.clicklib import Command, UsageError

from typer.core import TyperArgument

# What a value is, by the option's name, where the name alone says it.
_BY_NAME = {
    "DATE": ("date", "as_of", "consent_date", "review_date", "dob", "received", "until", "since"),
    "NAME": ("child", "name", "referrer", "coordinator", "lead_name", "user", "locality", "lead"),
    "AGENCY": ("agency", "referrer_agency", "lead_agency"),
    "EMAIL": ("email", "referrer_email"),
    "PHONE": ("referrer_phone", "phone"),
}
_LONGEST_CHOICES = 40  # beyond this the choices go into the help and the label is one word


class PlainArgument(TyperArgument):
    """An argument shown as Click shows one: 'REF' in the usage line, no '{REF}' or '<str>'."""

    def _usage_display_name(self) -> str:
        name = self.metavar or self.name.upper()
        if not self.required and not name.startswith("["):
            name = f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx) -> None:  # type: ignore[override]
        return None  # the name already says what it takes


def one_line(text: str | None) -> str:
    """A help text's first paragraph, on one line: what a command list shows of it."""
    first = re.split(r"\n\s*\n", (text or "").strip(), maxsplit=1)[0]
    return " ".join(first.replace("\b", "").split())


def tidy(command: Command) -> Command:
    """Plain labels on every option and argument, full one-line descriptions, all the way down."""
    command.short_help = command.short_help or one_line(command.help)
    plain_labels(command)
    _usage_errors_name(command)
    for sub in getattr(command, "commands", {}).values():
        tidy(sub)
    return command


def plain_labels(command: Command) -> None:
    """Each of this command's own options and arguments labelled as the co-ordinator types it,
    and completed from the store where it names a referral, a meeting or a locality."""
    from masg_cli.cli.completion import attach

    for param in command.params:
        if isinstance(param, TyperArgument):
            param.__class__ = PlainArgument  # the only change: how it is shown
            if param.metavar is None:
                param.metavar = _label(param)
        elif param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = _label(param)
        attach(param)


def _label(param) -> str:
    """DATE, NAME, N, a short list of choices, or TEXT: what the co-ordinator types."""
    descriptor = param.type_descriptor
    if descriptor.is_choice:
        return _choices_label(param, [str(getattr(c, "value", c)) for c in descriptor.choices])
    annotation = descriptor.annotation
    element = get_args(annotation)[0] if descriptor.is_list and get_args(annotation) else annotation
    if element in (int, float):
        return "N"
    if descriptor.is_path or descriptor.is_file:
        return "DIR" if "dir" in descriptor.path_type.lower() else "FILE"
    for label, names in _BY_NAME.items():
        if param.name in names:
            return label
    if "HH:MM" in (param.help or ""):
        return "HH:MM"
    return "TEXT"


def _choices_label(param, choices: list[str]) -> str:
    spelt = "|".join(choices)
    if len(spelt) <= _LONGEST_CHOICES:
        return spelt
    if choices[0] not in (param.help or ""):
        param.help = f"{(param.help or '').rstrip()} One of: {', '.join(choices)}.".strip()
    return {"transition": "FLAG"}.get(param.name, param.name.split("_")[-1].upper())


def _usage_errors_name(command: Command) -> None:
    """A mistyped option points to its own command's help ('masg referral add --help'): Click's
    parser raises "option '--locality' requires an argument" knowing no command, so it said 'masg'."""
    parse = command.parse_args

    def parse_args(ctx, args):
        try:
            return parse(ctx, args)
        except UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    command.parse_args = parse_args  # type: ignore[method-assign]
