"""How targets and late items look to people."""

from __future__ import annotations

from masg_cli.render import say, table


def _days(target) -> str:
    kind = "working" if target.working_days else "calendar"
    return f"{target.days} {kind} day{'s' if target.days != 1 else ''}"


def targets_table(found) -> None:
    table("Targets", ["Target", "Days", "Counted"],
          [(t.name, _days(t), t.counts) for t in found])


def target_set(target) -> None:
    say(f"Target {target.name}: {_days(target)} {target.counts}.")
