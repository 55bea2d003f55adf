"""masg report: the figures managers ask for."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli.cli import options
from masg_cli.cli.context import day, unit_of_work
from masg_cli.render import print_json

report_app = typer.Typer(help="Figures for managers.", no_args_is_help=True)


@report_app.command("summary")
def summary(
    start: str = typer.Option(None, "--from", help="First day counted. Default: the first record."),
    end: str = typer.Option(None, "--to", help="Last day counted. Default: the last record."),
    locality: str = typer.Option(None, "--locality", help="Only this locality."),
    json: bool = options.as_json(),
    xlsx: Path = typer.Option(None, "--xlsx", metavar="FILE", help="Also write an Excel workbook with charts."),
    overwrite: bool = options.overwrite("the --xlsx FILE if it exists"),
) -> None:
    """Monthly figures per locality: referrals, triage, panels, timeliness, agencies, outcomes."""
    first, last = day(start, "--from"), day(end, "--to")
    with unit_of_work(write=False, overwrite=overwrite) as uow:
        from masg_cli.services.reports import summary as build

        report = build(uow.session, start=first, end=last, locality=locality)
        if xlsx:
            from masg_cli.services.reports_xlsx import write_workbook

            write_workbook(report, xlsx)
    if json:
        return print_json(report)
    from masg_cli.views_reports import show_report

    show_report(report, workbook=xlsx)
