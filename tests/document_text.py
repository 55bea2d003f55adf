"""Reading a made document back as its reader sees it (for the document tests)."""

from __future__ import annotations

from pathlib import Path


def docx_text(path: Path) -> str:
    """Every paragraph, table cell, header and footer of a .docx, in order, read with python-docx."""
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs + section.footer.paragraphs)
    return "\n".join(parts)


def made(folder: Path, prefix: str) -> Path:
    """The one .docx in ``folder`` whose name begins with ``prefix``."""
    [path] = sorted(folder.glob(f"{prefix}*.docx"))
    return path
