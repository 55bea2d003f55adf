"""Folders masg makes hold children's details: every one it creates is its owner's alone.

On Linux and macOS that is a file mode (folders 0700, files 0600). Windows has no such modes
(``os.chmod`` there only sets or clears the read-only flag): a file takes the permissions of the
folder it is made in, so there masg keeps its store and staging folder in the user's own
profile (``%LOCALAPPDATA%\\masg``, which only that user, SYSTEM and administrators can read), and
``masg doctor`` warns when the store is elsewhere. Every mode masg sets goes through
``restrict`` so that this choice is made in one place.
"""

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
        restrict(path, 0o700)  # the umask may have taken bits away; it cannot have added any


def on_windows() -> bool:
    """Windows, where files have no POSIX modes (the one place masg asks)."""
    return os.name == "nt"


def restrict(path: Path, mode: int) -> None:
    """Give ``path`` the POSIX ``mode`` (0600 files, 0700 folders); on Windows, leave it be.

    On Windows ``os.chmod(path, 0o600)`` would only clear the read-only flag: the file is as
    private as the folder it is in (see the module's docstring)."""
    if not on_windows():
        os.chmod(path, mode)


def in_profile(path: Path) -> bool:
    """Is ``path`` inside the user's own profile folder (%USERPROFILE%; Windows' private place)?"""
    profile = os.environ.get("USERPROFILE")
    if not profile:
        return False
    inside, home = os.path.normcase(os.path.abspath(path)), os.path.normcase(os.path.abspath(profile))
    return inside == home or inside.startswith(home.rstrip("\\/") + os.sep)


def private_hint(path: Path) -> str:
    """How a co-ordinator makes a store file theirs alone, in this platform's terms."""
    if on_windows():
        return (f"keep {path.name} in your profile's data folder ({data_folder()}), or ask IT "
                "to limit who may read the folder it is in")
    return f"run chmod 600 on {path}"


def data_folder() -> Path:
    """masg's data folder: the default store and the staging folder live here.

    ``~/.local/share/masg`` on Linux (XDG_DATA_HOME is honoured), ``%LOCALAPPDATA%\\masg`` on
    Windows. platformdirs does not create it: ``make_private`` does, when it is needed.
    """
    from platformdirs import user_data_dir

    return Path(user_data_dir("masg", appauthor=False))
