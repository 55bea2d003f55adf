"""The same commands on SQLite and on PostgreSQL: 'followup list --overdue' and 'today' on 100,000 referrals.

    python benchmarks/postgres.py [--referrals 100000] [--runs 5] [--pg-url URL] [--keep DIR]

A SQLite store is generated (benchmarks/make_store.py: every status, meetings, decisions,
reviews, follow-ups, a valid audit chain) and copied into an empty PostgreSQL database with
`masg store copy` (timed too). Without --pg-url, a throw-away PostgreSQL server is started from
Debian's packages (tests/pg_server.py; fsync off, as in the tests) and stopped at the end. Each
command is run as a fresh process (`python -m masg_cli`), once to warm the caches and then
--runs times; the median wall time is printed for each back end, with the ratio
PostgreSQL / SQLite. Both back ends must print the same JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from make_store import TODAY  # noqa: E402

COMMANDS = {
    "locality list --json (start-up)": ["locality", "list", "--json"],
    "followup list --overdue --json": ["followup", "list", "--overdue", "--as-of", TODAY.isoformat(), "--json"],
    "today --json": ["today", "--as-of", TODAY.isoformat(), "--json"],
    "today": ["today", "--as-of", TODAY.isoformat()],
}


def masg(db: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="120", MASG_USER="bench")
    result = subprocess.run([sys.executable, "-m", "masg_cli", "--db", db, *args], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"masg {' '.join(args)} failed: {result.stderr}")
    return result


def timed(db: str, args: list[str], runs: int) -> tuple[float, str]:
    out = masg(db, *args).stdout  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        masg(db, *args)
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg-url", help="a PostgreSQL server (postgresql+psycopg://USER@HOST:PORT) "
                                         "where this may create and drop a database")
    parser.add_argument("--keep", help="a folder to keep the SQLite store in (made again when missing)")
    args = parser.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="masg-bench-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / f"store-{args.referrals}.db"
    if not store.exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "make_store.py"), str(store), "--referrals",
                        str(args.referrals), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
        print(f"made a SQLite store of {args.referrals} referrals: {time.perf_counter() - started:.1f} s")

    import psycopg
    import pg_server

    server = None
    base = args.pg_url
    if not base:
        server = pg_server.start(owner_pid=os.getpid())
        base = server.url
        print(f"started a PostgreSQL server: {base}")
    name = f"masg_bench_{os.getpid()}"
    admin_url = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            version = admin.execute("SHOW server_version").fetchone()[0]
            admin.execute(f'CREATE DATABASE "{name}"')
        target = f"{base}/{name}"
        started = time.perf_counter()
        masg(str(store), "store", "copy", "--to", target)
        print(f"masg store copy of {args.referrals} referrals into PostgreSQL {version}: "
              f"{time.perf_counter() - started:.1f} s")
        stores = {"SQLite": str(store), "PostgreSQL": target}
        for label, command in COMMANDS.items():
            seconds, outputs = {}, {}
            for backend, db in stores.items():
                seconds[backend], outputs[backend] = timed(db, command, args.runs)
                rows = f", {len(json.loads(outputs[backend]))} rows" if command[-1] == "--json" and \
                    isinstance(json.loads(outputs[backend]), list) else ""
                print(f"{label}, {args.referrals} referrals, {backend}: {seconds[backend]:.3f} s{rows}")
            print(f"{label}: PostgreSQL / SQLite {seconds['PostgreSQL'] / seconds['SQLite']:.2f}x")
            if command[-1] == "--json" and json.loads(outputs["SQLite"]) != json.loads(outputs["PostgreSQL"]):
                print(f"DIFFERENT: {label} printed different JSON on the two back ends")
                return 1
        return 0
    finally:
        from masg_cli.store import dispose_engines

        dispose_engines()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if server:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
