"""Where in a Word template a broken tag is: the paragraph a co-ordinator can find and fix.

Jinja counts a syntax error's line in the XML docxtpl made of the document, which no one can
find in Word, and docxtpl's text around it spans every paragraph with no line break. Each tag
lies within one paragraph, so lexing the paragraphs one by one finds the one whose braces do not
balance (``{{ reference }``), however many correct tags are near it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
_DELIMITER = re.compile(r"\{\{|\}\}|\{%|%\}")
_CLOSES = {"{{": "}}", "{%": "%}"}
_WHERE = {"document": "paragraph", "header": "header paragraph", "footer": "footer paragraph",
          "footnotes": "footnote paragraph"}


def paragraphs(path: Path) -> list[tuple[str, int, str]]:
    """Each paragraph of the body, headers, footers and footnotes: (where, number, text)."""
    from lxml import etree

    found = []
    with zipfile.ZipFile(path) as archive:
        names = sorted((n for n in archive.namelist() if _PARTS.fullmatch(n)),
                       key=lambda n: (n != "word/document.xml", n))
        for name in names:
            kind = re.sub(r"\d+$", "", _PARTS.fullmatch(name).group(1))  # type: ignore[union-attr]
            tree = etree.fromstring(archive.read(name))
            for number, paragraph in enumerate(tree.iter(_W + "p"), start=1):
                text = "".join(t.text or "" for t in paragraph.iter(_W + "t"))
                found.append((_WHERE[kind], number, text))
    return found


def broken_paragraph(path: Path, env) -> str | None:
    """'paragraph 3 ('Reference {{ reference }')': the first whose tags do not lex; or None."""
    from jinja2 import TemplateSyntaxError

    try:
        found = paragraphs(path)
    except Exception:  # noqa: BLE001 - an unreadable part: the caller's message stands alone
        return None
    for where, number, text in found:
        if "{" not in text and "}" not in text:
            continue
        if not _balanced(text, env, TemplateSyntaxError):
            shown = " ".join(text.split())
            shown = shown if len(shown) <= 120 else shown[:117] + "..."
            return f"{where} {number} ('{shown}')"
    return None


def _balanced(text: str, env, syntax_error: type[Exception]) -> bool:
    """Whether each ``{{`` and ``{%`` of a paragraph closes before the next opens, and it lexes.

    Jinja's lexer alone lets a paragraph end inside a block tag (``{% endfor %``)."""
    open_tag = None
    for found in _DELIMITER.finditer(text):
        mark = found.group()
        if mark in _CLOSES:
            if open_tag:
                return False
            open_tag = mark
        elif open_tag and _CLOSES[open_tag] == mark:
            open_tag = None
        elif open_tag or mark == "%}":
            return False
    if open_tag:
        return False
    try:
        for _ in env.lex(text):
            pass
    except syntax_error:
        return False
    return True
