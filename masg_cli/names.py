"""Children's names as the known-family check and `person find` compare them.

Two forms of a name, computed here in Python so that SQLite and PostgreSQL stores hold the same
keys: the **folded** name (lower case, accents taken off, everything but letters removed:
`Siân O'Brien`, `SIAN O BRIEN` and `sian obrien` are one name), and a **phonetic key** of each
word (NYSIIS: `Siân` and `Sean` are both `SAN`, where Metaphone gives `XN` and `SN`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

_WORD_BREAKS = re.compile(r"[\s\-‐‑–—/.,]+")  # apostrophes join: O'Brien is one word


def fold(text: str) -> str:
    """The name as spelling compares it: lower case, no accents, letters only."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Each word of the name, folded (empty words left out)."""
    return [w for w in (fold(part) for part in _WORD_BREAKS.split(text or "")) if w]


@lru_cache(maxsize=4096)
def sound(word: str) -> str:
    """The phonetic key of one folded word (names repeat: each is keyed once a process)."""
    import jellyfish

    return jellyfish.nysiis(word) or word.upper()


def sounds(text: str) -> str:
    """The name's phonetic keys, one a word, space-separated (as the store keeps them)."""
    return " ".join(sound(w) for w in words(text))


def birth_dates(dob: date) -> list[date]:
    """The date of birth, and the one with day and month swapped when that is a date too."""
    found = [dob]
    if dob.day <= 12 and dob.day != dob.month:
        found.append(date(dob.year, dob.day, dob.month))
    return found
