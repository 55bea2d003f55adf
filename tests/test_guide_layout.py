"""The guide fits: a README a newcomer reads in one sitting, each other job on a page of its own."""

from __future__ import annotations

import re

import pytest

from guide import README, ROOT, command_reference, pages

QUICK_START = ("pip install . && bash examples/walkthrough.sh",
               "python -m pip install -e '.[test]' && python -m pytest")


def test_the_readme_keeps_the_two_quick_start_commands_word_for_word():
    text = README.read_text(encoding="utf-8")
    for command in QUICK_START:
        assert f"```\n{command}\n```" in text


def test_the_readme_is_short_enough_to_read_in_one_sitting():
    assert len(README.read_text(encoding="utf-8").splitlines()) < 400


def test_every_page_under_docs_is_linked_from_the_readme_and_links_back():
    linked = set(pages())
    for page in (ROOT / "docs").glob("*.md"):
        assert page in linked, f"README.md's contents does not link {page.name}"
    # The IT page stands alone; the fields page is generated (masg templates fields --markdown).
    for page in linked - {ROOT / "docs" / "installing-for-it.md", ROOT / "docs" / "template-fields.md"}:
        assert "](../README.md)" in page.read_text(encoding="utf-8"), f"{page.name} has no way back"


@pytest.mark.parametrize("page", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=lambda page: page.name)
def test_every_link_between_the_pages_leads_to_a_file_that_exists(page):
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
        assert (page.parent / target).exists(), f"{page.name} links {target}, which does not exist"


def test_the_command_reference_lists_the_commands_under_the_panels_masg_help_shows():
    from masg_cli.cli.app import PANELS

    reference = command_reference()
    headings = re.findall(r"^\*\*(.+)\*\*$", reference, re.M)
    assert headings == list(PANELS)
    assert all(line.startswith(("- `masg ", "**", "Every command")) for line in reference.splitlines() if line)
