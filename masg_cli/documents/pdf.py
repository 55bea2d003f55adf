"""PDFs for a co-ordinator who sends documents that should not be edited.

Two converters: Microsoft Word, where it is installed with masg's ``word`` extra (docx2pdf, on
Windows and macOS: it drives Word itself, so the PDF looks as the template does in Word), and
LibreOffice headless, on the PATH or in its usual install folder (a Windows or macOS installation
of LibreOffice does not put ``soffice`` on the PATH). ``converter()`` is the one place masg
decides; ``masg doctor`` reports what it found.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from masg_cli import staging
from masg_cli.documents.render import write_bytes
from masg_cli.errors import Refused
from masg_cli.folders import restrict
from masg_cli.outputs import readable

WORD, LIBREOFFICE = "Microsoft Word", "LibreOffice"


@dataclass(frozen=True)
class Converter:
    """The program that will make PDFs: its name, and where it is (or how it is reached)."""

    name: str
    where: str


def _install_folders() -> list[str]:
    """Where LibreOffice's own installers put soffice on this platform, in the order masg looks."""
    if sys.platform == "win32":
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        return [os.path.join(r, "LibreOffice", "program", "soffice.exe") for r in roots if r]
    if sys.platform == "darwin":
        return ["/Applications/LibreOffice.app/Contents/MacOS/soffice",
                os.path.expanduser("~/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    # The Document Foundation's own .deb/.rpm packages install here, without a soffice on the PATH.
    return sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True)


def soffice() -> str | None:
    """The LibreOffice program: on the PATH, else in its usual install folder; or None."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _install_folders() if os.path.isfile(p)), None)


def _word_registered() -> bool:
    """Is Microsoft Word installed (asked without starting it)?"""
    if sys.platform == "darwin":
        return any(os.path.isdir(p) for p in ("/Applications/Microsoft Word.app",
                                              os.path.expanduser("~/Applications/Microsoft Word.app")))
    if sys.platform != "win32":
        return False
    import winreg  # Word registers its automation server here when it is installed

    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Word.Application\CLSID"))
    except OSError:
        return False
    return True


def word() -> str | None:
    """'docx2pdf' when Word can make PDFs here (Windows or macOS, Word and the extra installed)."""
    from importlib.util import find_spec

    if sys.platform not in ("win32", "darwin") or find_spec("docx2pdf") is None:
        return None
    return "docx2pdf" if _word_registered() else None


def converter() -> Converter | None:
    """The converter --pdf will use: Word where it can be driven, else LibreOffice; or None."""
    through_word = word()
    if through_word:
        return Converter(WORD, through_word)
    program = soffice()
    return Converter(LIBREOFFICE, program) if program else None


def what_to_install() -> str:
    """One line naming what to install for --pdf on this platform (the refusal and doctor say it)."""
    if sys.platform == "win32":
        how = ("install it from libreoffice.org, or, where Microsoft Word is installed, "
               "install masg with its Word extra (pipx install \"masg[word]\")")
    elif sys.platform == "darwin":
        how = ("install it from libreoffice.org, or, where Microsoft Word is installed, "
               "install masg with its Word extra (pipx install 'masg[word]')")
    else:
        how = "install it (for example 'apt-get install libreoffice-writer-nogui')"
    return f"LibreOffice is not installed, so no PDF can be made; {how}, or leave out --pdf"


NO_LIBREOFFICE = what_to_install()  # kept for callers that name the message itself


def require_converter() -> Converter:
    """The converter, or the one-line refusal naming what to install (before anything is written)."""
    found = converter()
    if found is None:
        raise Refused(what_to_install())
    return found


def to_pdf(path: Path) -> Path:
    """A PDF beside the document, made by the converter ``converter()`` chose.

    The converter works in a folder inside the command's staging folder, not the system's temporary
    folder: a command killed while it converts leaves its copy where the next command sweeps it."""
    found = require_converter()
    path = Path(path)
    if found.name == WORD:
        return _through_word(path)
    return _through_libreoffice(found.where, path)


# A tagged PDF (headings, tables and reading order marked, the document's language and title),
# as public bodies' documents must be accessible; the JSON form of the option needs LibreOffice
# 7.4 or later, so an older one that makes nothing with it is asked for a plain PDF.
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def _through_libreoffice(program: str, path: Path) -> Path:
    """LibreOffice headless with a profile of its own, into a private temporary folder."""
    target = path.with_suffix(".pdf")
    try:
        work = staging.new_folder("soffice-")
    except OSError as exc:
        raise Refused(f"cannot write in masg's staging folder {staging.root()} ({exc.strerror}); "
                      "check that folder's permissions") from None
    try:
        write_bytes(target, _convert(program, readable(path), path.name, work))
    finally:
        staging.settle(work)
    return target


def _through_word(path: Path) -> Path:
    """Word saves the PDF itself, beside the document (Word for Mac asks once for a folder it may
    write in; a temporary folder would ask every time). Word's progress bar and messages are kept
    off the terminal, and a Word the co-ordinator already has open is left open."""
    import contextlib
    import io

    import docx2pdf

    target = path.with_suffix(".pdf")
    failed = f"Microsoft Word could not convert {path.name} to PDF; open it in Word and save it as PDF"
    work = staging.new_folder("word-")
    try:
        document = work / path.name  # the held document's file is named masg-....part: give it its name
        shutil.copyfile(readable(path), document)
        made = document.with_suffix(".pdf")
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                docx2pdf.convert(str(document.resolve()), str(made.resolve()), keep_active=_word_running())
        except (Exception, SystemExit):  # noqa: BLE001 - COM errors, AppleScript's exit: one line, no traceback
            raise Refused(failed) from None
        if not made.is_file() or made.stat().st_size == 0:
            raise Refused(failed)
        restrict(made, 0o600)  # Word wrote it with the umask's mode
        write_bytes(target, made.read_bytes())
    finally:
        staging.settle(work)
    return target


def _word_running() -> bool:
    """Is Word already open? Then docx2pdf must not quit it (it would close the user's own work)."""
    if sys.platform == "win32":
        try:
            import win32com.client  # pywin32, which docx2pdf brings on Windows

            win32com.client.GetActiveObject("Word.Application")
        except Exception:  # noqa: BLE001 - pywintypes.com_error: no running Word
            return False
        return True
    try:
        answer = subprocess.run(["/usr/bin/osascript", "-e", 'application "Microsoft Word" is running'],
                                capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return True  # not known: leaving Word open is the safe mistake
    return answer.stdout.strip() != "false"


def _convert(program: str, source: Path, name: str, work: Path) -> bytes:
    """The PDF LibreOffice makes of ``source``, under the document's own name ``name``."""
    document = work / name  # the held document's file is named masg-....part: give it its name
    shutil.copyfile(source, document)
    # Its own profile: a second LibreOffice on the same profile exits 0 without converting.
    profile = Path(work, "profile").as_uri()
    outdir = Path(work, "out")
    made = outdir / Path(name).with_suffix(".pdf").name
    # A tagged PDF (headings, tables, reading order) for screen readers; an older LibreOffice that
    # makes nothing with the option is asked for a plain one.
    for export in (TAGGED_PDF, "pdf"):
        command = [program, f"-env:UserInstallation={profile}", "--headless",
                   "--convert-to", export, "--outdir", str(outdir), str(document)]
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            raise Refused(f"LibreOffice could not convert {name} to PDF; "
                          "open it in Word or LibreOffice and save it as PDF") from None
        if made.is_file() and made.stat().st_size > 0:
            break
    if not made.is_file() or made.stat().st_size == 0:
        raise Refused(f"LibreOffice made no PDF from {name}; "
                      "open it in Word or LibreOffice and save it as PDF")
    return made.read_bytes()
