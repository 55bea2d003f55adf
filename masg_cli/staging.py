"""Unfinished output: written in a private staging folder, moved into place only when whole.

A command that is killed half-way (kill -9, a crash, a power cut) cannot clean up after itself,
and what it was writing may be a whole copy of every child's record (a backup, an export) or a
background pack full of them. So unfinished files are never written beside ``--out``, where
nothing would find them again, but in ``<data folder>/staging/<pid>-<random>/`` (0700), one
folder per command (outputs.py holds documents there until they are recorded), whose ``owner``
file names the process and when it started (a pid alone may be reused after a restart). The next
masg command that opens a store removes the folders of processes that are gone (``sweep``: one
listdir, usually of an empty folder), and ``masg doctor`` says what it found.

Nothing here imports more than the standard library and platformdirs: it runs on every command.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

OWNER = "owner"

# This process's staging folders, each with its files not yet settled.
_open: dict[Path, set[Path]] = {}


def root() -> Path:
    """Where unfinished output waits: the staging folder inside masg's data folder."""
    from masg_cli.folders import data_folder

    return data_folder() / "staging"


# --- Who owns a staging folder -------------------------------------------------------------------


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (Linux), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def started(pid: int) -> str | None:
    """When a process started, as the kernel counts it (clock ticks since boot), where known."""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 else None


def _windows_alive(pid: int) -> bool:
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # type: ignore[attr-defined]  # access denied: it exists, and is someone else's
    code = ctypes.c_ulong()
    kernel.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE


def alive(pid: int, start: str | None = None) -> bool:
    """Is process ``pid`` running, and (when ``start`` is known) the same process that made it?"""
    from masg_cli.folders import on_windows

    if on_windows():  # os.kill(pid, 0) on Windows would send Ctrl+C (CTRL_C_EVENT is 0), not ask
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process has that pid
    fields = _proc_stat(pid)
    if fields is None:
        return True
    if fields[0] == "Z":  # killed, and not yet reaped by its parent: it will write nothing more
        return False
    return start is None or fields[19] == start


def _owner(folder: Path) -> tuple[int | None, str | None]:
    try:
        marker = json.loads((folder / OWNER).read_text())
        return int(marker["pid"]), marker.get("started")
    except (OSError, ValueError, KeyError, TypeError):
        # Killed between making the folder and writing its marker: the name still has the pid.
        head = folder.name.partition("-")[0]
        return (int(head), None) if head.isdigit() else (None, None)


# --- Writing through a staging folder ------------------------------------------------------------


def _own_folder() -> Path:
    """This process's staging folder under the current data folder, made when first needed."""
    base = root()
    for folder in _open:
        if folder.parent == base and folder.exists():
            return folder
    from masg_cli.folders import make_private, restrict

    make_private(base)
    folder = base / f"{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o700)
    restrict(folder, 0o700)
    fd = os.open(folder / OWNER, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"pid": os.getpid(), "started": started(os.getpid())}, handle)
    _open[folder] = set()
    return folder


def new_file(suffix: str = "") -> Path:
    """A new, empty 0600 file in this command's staging folder, for output not yet finished."""
    folder = _own_folder()
    handle, name = tempfile.mkstemp(dir=folder, prefix="masg-", suffix=f"{suffix}.part")
    os.close(handle)  # mkstemp makes it 0600: it will hold children's details
    _open.setdefault(folder, set()).add(Path(name))
    return Path(name)


def new_folder(prefix: str = "work-") -> Path:
    """A new 0700 folder in this command's staging folder, for a converter's working files
    (LibreOffice's profile and output): a killed command's are swept with the rest."""
    folder = _own_folder()
    made = Path(tempfile.mkdtemp(dir=folder, prefix=prefix))
    _open.setdefault(folder, set()).add(made)
    return made


def settle(staged: Path) -> None:
    """Done with a staged file (or folder): remove it if still there, and its staging folder once
    nothing is left.

    Settling a file twice (published, then a ``finally``) is harmless."""
    if staged.is_dir():
        shutil.rmtree(staged, ignore_errors=True)
    else:
        staged.unlink(missing_ok=True)
    folder = staged.parent
    waiting = _open.get(folder)
    if waiting is None:
        return
    waiting.discard(staged)
    if not waiting:
        del _open[folder]
        shutil.rmtree(folder, ignore_errors=True)


def publish(staged: Path, target: Path) -> None:
    """Put a finished file on ``target`` whole: a rename on the same drive, else a private copy."""
    from masg_cli.folders import restrict

    restrict(staged, 0o600)
    try:
        os.replace(staged, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        _copy_into_place(staged, target)
    settle(staged)


def _copy_into_place(staged: Path, target: Path) -> None:
    """Across drives a rename fails: copy to a 0600 file beside ``target``, then rename that, so
    ``target`` is never seen half-written (the copy beside it lives only while it is copied)."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".masg-", suffix=".part")
    os.close(handle)
    try:
        shutil.copyfile(staged, name)
        os.replace(name, target)
    finally:
        Path(name).unlink(missing_ok=True)


# --- Leftovers of commands that were stopped -----------------------------------------------------


@dataclass
class Sweep:
    """What the last sweep found in the staging folder (folder names only: no personal data)."""

    folder: Path | None = None
    removed: list[str] = field(default_factory=list)
    not_removed: list[str] = field(default_factory=list)
    running: int = 0


_last = Sweep()


def sweep() -> Sweep:
    """Remove the staging folders of masg commands that are no longer running."""
    global _last
    base = root()
    found = Sweep(base)
    try:
        names = os.listdir(base)
    except OSError:  # no staging folder yet: nothing was ever left
        names = []
    for name in names:
        folder = base / name
        pid, start = _owner(folder)
        if pid is not None and alive(pid, start):
            found.running += 1
            continue
        shutil.rmtree(folder, ignore_errors=True)
        (found.not_removed if folder.exists() else found.removed).append(name)
    _last = found
    return found


def last_sweep() -> Sweep:
    return _last
