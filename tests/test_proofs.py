"""Proof that nothing is lost: concurrent writers, SIGKILL mid-command, fuzzed arguments, audit tampering."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import add_referral, ok, run
from builders import digest, store_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "tracker-sample.csv"


def integrity(path: Path) -> str:
    db = sqlite3.connect(path, timeout=30)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def references(path: Path) -> list[str]:
    db = sqlite3.connect(path, timeout=30)
    try:
        return [r for (r,) in db.execute("SELECT reference FROM referral")]
    finally:
        db.close()


# --- Two co-ordinators at once -----------------------------------------------------------------------

ADDER = """
import sys
from datetime import date
from masg_cli.cli.context import options, unit_of_work
from masg_cli.services.referrals import NewReferral, add_referral
options.db, options.user = sys.argv[1], sys.argv[2]
for n in range(int(sys.argv[3])):
    with unit_of_work(write=True) as uow:
        add_referral(uow, NewReferral(children=[("Zoë Example", date(2015, 2, 3))], locality="North",
            referrer_name="Alex Teacher", referrer_agency="Northside Primary",
            consent_date=date(2026, 11, 1), consent_by="parent", needs=f"Needs {n}",
            received=date(2026, 11, 2), not_duplicate=True))
"""


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_two_processes_adding_200_referrals_each_at_once_lose_nothing(store):
    path = store_path()
    writers = [subprocess.Popen([sys.executable, "-c", ADDER, str(path), who, "200"], stderr=subprocess.PIPE)
               for who in ("coordinator-a", "coordinator-b")]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    refs = references(path)
    assert len(refs) == 400 and len(set(refs)) == 400
    assert sorted(refs) == [f"MASG-2026-{n:04d}" for n in range(1, 401)]
    assert integrity(path) == "ok"
    doctor = ok("doctor").stdout
    assert "FAIL" not in doctor and "audit trail: ok (" in doctor


# --- A writer killed at random moments ---------------------------------------------------------------

# A warm "zygote" process forks a fresh writer for each round, so that 50 rounds do not pay for
# 50 Python start-ups; each writer runs real `masg referral add` commands (the CLI in-process)
# and prints each reference only after the command has committed.
ZYGOTE = """
import os, sys
from masg_cli.cli.app import app
from masg_cli.cli.context import options
import masg_cli.services.referrals, masg_cli.services.casefile, sqlmodel  # warm the imports
ADD = ["referral", "add", "--child", "Zoë Example", "--dob", "2015-02-03", "--locality", "North",
       "--referrer", "Alex Teacher", "--referrer-agency", "Northside Primary", "--consent-date", "2026-11-01",
       "--consent-by", "parent", "--needs", "Anxiety", "--agency", "CAMHS", "--received", "2026-11-02",
       "--not-duplicate"]
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        options.db = sys.argv[1]
        while True:
            try:
                app(ADD, prog_name="masg", standalone_mode=False)
            except SystemExit:
                pass
            sys.stdout.flush()
    print(f"pid {pid}", flush=True)
    os.waitpid(pid, 0)
    print("done", flush=True)
"""


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_writer_killed_with_sigkill_50_times_leaves_a_whole_store_with_every_reported_referral(store):
    path = store_path()
    add_referral()  # the store exists and is migrated before the first writer starts
    rng = random.Random(7)
    zygote = subprocess.Popen([sys.executable, "-u", "-c", ZYGOTE, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, bufsize=1)
    try:
        assert zygote.stdout.readline().strip() == "ready"
        reported: set[str] = set()
        for _ in range(50):
            zygote.stdin.write("go\n")
            zygote.stdin.flush()
            line = zygote.stdout.readline().split()
            assert line[0] == "pid", line
            # Let it finish 0 to 3 commands, then kill it a random moment later (often mid-commit).
            for _ in range(rng.randint(0, 3)):
                out = zygote.stdout.readline().strip()
                assert out.startswith("MASG-"), out
                reported.add(out)
            time.sleep(rng.uniform(0.0, 0.15))
            os.kill(int(line[1]), signal.SIGKILL)
            while (out := zygote.stdout.readline().strip()) != "done":
                if out.startswith("MASG-"):
                    reported.add(out)
            assert integrity(path) == "ok"
            missing = reported - set(references(path))
            assert not missing, f"reported but not stored: {sorted(missing)}"
        assert len(reported) >= 50  # the writers did real work between kills
    finally:
        zygote.stdin.close()
        zygote.kill()
        zygote.wait()
    doctor = ok("doctor").stdout
    assert "FAIL" not in doctor


# --- Fuzzing the command line ------------------------------------------------------------------------

WORDS = ["MASG-2026-0001", "MASG-2026-0002", "masg-2026-0001", "MASG-2099-9999", "MAAG-2026-0001",
         "2026-11-23", "23/11/2026", "31/02/2026", "12/31/2026", "2026-13-01", "1/1/1900", "0001-01-01",
         "North", "north", "Nowhere", "csv", "xlsx", "json", "ods", "yes", "no", "accept", "single-agency",
         "more-info", "not-appropriate", "parent", "both", "--json", "--dry-run", "--apply", "", " ", "-",
         "--", "=1+1", "@SUM(A1)", "+44", "until-age:25", "years-after-closure:6", "until-age:0", "x" * 300,
         "O'Brien & Sons <Ltd>", "Zoë", "\t", "\n", "%s", "{0}", "[bold]x[/bold]", "-1", "0", "99999999999"]
OPTIONS = ["--from", "--to", "--locality", "--json", "--xlsx", "--format", "--out", "--dry-run", "--as-of",
           "--apply", "--set-rule", "--reason", "--overwrite", "--child", "--dob", "--referrer",
           "--referrer-agency", "--consent-date", "--consent-by", "--needs", "--agency", "--received",
           "--outcome", "--note", "--date", "--status", "--transition", "--re-referral-of", "--help"]
COMMANDS = [["report", "summary"], ["export"], ["import"], ["backup"], ["retention"], ["referral", "hold"],
            ["referral", "release"], ["referral", "add"], ["referral", "triage"], ["referral", "show"],
            ["referral", "list"], ["referral", "withdraw"], ["audit"]]

safe_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=15).filter(
    lambda t: "/" not in t and "\\" not in t and not t.startswith("~") and "\x00" not in t)


def paths(folder: Path) -> list[str]:
    return [str(folder / "out.csv"), str(folder / "out.xlsx"), str(folder / "out.json"),
            str(folder / "missing" / "x.csv"), str(folder), str(SAMPLE), str(folder / "junk.xlsx"),
            str(folder / "messy.csv"), str(folder / "backup.db"), "relative-name.csv"]


def arguments(folder: Path):
    token = st.one_of(st.sampled_from(WORDS), st.sampled_from(OPTIONS), st.sampled_from(paths(folder)), safe_text)
    return st.tuples(st.sampled_from(COMMANDS), st.lists(token, max_size=9)).map(lambda t: t[0] + t[1])


def check_one(args: list[str]) -> None:
    """Never a traceback, exit 0/1/2, and the store byte-for-byte unchanged on 1 and 2."""
    before = digest()
    result = CliRunner().invoke(__import__("masg_cli.cli.app", fromlist=["app"]).app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown and "masg: unexpected" not in result.stderr, (args, result.stderr)
    if result.exit_code != 0:
        assert digest() == before, (args, result.exit_code, result.stderr)


@pytest.fixture
def fuzz_store(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ok("locality", "add", "South")
    add_referral()
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "messy.csv").write_text("Date received,Locality\n31/02/2026,Atlantis\n")
    from masg_cli.store import dispose_engines

    dispose_engines()  # the -wal is folded into the file: each run starts from a settled store
    return tmp_path


FUZZ = settings(max_examples=250, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_arguments_to_the_data_commands_never_crash_or_half_write(fuzz_store, data):
    check_one(data.draw(arguments(fuzz_store)))


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_arguments_to_report_and_export_never_crash_or_half_write(fuzz_store, data):
    folder = fuzz_store
    token = st.one_of(st.sampled_from(WORDS), st.sampled_from(paths(folder)), safe_text)
    args = data.draw(st.one_of(
        st.lists(st.sampled_from(["--from", "--to", "--locality", "--json", "--xlsx"]) | token, max_size=8)
        .map(lambda a: ["report", "summary"] + a),
        st.tuples(token, token).map(lambda t: ["export", "--format", t[0], "--out", t[1]])))
    check_one(args)


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_arguments_to_retention_hold_and_import_never_crash_or_half_write(fuzz_store, data):
    folder = fuzz_store
    token = st.one_of(st.sampled_from(WORDS), st.sampled_from(paths(folder)), safe_text)
    args = data.draw(st.one_of(
        st.lists(st.sampled_from(["--as-of", "--json", "--set-rule"]) | token, max_size=6)
        .map(lambda a: ["retention"] + a),
        st.tuples(st.sampled_from(["hold", "release"]), token, token)
        .map(lambda t: ["referral", t[0], t[1], "--reason", t[2]]),
        st.tuples(token, st.booleans()).map(lambda t: ["import", t[0]] + (["--dry-run"] if t[1] else []))))
    check_one(args)


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_fuzzed_referral_add_and_triage_never_crash_or_half_write(fuzz_store, data):
    token = st.one_of(st.sampled_from(WORDS), safe_text)
    options = st.lists(st.tuples(st.sampled_from(OPTIONS[13:29]), token), max_size=8)
    args = data.draw(st.one_of(
        options.map(lambda o: ["referral", "add"] + [x for pair in o for x in pair]),
        st.tuples(token, options).map(lambda t: ["referral", "triage", t[0]] + [x for p in t[1] for x in p])))
    check_one(args)


# --- The audit chain over these commands' entries ----------------------------------------------------


@pytest.mark.sqlite_only
def test_altering_or_deleting_any_entry_these_commands_wrote_makes_doctor_fail_at_that_entry(store, tmp_path):
    ok("import", SAMPLE)
    ok("referral", "hold", "MASG-2025-0107", "--reason", "Litigation")
    ok("referral", "release", "MASG-2025-0107")
    ok("export", "--format", "csv", "--out", tmp_path / "e.csv")
    ok("backup", "--out", tmp_path / "b.db")
    ok("retention", "--set-rule", "years-after-closure:1")
    ok("retention", "--as-of", "2031-01-01", "--apply")  # past the sample child's 18th birthday (2030)
    path = store_path()
    mine = {"referral import", "import", "legal hold", "legal hold release", "export", "backup",
            "retention rule", "retention remove"}
    db = sqlite3.connect(path)
    entries = db.execute('SELECT id, action FROM audit_entry ORDER BY id').fetchall()
    db.close()
    ids = [i for i, _ in entries]
    assert mine <= {a for _, a in entries}
    for entry_id, action in entries:
        if action not in mine:
            continue
        for how in ("alter", "delete"):
            copy = tmp_path / f"{how}-{entry_id}.db"
            source, target = sqlite3.connect(path), sqlite3.connect(copy)
            source.backup(target)
            source.close()
            if how == "alter":
                target.execute("UPDATE audit_entry SET changes = replace(changes, '}', ',\"x\":1}') WHERE id = ?",
                               (entry_id,))
                expected = f"at entry {entry_id}: its contents were changed"
            else:
                target.execute("DELETE FROM audit_entry WHERE id = ?", (entry_id,))
                later = [i for i in ids if i > entry_id]
                previous = [i for i in ids if i < entry_id]
                expected = (f"at entry {later[0]}: an entry before it" if later
                            else f"at entry {previous[-1]}: entries after it")
            target.commit()
            target.close()
            result = run("--db", copy, "doctor")
            assert result.exit_code == 1, (how, entry_id, action)
            assert expected in result.stdout, (how, entry_id, action, result.stdout)
