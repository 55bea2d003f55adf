"""The guide's story, pasted into a shell line by line as a new co-ordinator would: every
`masg` line of the README's first day and then of each page it links, in order, on one new store,
from a practice/ folder in the repository, succeeds as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guide import README, ROOT, pages

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]  # a hundred real masg processes

NOT_THE_STORY = {"team-store.md", "developers.md", "installing-for-it.md"}  # a server's, a developer's, IT's


def story_lines() -> list[tuple[str, str]]:
    """(page, command) for every `masg` line of the story's blocks, continuation lines joined."""
    first_day = README.read_text(encoding="utf-8").split("\n## Setting up\n", 1)[1].split("\n## Command reference\n")[0]
    texts = [("README.md", first_day)]
    texts += [(page.name, page.read_text(encoding="utf-8")) for page in pages() if page.name not in NOT_THE_STORY]
    return [(name, line) for name, text in texts for block in re.findall(r"\n```\n(.*?)```", text, re.S)
            for line in block.replace("\\\n", " ").splitlines() if line.startswith("masg ")]


def test_the_story_has_the_first_day_and_every_job_in_it():
    names = {name for name, _ in story_lines()}
    assert {"README.md", "records.md", "decisions.md", "reviews-and-follow-ups.md", "audit-and-health.md"} <= names
    assert len(story_lines()) > 90


def test_every_line_of_the_story_runs_as_written_from_a_practice_folder(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "practice" / "examples")  # cp -r ../examples .
    env = {**os.environ, "MASG_DB": str(tmp_path / "store" / "masg.db"), "HOME": str(tmp_path),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name, line in story_lines():
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path / "practice", env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{name}: {line}\n{done.stderr}"
