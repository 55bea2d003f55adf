"""What row-level security costs a team store: the same commands as the owner and as co-ordinators.

    python benchmarks/team_access.py [--referrals 10000] [--runs 5] [--pg-url URL] [--keep DIR]

A SQLite store is generated (benchmarks/make_store.py: six localities, every status) and copied
with `masg store copy` into a PostgreSQL database owned by a role of its own. The owner then
grants one co-ordinator's role all six localities and another's one locality (North). Each
command runs as a fresh process, once to warm and then --runs times (median printed), as:

- the owner (no row security applies to a table's owner),
- the co-ordinator of all six localities (row security on, every row visible): its JSON must equal
  the owner's, and its time over the owner's is what the policies cost,
- North's co-ordinator (row security on, a sixth of the rows), for comparison.

Without --pg-url a throw-away server is started from Debian's packages (tests/pg_server.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from make_store import LOCALITIES, TODAY  # noqa: E402
from postgres import masg, timed  # noqa: E402 - the same fresh-process runs as the back ends' comparison

COMMANDS = {
    "referral list --json": ["referral", "list", "--json"],
    "referral show REF --json": ["referral", "show", "MASG-2025-0001", "--json"],
    "followup list --overdue --json": ["followup", "list", "--overdue", "--as-of", TODAY.isoformat(), "--json"],
    "today --json": ["today", "--as-of", TODAY.isoformat(), "--json"],
    "report summary --json": ["report", "summary", "--json"],
}
ROLES = ("owner", "everywhere", "north")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg-url", help="a PostgreSQL server (postgresql+psycopg://SUPERUSER@HOST:PORT) "
                                         "where this may create and drop a database and roles")
    parser.add_argument("--keep", help="a folder to keep the SQLite store in (made again when missing)")
    args = parser.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="masg-bench-access-"))
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / f"store-{args.referrals}.db"
    if not store.exists():
        subprocess.run([sys.executable, str(HERE / "make_store.py"), str(store), "--referrals",
                        str(args.referrals), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)

    import psycopg
    import pg_server

    server = None
    base = args.pg_url
    if not base:
        server = pg_server.start(owner_pid=os.getpid())
        base = server.url
    tag = f"bench{os.getpid()}"
    names = {role: f"{role}_{tag}" for role in ROLES}
    database = f"masg_access_{tag}"
    admin_url = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"

    def url(role: str) -> str:
        return base.replace("://postgres@", f"://{names[role]}@") + f"/{database}"

    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            version = admin.execute("SHOW server_version").fetchone()[0]
            for name in names.values():
                admin.execute(f"CREATE ROLE {name} LOGIN")
            admin.execute(f"CREATE DATABASE {database} OWNER {names['owner']}")
        masg(str(store), "store", "copy", "--to", url("owner"))
        every_locality = [word for locality in LOCALITIES for word in ("--locality", locality)]
        masg(url("owner"), "store", "grant", names["everywhere"], *every_locality)
        masg(url("owner"), "store", "grant", names["north"], "--locality", "North")
        print(f"{args.referrals} referrals on PostgreSQL {version}; median of {args.runs} runs each")
        print(f"{'command':34} {'owner':>8} {'all six':>8} {'North':>8}  all six / owner")
        for label, command in COMMANDS.items():
            seconds, outputs = {}, {}
            for role in ROLES:
                seconds[role], outputs[role] = timed(url(role), command, args.runs)
            same = json.loads(outputs["owner"]) == json.loads(outputs["everywhere"])
            print(f"{label:34} {seconds['owner']:8.3f} {seconds['everywhere']:8.3f} {seconds['north']:8.3f}  "
                  f"{seconds['everywhere'] / seconds['owner']:.2f}x{'' if same else '  DIFFERENT OUTPUT'}")
            if not same:
                return 1
        return 0
    finally:
        from masg_cli.store import dispose_engines

        dispose_engines()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            for name in names.values():
                admin.execute(f"DROP ROLE IF EXISTS {name}")
        if server:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
