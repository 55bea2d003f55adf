"""How long does the agenda pack of a 20-case meeting take, against python-docx alone?

    python benchmarks/agenda_pack.py [--cases 20] [--runs 5]

In one process: a store with one meeting holding 20 cases (fictional families, two children
each) is made through masg's own commands; then, median of ``--runs``:
- floor: loading and saving the same two templates (agenda.docx, background-pack.docx) with
  python-docx alone;
- render: masg's rendering of both documents from the 20-case context (documents.render_docx:
  sandboxed docxtpl, atomic write);
- pack: the whole 'agenda pack' service (store reads for every case, rendering, document rows).
Target: pack within 2x of the floor. Each figure and ratio is printed on its own line; the exit
status is 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET = 2.0


def median_time(fn, runs: int) -> float:
    fn()  # warm: imports, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masg-bench-pack-"))
    os.environ["MASG_DB"] = str(work / "masg.db")
    os.environ["MASG_USER"] = "bench"
    make_meeting(args.cases)

    from docx import Document

    from masg_cli import documents
    from masg_cli.cli.context import unit_of_work
    from masg_cli.services import agenda_pack

    names = ("agenda.docx", "background-pack.docx")

    def floor() -> None:
        for name in names:
            Document(str(documents.template_path(name))).save(str(work / f"floor-{name}"))

    with unit_of_work(write=False) as uow:
        meeting = uow.session.get(agenda_pack.Meeting, 1)
        rows = agenda_pack.slot_rows(uow.session, meeting)
        context = agenda_pack.agenda_context(uow.session, meeting, rows, on=date(2026, 11, 23))
        cases = [agenda_pack.case_context(uow.session, s, r, meeting) for s, r in rows]
    assert len(cases) == args.cases, f"only {len(cases)} cases on the agenda"

    def render() -> None:
        documents.render_docx("agenda.docx", context, work / "render", "agenda.docx")
        documents.render_docx("background-pack.docx", context | {"cases": cases}, work / "render", "bp.docx")

    def pack() -> None:
        with unit_of_work(write=True) as uow:
            agenda_pack.pack(uow, 1, out_dir=work / "pack", pdf=False, eml=False, on=date(2026, 11, 23))

    t_floor, t_render, t_pack = (median_time(f, args.runs) for f in (floor, render, pack))
    print(f"floor (python-docx load+save of both templates): {t_floor * 1000:.0f} ms")
    print(f"render ({args.cases} cases, both documents): {t_render * 1000:.0f} ms, {t_render / t_floor:.2f}x floor")
    print(f"pack (store reads + render + records): {t_pack * 1000:.0f} ms, {t_pack / t_floor:.2f}x floor")
    ok = t_pack / t_floor <= TARGET
    print(f"target pack <= {TARGET}x floor: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
