"""A document command that is refused leaves nothing behind: no file, no change to the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builders import case_at, digest, schedule_december
from conftest import ok, run, store_rows


def _without_libreoffice(monkeypatch):
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in ("soffice", "libreoffice")
                        else real(name, *a, **k))


# --- Without LibreOffice, --pdf is refused before anything is written --------------------------------


def test_a_follow_up_letter_as_pdf_without_libreoffice_is_refused_and_leaves_nothing(store, tmp_path, monkeypatch):
    ref = case_at("monitoring")
    _without_libreoffice(monkeypatch)
    out = tmp_path / "letters"
    out.mkdir()
    before = digest()
    result = run("followup", "letter", ref, "--out", out, "--pdf", "--eml")
    assert result.exit_code == 1 and "LibreOffice is not installed" in result.stderr
    assert list(out.iterdir()) == [] and digest() == before


def test_agenda_pack_pdf_without_libreoffice_is_refused_before_any_file_is_written(accepted, tmp_path, monkeypatch):
    schedule_december()
    ok("agenda", "build", "1")
    _without_libreoffice(monkeypatch)
    before = store_rows()
    result = run("agenda", "pack", "1", "--out", tmp_path / "pack", "--pdf")
    assert result.exit_code == 1 and "LibreOffice is not installed" in result.stderr
    assert not (tmp_path / "pack").exists() or not any((tmp_path / "pack").iterdir())
    assert store_rows() == before


# --- A templates folder that is not there ------------------------------------------------------------


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_templates_folder_that_is_not_there_is_refused_not_quietly_replaced(accepted, tmp_path, monkeypatch, how):
    schedule_december()
    ok("agenda", "build", "1")
    missing = tmp_path / "our-templates-typo"
    if how == "environment":
        monkeypatch.setenv("MASG_TEMPLATES", str(missing))
        args = []
    else:
        args = ["--templates", missing]
    for command in (["agenda", "invite", "1"], ["agenda", "pack", "1"]):
        result = run(*args, *command, "--out", tmp_path / "out")
        assert result.exit_code == 1, command
        assert f"the templates folder {missing} (--templates or MASG_TEMPLATES) is not a folder" in result.stderr
        assert f"masg templates copy {missing}" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- A broken e-mail template ------------------------------------------------------------------------


def _broken_email_template(tmp_path, name: str) -> Path:
    folder = tmp_path / "our-templates"
    folder.mkdir()
    (folder / name).write_text("Dear {{ referrer_name }\n", encoding="utf-8")  # an unclosed tag
    return folder


def test_a_broken_covering_email_template_leaves_no_decision_sheet_behind(accepted, tmp_path):
    from builders import decide, on_agenda

    meeting = on_agenda(accepted)
    decide(accepted, meeting)
    folder = _broken_email_template(tmp_path, "decision-email.txt")
    before = store_rows()
    result = run("--templates", folder, "decision", "sheet", accepted, "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "decision-email.txt" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert store_rows() == before


def test_a_broken_pack_email_template_leaves_no_agenda_pack_behind(accepted, tmp_path):
    from builders import on_agenda

    meeting = on_agenda(accepted)
    ok("locality", "member", "add", "North", "--name", "Kim Panel", "--agency", "Health", "--email", "kim@example.org")
    folder = _broken_email_template(tmp_path, "pack-email.txt")
    result = run("--templates", folder, "agenda", "pack", str(meeting), "--out", tmp_path / "out", "--eml")
    assert result.exit_code == 1 and "pack-email.txt" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []

