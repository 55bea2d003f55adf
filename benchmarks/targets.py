"""How fast are 'masg today' (with its late items) and 'masg remind --dry-run' on large stores?

    python benchmarks/targets.py [--sizes 10000 100000] [--runs 5] [--keep DIR]

The same stores and floor as benchmarks/followups.py (Python, SQLModel's import and one trivial
query). Target: 'today' and 'remind --dry-run' on the 100,000 store within 1.5x of the 10,000
one, since every late item and every reminder is found by an indexed date range, not by a
Python loop over every case. The --json runs print every item, and the generated stores hold
ten times as many items due at 100,000, so they are timed for information, not judged. Each
ratio is also given over the floor measured at the same size, which takes out a busy machine's
swings. The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from followups import FLOOR, measure  # noqa: E402
from make_store import TODAY  # noqa: E402

COMMANDS = {
    "today": ["today", "--as-of", TODAY.isoformat()],
    "remind --dry-run": ["remind", "--out", "{out}", "--as-of", TODAY.isoformat(), "--dry-run"],
    "today --json": ["today", "--as-of", TODAY.isoformat(), "--json"],
    "remind --dry-run --json": ["remind", "--out", "{out}", "--as-of", TODAY.isoformat(), "--dry-run", "--json"],
}
TARGET_SIZE_RATIO = 1.5
JUDGED = ("today", "remind --dry-run")


def _store(folder: Path, size: int) -> Path:
    store = folder / f"store-{size}.db"
    if not store.exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, str(Path(__file__).with_name("make_store.py")), str(store),
                        "--referrals", str(size), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
        print(f"made store of {size} referrals: {time.perf_counter() - started:.1f} s")
    return store


def _rows(name: str, out: Path) -> str:
    if not name.endswith("--json"):
        return ""
    found = json.loads(out.read_text())
    if isinstance(found, dict):
        return f", {len(found['late'])} late items"
    return f", {len(found)} recipients, {sum(len(p['items']) for p in found)} items"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="a folder to keep the stores in (made again when missing)")
    args = parser.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="masg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[str, int], float] = {}
    floors: dict[int, float] = {}
    out = folder / "out.txt"
    for size in args.sizes:
        store = _store(folder, size)
        floor, _ = measure([sys.executable, "-c", FLOOR, str(store)], args.runs, out)
        floors[size] = floor
        print(f"floor (python + sqlmodel + one query), {size} store: {floor:.3f} s")
        for name, command in COMMANDS.items():
            argv_ = [part.replace("{out}", str(folder / "drafts")) for part in command]
            seconds, mb = measure([sys.executable, "-m", "masg_cli", "--db", str(store), *argv_], args.runs, out)
            results[(name, size)] = seconds
            print(f"{name}, {size} store: {seconds:.3f} s, {mb:.0f} MB{_rows(name, out)}; "
                  f"{seconds / floor:.2f}x the floor")
    small, large = args.sizes
    missed = []
    for name in COMMANDS:
        ratio = results[(name, large)] / results[(name, small)]
        steady = ratio * floors[small] / floors[large]
        print(f"{name}, {large} / {small}: {ratio:.2f}x ({steady:.2f}x over each size's floor)")
        if ratio > TARGET_SIZE_RATIO and name in JUDGED:
            missed.append(f"{name}: {large} store is {ratio:.2f}x the {small} one (target {TARGET_SIZE_RATIO}x)")
    for line in missed:
        print(f"MISSED: {line}")
    print("targets met" if not missed else "targets missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
