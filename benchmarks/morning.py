"""The morning at the speed of a keystroke: the commands typed all day, against two floors.

    python benchmarks/morning.py [--runs 7] [--sizes 10000 100000] [--stores DIR]
                                 [--save FILE.json] [--compare FILE.json]

Each of `today`, `followup list --overdue` (a table, and --json), `referral show`, `agenda show`
and `person find NAME --dob DATE` is run as co-ordinators run it: the installed `masg` console
script in a fresh process, its output to a pipe, on stores of 10,000 and 100,000 referrals
(benchmarks/make_store.py; made once and kept in --stores, by default a folder in the temporary
directory, and made again when masg's migrations change). Fixed dates (--as-of 2026-11-23, the
stores' "today") and fixed cases, so that every run does the same work. `followup list --overdue`
lists every overdue follow-up, so on the large store it prints ten times the rows of the small one.

Two floors, on the same stores:
- (a) "sqlmodel floor": Python, SQLModel's import, an engine and `SELECT 1` (the floor the
  follow-up benchmark uses);
- (b) "physical floor": Python and the standard library's sqlite3 counting the referrals.

Also timed: `masg --help`, and the Tab completion that reads the store (`masg referral show
MASG-2026-00<Tab>` on the large store).

Targets (issue 21): each command on the 100,000 store within 1.2x of floor (a) on that store and
within 1.1x of its own time on the 10,000 store; completion within 0.3 s. The machine is shared,
so every case runs --runs times, the cases alternated round by round so that noise falls on all
alike; the figures are the minimum of the runs, with the median beside it to show how noisy the
machine was. Never a timed test: the exit status is 0 whatever the figures are.

--save writes the minima to a JSON file; --compare prints them beside those of an earlier --save
(the state before a change and after it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_store import TODAY  # noqa: E402

AS_OF = TODAY.isoformat()
FLOOR_SQLMODEL = ("import sqlmodel, sys\n"
                  "from sqlalchemy import create_engine, text\n"
                  "engine = create_engine('sqlite:///' + sys.argv[1])\n"
                  "with engine.connect() as c: c.execute(text('SELECT 1')).scalar()\n")
FLOOR_PHYSICAL = ("import sqlite3, sys\n"
                  "sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM referral').fetchone()\n")
TARGET_FLOOR = 1.2  # each command on the large store, against floor (a) on the same store
TARGET_SIZE = 1.1  # each command on the large store, against itself on the small one
TARGET_COMPLETION = 0.3  # seconds


def masg_script() -> str:
    """The installed console script beside this Python (as a co-ordinator runs masg)."""
    script = Path(sys.executable).with_name("masg")
    if script.exists():
        return str(script)
    found = shutil.which("masg")
    if not found:
        raise SystemExit("no installed 'masg' console script: pip install -e . first")
    return found


def schema_mark() -> str:
    """The migrations a store is made with: a cached store of another schema is made again."""
    sys.path.insert(0, str(HERE.parent))
    from masg_cli.migrations import known_names

    return known_names()[-1]


def store_of(folder: Path, size: int) -> Path:
    path = folder / f"morning-{size}-{schema_mark()}.db"
    if not path.exists():
        started = time.perf_counter()
        # A process of its own, as make_store.py is run: nothing of it stays in this one.
        subprocess.run([sys.executable, str(HERE / "make_store.py"), str(path), "--referrals", str(size),
                        "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
        print(f"made the store of {size} referrals in {time.perf_counter() - started:.1f} s: {path}")
    return path


def cases_of(store: Path) -> dict[str, str]:
    """The fixed cases a store's commands are run on, read once with sqlite3."""
    with sqlite3.connect(store) as db:
        # A case with a history (decided, reviewed, followed up), in the middle of the store.
        (reference,) = db.execute(
            "SELECT r.reference FROM referral r WHERE r.status = 'monitoring' "
            "AND r.id >= (SELECT max(id) / 2 FROM referral) ORDER BY r.id LIMIT 1").fetchone()
        # A meeting with a morning's agenda (09:30-12:30 in 20-minute slots: 9 cases). make_store
        # puts every case that reached the panel on a meeting, so most meetings of the large store
        # hold ten times the small one's: the one nearest 9 slots keeps the work alike on both.
        (meeting,) = db.execute(
            "SELECT m.id FROM meeting m JOIN agenda_slot s ON s.meeting_id = m.id "
            "GROUP BY m.id ORDER BY abs(count(*) - 9), m.date DESC LIMIT 1").fetchone()
        name, dob = db.execute(
            "SELECT c.name, c.dob FROM child c WHERE c.referral_id = "
            "(SELECT max(id) / 3 FROM referral) ORDER BY c.position LIMIT 1").fetchone()
    return {"reference": reference, "meeting": str(meeting), "name": name, "dob": dob}


def commands(store: Path) -> dict[str, list[str]]:
    case = cases_of(store)
    return {
        "today": ["today", "--as-of", AS_OF],
        "followup list --overdue": ["followup", "list", "--overdue", "--as-of", AS_OF],
        "followup list --overdue --json": ["followup", "list", "--overdue", "--as-of", AS_OF, "--json"],
        "referral show": ["referral", "show", case["reference"]],
        "agenda show": ["agenda", "show", case["meeting"]],
        "person find NAME --dob": ["person", "find", case["name"], "--dob", case["dob"]],
    }


def environment(store: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "MASG_USER": "bench"}
    # A pipe, as `masg today | less` or a script sees it: no terminal width given.
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    if store is not None:
        env["MASG_DB"] = str(store)
    return env


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds of one fresh process with its stdout to a pipe, and how many bytes it wrote."""
    started = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed, len(result.stdout)


def verdicts(lowest: dict[str, float], names: list[str], small: int, large: int) -> int:
    """Print which targets pass; the number missed."""
    missed = 0
    floor_large = lowest[f"floor (a) sqlmodel, {large}"]
    for name in names:
        by_floor = lowest[f"{name}, {large}"] / floor_large
        by_size = lowest[f"{name}, {large}"] / lowest[f"{name}, {small}"]
        floor_ok, size_ok = by_floor <= TARGET_FLOOR, by_size <= TARGET_SIZE
        missed += (not floor_ok) + (not size_ok)
        print(f"{name}: {by_floor:.2f}x floor (a) (target {TARGET_FLOOR}x) {'ok' if floor_ok else 'MISSED'}; "
              f"{by_size:.2f}x its {small} time (target {TARGET_SIZE}x) {'ok' if size_ok else 'MISSED'}")
    completion = lowest[f"completion of a reference, {large}"]
    print(f"completion: {completion:.3f} s (target {TARGET_COMPLETION} s) "
          f"{'ok' if completion <= TARGET_COMPLETION else 'MISSED'}")
    missed += completion > TARGET_COMPLETION
    print(f"{missed} target(s) missed" if missed else "every target met")
    return missed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "masg-bench-stores")
    parser.add_argument("--save", type=Path, help="write the minima to this JSON file")
    parser.add_argument("--compare", type=Path, help="print the minima beside an earlier --save")
    args = parser.parse_args(argv)
    args.stores.mkdir(parents=True, exist_ok=True)
    small, large = args.sizes
    masg = masg_script()
    py = sys.executable

    cases: dict[str, tuple[list[str], dict[str, str]]] = {}
    names: list[str] = []
    for size in (small, large):
        store = store_of(args.stores, size)
        env = environment(store)
        cases[f"floor (a) sqlmodel, {size}"] = ([py, "-c", FLOOR_SQLMODEL, str(store)], env)
        cases[f"floor (b) sqlite3, {size}"] = ([py, "-c", FLOOR_PHYSICAL, str(store)], env)
        for name, words in commands(store).items():
            cases[f"{name}, {size}"] = ([masg, *words], env)
            if name not in names:
                names.append(name)
    cases["masg --help"] = ([masg, "--help"], environment())
    cases[f"completion of a reference, {large}"] = (
        [masg], {**environment(store_of(args.stores, large)), "_MASG_COMPLETE": "complete_bash",
                 "COMP_WORDS": "masg referral show MASG-2026-00", "COMP_CWORD": "3"})

    written: dict[str, int] = {}
    for name, (command, env) in cases.items():  # warm the page cache and the .pyc files
        _, written[name] = timed(command, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    started = time.perf_counter()
    for _ in range(args.runs):  # round by round: a busy moment slows every case alike
        for name, (command, env) in cases.items():
            times[name].append(timed(command, env)[0])
    lowest = {name: min(values) for name, values in times.items()}
    middle = {name: statistics.median(values) for name, values in times.items()}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    print(f"{args.runs} runs of each case, alternated ({time.perf_counter() - started:.0f} s); "
          f"load average {load:.2f} on {os.cpu_count()} cores; seconds are the minimum (median beside it)")
    print()
    width = max(len(name) for name in names) + 2
    print(f"{'command':<{width}}" + "".join(f"{f'{size} s (median)':>20}{'/ (a)':>8}" for size in (small, large))
          + f"{f'{large}/{small}':>14}{'out KB':>9}")

    def cell(key: str, floor: float) -> str:
        return f"{lowest[key]:>9.3f} ({middle[key]:.3f}){lowest[key] / floor:>8.2f}"

    for name in ["floor (b) sqlite3", "floor (a) sqlmodel", *names]:
        row = f"{name:<{width}}"
        for size in (small, large):
            row += f"{cell(f'{name}, {size}', lowest[f'floor (a) sqlmodel, {size}']):>28}"
        row += f"{lowest[f'{name}, {large}'] / lowest[f'{name}, {small}']:>14.2f}"
        row += f"{written[f'{name}, {large}'] / 1024:>9.0f}"
        print(row)
    print()
    for name in ("masg --help", f"completion of a reference, {large}"):
        print(f"{name}: {lowest[name]:.3f} s (median {middle[name]:.3f})")
    spreads = [middle[name] / lowest[name] for name in cases]
    print(f"noise: median / minimum of a case {min(spreads):.2f}-{max(spreads):.2f}x "
          f"(median {statistics.median(spreads):.2f}x)")

    print()
    verdicts(lowest, names, small, large)
    if args.compare:
        before = json.loads(args.compare.read_text())["seconds"]
        print()
        print(f"against {args.compare}:")
        for name in cases:
            if name in before:
                print(f"  {name:<{width + 10}} {before[name]:7.3f} -> {lowest[name]:7.3f} s "
                      f"({lowest[name] / before[name]:.2f}x)")
    if args.save:
        args.save.write_text(json.dumps({"runs": args.runs, "seconds": lowest, "medians": middle,
                                         "bytes": written}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
