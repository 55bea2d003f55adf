"""masg store copy: move a co-ordinator's store into a team's shared (PostgreSQL) store."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import current_user, unit_of_work
from masg_cli.render import print_json, say

store_app = typer.Typer(help="The store itself: copy it into a team's shared store.", no_args_is_help=True)


@store_app.command("copy")
def copy(
    to: str = typer.Option(..., "--to", metavar="URL|FILE",
                           help="The new, empty store: postgresql+psycopg://USER@HOST/DB, or a SQLite file."),
    json: bool = options.as_json(),
) -> None:
    """Copy this store (--db) into an empty one, all or nothing: records, references and audit trail kept."""
    from masg_cli.store import locate, transaction

    with unit_of_work(write=False) as source, \
            transaction(locate(to), user=current_user(), write=True, create=True) as target:
        from masg_cli.services.storecopy import copy_store

        result = copy_store(source, target)
    if json:
        return print_json({"to": result.target, "rows": result.rows, "referrals": result.referrals,
                           "audit_entries": result.audit_entries, "audit_chain": "ok"})
    say(f"Copied {result.referrals} referrals and {result.audit_entries} audit entries into {result.target}; "
        "the audit trail verifies there.")
    say(f"Each co-ordinator uses it with their own role: masg --db 'postgresql+psycopg://ROLE@HOST/DB' "
        f"(or MASG_DB); see docs/team-store.md. This store ({source.location.describe()}) is unchanged.")
