"""--pdf finds Word or LibreOffice on Windows, macOS and Linux, simulated by faking the platform.

No machine here runs Windows or macOS: sys.platform, the install folders, the registry (winreg),
docx2pdf and Word's automation are fakes. What is real is the choice masg makes from them.
"""

from __future__ import annotations

import shutil
import sys
import types

import pytest

from masg_cli.documents import pdf
from masg_cli.errors import Refused
from conftest import ok, run


@pytest.fixture
def no_path(monkeypatch):
    """No soffice or libreoffice on the PATH (as a Windows or macOS installation leaves it)."""
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in ("soffice", "libreoffice")
                        else real(name, *a, **k))


def _windows(monkeypatch, tmp_path, *, word_registered: bool):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    monkeypatch.delenv("ProgramW6432", raising=False)
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "Program Files (x86)"))

    def open_key(root, name):
        if not word_registered:
            raise FileNotFoundError(name)
        return name

    fake = types.SimpleNamespace(HKEY_CLASSES_ROOT="HKCR", OpenKey=open_key, CloseKey=lambda key: None)
    monkeypatch.setitem(sys.modules, "winreg", fake)


def _docx2pdf(monkeypatch, tmp_path, convert):
    """A docx2pdf importable from a folder of its own, whose convert() is ``convert``."""
    package = tmp_path / "site" / "docx2pdf"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("def convert(*a, **k):\n    raise NotImplementedError\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "docx2pdf", raising=False)  # gone again after the test
    import docx2pdf

    monkeypatch.setattr(docx2pdf, "convert", convert)
    return docx2pdf


def _install(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def test_libreoffice_in_program_files_is_found_on_windows_without_the_path(monkeypatch, tmp_path, no_path):
    _windows(monkeypatch, tmp_path, word_registered=False)
    program = _install(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    assert pdf.soffice() == str(program)
    assert pdf.converter() == pdf.Converter("LibreOffice", str(program))


def test_a_32_bit_libreoffice_in_program_files_x86_is_found_too(monkeypatch, tmp_path, no_path):
    _windows(monkeypatch, tmp_path, word_registered=False)
    program = _install(tmp_path / "Program Files (x86)" / "LibreOffice" / "program" / "soffice.exe")
    assert pdf.soffice() == str(program)


def test_libreoffice_in_applications_is_found_on_macos(monkeypatch, tmp_path, no_path):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert "/Applications/LibreOffice.app/Contents/MacOS/soffice" in pdf._install_folders()
    program = _install(tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    assert pdf.soffice() == str(program)


def test_libreoffice_on_the_path_comes_before_any_install_folder(monkeypatch, tmp_path):
    _windows(monkeypatch, tmp_path, word_registered=False)
    _install(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: r"C:\Tools\soffice.exe" if name == "soffice" else None)
    assert pdf.soffice() == r"C:\Tools\soffice.exe"


def test_word_with_the_extra_is_chosen_before_libreoffice_on_windows(monkeypatch, tmp_path, no_path):
    _windows(monkeypatch, tmp_path, word_registered=True)
    _install(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    _docx2pdf(monkeypatch, tmp_path, convert=None)
    assert pdf.converter() == pdf.Converter("Microsoft Word", "docx2pdf")


def test_the_word_extra_without_word_falls_back_to_libreoffice(monkeypatch, tmp_path, no_path):
    _windows(monkeypatch, tmp_path, word_registered=False)
    program = _install(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    _docx2pdf(monkeypatch, tmp_path, convert=None)
    assert pdf.converter().name == "LibreOffice" and pdf.converter().where == str(program)


def test_word_on_macos_is_found_in_applications(monkeypatch, tmp_path, no_path):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    _docx2pdf(monkeypatch, tmp_path, convert=None)
    assert pdf.converter() is None
    (tmp_path / "Applications" / "Microsoft Word.app").mkdir(parents=True)
    assert pdf.converter() == pdf.Converter("Microsoft Word", "docx2pdf")


def test_word_is_never_tried_on_linux_even_with_docx2pdf_installed(monkeypatch, tmp_path, no_path):
    monkeypatch.setattr(sys, "platform", "linux")
    _docx2pdf(monkeypatch, tmp_path, convert=None)
    monkeypatch.setattr(pdf, "_install_folders", lambda: [])
    assert pdf.word() is None and pdf.converter() is None


@pytest.mark.parametrize("platform, names", [
    ("win32", ["libreoffice.org", "masg[word]"]),
    ("darwin", ["libreoffice.org", "masg[word]"]),
    ("linux", ["apt-get install libreoffice-writer-nogui"]),
])
def test_with_no_converter_the_refusal_is_one_line_naming_what_to_install(monkeypatch, tmp_path, no_path,
                                                                        platform, names):
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(pdf, "_install_folders", lambda: [])
    monkeypatch.setitem(sys.modules, "winreg", types.SimpleNamespace(
        HKEY_CLASSES_ROOT="HKCR", OpenKey=lambda *a: (_ for _ in ()).throw(OSError()), CloseKey=print))
    with pytest.raises(Refused) as refused:
        pdf.require_converter()
    message = str(refused.value)
    assert message.startswith("LibreOffice is not installed") and "\n" not in message
    assert all(name in message for name in names) and message.endswith("or leave out --pdf")


def test_word_makes_the_pdf_beside_the_document_and_leaves_an_open_word_open(monkeypatch, tmp_path, no_path):
    _windows(monkeypatch, tmp_path, word_registered=True)
    calls = []

    def convert(source, target, keep_active):
        calls.append(keep_active)
        print("100%|##########| 1/1", file=sys.stderr)  # docx2pdf's progress bar
        open(target, "wb").write(b"%PDF-1.7 fictional")

    _docx2pdf(monkeypatch, tmp_path, convert)
    monkeypatch.setattr(pdf, "_word_running", lambda: True)
    document = tmp_path / "out" / "decision-sheet-MASG-2026-0001.docx"
    _install(document)
    made = pdf.to_pdf(document)
    assert made == document.with_suffix(".pdf") and made.read_bytes().startswith(b"%PDF")
    assert calls == [True]


def test_a_word_that_fails_is_one_line_and_leaves_no_pdf(monkeypatch, tmp_path, no_path, capsys):
    _windows(monkeypatch, tmp_path, word_registered=True)

    def convert(source, target, keep_active):
        open(target, "wb").write(b"%PDF-")  # half-written, then AppleScript's error and exit
        print({"result": "error"})
        sys.exit(1)

    _docx2pdf(monkeypatch, tmp_path, convert)
    monkeypatch.setattr(pdf, "_word_running", lambda: False)
    document = _install(tmp_path / "agenda-2026-12-01-north.docx")
    with pytest.raises(Refused, match="Microsoft Word could not convert agenda-2026-12-01-north.docx"):
        pdf.to_pdf(document)
    assert not document.with_suffix(".pdf").exists()
    assert capsys.readouterr() == ("", "")


def test_doctor_names_the_converter_documents_will_use(store):
    line = next(x for x in ok("doctor").stdout.splitlines() if "pdf converter" in x)
    assert line.startswith("ok   pdf converter: ok (LibreOffice: ") or "none found" in line


def test_doctor_warns_when_no_converter_is_found_and_still_passes(store, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    result = run("doctor")
    line = next(x for x in result.stdout.splitlines() if "pdf converter" in x)
    assert result.exit_code == 0
    assert line.startswith("warn pdf converter: none found: LibreOffice is not installed")
