"""How long do attaching and getting back a 20 MB file take, and how much memory?

    python benchmarks/attachments.py [--runs 3] [--mb 20] [--keep DIR] [--postgres]

A 20 MB PDF-headed file of random bytes is attached to a case ('masg attach') and written back
('masg attachment get'), each in a fresh process, as a co-ordinator runs them. Each figure is the
median wall time and the peak resident memory of that process (os.wait4), beside the floor: the
same process listing the case's attachments ('masg attachment list'), which loads Python,
SQLModel and the store but moves no file. The file is read and written a piece at a time
(1 MB), so the memory above the floor should be a few MB, not the file's size (or several
times it). Target: each command's peak within 30 MB of the floor. Exit status 1 when missed.
--postgres runs the same on a throw-away PostgreSQL server (tests/pg_server.py: bytea pieces).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MASG = [sys.executable, "-m", "masg_cli"]
TARGET_ABOVE_FLOOR_MB = 30


def timed(args: list[str], env: dict) -> tuple[float, float]:
    """(seconds, peak resident MB) of one masg process."""
    start = time.perf_counter()
    process = subprocess.Popen(MASG + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"masg {' '.join(args)} failed: {process.stderr.read().decode()}")
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return seconds, peak


def postgres_database() -> tuple[str, object]:
    """A new database on a throw-away server: its URL, and the server (stop it at the end)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import pg_server
    import psycopg

    server = pg_server.start(owner_pid=os.getpid())
    with psycopg.connect(server.url.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
                         autocommit=True) as admin:
        admin.execute('CREATE DATABASE "masg_attach_bench"')
    return f"{server.url}/masg_attach_bench", server


def setup(folder: Path, mb: int, db: str) -> tuple[dict, Path]:
    env = dict(os.environ, MASG_DB=db, MASG_USER="benchmark")
    quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(MASG + ["init", "--panel", "MASG"], **quiet)
    subprocess.run(MASG + ["locality", "add", "North", "--coordinator", "Pat Example",
                           "--contact", "pat@example.org"], **quiet)
    subprocess.run(MASG + ["referral", "add", "--child", "Ada Bench", "--dob", "2015-01-01", "--locality", "North",
                           "--referrer", "Alex Teacher", "--referrer-agency", "School", "--consent-date", "2026-11-01",
                           "--consent-by", "parent", "--needs", "Benchmark", "--received", "2026-11-02"], **quiet)
    big = folder / "scan.pdf"
    with open(big, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.write(os.urandom(mb * 1024 * 1024 - 9))
    return env, big


def median_of(runs: int, make) -> tuple[float, float]:
    results = [make(i) for i in range(runs)]
    return statistics.median(s for s, _ in results), max(p for _, p in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="build the store here and keep it")
    parser.add_argument("--postgres", action="store_true", help="on a throw-away PostgreSQL server")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="masg-attach-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    server = None
    db = str(folder / "bench.db")
    if options.postgres:
        db, server = postgres_database()
    try:
        return measure(options, folder, db)
    finally:
        if server is not None:
            server.stop()


def measure(options, folder: Path, db: str) -> int:
    env, big = setup(folder, options.mb, db)
    ref = "MASG-2026-0001"
    attach = median_of(options.runs, lambda i: timed(["attach", ref, str(big), "--kind", "caf"], env))
    get = median_of(options.runs, lambda i: timed(["attachment", "get", ref, str(i + 1), "--out",
                                                   str(folder / f"out-{i}")], env))
    floor = median_of(options.runs, lambda i: timed(["attachment", "list", ref], env))
    doctor = median_of(1, lambda i: timed(["doctor"], env))
    where = "PostgreSQL" if "://" in db else "SQLite"
    print(f"{where}; file: {options.mb} MB; {options.runs} runs; medians of wall time, highest peak memory")
    for name, (seconds, peak) in (("floor (attachment list)", floor), ("attach", attach),
                                  ("attachment get", get), (f"doctor ({options.runs} files)", doctor)):
        print(f"{name:26} {seconds:6.2f} s  peak {peak:6.1f} MB  (+{peak - floor[1]:.1f} MB over the floor)")
    missed = [n for n, (_, p) in (("attach", attach), ("get", get)) if p - floor[1] > TARGET_ABOVE_FLOOR_MB]
    if missed:
        print(f"target missed: {', '.join(missed)} over {TARGET_ABOVE_FLOOR_MB} MB above the floor")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
