"""PDFs through LibreOffice, for a co-ordinator who sends documents that should not be edited."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from masg_cli import staging
from masg_cli.documents.render import write_bytes
from masg_cli.errors import Refused
from masg_cli.outputs import readable

NO_LIBREOFFICE = ("LibreOffice is not installed, so no PDF can be made; install it "
                  "(for example 'apt-get install libreoffice-writer-nogui') or leave out --pdf")


def soffice() -> str | None:
    """The LibreOffice program, or None; the one place masg looks for it."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(path: Path) -> Path:
    """A PDF beside the document, made by LibreOffice headless with a profile of its own.

    LibreOffice works in a folder inside the command's staging folder, not the system's temporary
    folder: a command killed while it converts leaves its copy where the next command sweeps it."""
    program = soffice()
    if program is None:
        raise Refused(NO_LIBREOFFICE)
    path = Path(path)
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


def _convert(program: str, source: Path, name: str, work: Path) -> bytes:
    """The PDF LibreOffice makes of ``source``, under the document's own name ``name``."""
    document = work / name  # the held document's file is named masg-....part: give it its name
    shutil.copyfile(source, document)
    # Its own profile: a second LibreOffice on the same profile exits 0 without converting.
    profile = Path(work, "profile").as_uri()
    outdir = Path(work, "out")
    command = [program, f"-env:UserInstallation={profile}", "--headless",
               "--convert-to", "pdf", "--outdir", str(outdir), str(document)]
    try:
        subprocess.run(command, capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired):
        raise Refused(f"LibreOffice could not convert {name} to PDF; "
                      "open it in Word or LibreOffice and save it as PDF") from None
    made = outdir / Path(name).with_suffix(".pdf").name
    if not made.is_file() or made.stat().st_size == 0:
        raise Refused(f"LibreOffice made no PDF from {name}; "
                      "open it in Word or LibreOffice and save it as PDF")
    return made.read_bytes()
