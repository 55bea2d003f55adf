"""masg audit and masg doctor: the trail of changes, and the store's health."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli.context import unit_of_work
from masg_cli.render import print_json, say, table


def audit(
    reference: str = typer.Argument(None, metavar="[REF]", help="Only this referral's entries."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show the audit trail: who changed what, and when."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.audit import as_json, trail

        rows = [as_json(e) for e in trail(uow.session, reference.upper() if reference else None)]
    if json:
        return print_json(rows)
    table("Audit trail", ["When (UTC)", "Who", "Reference", "Action", "Changes"],
          [(r["at"][:19].replace("T", " "), r["user"], r["reference"] or "", r["action"],
            ", ".join(f"{k}={v}" for k, v in r["changes"].items())) for r in rows],
          empty="No entries.")


def doctor() -> None:
    """Check the store: schema version, tables, integrity, foreign keys, permissions, audit chain."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.doctor import examine

        checks = examine(uow)
    say(f"Store: {uow.location.describe()}")
    for check in checks:
        mark = "n/a " if not check.applicable else "ok  " if check.ok else "FAIL"
        say(f"{mark} {check.name}: {check.detail}")
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
    app.command("doctor")(doctor)
