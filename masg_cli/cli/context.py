"""What every command needs: which store, who is acting, where the user's templates are."""


import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date


@dataclass
class Options:
    db: str | None = None
    user: str | None = None
    templates: str | None = None


options = Options()


def current_user() -> str | None:
    """--user / MASG_USER; None lets the store name the database role or the login name."""
    return options.user or None


def templates_folder():
    """--templates / MASG_TEMPLATES: the co-ordinator's own templates, or None for the shipped ones."""
    from pathlib import Path

    return Path(options.templates).expanduser() if options.templates else None


def location():
    from masg_cli.store import locate

    return locate(options.db)


@contextmanager
def unit_of_work(*, write: bool, create: bool = False, overwrite: bool = False):
    """One command, one transaction; warnings reach stderr only once it has committed.

    ``overwrite``: the command's --overwrite, letting it replace files that exist (outputs.py)."""
    from masg_cli.store import transaction

    with transaction(location(), user=current_user(), write=write, create=create,
                     templates=templates_folder(), overwrite=overwrite) as uow:
        yield uow
    for warning in uow.warnings:
        print(warning, file=sys.stderr)


def today(as_of: str | None = None) -> date:
    """The day a command works from: --as-of when given (for late entry and tests), else today."""
    from masg_cli.dates import parse_date

    return parse_date(as_of, "--as-of") if as_of else date.today()


def day(value: str | None, what: str, default: date | None = None) -> date | None:
    from masg_cli.dates import parse_date

    return parse_date(value, what) if value else default
