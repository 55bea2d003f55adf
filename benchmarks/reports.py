"""How `masg report summary` and `masg export --format xlsx` scale: 10,000 and 100,000 referrals.

    python benchmarks/reports.py [--sizes 10000 100000] [--keep DIR]

Each command runs as a real `masg` process; wall time and that process's peak memory (from
os.wait4's rusage) are printed, then the 100k/10k ratios. Targets: within 12x for a 10x store,
and under 300 MB peak.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


COMMANDS = {
    "report summary": ["report", "summary", "--json"],
    "report summary --xlsx": ["report", "summary", "--xlsx", "{dir}/figures.xlsx"],
    "export --format xlsx": ["export", "--format", "xlsx", "--out", "{dir}/export.xlsx"],
}


def measure(db: Path, args: list[str], folder: Path) -> tuple[float, float]:
    """Seconds and peak MB of one masg process."""
    argv = [shutil.which("masg") or "masg", "--db", str(db)] + [a.format(dir=folder) for a in args]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports kilobytes


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", help="Keep the generated stores in this folder (reused when present).")
    args = parser.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="masg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[str, int], tuple[float, float]] = {}
    for size in args.sizes:
        db = folder / f"store-{size}.db"
        if not db.exists():
            started = time.perf_counter()
            # In its own process: a child forked from a parent that built 100k rows in memory
            # would report the parent's peak memory as its own.
            subprocess.run([sys.executable, str(Path(__file__).parent / "make_store.py"), str(db),
                            "--referrals", str(size), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
            print(f"made a store of {size:,} referrals in {time.perf_counter() - started:.1f} s", flush=True)
        for label, command in COMMANDS.items():
            seconds, peak = measure(db, command, folder)
            results[(label, size)] = (seconds, peak)
            print(f"{label:<24} {size:>8,} referrals: {seconds:7.2f} s, peak {peak:6.1f} MB", flush=True)
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        print(f"\nratios {large:,}/{small:,} (store {large / small:.0f}x; target within 12x, peak < 300 MB):")
        for label in COMMANDS:
            (s1, m1), (s2, m2) = results[(label, small)], results[(label, large)]
            verdict = "ok" if s2 / s1 <= 12 and m2 < 300 else "OVER TARGET"
            print(f"{label:<24} time {s2 / s1:5.1f}x, memory {m2 / m1:4.1f}x (peak {m2:.0f} MB) {verdict}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
