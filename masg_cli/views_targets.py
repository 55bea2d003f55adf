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


def reminders_sent(people, out, *, dry_run: bool) -> None:
    """Who is chased for what; then where the drafts are, or that none were written."""
    for person in people:
        items = ", ".join(f"{i.reference} {i.kind}" for i in person.items)
        say(f"{person.address}: {items}")
    if dry_run:
        say(f"{len(people)} reminder(s) would be written to {out}; nothing was written or recorded.")
    elif people:
        say(f"{len(people)} reminder draft(s) written to {out}; open each, check it and send it.")
    else:
        say("Nobody to chase today.")
