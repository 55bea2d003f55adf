"""masg audit, doctor, backup and retention: the store's trail, health, copies and clearing out."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.cli import options
from masg_cli.cli.context import unit_of_work
from masg_cli.render import print_json, say, table


def audit(
    reference: str = typer.Argument(None, metavar="REF|seal",
                                    help="Only this referral's entries; or 'seal' with --out."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
    out: str = typer.Option(None, "--out", metavar="FILE",
                            help="With 'seal': write the trail's head and count here, for a manager to keep."),
    overwrite: bool = options.overwrite("the seal FILE if it exists"),
    views: bool = typer.Option(False, "--views", help="Who looked at the case REF, and when (a team store)."),
) -> None:
    """Show the audit trail: who changed what, and when; 'masg audit seal --out FILE' seals its head."""
    if views:
        return _views(reference, json)
    if (reference or "").lower() == "seal":
        return _seal(out, json, overwrite)
    if out or overwrite:
        flag = "--out" if out else "--overwrite"
        raise typer.BadParameter(f"{flag} goes with 'masg audit seal'", param_hint=flag)
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
        if rows:
            from masg_cli.views import AUDIT_CLOCK

            say(AUDIT_CLOCK)
    if problem:
        typer.echo(f"masg: warning: {problem}; these entries cannot be trusted: run 'masg doctor'", err=True)
        raise typer.Exit(1)


def _views(reference: str | None, json: bool) -> None:
    if not reference or reference.lower() == "seal":
        raise typer.BadParameter("--views needs the case's reference: masg audit --views REF", param_hint="--views")
    with unit_of_work(write=False) as uow:
        from masg_cli.services.access import views

        rows = views(uow.session, reference)
        server = not uow.location.is_sqlite
    if json:
        return print_json(rows)
    if not server:
        return say("Views are recorded on a team's PostgreSQL store; this SQLite store has one user.")
    table(f"Who looked at {reference.strip().upper()}", ["When (UTC)", "Who", "What"],
          [(r["at"][:19].replace("T", " "), r["user"], r["view"]) for r in rows], empty="Nobody has looked at it.")


def _seal(out: str | None, json: bool, overwrite: bool) -> None:
    if not out:
        raise typer.BadParameter("'masg audit seal' needs --out FILE", param_hint="--out")
    with unit_of_work(write=False, overwrite=overwrite) as uow:
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


def backup(
    out: Path = options.out_file("The backup file (created readable by you only)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace FILE if it exists."),
) -> None:
    """A consistent, checked copy of the store, safe while others are working."""
    from masg_cli.cli.context import location
    from masg_cli.services.backup import backup as copy
    from masg_cli.services.backup import refuse_server_store

    refuse_server_store(location(), out)  # before connecting to a server it would not back up
    with unit_of_work(write=True, overwrite=overwrite) as uow:  # the copy appears only with its record
        result = copy(uow, out, overwrite=overwrite)
    say(f"Backed up {result.referrals} referrals to {result.path} ({result.size:,} bytes); "
        f"{result.checked}. Restore: see docs/backups-and-retention.md (Backups and restoring).")


def retention(
    as_of: str = typer.Option(None, "--as-of", help="The day to judge from. Default: today."),
    apply: bool = typer.Option(False, "--apply", help="Remove the cases listed (otherwise a dry run)."),
    set_rule: str = typer.Option(None, "--set-rule", metavar="RULE",
                                 help="Set the authority's rule: until-age:N or years-after-closure:N."),
    json: bool = options.as_json(),
) -> None:
    """Closed cases past the retention period (a dry run unless --apply); legal holds are kept."""
    from masg_cli.cli.context import today
    from masg_cli.services import retention as service

    if set_rule:
        with unit_of_work(write=True) as uow:
            rule = service.set_rule(uow, set_rule)
        return say(f"Retention rule: {rule} ({rule.describe()}).")
    on = today(as_of)
    with unit_of_work(write=apply) as uow:
        rule, found = (service.apply if apply else service.due_cases)(uow if apply else uow.session, on)
        location = uow.location
    if apply:
        _after_removal(location, found, on)
    from masg_cli.views_reports import show_retention

    show_retention(rule, found, on, applied=apply, json=json)


def _after_removal(location, found, on) -> None:
    """The removal is committed either way: compacting the file, or judging early, only warns."""
    import sys
    from datetime import date

    from masg_cli.views_reports import retention_day_warning
    from masg_cli.services.retention import scrub

    early = sum(1 for case in found if not case.on_hold and case.due > date.today())
    for warning in (scrub(location), retention_day_warning(on, date.today(), early)):
        if warning:
            print(warning, file=sys.stderr)
