"""A large import holds the write lock only to write (issue 12): the tracker is read and checked
first, outside any write transaction, so another co-ordinator's command started meanwhile waits a
moment and succeeds, and references and the audit trail come out as one row at a time would."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import REFERRAL, ok, run

HEADINGS = ("Ref,Date received,Locality,Status,Child name,Child DOB,Consent date,Consent by,Referrer,"
            "Referrer agency,Needs,Agencies")


def tracker(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADINGS, *rows]) + "\n", encoding="utf-8")
    return path


def row(n: int, ref: str = "", received: date = date(2026, 3, 2)) -> str:
    """A fictional case: a child of its own name (so no row repeats another), received on the day."""
    day = received.strftime("%d/%m/%Y")
    return (f"{ref},{day},North,accepted,Child{n} Example; Sibling{n} Example,03/02/2015; 04/05/2018,"
            f"{day},parent,Referrer {n % 50},Northside Primary,Needs described in the CAF,CAMHS; School nursing")


def test_new_references_follow_kept_ones_per_year_in_row_order(store, tmp_path):
    rows = [row(1, "MASG-2025-0010", date(2025, 5, 1)), row(2, received=date(2025, 6, 1)),
            row(3, received=date(2026, 1, 5)), row(4, received=date(2025, 7, 1)), row(5, "MASG-2026-0007")]
    ok("import", tracker(tmp_path / "t.csv", rows))
    listed = {r["reference"] for r in ok("referral", "list", "--json").json}
    assert listed == {"MASG-2025-0010", "MASG-2025-0011", "MASG-2026-0008", "MASG-2025-0012", "MASG-2026-0007"}
    shown = ok("referral", "show", "MASG-2025-0012", "--json").json
    assert [c["name"] for c in shown["children"]] == ["Child4 Example", "Sibling4 Example"]
    assert shown["agencies"] == ["CAMHS", "School nursing"]
    assert ok("referral", "add", *REFERRAL).stdout.strip() == "MASG-2026-0009"
    entries = [e for e in ok("audit", "--json").json if e["action"] == "referral import"]
    assert [(e["reference"], e["changes"]["row"]) for e in entries] == [
        ("MASG-2025-0010", 2), ("MASG-2025-0011", 3), ("MASG-2026-0008", 4), ("MASG-2025-0012", 5),
        ("MASG-2026-0007", 6)]
    assert "audit trail: ok" in ok("doctor").stdout


def test_a_case_added_after_the_rows_were_checked_is_seen_before_anything_is_written(store, tmp_path, monkeypatch):
    """Another co-ordinator's referral lands between the check and the write: it takes the
    reference a row keeps, and the import, checking again under the write lock, refuses."""
    from masg_cli.services import importer

    checked_plan = importer.plan

    def plan_then_someone_else_writes(session, path):
        checked = checked_plan(session, path)
        ok("referral", "add", *REFERRAL)  # MASG-2026-0001, committed before the import writes
        return checked

    monkeypatch.setattr(importer, "plan", plan_then_someone_else_writes)
    result = run("import", tracker(tmp_path / "t.csv", [row(1, "MASG-2026-0001"), row(2)]))
    assert result.exit_code == 1
    assert "row 2: reference MASG-2026-0001 is already in the store" in result.stderr
    assert [r["reference"] for r in ok("referral", "list", "--json").json] == ["MASG-2026-0001"]


@pytest.mark.slow
def test_a_referral_added_while_a_20000_row_import_runs_succeeds(store, tmp_path):
    path = tracker(tmp_path / "big.csv", [row(n, received=date(2025, 1, 1 + n % 28)) for n in range(20_000)])
    masg = str(Path(sys.executable).parent / "masg")
    env = dict(os.environ)
    importing = subprocess.Popen([masg, "import", str(path)], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)  # the import is reading and checking its rows
        assert importing.poll() is None, "the import finished before the referral was added"
        added = subprocess.run([masg, "referral", "add", *REFERRAL], env=env, capture_output=True, text=True,
                               timeout=120)
        out, err = importing.communicate(timeout=300)
    finally:
        importing.kill()
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "MASG-2026-0001"
    assert importing.returncode == 0, err
    assert "Imported 20000 referrals" in out
    assert len(ok("referral", "list", "--json").json) == 20_001
