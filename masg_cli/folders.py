"""Folders masg makes hold children's details: every one it creates is its owner's alone."""

from __future__ import annotations

import os
from pathlib import Path


def make_private(folder: Path) -> None:
    """Create ``folder`` and any missing folders above it, each 0700.

    ``Path.mkdir(parents=True, mode=...)`` gives only the last folder that mode; the ones above
    it get the umask's (often 0755), which would let others list the files inside.
    """
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:  # another co-ordinator's command made it a moment ago
            continue
        os.chmod(path, 0o700)  # the umask may have taken bits away; it cannot have added any


def data_folder() -> Path:
    """masg's data folder: the default store and the staging folder live here.

    ``~/.local/share/masg`` on Linux (XDG_DATA_HOME is honoured), ``%LOCALAPPDATA%\\masg`` on
    Windows. platformdirs does not create it: ``make_private`` does, when it is needed.
    """
    from platformdirs import user_data_dir

    return Path(user_data_dir("masg", appauthor=False))
