"""Notes and attachments go wherever the case goes: backups, store copy (SQLite to PostgreSQL),
retention's removal (legal holds kept), and 'masg doctor' checks every attachment's hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import add_referral, ok, run, sql

PDF = b"%PDF-1.4\n% fictional\n" + bytes(range(256)) * 9000 + b"\n%%EOF\n"  # about 2.3 MB: 3 pieces


def with_case_file(tmp_path: Path) -> str:
    ref = add_referral()
    ok("note", "add", ref, "--text", "Spoke to the school", "--kind", "phone", "--date", "2026-11-05")
    (tmp_path / "caf.pdf").write_bytes(PDF)
    ok("attach", ref, tmp_path / "caf.pdf", "--kind", "caf")
    return ref


def test_doctor_verifies_every_attachments_hash(store, tmp_path):
    with_case_file(tmp_path)
    assert "ok   attachments: ok (1 files, 2.2 MB; SHA-256 verified)" in ok("doctor").stdout
    sql("UPDATE attachment_chunk SET data = :data WHERE position = 1", {"data": b"changed"})
    result = run("doctor")
    assert result.exit_code == 1
    assert "MASG-2026-0001 attachment 1" in result.stdout and "no longer match their SHA-256" in result.stdout


def test_doctor_notices_a_missing_piece(store, tmp_path):
    with_case_file(tmp_path)
    sql("DELETE FROM attachment_chunk WHERE position = 2")
    assert "1 of 1 no longer match" in run("doctor").stdout


@pytest.mark.sqlite_only  # a server store's backup is pg_dump's
def test_a_backup_carries_notes_and_attachments(store, tmp_path):
    ref = with_case_file(tmp_path)
    ok("backup", "--out", tmp_path / "backup.db")
    copy = str(tmp_path / "backup.db")
    assert ok("--db", copy, "referral", "show", ref, "--json").json["notes"][0]["text"] == "Spoke to the school"
    ok("--db", copy, "attachment", "get", ref, "1", "--out", tmp_path / "back")
    assert (tmp_path / "back" / "caf.pdf").read_bytes() == PDF


@pytest.mark.slow
@pytest.mark.parametrize("target_kind", ["sqlite", "postgresql"])
def test_store_copy_carries_notes_and_attachments(store, tmp_path, target_kind, request):
    ref = with_case_file(tmp_path)
    target = request.getfixturevalue("pg_database")() if target_kind == "postgresql" else str(tmp_path / "copy.db")
    ok("store", "copy", "--to", target)
    assert ok("--db", target, "referral", "show", ref, "--json").json["notes"] == \
        ok("referral", "show", ref, "--json").json["notes"]
    ok("--db", target, "attachment", "get", ref, "1", "--out", tmp_path / "back")
    assert hashlib.sha256((tmp_path / "back" / "caf.pdf").read_bytes()).hexdigest() == hashlib.sha256(PDF).hexdigest()
    assert "attachments: ok (1 files" in ok("--db", target, "doctor").stdout
    (tmp_path / "more.pdf").write_bytes(PDF[:1000])
    ok("--db", target, "attach", ref, tmp_path / "more.pdf")  # the ids carry on after the copied ones
    assert [a["id"] for a in ok("--db", target, "attachment", "list", ref, "--json").json] == [1, 2]


def closed_long_ago(tmp_path: Path) -> str:
    ref = with_case_file(tmp_path)
    ok("referral", "withdraw", ref, "--reason", "Consent withdrawn", "--date", "2026-11-06")
    return ref


def test_retention_removes_a_cases_notes_and_attachments(store, tmp_path):
    closed_long_ago(tmp_path)
    ok("retention", "--as-of", "2045-01-01", "--apply")
    assert sql("SELECT COUNT(*) FROM note") == [(0,)]
    assert sql("SELECT COUNT(*) FROM attachment") == [(0,)]
    assert sql("SELECT COUNT(*) FROM attachment_chunk") == [(0,)]
    assert "FAIL" not in ok("doctor").stdout


def test_retention_keeps_the_case_file_of_a_case_on_legal_hold(store, tmp_path):
    ref = closed_long_ago(tmp_path)
    ok("referral", "hold", ref, "--reason", "Court proceedings")
    ok("retention", "--as-of", "2045-01-01", "--apply")
    assert sql("SELECT COUNT(*) FROM note") == [(1,)]
    assert sql("SELECT COUNT(*) FROM attachment_chunk") == [(3,)]
