"""Every folder masg makes is its owner's alone, and every file it writes."""

from __future__ import annotations

import os

import pytest

from conftest import ok


@pytest.mark.sqlite_only
def test_every_folder_masg_creates_on_the_way_to_a_store_an_export_or_a_document_is_0700(tmp_path, monkeypatch):
    old = os.umask(0o022)
    try:
        monkeypatch.setenv("MASG_DB", str(tmp_path / "a" / "b" / "masg.db"))
        ok("init", "--panel", "MASG")
        ok("locality", "add", "North")
        ok("export", "--format", "csv", "--out", tmp_path / "c" / "d" / "all.csv")
        ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
        ok("meeting", "ics", "--out", tmp_path / "e" / "f" / "panel.ics")
    finally:
        os.umask(old)
    for folder in ("a", "a/b", "c", "c/d", "e", "e/f"):
        assert (tmp_path / folder).stat().st_mode & 0o777 == 0o700, folder
    assert (tmp_path / "c" / "d" / "all.csv").stat().st_mode & 0o777 == 0o600

