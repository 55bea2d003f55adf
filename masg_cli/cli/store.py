"""masg store copy: move a co-ordinator's store into a team's shared (PostgreSQL) store."""

# No `from __future__ import annotations` here: Typer would compile and eval every
# string annotation on each start-up (about 1 ms a command).
import typer

from masg_cli.cli import options
from masg_cli.cli.context import current_user, unit_of_work
from masg_cli.render import print_json, say

store_app = typer.Typer(help="The store itself: copy it into a team's shared store; who may see which cases there.",
                        no_args_is_help=True)


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


@store_app.command("grant")
def grant(
    role: str = typer.Argument(..., metavar="ROLE", help="The co-ordinator's or manager's PostgreSQL role."),
    locality: list[str] = typer.Option(None, "--locality", metavar="NAME",
                                       help="A locality whose cases ROLE reads and writes; repeat for more."),
    manager: bool = typer.Option(False, "--manager", help="ROLE reads every case and figure, and writes nothing."),
    json: bool = options.as_json(),
) -> None:
    """Team store: let a database role co-ordinate localities' cases (--locality) or read them all (--manager)."""
    if bool(locality) == manager:
        raise typer.BadParameter("give --locality NAME (a co-ordinator) or --manager, one of the two",
                                 param_hint="--locality / --manager")
    with unit_of_work(write=True) as uow:
        from masg_cli.services.access import grant as grant_access

        access = grant_access(uow, role, localities=locality or [], manager=manager)
    if json:
        return print_json(access.as_json())
    say(_described(access) + (". The database holds it to that, whatever client it connects with." if manager else
                              ". The database keeps it to those cases, whatever client it connects with."))


@store_app.command("revoke")
def revoke(
    role: str = typer.Argument(..., metavar="ROLE", help="The role whose access ends."),
    locality: str = typer.Option(None, "--locality", metavar="NAME",
                                 help="Only this locality; the role keeps its others."),
    json: bool = options.as_json(),
) -> None:
    """Team store: take away a database role's access to cases (all of it, or one locality's)."""
    with unit_of_work(write=True) as uow:
        from masg_cli.services.access import revoke as revoke_access

        left = revoke_access(uow, role, locality=locality)
    if json:
        return print_json(left.as_json() if left else {"role": role, "access": None, "localities": []})
    say(_described(left) + "." if left else f"{role} no longer sees any case on this store.")


@store_app.command("access")
def access(json: bool = options.as_json()) -> None:
    """Team store: which database roles may see which localities' cases, and who manages."""
    with unit_of_work(write=False) as uow:
        from masg_cli.services.access import ONE_USER, listing, owner

        server = not uow.location.is_sqlite
        granted = listing(uow.session) if server else []
        holder = owner(uow.session) if server else None
    if json:
        return print_json([a.as_json() for a in granted])
    if not server:
        return say(ONE_USER[0].upper() + ONE_USER[1:] + ".")
    from masg_cli.render import table

    table("Who may see which cases", ["Role", "Access", "Localities", "Since"],
          [(a.role, a.access, ", ".join(a.localities) or "every locality (reads only)", a.granted_on)
           for a in granted], empty="No role has been granted access yet: masg store grant ROLE --locality NAME.")
    say(f"The owner, {holder}, sees and changes every case; superusers see every case too.")


def _described(access) -> str:
    if access.access == "manager":
        return f"{access.role} reads every case and figure, and writes nothing"
    return f"{access.role} reads and writes the cases of {', '.join(access.localities)}"
