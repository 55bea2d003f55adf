"""Real processes: the installed `masg` script, and two co-ordinators adding at the same moment."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import REFERRAL


# This interpreter's own console script (the one `pip install -e .` made beside it), else PATH's.
_BESIDE = Path(sys.executable).parent / "masg"
MASG = str(_BESIDE) if _BESIDE.exists() else shutil.which("masg")
needs_script = pytest.mark.skipif(MASG is None, reason="the masg console script is not installed")


def masg(*args, env=None, input=None):
    return subprocess.run([MASG, *map(str, args)], capture_output=True, text=True, env=env,
                          input=input, timeout=60)


@needs_script
def test_the_installed_script_sets_up_logs_lists_and_shows_a_referral(tmp_path):
    env = {**os.environ, "MASG_DB": str(tmp_path / "masg.db"), "MASG_USER": "script-user"}
    assert masg("init", "--panel", "MASG", env=env).returncode == 0
    assert masg("locality", "add", "North", env=env).returncode == 0
    added = masg("referral", "add", *REFERRAL, env=env, input="")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "MASG-2026-0001"
    listed = masg("referral", "list", "--json", env=env)
    assert [r["reference"] for r in json.loads(listed.stdout)] == ["MASG-2026-0001"]
    shown = json.loads(masg("referral", "show", "MASG-2026-0001", "--json", env=env).stdout)
    assert shown["status"] == "received" and shown["children"][0]["name"] == "Zoë Example"
    assert shown["history"][0]["user"] == "script-user"


@needs_script
def test_the_installed_script_shows_one_line_and_no_traceback_when_the_store_is_damaged(tmp_path):
    damaged = tmp_path / "masg.db"
    damaged.write_bytes(b"this is not a database\n" * 500)
    result = masg("--db", damaged, "referral", "list")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr
    assert "Traceback" not in result.stderr


@needs_script
def test_the_installed_script_never_waits_for_input_without_a_terminal(tmp_path):
    env = {**os.environ, "MASG_DB": str(tmp_path / "masg.db")}
    masg("init", env=env)
    masg("locality", "add", "North", env=env)
    # stdin is a pipe that stays open: a prompt would hang until the timeout.
    proc = subprocess.Popen([MASG, "referral", "add", "--consent-date", "2026-11-01", "--consent-by",
                             "parent"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "--child" in err and "Traceback" not in err


def test_python_m_masg_cli_runs_too(tmp_path):
    result = subprocess.run([sys.executable, "-m", "masg_cli", "--version"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("masg ")


# --- Two co-ordinators at the same moment -------------------------------------------------------

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from masg_cli.cli.app import app

    who, start, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    while time.monotonic() < start:  # both processes begin together (the clock they share)
        time.sleep(0.001)
    for i in range(count):
        received = "2025-12-31" if i % 10 == 0 else "2026-11-02"
        try:
            code = app(["--user", who, "referral", "add", "--child", f"Child {who} {i}", "--dob", "2015-01-01",
                 "--locality", "North", "--referrer", who, "--referrer-agency", "Example",
                 "--consent-date", "2025-12-01", "--consent-by", "parent", "--needs", "Example",
                 "--received", received, "--not-duplicate"], standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
        if code:  # a refusal or a busy store: this co-ordinator's referral was lost
            sys.exit(f"referral {i} of {who} failed with exit status {code}")
""")


@pytest.mark.slow
def test_two_co_ordinators_adding_at_the_same_moment_lose_nothing_and_share_no_reference(tmp_path):
    db = tmp_path / "shared.db"
    env = {**os.environ, "MASG_DB": str(db)}
    subprocess.run([sys.executable, "-m", "masg_cli", "init"], env=env, check=True, timeout=60)
    subprocess.run([sys.executable, "-m", "masg_cli", "locality", "add", "North"], env=env, check=True,
                   timeout=60)
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    # time.monotonic, not time.time: MASG_TEST_TODAY freezes this process's date, not the workers'.
    start = time.monotonic() + 3  # time for both interpreters to import everything
    each = 50
    workers = [subprocess.Popen([sys.executable, str(script), who, str(start), str(each)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for who in ("coordinator-a", "coordinator-b")]
    outputs = [w.communicate(timeout=240) for w in workers]
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err
    refs = [line for out, _ in outputs for line in out.split()]
    assert len(refs) == 2 * each == len(set(refs))
    in_2025 = sorted(r for r in refs if r.startswith("MASG-2025-"))
    in_2026 = sorted(r for r in refs if r.startswith("MASG-2026-"))
    assert in_2025 == [f"MASG-2025-{n:04d}" for n in range(1, len(in_2025) + 1)]
    assert in_2026 == [f"MASG-2026-{n:04d}" for n in range(1, len(in_2026) + 1)]
    assert len(in_2025) == 10
    # Both really ran at once: their references interleave.
    mine = [r for r in sorted(in_2026) if r in set(outputs[0][0].split())]
    assert mine != sorted(in_2026)[: len(mine)]
    listed = subprocess.run([sys.executable, "-m", "masg_cli", "referral", "list", "--json"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert sorted(r["reference"] for r in json.loads(listed.stdout)) == sorted(refs)
    doctor = subprocess.run([sys.executable, "-m", "masg_cli", "doctor"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert doctor.returncode == 0, doctor.stdout
    assert f"ok ({2 + 2 * each} entries)" in doctor.stdout  # init + locality + every referral


def test_a_first_referral_received_in_2025_gets_a_2025_reference(store):
    from conftest import add_referral

    assert add_referral("--received", "2025-06-01", "--consent-date", "2025-05-30") == "MASG-2025-0001"
    assert add_referral() == "MASG-2026-0001"
    assert add_referral("--received", "15/12/2025", "--consent-date", "2025-05-30") == "MASG-2025-0002"
    assert "://" in os.environ["MASG_DB"] or Path(os.environ["MASG_DB"]).exists()


# --- Output cut short by its reader ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_output_cut_short_by_its_reader_is_not_called_a_failure(tmp_path):
    env = {**os.environ, "MASG_DB": str(tmp_path / "masg.db"), "MASG_USER": "test"}
    masg = [sys.executable, "-m", "masg_cli"]
    subprocess.run([*masg, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*masg, "locality", "add", "North"], env=env, check=True, capture_output=True)
    reader = subprocess.Popen([*masg, "meeting", "schedule", "--locality", "North", "--from", "2025-01-01",
                               "--until", "2027-12-31"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.readline()
    reader.stdout.close()  # as '| head -1' does
    reader.wait(timeout=60)
    stderr = reader.stderr.read().decode()
    assert "nothing was saved" not in stderr and "Traceback" not in stderr
    listed = subprocess.run([*masg, "meeting", "list", "--json"], env=env, capture_output=True, text=True)
    assert len(json.loads(listed.stdout)) > 70

