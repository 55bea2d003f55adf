"""Is the known-family check fast on a large store? `referral add` and `person find` on 100,000
referrals, against `referral add` on an empty store.

    python benchmarks/known_family.py [--referrals 100000] [--runs 7]

A store of that many fictional referrals is made with benchmarks/make_store.py (children's folded
names and phonetic keys filled as masg keys them). Each run is a fresh process of the installed
`masg` (medians of --runs, alternated in one loop; these machines are noisy, so compare ratios):
- `referral add` on an empty store (the floor: start-up, SQLModel, one transaction);
- `referral add` on the large store, for a child who is there (a closed case: the check finds it
  and warns) with --not-duplicate, so every run adds a referral whatever it finds;
- `person find NAME --dob DATE --json` on the large store, for that child (as a co-ordinator looks
  a child up); and, reported without a target, its full name alone and its first name alone
  (make_store draws from 10 first names and 6 surnames, so these match thousands of children).
Target: both within 1.2x of the floor. The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from make_store import make_store  # noqa: E402

TARGET = 1.2
MASG = [sys.executable, "-m", "masg_cli"]


def referral_add(db: Path, child: str, dob: str, received: str) -> list[str]:
    return [*MASG, "--db", str(db), "referral", "add", "--child", child, "--dob", dob, "--locality", "North",
            "--referrer", "Jo Nurse", "--referrer-agency", "Health visiting", "--consent-date", received,
            "--consent-by", "parent", "--needs", "Sleep", "--received", received, "--not-duplicate"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:6])} failed: {done.stderr.strip()}")
    return took


def a_known_child(db: Path) -> tuple[str, str]:
    conn = sqlite3.connect(db)
    name, dob = conn.execute("SELECT c.name, c.dob FROM child c JOIN referral r ON r.id = c.referral_id "
                             "WHERE r.status = 'closed' ORDER BY c.id LIMIT 1").fetchone()
    conn.close()
    return name, dob


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="masg-known-"))
    try:
        big, empty = folder / "big.db", folder / "empty.db"
        make_store(big, referrals=args.referrals, seed=1)
        subprocess.run([*MASG, "--db", str(empty), "init"], check=True, capture_output=True)
        subprocess.run([*MASG, "--db", str(empty), "locality", "add", "North"], check=True, capture_output=True)
        name, dob = a_known_child(big)
        first = name.split()[0]
        times: dict[str, list[float]] = {"floor": [], "add": [], "find": [], "name": [], "first": []}
        for run in range(args.runs):
            received = f"2026-12-{run + 1:02d}"
            times["floor"].append(timed(referral_add(empty, "Ava Floor", "2016-01-01", received)))
            times["add"].append(timed(referral_add(big, name, dob, received)))
            times["find"].append(timed([*MASG, "--db", str(big), "person", "find", name, "--dob", dob, "--json"]))
            times["name"].append(timed([*MASG, "--db", str(big), "person", "find", name, "--json"]))
            times["first"].append(timed([*MASG, "--db", str(big), "person", "find", first, "--json"]))
        floor = statistics.median(times["floor"])
        missed = False
        print(f"{args.referrals} referrals; medians of {args.runs} runs")
        print(f"  referral add, empty store        {floor:6.3f} s")
        for key, label in (("add", "referral add, known child"), ("find", "person find, name and dob"),
                           ("name", "person find, full name only"), ("first", "person find, first name only")):
            took = statistics.median(times[key])
            ratio = took / floor
            targeted = key in ("add", "find")
            missed |= targeted and ratio > TARGET
            target = f"(target {TARGET}x)" if targeted else "(no target)"
            print(f"  {label:<32} {took:6.3f} s   {ratio:4.2f}x the floor {target}")
        return 1 if missed else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.pop("MASG_DB", None)
    sys.exit(main())
