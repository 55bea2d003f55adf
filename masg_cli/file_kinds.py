"""What a file is, judged by its content, and a file name made safe to write.

A case file keeps PDFs, Word documents, PNG or JPEG images and plain text. A file's name says
nothing reliable (an executable renamed ``caf.pdf`` is still an executable), so the first bytes
decide, and plain text is text only if every byte of it is UTF-8 without a NUL. No I/O here
beyond what ``docx_holds_a_document`` is given to open.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

PDF, DOCX, PNG, JPEG, TEXT = "PDF", "Word document", "PNG image", "JPEG image", "plain text"
HEAD_BYTES = 16

_ACCEPTED = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# What a refused file looks like, for the one line that says so.
_REFUSED = (
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable (EXE or DLL)"),
    (b"\xcf\xfa\xed\xfe", "an executable (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "an executable (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "an executable (Mach-O or Java class)"),
    (b"#!", "a script (#!)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc or .xls)"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "a rich text document (.rtf)"),
)
ZIP = b"PK\x03\x04"
ACCEPTED_KINDS = "a PDF, a Word document (.docx), a PNG or JPEG image, or plain text"


def by_head(head: bytes) -> tuple[str | None, str | None]:
    """(accepted kind, None), (None, what it looks like) when refused, or (None, None) when the
    rest of the file must decide (a zip archive, or perhaps text)."""
    for magic, kind in _ACCEPTED:
        if head.startswith(magic):
            return kind, None
    for magic, looks_like in _REFUSED:
        if head.startswith(magic):
            return None, looks_like
    return None, None


def zip_kind(names: set[str]) -> tuple[str | None, str | None]:
    """A zip archive's kind from the names it holds: a Word document holds word/document.xml."""
    if "word/document.xml" in names:
        return DOCX, None
    if "xl/workbook.xml" in names:
        return None, "an Excel workbook (.xlsx)"
    if "ppt/presentation.xml" in names:
        return None, "a PowerPoint presentation (.pptx)"
    return None, "a zip archive"


class TextCheck:
    """Fed a file's chunks in order: is the whole of it UTF-8 without a NUL?"""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.ok = True

    def feed(self, chunk: bytes) -> None:
        if not self.ok:
            return
        if b"\x00" in chunk:
            self.ok = False
            return
        try:
            self._decoder.decode(chunk)
        except UnicodeDecodeError:
            self.ok = False

    def finish(self) -> bool:
        if self.ok:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.ok = False
        return self.ok


_UNSAFE = re.compile(r'[<>:"/\\|?*]')
MAX_NAME = 120


def safe_name(name: str, fallback: str) -> str:
    """A name to write a file under: no folders, no leading dot, no control characters, none of
    the characters Windows refuses, not too long; ``fallback`` when nothing is left."""
    base = re.split(r"[/\\]", name)[-1]
    base = "".join("_" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in base)
    base = _UNSAFE.sub("_", base).strip().lstrip(".").strip()
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:MAX_NAME]
    return base or fallback
