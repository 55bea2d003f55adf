"""masg attach, attachment list, attachment get: documents judged by content, kept in the store,
hashed and audited, given back 0600 under a safe name."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

import pytest

from conftest import add_referral, ok, run, sql, store_rows

PDF = b"%PDF-1.7\n% a fictional consent form\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes(holding: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(holding, "<w:document/>")
    return buffer.getvalue()


def a_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, data, content", [
    ("consent.pdf", PDF, "PDF"),
    ("caf.docx", docx_bytes(), "Word document"),
    ("photo.png", PNG, "PNG image"),
    ("scan.jpg", JPEG, "JPEG image"),
    ("call.txt", "Siân rang: all well ✓\n".encode("utf-8"), "plain text"),
    ("no-extension", PDF, "PDF"),
])
def test_documents_are_accepted_by_what_they_are_and_listed_with_their_hash(store, tmp_path, name, data, content):
    ref = add_referral()
    out = ok("attach", ref, a_file(tmp_path, name, data), "--kind", "consent").stdout
    digest = hashlib.sha256(data).hexdigest()
    assert digest in out
    [listed] = ok("attachment", "list", ref, "--json").json
    assert {k: listed[k] for k in ("id", "name", "kind", "size", "sha256")} == {
        "id": 1, "name": name, "kind": "consent", "size": len(data), "sha256": digest}
    assert len(listed["added"]) == 10 and listed["added"][4] == "-"
    assert listed["content"] == content
    assert ok("referral", "show", ref, "--json").json["attachments"] == [listed]


def test_the_attachment_is_audited_by_its_hash_never_by_its_name(store, tmp_path):
    ref = add_referral()
    ok("attach", ref, a_file(tmp_path, "Zoë Example CAF.pdf", PDF), "--kind", "caf")
    [entry] = [e for e in ok("audit", ref, "--json").json if e["action"] == "attach"]
    assert entry["changes"] == {"attachment": 1, "kind": "caf", "content": "PDF", "size": len(PDF),
                                "sha256": hashlib.sha256(PDF).hexdigest()}
    assert "Zo" not in str(entry)


@pytest.mark.parametrize("name, data, words", [
    ("caf.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "looks like an executable (ELF)"),
    ("caf.pdf", b"MZ\x90\x00" + b"\x00" * 64, "looks like a Windows executable"),
    ("caf.txt", b"#!/bin/sh\nrm -rf ~\n", "looks like a script"),
    ("caf.docx", docx_bytes("xl/workbook.xml"), "looks like an Excel workbook"),
    ("caf.docx", docx_bytes("other.xml"), "looks like a zip archive"),
    ("caf.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "looks like an old Office document"),
    ("caf.txt", b"text then \x00 a NUL", "binary data"),
    ("caf.txt", b"Latin-1 caf\xe9", "binary data"),
    ("empty.pdf", b"", "is empty"),
])
def test_other_files_are_refused_by_what_they_look_like_and_nothing_is_stored(store, tmp_path, name, data, words):
    ref = add_referral()
    before = store_rows()
    result = run("attach", ref, a_file(tmp_path, name, data))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, result.stderr
    assert store_rows() == before


def test_a_file_over_20_mb_is_refused_and_one_of_20_mb_kept(store, tmp_path):
    ref = add_referral()
    big = tmp_path / "big.pdf"
    with open(big, "wb") as handle:
        handle.write(PDF)
        handle.truncate(21 * 1024 * 1024)
    before = store_rows()
    result = run("attach", ref, big)
    assert result.exit_code == 1 and "21.0 MB" in result.stderr and "at most 20.0 MB" in result.stderr
    assert store_rows() == before
    with open(big, "r+b") as handle:
        handle.truncate(20 * 1024 * 1024)
    ok("attach", ref, big)
    assert sql("SELECT size, (SELECT COUNT(*) FROM attachment_chunk) FROM attachment") == [(20 * 1024 * 1024, 20)]


def test_bad_paths_are_refused_in_one_line_and_nothing_is_stored(store, tmp_path, monkeypatch):
    ref = add_referral()
    (tmp_path / "a" / "b").mkdir(parents=True)
    a_file(tmp_path, ".bashrc", b"alias ls='ls -l'\n")
    monkeypatch.chdir(tmp_path / "a" / "b")
    before = store_rows()
    for given, words in [
        (tmp_path / "missing.pdf", "there is no file"),
        (tmp_path / "a", "is a folder"),
        ("../../etc/x", "goes up through '..'"),
        (tmp_path / ".bashrc", "is a hidden file"),
    ]:
        result = run("attach", ref, given)
        assert result.exit_code == 1, given
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, result.stderr
    result = run("attach", "MASG-2026-0099", tmp_path / ".bashrc")
    assert result.exit_code == 1 and "there is no referral" in result.stderr
    result = run("attach", ref, a_file(tmp_path, "x.pdf", PDF), "--kind", "photo")
    assert result.exit_code == 2
    assert store_rows() == before


def test_get_writes_the_file_back_0600_under_its_name_checked(store, tmp_path):
    ref = add_referral()
    data = PDF * 100_000  # several pieces
    ok("attach", ref, a_file(tmp_path, "Consent form.pdf", data), "--kind", "consent")
    out = ok("attachment", "get", ref, "1", "--out", tmp_path / "out").stdout
    copy = tmp_path / "out" / "Consent form.pdf"
    assert copy.read_bytes() == data
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert hashlib.sha256(data).hexdigest() in out
    assert [e["action"] for e in ok("audit", ref, "--json").json][-1] == "attachment get"
    again = run("attachment", "get", ref, "1", "--out", tmp_path / "out")
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert copy.read_bytes() == data


@pytest.mark.parametrize("stored, written", [
    ("../../etc/passwd", "passwd"),
    (".bashrc", "bashrc"),
    ("caf\x1b[31m\n.pdf", "caf_[31m_.pdf"),
    ("..", "attachment-1"),
    ("C:\\Users\\x\\caf.pdf", "caf.pdf"),
])
def test_get_makes_a_stored_name_safe(store, tmp_path, stored, written):
    ref = add_referral()
    ok("attach", ref, a_file(tmp_path, "caf.pdf", PDF))
    sql("UPDATE attachment SET name = :name", {"name": stored})
    ok("attachment", "get", ref, "1", "--out", tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == [written]


def test_a_damaged_attachment_is_not_given_back(store, tmp_path):
    ref = add_referral()
    ok("attach", ref, a_file(tmp_path, "caf.pdf", PDF))
    sql("UPDATE attachment_chunk SET data = :data", {"data": b"%PDF-tampered"})
    result = run("attachment", "get", ref, "1", "--out", tmp_path / "out")
    assert result.exit_code == 1 and "no longer matches the SHA-256" in result.stderr
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_an_unknown_attachment_or_another_cases_is_refused(store, tmp_path):
    first, second = add_referral(), add_referral("--child", "Kai Other", "--dob", "2016-06-06")
    ok("attach", first, a_file(tmp_path, "caf.pdf", PDF))
    for ref, wanted in ((first, "7"), (second, "1")):
        result = run("attachment", "get", ref, wanted, "--out", tmp_path / "out")
        assert result.exit_code == 1 and f"{ref} has no attachment {wanted}" in result.stderr
    assert "No attachments" in ok("attachment", "list", second).stdout


def test_the_case_card_lists_its_attachments(store, tmp_path):
    ref = add_referral()
    ok("attach", ref, a_file(tmp_path, "caf.pdf", PDF), "--kind", "caf")
    card = ok("referral", "show", ref).stdout
    assert "Attachments" in card and "caf.pdf" in card and hashlib.sha256(PDF).hexdigest() in card
