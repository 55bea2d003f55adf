"""England and Wales bank holidays: the holidays library's, kept in a small file between commands.

The holidays library is offline and knows the rules to 2100, but importing it costs about a
tenth of a second (its package imports the rules of every country), and every ``masg today``
needs a few years of bank holidays for the working-day targets. So the days it gives are kept in
``<data folder>/bank-holidays.json`` beside a mark of the installed library (the path, size and
modification time of its England and Wales rules and of its version file): a library installed
or upgraded since (a new special bank holiday), a file that cannot be read, or a year not yet
kept, asks the library again. The file holds public dates only, never anyone's details; when it
cannot be written, the library answers every time, as it did before.

Only the standard library at import: it runs on the morning list's path.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Iterable

FILE_NAME = "bank-holidays.json"
FORMAT = 1  # the file's layout; another number is read as no file
# The library's files whose change means its bank holidays may have changed.
_LIBRARY_FILES = ("countries/united_kingdom.py", "version.py")


def bank_holidays(years: Iterable[int]) -> dict[date, str]:
    """England and Wales bank holidays in these years: each day with its name."""
    wanted = sorted({int(year) for year in years})
    if not wanted:
        return {}
    mark = library_mark()
    kept = _read(mark) if mark is not None else {}
    missing = [year for year in wanted if str(year) not in kept]
    if missing:
        kept.update(_from_library(missing))
        if mark is not None:
            _write(mark, kept)
    return {date.fromisoformat(day): name for year in wanted for day, name in kept[str(year)]}


def from_library(years: Iterable[int]) -> dict[date, str]:
    """The library's answer itself, never the kept one (for tests and doctor-like checks)."""
    import holidays

    return dict(holidays.UK(subdiv="ENG", years=sorted(set(years))))


def _from_library(years: list[int]) -> dict[str, list[list[str]]]:
    by_year: dict[str, list[list[str]]] = {str(year): [] for year in years}
    for day, name in sorted(from_library(years).items()):
        if str(day.year) in by_year:  # a year is kept whole, from a question about that year
            by_year[str(day.year)].append([day.isoformat(), str(name)])
    return by_year


def library_mark() -> str | None:
    """Which holidays library is installed, from its files' paths, sizes and times (without
    importing it); None when it cannot be found that way (then nothing is kept)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    parts = [str(folder)]
    for name in _LIBRARY_FILES:
        try:
            found = (folder / name).stat()
        except OSError:
            return None
        parts.append(f"{name}:{found.st_size}:{found.st_mtime_ns}")
    return "|".join(parts)


def kept_file() -> Path:
    from masg_cli.folders import data_folder

    return data_folder() / FILE_NAME


def _read(mark: str) -> dict[str, list[list[str]]]:
    try:
        data = json.loads(kept_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("library") != mark:
        return {}
    years = data.get("years")
    if not isinstance(years, dict) or not all(
            isinstance(days, list) and all(isinstance(d, list) and len(d) == 2 for d in days)
            for days in years.values()):
        return {}
    return years


def _write(mark: str, years: dict[str, list[list[str]]]) -> None:
    """Keep the years, whole or not at all (another command may be reading the file)."""
    from masg_cli.folders import make_private, restrict

    path = kept_file()
    text = json.dumps({"format": FORMAT, "library": mark, "years": years}, ensure_ascii=False)
    partial = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    try:
        make_private(path.parent)
        with open(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
            out.write(text)
        restrict(partial, 0o600)
        os.replace(partial, path)
    except OSError:  # a read-only or full data folder: the library answers next time too
        try:
            partial.unlink()
        except OSError:
            pass
