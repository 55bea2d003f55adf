"""The local timescales a co-ordinator is judged on, as plain values: no I/O, no clock.

Each target counts from one step of the process to the next; the 12-week follow-up (rule 10) is
the process's own and is not one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from masg_cli.errors import NotFound, UsageProblem


@dataclass(frozen=True)
class Target:
    name: str
    days: int
    working_days: bool
    counts: str  # from which step to which, as people read it

    def as_json(self) -> dict:
        return {"name": self.name, "days": self.days, "working_days": self.working_days}


DEFAULTS = (
    Target("triage", 5, True, "from receipt to triage"),
    Target("more-info", 10, True, "from asking the referrer to chasing them"),
    Target("sheet", 2, True, "from the meeting to the decision sheet produced"),
    Target("minutes", 3, True, "from the meeting to the minutes produced"),
    Target("tac", 42, False, "from the family's acceptance to the TAC meeting"),
)
NAMES = tuple(t.name for t in DEFAULTS)
SETTING_PREFIX = "target."
LONGEST = 366


def default(name: str) -> Target:
    for target in DEFAULTS:
        if target.name == name:
            return target
    raise NotFound(f"there is no target '{name}'; the targets are {', '.join(NAMES)}")


def check_days(name: str, days: int) -> None:
    """A target is at least one day and at most a year (a longer one is a typo)."""
    if days < 1 or days > LONGEST:
        raise UsageProblem(f"target '{name}' must be between 1 and {LONGEST} days, not {days}; "
                           f"for example 'masg targets set {name} {default(name).days}'")


def stored(name: str, value: str) -> Target:
    """A target as the setting table keeps it: '5 working' or '42 calendar'."""
    days, _, kind = value.partition(" ")
    return Target(name, int(days), kind != "calendar", default(name).counts)


def to_setting(target: Target) -> str:
    return f"{target.days} {'working' if target.working_days else 'calendar'}"
