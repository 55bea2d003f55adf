"""Files masg writes: one rule for all of them, and documents held until their record is saved.

The rule, for every command that writes a file (backup, export, report --xlsx, meeting ics and
every document): masg never replaces a file quietly. An output that already exists is refused
before anything is written, naming the file and ``--overwrite``; with ``--overwrite`` it is
replaced and the command says so on stderr ("replaced .../decision-sheet-MASG-2026-0001.docx").

Documents are written whole in the command's staging folder (staging.py) and held there while
the command runs; the transaction that records and audits them moves them into ``--out`` only
once it has committed (``store.transaction``). So a command killed at any point leaves either
nothing in ``--out`` (and a staging folder the next command sweeps) or documents whose making
is recorded, and one that fails removes what it staged.

Standard library only, with staging.py: it runs on every command.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from masg_cli import staging
from masg_cli.errors import Refused


@dataclass
class Held:
    """One command's outputs: whether it may replace files, and the documents it has staged."""

    overwrite: bool = False
    files: dict[Path, Path] = field(default_factory=dict)  # target -> staged
    replaced: list[str] = field(default_factory=list)  # what it replaced, said on stderr

    def publish(self) -> None:
        """Move every held document into place (the command's record of them is committed)."""
        while self.files:
            target, staged = next(iter(self.files.items()))
            del self.files[target]
            try:
                put(staged, target)
            except OSError as exc:
                self.discard()
                raise Refused(f"cannot write {target} ({exc.strerror}); the audit trail records it was "
                              "made: run the command again with another --out") from None

    def discard(self) -> None:
        """Remove what is still held: the command failed, or its transaction rolled back."""
        for staged in self.files.values():
            staging.settle(staged)
        self.files.clear()


_holding: list[Held] = []


@contextmanager
def held(*, overwrite: bool = False) -> Iterator[Held]:
    """Hold the documents written inside: the caller publishes them once its record is saved;
    whatever it did not publish is removed when it leaves."""
    outputs = Held(overwrite)
    _holding.append(outputs)
    try:
        yield outputs
    finally:
        outputs.discard()
        _holding.remove(outputs)


def _current() -> Held | None:
    return _holding[-1] if _holding else None


def check(target: Path, *, overwrite: bool | None = None) -> None:
    """Refuse an output that would replace an existing file, unless the command was given
    --overwrite (``overwrite`` None: as the running command was told)."""
    current = _current()
    if overwrite is None:
        overwrite = bool(current and current.overwrite)
    if overwrite or (current is not None and Path(target) in current.files):
        return
    if Path(target).exists():
        raise Refused(f"{target} already exists; give --overwrite to replace it, or choose another --out")


def put(staged: Path, target: Path) -> None:
    """Put a finished file on ``target`` (staging.publish), noting a file it replaces."""
    existed = Path(target).exists()
    staging.publish(staged, target)
    if existed:
        say_replaced(target)


def say_replaced(target: Path) -> None:
    """Note that the running command replaced ``target`` (it says so on stderr once it is done)."""
    current = _current()
    if current is not None:
        current.replaced.append(f"replaced {target}")


def replaced() -> list[str]:
    """What the running command replaced so far, one line each for stderr."""
    current = _current()
    return list(current.replaced) if current else []


@contextmanager
def staged(target: Path, *, overwrite: bool | None = None) -> Iterator[Path]:
    """A 0600 staged file for ``target``: held for the command's commit when one is running,
    else put in place as soon as it is written. Refused if ``target`` exists (see the rule)."""
    target = Path(target)
    check(target, overwrite=overwrite)
    try:
        tmp = staging.new_file(target.suffix)
    except OSError as exc:
        raise Refused(f"cannot write in masg's staging folder {staging.root()} ({exc.strerror}); "
                      "check that folder's permissions") from None
    try:
        yield tmp
    except BaseException:
        staging.settle(tmp)
        raise
    current = _current()
    if current is None:
        try:
            put(tmp, target)
        except OSError as exc:
            raise Refused(f"cannot write {target} ({exc.strerror}); choose another --out") from None
        finally:
            staging.settle(tmp)
        return
    earlier = current.files.pop(target, None)
    if earlier is not None:
        staging.settle(earlier)
    current.files[target] = tmp


def readable(path: Path) -> Path:
    """Where a document can be read now: its staged file while held, else ``path`` itself
    (a PDF is made from the held .docx, a draft attaches it)."""
    for outputs in reversed(_holding):
        if Path(path) in outputs.files:
            return outputs.files[Path(path)]
    return Path(path)


def discard(path: Path) -> None:
    """Remove a document a failing command wrote: its held copy, or the file itself."""
    for outputs in _holding:
        staged_file = outputs.files.pop(Path(path), None)
        if staged_file is not None:
            staging.settle(staged_file)
            return
    Path(path).unlink(missing_ok=True)
