"""Values as co-ordinators type them: a service agreed ('AGENCY: WHAT') and a retention rule.

Beside ``dates.py`` (dates and times as typed): each reader turns text into the value the process
works with, or raises a usage problem that shows the form to write.
"""

from __future__ import annotations

from masg_cli.errors import UsageProblem
from masg_cli.rules import MIN_RETENTION_AGE, RETENTION_KINDS, SERVICE_FORM, RetentionRule


def parse_service(text: str, position: int = 1) -> tuple[str, str]:
    """A service agreed by the panel, typed as 'AGENCY: WHAT': which agency does what."""
    agency, colon, what = (text or "").partition(":")
    if not colon or not agency.strip() or not what.strip():
        # The value itself is not repeated: it may hold a family's details.
        raise UsageProblem(f"--service number {position} is not in the form {SERVICE_FORM}")
    return agency.strip(), what.strip()


def parse_retention_rule(text: str) -> RetentionRule:
    """Read 'until-age:25' or 'years-after-closure:6'; anything else is a usage problem."""
    kind, _, years = (text or "").strip().lower().partition(":")
    if kind not in RETENTION_KINDS or not years.isdigit():
        raise UsageProblem(f"retention rule '{text}' is not understood; write until-age:N "
                           "(e.g. until-age:25) or years-after-closure:N (e.g. years-after-closure:6)")
    lowest = MIN_RETENTION_AGE if kind == "until-age" else 1
    if not lowest <= int(years) <= 100:
        why = " (a child's records are kept at least until they are 18)" if kind == "until-age" else ""
        raise UsageProblem(f"retention rule '{text}': N must be from {lowest} to 100{why}")
    return RetentionRule(kind, int(years))
