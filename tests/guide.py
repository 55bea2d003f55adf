"""The user guide as tests read it: README.md, then the docs/ pages in the order its contents
lists them, so that the examples still read as one story across the pages."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def pages() -> list[Path]:
    """The guide's pages in docs/ (not docs/process/), in the order the README links them."""
    linked = re.findall(r"\]\((docs/[\w-]+\.md)\)", README.read_text(encoding="utf-8"))
    return [ROOT / link for link in dict.fromkeys(linked)]


def guide_text() -> str:
    """The README followed by every page of the guide, the story's order."""
    return "\n".join(page.read_text(encoding="utf-8") for page in [README, *pages()])


def docs_text() -> str:
    """Every page under docs/ (not the README): where each job is told in full."""
    return "\n".join(page.read_text(encoding="utf-8") for page in sorted((ROOT / "docs").glob("*.md")))


def command_reference() -> str:
    """The README's one-page command reference."""
    return README.read_text(encoding="utf-8").split("\n## Command reference\n", 1)[1].split("\n## ", 1)[0]


def file_holding(heading: str) -> Path:
    """The page of the guide that holds a section with this heading."""
    return next(page for page in [README, *pages()]
                if f"\n## {heading}\n" in page.read_text(encoding="utf-8"))
