"""PDFs through LibreOffice, for a co-ordinator who sends documents that should not be edited."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from masg_cli.documents.render import write_bytes
from masg_cli.errors import Refused

NO_LIBREOFFICE = ("LibreOffice is not installed, so no PDF can be made; install it "
                  "(for example 'apt-get install libreoffice-writer-nogui') or leave out --pdf")


def soffice() -> str | None:
    """The LibreOffice program, or None; the one place masg looks for it."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(path: Path) -> Path:
    """A PDF beside the document, made by LibreOffice headless with a profile of its own."""
    program = soffice()
    if program is None:
        raise Refused(NO_LIBREOFFICE)
    path = Path(path)
    target = path.with_suffix(".pdf")
    # Its own profile: a second LibreOffice on the same profile exits 0 without converting.
    with tempfile.TemporaryDirectory(prefix="masg-soffice-") as work:
        profile = Path(work, "profile").as_uri()
        outdir = Path(work, "out")
        command = [program, f"-env:UserInstallation={profile}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(outdir), str(path)]
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            raise Refused(f"LibreOffice could not convert {path.name} to PDF; "
                          "open it in Word or LibreOffice and save it as PDF") from None
        made = outdir / target.name
        if not made.is_file() or made.stat().st_size == 0:
            raise Refused(f"LibreOffice made no PDF from {path.name}; "
                          "open it in Word or LibreOffice and save it as PDF")
        write_bytes(target, made.read_bytes())
    return target
