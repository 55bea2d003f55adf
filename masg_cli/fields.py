"""One-line fields and e-mail addresses: what a name, an agency or a venue may hold.

A name, an agency, an address, a venue is one line wherever it goes: a table cell, an e-mail
draft's header, a document's paragraph, a refusal on stderr. A line break typed or pasted into
one once let a referrer's name through intake and broke an e-mail draft far later, so every place
a one-line field comes in (intake, edits, a tracker's import, localities, members, decisions)
asks this module. Free text (needs, notes, reasons) may hold line breaks and tabs; it is not
checked here.

Pure: no store, no clock. Messages name the field, never its value: it may hold a child's details.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from masg_cli.errors import Refused

# C0 (tab, LF, CR, NUL...), DEL, C1 (NEL...), and Unicode's own line and paragraph separators.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# One '@', something either side, a dot in the domain; no spaces. Deliberately loose: a real
# address is checked by sending to it, this only stops a typo ('x@@x', 'name.example.org').
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def one_line_problem(what: str, value: str | None) -> str | None:
    """Why ``value`` cannot be the one-line field ``what`` (None: it can)."""
    if value and CONTROL.search(value.strip()):
        return f"{what} holds a line break or control character; type it on one line"
    return None


def check_one_line(fields: Iterable[tuple[str, str | None]]) -> None:
    """Refuse the first of (what, value) that holds a line break or a control character."""
    for what, value in fields:
        if problem := one_line_problem(what, value):
            raise Refused(problem)


def email_problem(what: str, value: str | None) -> str | None:
    """Why ``value`` is not an e-mail address (None: it is one, or it is empty)."""
    written = (value or "").strip()
    if not written:
        return None
    if problem := one_line_problem(what, written):
        return problem
    if not EMAIL.fullmatch(written):
        return f"{what} is not an e-mail address; give name@example.org"
    return None


def check_email(what: str, value: str | None) -> None:
    """Refuse a malformed e-mail address; an empty one is left to the caller."""
    if problem := email_problem(what, value):
        raise Refused(problem)


def shown_on_one_line(message: str) -> str:
    """A message as stderr shows it: every control character written as its escape ('\\n'),
    so that a value typed with a line break cannot split a refusal over two lines."""
    return CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), message)
