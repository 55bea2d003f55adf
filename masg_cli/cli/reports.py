"""masg report, export, import, backup, retention, and legal hold: the data around the process."""


from enum import Enum
from pathlib import Path

import typer

from masg_cli.cli.context import day, today, unit_of_work
from masg_cli.cli.referral import referral_app
from masg_cli.render import print_json, say

report_app = typer.Typer(help="Figures for managers.", no_args_is_help=True)


class Format(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@report_app.command("summary")
def summary(
    start: str = typer.Option(None, "--from", help="First day counted. Default: the first record."),
    end: str = typer.Option(None, "--to", help="Last day counted. Default: the last record."),
    locality: str = typer.Option(None, "--locality", help="Only this locality."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
    xlsx: Path = typer.Option(None, "--xlsx", metavar="FILE", help="Also write an Excel workbook with charts."),
) -> None:
    """Monthly figures per locality: referrals, triage, panels, timeliness, agencies, outcomes."""
    first, last = day(start, "--from"), day(end, "--to")
    with unit_of_work(write=False) as uow:
        from masg_cli.services.reports import summary as build

        report = build(uow.session, start=first, end=last, locality=locality)
        if xlsx:
            from masg_cli.services.reports_xlsx import write_workbook

            write_workbook(report, xlsx)
    if json:
        return print_json(report)
    from masg_cli.views_reports import show_report

    show_report(report, workbook=xlsx)


def export(
    format: Format = typer.Option(..., "--format", help="csv, xlsx or json."),
    out: Path = typer.Option(..., "--out", metavar="FILE", help="The file to write (created readable by you only)."),
) -> None:
    """Export every referral with its children, decisions, reviews and follow-ups."""
    with unit_of_work(write=True) as uow:  # the file appears only with the record of who took it
        from masg_cli.services.export import export as write

        result = write(uow, fmt=format.value, out=out)
    say(f"Exported {result.referrals} referrals to {result.path} ({result.format}, readable by you only).")


def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="The tracker: .csv (UTF-8) or .xlsx."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and list those refused; change nothing."),
) -> None:
    """Bring in an existing tracker: every row checked first, then all rows or none."""
    if dry_run:
        with unit_of_work(write=False) as uow:
            from masg_cli.services.importer import plan

            checked = plan(uow.session, file)
        from masg_cli.views_reports import show_dry_run

        return show_dry_run(checked)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.importer import run_import

        checked = run_import(uow, file)
    say(f"Imported {len(checked.rows)} referrals from {file.name}.")


def backup(
    out: Path = typer.Option(..., "--out", metavar="FILE", help="The backup file (created readable by you only)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace FILE if it exists."),
) -> None:
    """A consistent, checked copy of the store, safe while others are working."""
    from masg_cli.cli.context import location
    from masg_cli.services.backup import backup as copy
    from masg_cli.services.backup import refuse_server_store

    refuse_server_store(location(), out)  # before connecting to a server it would not back up
    with unit_of_work(write=True) as uow:  # the copy appears only with the record that it was made
        result = copy(uow, out, overwrite=overwrite)
    say(f"Backed up {result.referrals} referrals to {result.path} ({result.size:,} bytes); "
        f"{result.checked}. Restore: see README (Backups).")


def retention(
    as_of: str = typer.Option(None, "--as-of", help="The day to judge from. Default: today."),
    apply: bool = typer.Option(False, "--apply", help="Remove the cases listed (otherwise a dry run)."),
    set_rule: str = typer.Option(None, "--set-rule", metavar="RULE",
                                 help="Set the authority's rule: until-age:N or years-after-closure:N."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Closed cases past the retention period (a dry run unless --apply); legal holds are kept."""
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
        import sys
        from datetime import date

        from masg_cli.views_reports import retention_day_warning

        early = sum(1 for case in found if not case.on_hold and case.due > date.today())
        for warning in (service.scrub(location), retention_day_warning(on, date.today(), early)):
            if warning:  # the removal is committed either way
                print(warning, file=sys.stderr)
    from masg_cli.views_reports import show_retention

    show_retention(rule, found, on, applied=apply, json=json)


@referral_app.command("hold")
def hold(
    reference: str = typer.Argument(..., metavar="REF"),
    reason: str = typer.Option(..., "--reason", help="Why it must be kept (e.g. litigation); no names."),
) -> None:
    """Put a case on legal hold: retention never removes it."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.retention import set_hold

        referral = set_hold(uow, reference, hold=True, reason=reason)
    say(f"{referral.reference} is on legal hold: retention will not remove it.")


@referral_app.command("release")
def release(reference: str = typer.Argument(..., metavar="REF")) -> None:
    """Release a case from legal hold: retention applies to it again."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.retention import set_hold

        referral = set_hold(uow, reference, hold=False, reason=None)
    say(f"{referral.reference} is released from legal hold.")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
    app.command("export")(export)
    app.command("import")(import_)
    app.command("backup")(backup)
    app.command("retention")(retention)
