"""What every command needs: which store, who is acting, where the user's templates are."""


import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import overload


@dataclass
class Options:
    db: str | None = None
    user: str | None = None
    templates: str | None = None


options = Options()


def current_user() -> str | None:
    """--user / MASG_USER; None lets the store name the database role or the login name."""
    from masg_cli.fields import check_one_line

    # Every audit entry and 'masg audit' line carries it: one line, like any name.
    check_one_line([("--user (or MASG_USER)", options.user)])
    return options.user or None


def templates_folder():
    """--templates / MASG_TEMPLATES: the co-ordinator's own templates, or None for the shipped ones."""
    from pathlib import Path

    return Path(options.templates).expanduser() if options.templates else None


def location():
    from masg_cli.store import locate

    return locate(options.db)


@contextmanager
def unit_of_work(*, write: bool, create: bool = False, overwrite: bool = False, unsigned: bool = False):
    """One command, one transaction; warnings reach stderr only once it has committed.

    ``overwrite``: the command's --overwrite, letting it replace files that exist (outputs.py).
    ``unsigned``: the command's --unsigned, letting it write documents with a blank signature."""
    from masg_cli.store import transaction

    with transaction(location(), user=current_user(), write=write, create=create,
                     templates=templates_folder(), overwrite=overwrite) as uow:
        uow.unsigned = unsigned
        yield uow
    for warning in uow.warnings:
        print(warning, file=sys.stderr)


AS_OF_YEARS_AHEAD = 100


def today(as_of: str | None = None) -> date:
    """The day a command works from: --as-of when given (for late entry and tests), else today."""
    from masg_cli.dates import parse_date

    # A day to judge from, not a record: retention may be asked about a day years ahead.
    return parse_date(as_of, "--as-of", years_ahead=AS_OF_YEARS_AHEAD) if as_of else date.today()


@overload
def day(value: str | None, what: str, default: date) -> date: ...
@overload
def day(value: str | None, what: str, default: None = None) -> date | None: ...
def day(value: str | None, what: str, default: date | None = None) -> date | None:
    from masg_cli.dates import parse_date

    return parse_date(value, what) if value else default


def required_day(value: str, what: str) -> date:
    """The date of a required option: the step cannot be recorded without one, so an empty
    value is refused as not a date rather than passed on as none."""
    from masg_cli.dates import parse_date

    return parse_date(value, what)
