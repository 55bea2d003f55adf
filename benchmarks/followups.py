"""How fast are 'masg followup list --overdue --json' and 'masg today' on large stores?

    python benchmarks/followups.py [--sizes 10000 100000] [--runs 5] [--keep DIR]

Stores of 10,000 and 100,000 referrals in every state (benchmarks/make_store.py) are timed
against the bare start-up of the same process: Python, SQLModel's import and one trivial query
on the same store. Targets: the 100,000 store within 1.5x of the 10,000 one and within 1.3x of
that floor (the work is done in indexed SQL, not in Python loops over every case), and peak
memory under 150 MB. Each figure and ratio is printed on its own line; the exit status is 1 when
a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_store import TODAY  # noqa: E402

FLOOR = ("import sqlmodel, sys\n"
         "from sqlalchemy import create_engine, text\n"
         "engine = create_engine('sqlite:///' + sys.argv[1])\n"
         "with engine.connect() as c: c.execute(text('SELECT 1')).scalar()\n")
COMMANDS = {
    # For reference: masg's own start-up (Typer, the models, the store check) on a trivial command.
    "locality list --json (masg start-up)": ["locality", "list", "--json"],
    "followup list --overdue --json": ["followup", "list", "--overdue", "--as-of", TODAY.isoformat(), "--json"],
    "today": ["today", "--as-of", TODAY.isoformat()],
}
TARGET_SIZE_RATIO = 1.5
TARGET_FLOOR_RATIO = 1.3
TARGET_MB = 150


def run_once(argv: list[str], out: Path) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one fresh process."""
    env = dict(os.environ, COLUMNS="120", MASG_USER="bench")
    with open(out, "wb") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {child.stderr.read().decode()}")
    child.stderr.close()
    child.returncode = 0
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KB


def measure(argv: list[str], runs: int, out: Path) -> tuple[float, float]:
    run_once(argv, out)  # warm the page cache
    times, peaks = zip(*(run_once(argv, out) for _ in range(runs)))
    return statistics.median(times), max(peaks)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="a folder to keep the stores in (made again when missing)")
    args = parser.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="masg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    small, large = args.sizes
    results: dict[tuple[str, int], float] = {}
    peak = 0.0
    missed = []
    for size in (small, large):
        store = folder / f"store-{size}.db"
        if not store.exists():
            started = time.perf_counter()
            # In a process of its own: a child's peak memory counts its parent's at the fork.
            subprocess.run([sys.executable, str(Path(__file__).with_name("make_store.py")), str(store),
                            "--referrals", str(size), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
            print(f"made store of {size} referrals: {time.perf_counter() - started:.1f} s")
        out = folder / "out.txt"
        floor, floor_mb = measure([sys.executable, "-c", FLOOR, str(store)], args.runs, out)
        print(f"floor (python + sqlmodel + one query), {size} store: {floor:.3f} s, {floor_mb:.0f} MB")
        results[("floor", size)] = floor
        for name, command in COMMANDS.items():
            seconds, mb = measure([sys.executable, "-m", "masg_cli", "--db", str(store), *command],
                                  args.runs, out)
            results[(name, size)] = seconds
            peak = max(peak, mb)
            rows = ""
            if command[-1] == "--json":
                rows = f", {len(json.loads(out.read_text()))} rows"
            print(f"{name}, {size} store: {seconds:.3f} s, {mb:.0f} MB{rows}")
            ratio = seconds / floor
            print(f"{name}, {size} store / floor: {ratio:.2f}x")
            if "start-up" not in name:
                print(f"{name}, {size} store / masg start-up: "
                      f"{seconds / results[(next(iter(COMMANDS)), size)]:.2f}x")
            if size == large and ratio > TARGET_FLOOR_RATIO and "start-up" not in name:
                missed.append(f"{name} at {size} is {ratio:.2f}x the floor (target {TARGET_FLOOR_RATIO}x)")
    for name in COMMANDS:
        ratio = results[(name, large)] / results[(name, small)]
        print(f"{name}, {large} / {small}: {ratio:.2f}x")
        if ratio > TARGET_SIZE_RATIO and "start-up" not in name:
            missed.append(f"{name}: {large} store is {ratio:.2f}x the {small} one (target {TARGET_SIZE_RATIO}x)")
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a masg command: {peak:.0f} MB")
    print(f"peak memory of any child (getrusage RUSAGE_CHILDREN): {children_mb:.0f} MB")
    if peak > TARGET_MB:
        missed.append(f"peak memory {peak:.0f} MB (target under {TARGET_MB} MB)")
    for line in missed:
        print(f"MISSED: {line}")
    print("targets met" if not missed else "targets missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
