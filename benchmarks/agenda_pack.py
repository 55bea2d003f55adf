"""How long does the agenda pack of a 20-case meeting take, against python-docx alone?

    python benchmarks/agenda_pack.py [--cases 20] [--runs 15]

In one process: a store with one meeting holding 20 cases (fictional families, two children
each) is made through masg's own commands. Then three things are timed, each warmed once and
then run in turn (floor, render, pack, floor, render, pack, ...) so that a busy machine slows
them alike; the figures are medians of ``--runs``:
- floor: loading and saving the same two templates (agenda.docx, background-pack.docx) with
  python-docx alone (``Document(path).save(...)``);
- render: masg's rendering of both documents from a 20-case context read beforehand
  (documents.render_docx: sandboxed docxtpl tags, atomic write);
- pack: the whole 'agenda pack' service in its own write transaction, as the command runs it
  (store reads for every case, both documents, their records and audit entries).
Target: pack within 2x of the floor. Each figure and the ratio is printed on its own line; the
exit status is 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET = 2.0


def alternating_medians(functions: dict, runs: int) -> dict[str, float]:
    """Median seconds of each function, run in turn so that machine noise falls on all alike."""
    for fn in functions.values():
        fn()  # warm: imports, caches
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, fn in functions.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def make_meeting(cases: int) -> None:
    from typer.testing import CliRunner

    from masg_cli.cli.app import app

    runner = CliRunner()

    def masg(*args: str) -> str:
        result = runner.invoke(app, list(args))
        if result.exit_code:
            raise SystemExit(f"masg {' '.join(args)} failed: {result.output}")
        return result.stdout.strip()

    masg("init", "--panel", "MASG")
    end = f"{9 + (cases * 20) // 60 + 1:02d}:30"
    masg("locality", "add", "North", "--start", "09:30", "--end", end, "--slot-minutes", "20",
         "--venue", "Northgate Family Hub", "--coordinator", "Pat Example", "--contact", "pat@example.gov.uk")
    masg("locality", "member", "add", "North", "--name", "Siân Sample", "--agency", "CAMHS",
         "--email", "sian@example.org")
    for n in range(cases):
        ref = masg("referral", "add", "--child", f"Zoë Example{n}", "--dob", "2015-02-03",
                   "--child", f"Tom O'Brien{n}", "--dob", "2018-06-12", "--locality", "North",
                   "--referrer", "Alex Teacher", "--referrer-agency", "O'Brien & Sons <Ltd>",
                   "--referrer-email", "alex@example.org", "--consent-date", "2026-11-01",
                   "--consent-by", "parent", "--needs", "Attendance, anxiety and routines at home",
                   "--agency", "CAMHS", "--agency", "School nursing", "--agency", "Family support",
                   "--transition", "complex-needs", "--received", "2026-11-02")
        masg("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    masg("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    masg("agenda", "build", "1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masg-bench-pack-"))
    os.environ["MASG_DB"] = str(work / "masg.db")
    os.environ["MASG_USER"] = "bench"
    make_meeting(args.cases)

    from docx import Document

    from masg_cli.cli.context import unit_of_work
    from masg_cli.documents import background_pack, pack_cases
    from masg_cli.documents.render import render_docx
    from masg_cli.documents.templates import template_path
    from masg_cli.models import Meeting
    from masg_cli.services import agenda_pack

    names = ("agenda.docx", "background-pack.docx")

    def floor() -> None:
        for name in names:
            Document(str(template_path(name))).save(str(work / f"floor-{name}"))

    with unit_of_work(write=False) as uow:
        meeting = uow.session.get(Meeting, 1)
        rows = pack_cases.pending_cases(uow.session, meeting)
        context, cases = background_pack.pack_context(uow.session, meeting, rows, on=date(2026, 11, 23))
    assert len(cases) == args.cases, f"only {len(cases)} cases on the agenda"

    def render() -> None:
        render_docx(template_path("agenda.docx"), context, work / "render", "agenda.docx")
        render_docx(template_path("background-pack.docx"), context | {"cases": cases}, work / "render", "bp.docx")

    def pack() -> None:
        with unit_of_work(write=True) as uow:
            agenda_pack.pack(uow, 1, out_dir=work / "pack", pdf=False, eml=False, on=date(2026, 11, 23))

    t = alternating_medians({"floor": floor, "render": render, "pack": pack}, args.runs)
    ratio = t["pack"] / t["floor"]
    print(f"floor, python-docx load+save of both templates: {t['floor'] * 1000:.0f} ms")
    print(f"render, both documents of {args.cases} cases: {t['render'] * 1000:.0f} ms")
    print(f"pack, the whole service ({args.cases} cases): {t['pack'] * 1000:.0f} ms")
    print(f"render / floor: {t['render'] / t['floor']:.2f}x")
    print(f"pack / floor: {ratio:.2f}x (target at most {TARGET:.1f}x: {'met' if ratio <= TARGET else 'MISSED'})")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
