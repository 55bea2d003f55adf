"""A document on disk is recorded and audited, or removed: never left where nothing finds it.

Every document (agenda pack, invitations, decision sheets, the follow-up letter, the final review
form, their e-mail drafts and PDFs) is written in the command's private staging folder and moved
into --out only after the command's transaction has committed the record of it. A command
killed before that leaves nothing in --out, and a staging folder the next command sweeps.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import MEETING_DAY, case_at, on_agenda, out_folder, refuse_audit_entry
from conftest import ok, run, sql, store_rows


def staging_root() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "masg" / "staging"


def leftovers() -> list[Path]:
    root = staging_root()
    return sorted(root.iterdir()) if root.exists() else []


def documents_audited() -> int:
    return sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'document'")[0][0]


@pytest.fixture
def pending(store):
    """A case waiting on the agenda of 24 November 2026, and a panel member to send the pack to."""
    ref = case_at("accepted")
    ok("locality", "member", "add", "North", "--name", "Kim Panel", "--agency", "Health",
       "--email", "kim@example.org")
    return ref, on_agenda(ref)


@pytest.fixture
def watched(monkeypatch):
    """Each document as it is moved into --out: from where, and how many documents the store's
    audit trail (read from outside the command) recorded by then."""
    from masg_cli import staging

    seen: list[tuple[Path, Path, int]] = []
    real_publish = staging.publish

    def watching(staged: Path, target: Path) -> None:
        assert not [p for p in target.parent.iterdir() if p.name.endswith(".part")]
        seen.append((staged, target, documents_audited()))
        real_publish(staged, target)

    monkeypatch.setattr(staging, "publish", watching)
    return seen


def test_documents_are_staged_privately_and_reach_out_only_once_their_record_is_committed(
        pending, tmp_path, watched):
    ref, meeting = pending
    out = out_folder(tmp_path)
    ok("agenda", "invite", meeting, "--out", out, "--as-of", "2026-11-16")
    ok("agenda", "pack", meeting, "--out", out, "--eml", "--as-of", "2026-11-23")
    assert len(watched) == 4  # the invitation; the agenda, the background pack and their draft
    for staged, target, audited in watched:
        assert staged.parent.parent == staging_root() and target.parent == out
        assert audited >= 1  # the document entries were committed before the file appeared
    assert watched[-1][2] == documents_audited() == 3
    assert leftovers() == []


def test_case_documents_and_drafts_reach_out_after_their_record(store, tmp_path, watched):
    ref = case_at("monitoring")
    out = out_folder(tmp_path)
    ok("decision", "sheet", ref, "--out", out, "--eml", "--as-of", "2026-11-25")
    ok("followup", "letter", ref, "--out", out, "--eml", "--as-of", "2027-02-23")
    ok("referral", "final-review-form", ref, "--out", out, "--eml", "--as-of", "2027-02-23")
    assert [(target.name, audited) for _, target, audited in watched] == [
        (f"decision-sheet-{ref}.docx", 1), (f"decision-sheet-{ref}.eml", 1),
        (f"followup-letter-{ref}.docx", 2), (f"followup-letter-{ref}.eml", 2),
        (f"final-review-form-{ref}.docx", 3), (f"final-review-form-{ref}.eml", 3)]
    assert leftovers() == []


def test_a_pack_whose_record_cannot_be_saved_leaves_no_document_and_no_staged_copy(
        pending, tmp_path, monkeypatch):
    _, meeting = pending
    before = store_rows()
    refuse_audit_entry(monkeypatch, "document")
    result = run("agenda", "pack", meeting, "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert list((tmp_path / "out").iterdir()) == []
    assert leftovers() == [] and store_rows() == before


def test_a_batch_of_sheets_failing_part_way_removes_every_sheet_it_staged(store, tmp_path, monkeypatch):
    from masg_cli.documents import decision_sheet

    case_at("decided")
    second = case_at("decided")  # the batch fails at its second sheet, after the first is staged
    [meeting] = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == MEETING_DAY]
    real_write = decision_sheet.write

    def second_fails(context, out_dir, **options):
        if context["reference"] == second:
            raise OSError(28, "No space left on device")
        return real_write(context, out_dir, **options)

    monkeypatch.setattr(decision_sheet, "write", second_fails)
    before = store_rows()
    result = run("decision", "sheet", "--meeting", meeting, "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "nothing was saved" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []
    assert leftovers() == [] and store_rows() == before


@pytest.mark.slow
def test_a_pdf_is_made_inside_the_staging_folder_not_the_system_temporary_folder(
        store, tmp_path, monkeypatch, watched):
    from masg_cli.documents import pdf

    if pdf.soffice() is None:
        pytest.skip("needs LibreOffice")
    folders: list[Path] = []
    real_run = subprocess.run

    def recording(command, **options):
        folders.append(Path(command[command.index("--outdir") + 1]))
        return real_run(command, **options)

    monkeypatch.setattr(pdf.subprocess, "run", recording)
    ref = case_at("decided")
    ok("decision", "sheet", ref, "--out", tmp_path / "out", "--pdf", "--eml", "--as-of", "2026-11-25")
    [work] = folders
    assert work.parent.parent.parent == staging_root()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"decision-sheet-{ref}.{ext}" for ext in ("docx", "eml", "pdf")]
    assert leftovers() == []


# --- A real kill -9 in the middle of an agenda pack -----------------------------------------------


def kill_mid_pack(meeting: int, out: Path) -> None:
    """Start `masg agenda pack --pdf` as a co-ordinator would; kill -9 it (and LibreOffice) while
    the PDFs are being made, its documents already written and held."""
    command = subprocess.Popen([sys.executable, "-m", "masg_cli", "agenda", "pack", str(meeting),
                                "--out", str(out), "--pdf", "--eml", "--as-of", "2026-11-23"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and command.poll() is None:
            if any(any(f.glob("soffice-*")) for f in leftovers()):
                break
            time.sleep(0.005)
        assert command.poll() is None, "the pack finished before it could be killed"
        os.killpg(command.pid, signal.SIGKILL)
    finally:
        command.wait()


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_pack_killed_half_way_leaves_nothing_in_out_and_the_next_command_removes_it(pending, tmp_path):
    from masg_cli.documents.pdf import soffice

    if soffice() is None:
        pytest.skip("needs LibreOffice to be slow enough to kill mid-pack")
    _, meeting = pending
    out = tmp_path / "pack"
    kill_mid_pack(meeting, out)
    assert list(out.iterdir()) == [] and documents_audited() == 0
    [folder] = leftovers()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(list(folder.glob("*.docx.part"))) == 2  # the agenda and the background pack
    line = next(x for x in ok("doctor").stdout.splitlines() if "unfinished output" in x)
    assert f"removed 1 left by stopped commands in {staging_root()} ({folder.name})" in line
    assert leftovers() == []

    kill_mid_pack(meeting, out)
    ok("referral", "list")
    assert leftovers() == [] and list(out.iterdir()) == []
    ok("agenda", "pack", meeting, "--out", out, "--as-of", "2026-11-23")
    assert len(list(out.iterdir())) == 2 and documents_audited() == 2


def kill_when_staged(meeting: int, out: Path) -> None:
    """Start `masg agenda pack` on a large meeting; kill -9 it once its first document is staged."""
    command = subprocess.Popen([sys.executable, "-m", "masg_cli", "agenda", "pack", str(meeting),
                                "--out", str(out), "--as-of", "2026-11-23"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and command.poll() is None:
            if any(p.stat().st_size > 0 for f in leftovers() for p in f.glob("*.docx.part")):
                break
            time.sleep(0.002)
        assert command.poll() is None, "the pack finished before it could be killed: make the meeting larger"
        command.send_signal(signal.SIGKILL)
    finally:
        command.wait()


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_large_pack_killed_after_its_agenda_is_staged_leaves_nothing_in_out(pending, tmp_path):
    ref, meeting = pending
    # The background pack of a case with pages of needs takes seconds to fill (fictional text).
    sql("UPDATE referral SET needs = :needs WHERE reference = :ref",
        {"needs": "Fictional needs for a large meeting.\n" * 150_000, "ref": ref})
    out = tmp_path / "pack"
    kill_when_staged(meeting, out)
    assert list(out.iterdir()) == [] and documents_audited() == 0
    assert len(leftovers()) == 1
    ok("referral", "list")
    assert leftovers() == [] and list(out.iterdir()) == []
