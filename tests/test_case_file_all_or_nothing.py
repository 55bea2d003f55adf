"""A case-file command that fails half-way leaves the store (and the output folder) as they were."""

from __future__ import annotations

from builders import refuse_audit_entry
from conftest import add_referral, ok, run, store_rows

PDF = b"%PDF-1.4\n" + b"x" * (3 * 1024 * 1024)  # several pieces written before the audit entry


def test_an_attach_whose_audit_entry_fails_stores_no_piece(store, tmp_path, monkeypatch):
    ref = add_referral()
    (tmp_path / "caf.pdf").write_bytes(PDF)
    before = store_rows()
    refuse_audit_entry(monkeypatch, "attach")
    result = run("attach", ref, tmp_path / "caf.pdf")
    assert result.exit_code == 1 and "busy" in result.stderr
    assert store_rows() == before


def test_a_note_whose_audit_entry_fails_is_not_kept(store, monkeypatch):
    ref = add_referral()
    before = store_rows()
    refuse_audit_entry(monkeypatch, "note add")
    assert run("note", "add", ref, "--text", "x", "--date", "2026-11-05").exit_code == 1
    assert store_rows() == before


def test_a_copy_whose_audit_entry_fails_is_not_written(store, tmp_path, monkeypatch):
    ref = add_referral()
    (tmp_path / "caf.pdf").write_bytes(PDF)
    ok("attach", ref, tmp_path / "caf.pdf")
    refuse_audit_entry(monkeypatch, "attachment get")
    assert run("attachment", "get", ref, "1", "--out", tmp_path / "out").exit_code == 1
    assert not (tmp_path / "out" / "caf.pdf").exists()
