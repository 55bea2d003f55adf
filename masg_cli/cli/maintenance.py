"""masg audit and masg doctor: the trail of changes, and the store's health."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli.context import unit_of_work
from masg_cli.render import print_json, say, table


def audit(
    reference: str = typer.Argument(None, metavar="REF|seal",
                                    help="Only this referral's entries; or 'seal' with --out."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
    out: str = typer.Option(None, "--out", metavar="FILE",
                            help="With 'seal': write the trail's head and count here, for a manager to keep."),
) -> None:
    """Show the audit trail: who changed what, and when; 'masg audit seal --out FILE' seals its head."""
    if (reference or "").lower() == "seal":
        return _seal(out, json)
    if out:
        raise typer.BadParameter("--out goes with 'masg audit seal'", param_hint="--out")
    with unit_of_work(write=False) as uow:
        from masg_cli.services.audit import as_json, trail, trouble

        rows = [as_json(e) for e in trail(uow.session, reference.upper() if reference else None)]
        problem = trouble(uow.session, uow.location)
    if json:
        print_json(rows)
    else:
        table("Audit trail", ["When (UTC)", "Who", "Reference", "Action", "Changes"],
              [(r["at"][:19].replace("T", " "), r["user"], r["reference"] or "", r["action"],
                ", ".join(f"{k}={v}" for k, v in r["changes"].items())) for r in rows],
              empty="No entries.")
    if problem:
        typer.echo(f"masg: warning: {problem}; these entries cannot be trusted: run 'masg doctor'", err=True)
        raise typer.Exit(1)


def _seal(out: str | None, json: bool) -> None:
    if not out:
        raise typer.BadParameter("'masg audit seal' needs --out FILE", param_hint="--out")
    with unit_of_work(write=False) as uow:
        from masg_cli.services.audit import seal

        head = seal(uow.session, uow.location, out)
    if json:
        return print_json({"out": out, "entries": head.entries, "entry": head.entry, "hash": head.hash})
    say(f"Sealed the audit trail at {head.short()} in {out}. Keep it away from the store; "
        f"'masg doctor --seal {out}' checks the trail still extends it.")


def doctor(
    seal: str = typer.Option(None, "--seal", metavar="FILE",
                             help="Also check the trail extends this seal (masg audit seal) or backup."),
) -> None:
    """Check the store: schema, tables, integrity, foreign keys, permissions, audit chain and anchor, records."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.doctor import examine, read_seal_option

        checks = examine(uow, read_seal_option(seal))
    say(f"Store: {uow.location.describe()}")
    for check in checks:
        mark = "n/a " if not check.applicable else "warn" if check.warning else "ok  " if check.ok else "FAIL"
        say(f"{mark} {check.name}: {check.detail}")
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
    app.command("doctor")(doctor)
