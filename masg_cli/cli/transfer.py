"""masg export and masg import: the whole record out to a file, an existing tracker in."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
from pathlib import Path

import typer

from masg_cli import rules
from masg_cli.cli import options
from masg_cli.cli.context import day, unit_of_work
from masg_cli.cli.options import ExportFormat
from masg_cli.errors import Refused
from masg_cli.render import say


def export(
    format: ExportFormat = typer.Option(..., "--format", help=options.one_of(rules.EXPORT_FORMATS) + "."),
    out: Path = options.out_file("The file to write (created readable by you only)."),
    start: str = typer.Option(None, "--from", metavar="DATE", help="With annex-a: the period's first day."),
    end: str = typer.Option(None, "--to", metavar="DATE", help="With annex-a: the period's last day."),
    overwrite: bool = options.overwrite("FILE if it exists"),
) -> None:
    """Export every referral with its children, decisions, reviews and follow-ups."""
    if format.value == rules.ANNEX_A:
        return _annex_a(out, day(start, "--from"), day(end, "--to"), overwrite)
    with unit_of_work(write=True, overwrite=overwrite) as uow:  # the file appears only with the record of who took it
        from masg_cli.services.export import export as write

        result = write(uow, fmt=format.value, out=out)
    say(f"Exported {result.referrals} referrals to {result.path} ({result.format}, readable by you only).")


def _annex_a(out: Path, start, end, overwrite: bool) -> None:
    with unit_of_work(write=True, overwrite=overwrite) as uow:
        from masg_cli.services.annex_a import export_annex_a

        count = export_annex_a(uow, out=out, start=start, end=end)
    say(f"Exported Ofsted's Annex A early help list: {count} children to {out} (readable by you only).")


def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="The tracker: .csv (UTF-8) or .xlsx."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and list those refused; change nothing."),
) -> None:
    """Bring in an existing tracker: every row checked first, then all rows or none."""
    if dry_run:
        return _check_only(file)
    with unit_of_work(write=True) as uow:
        from masg_cli.services.importer import run_import

        checked = run_import(uow, file)
    say(f"Imported {len(checked.rows)} referrals from {file.name}.")


def _check_only(file: Path) -> None:
    """The dry run: every row checked and those refused listed; nothing changes."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.importer import plan

        checked = plan(uow.session, file)
    from masg_cli.views_reports import show_dry_run

    show_dry_run(checked)
    for row in checked.rows:
        if row.linked_as_re_referral and not row.problems:
            say(f"row {row.number}: a child was referred before, in {row.re_referral_of} (closed); "
                "it would be imported as its re-referral")
    if checked.refused:
        raise Refused("fix the refused rows and run the dry run again; an import takes all rows or none")
