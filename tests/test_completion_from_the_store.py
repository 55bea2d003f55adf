"""Shell completion offers the store's references, meeting ids and localities, quickly.

Run as bash runs it: the installed `masg` with _MASG_COMPLETE and COMP_WORDS in its environment.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import add_referral, ok
from test_startup import HEAVY, imported_modules

MASG = str(Path(sys.executable).parent / "masg")
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def complete(line: str, **env: str) -> list[str]:
    """What bash would offer after `line` (a trailing space starts a new word)."""
    words = line.split() + ([""] if line.endswith(" ") else [])
    result = subprocess.run([MASG], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "_MASG_COMPLETE": "complete_bash", "COMP_WORDS": line,
                                 "COMP_CWORD": str(len(words) - 1), **env})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout.split()


@pytest.fixture
def three_cases(store):
    ok("locality", "add", "South")
    ok("locality", "add", "Southwest")
    return [add_referral(), add_referral(), add_referral("--locality", "South")]


def test_a_reference_completes_from_the_store_in_any_letter_case(three_cases):
    assert complete("masg referral show MA") == three_cases
    assert complete("masg referral show masg-2026-0003") == [three_cases[2]]
    assert complete("masg referral show XYZ") == []


def test_every_command_taking_a_reference_completes_it(three_cases):
    assert complete("masg referral triage MASG-2026-000") == three_cases
    assert complete("masg referral add --re-referral-of MASG") == three_cases


def test_a_locality_completes_from_the_store(three_cases):
    assert complete("masg referral list --locality so") == ["South", "Southwest"]
    assert complete("masg meeting schedule --locality ") == ["North", "South", "Southwest"]


def test_a_meeting_id_completes_with_the_scheduled_meetings(store):
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
    ids = [str(m["id"]) for m in ok("meeting", "list", "--json").json]
    assert ids and complete("masg agenda build ") == ids


def test_without_a_store_completion_offers_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "none.db"
    assert complete("masg referral show MA", MASG_DB=str(missing)) == []
    assert complete(f"masg --db {missing} referral list --locality N") == []
    assert not missing.exists()


def test_a_postgresql_store_completes_nothing_rather_than_loading_the_database_stack():
    assert complete("masg referral show MA", MASG_DB="postgresql://nobody@127.0.0.1:1/none") == []


def test_completing_a_reference_imports_neither_the_database_nor_the_document_stack(three_cases):
    modules = imported_modules(env_extra={"_MASG_COMPLETE": "complete_bash",
                                          "COMP_WORDS": "masg referral show MA", "COMP_CWORD": "3"},
                               expect=three_cases[0])
    assert not modules & set(HEAVY)


def test_the_reference_query_uses_the_index_on_a_store_of_thousands(store):
    """The query plan, not a stopwatch: its time is benchmarks/morning.py's (the completion line)."""
    import sqlite3

    from masg_cli.cli import completion

    add_referral()
    db = sqlite3.connect(os.environ["MASG_DB"])
    columns = [row[1] for row in db.execute("PRAGMA table_info(referral)") if row[1] not in ("id", "reference")]
    listed = ", ".join(columns)
    for n in range(5000):  # copies of the one case, under other references
        db.execute(f"INSERT INTO referral (reference, {listed}) SELECT ?, {listed} FROM referral WHERE id = 1",
                   (f"MASG-2025-{n:04d}",))
    db.commit()
    plan = " ".join(str(row) for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT reference FROM referral WHERE reference >= ? AND reference < ?", ("A", "B")))
    db.close()
    assert "INDEX" in plan and "SCAN referral" not in plan

    class Root:  # what completion reads of Click's context: the parsed --db
        params = {"db": os.environ["MASG_DB"]}

        def find_root(self):
            return self

    assert completion.references(Root(), None, "masg-2026") == ["MASG-2026-0001"]
