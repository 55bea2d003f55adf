"""Dates as co-ordinators type them (ISO or UK order, never US) and as letters show them."""

from __future__ import annotations

import re
from datetime import date, datetime

from masg_cli.errors import UsageProblem

# re.ASCII: Python's \d also matches full-width and Arabic-Indic digits, which int() reads.
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$", re.ASCII)
# A year before this is a typo as surely as one far ahead: no case or child's birth is that old.
EARLIEST_YEAR = 1900


def parse_date(text: str, what: str = "date", *, today: date | None = None, years_ahead: int = 2) -> date:
    """Read YYYY-MM-DD or DD/MM/YYYY; anything else is a usage error naming the option.

    The one check against the clock (``today``, default the machine's): a date recorded more than
    two years ahead is a typo ('9999-12-31', '2062' for '2026'), refused before it becomes a
    reference (MASG-9999-0001) or a date no arithmetic can go past. A day to judge from
    (--as-of: what retention will remove in 2031) may be further ahead: ``years_ahead``.
    """
    value = (text or "").strip()
    if any(c.isdigit() and not c.isascii() for c in value):
        raise UsageProblem(f"{what} holds digits other than 0-9; type the date with the digits 0 to 9")
    day = _read(value, what)
    if day.year < EARLIEST_YEAR:
        raise UsageProblem(f"{what} '{value}' is before {EARLIEST_YEAR}; check the year")
    return not_too_far_ahead(day, what, today=today, written=value, years=years_ahead)


def latest_date(today: date | None = None, years: int = 2) -> date:
    """The last day a typed date may be: two years after today (29 February: 28 February)."""
    today = today or date.today()
    if today.year + years > date.max.year:  # a clock set to the end of the calendar, not an overflow
        return date.max
    if today.month == 2 and today.day == 29:
        return date(today.year + years, 2, 28)
    return today.replace(year=today.year + years)


def not_too_far_ahead(day: date, what: str, *, today: date | None = None, written: str | None = None,
                      years: int = 2) -> date:
    """``day`` itself, unless it is more than ``years`` after today: then a usage problem."""
    latest = latest_date(today, years)
    if day > latest:
        how_far = "two years" if years == 2 else f"{years} years"
        raise UsageProblem(f"{what} '{written or day.isoformat()}' is more than {how_far} after today "
                           f"(after {uk(latest)}); check the year")
    return day


def _read(value: str, what: str) -> date:
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _UK.match(value):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise UsageProblem(f"{what} '{value}' is not a date; write YYYY-MM-DD or DD/MM/YYYY")
    try:
        return date(year, month, day)
    except ValueError:
        if _UK.match(value) and 1 <= day <= 12 < month <= 31:
            raise UsageProblem(
                f"{what} '{value}' looks like US order (month first); write YYYY-MM-DD or "
                "DD/MM/YYYY, day before month"
            ) from None
        raise UsageProblem(
            f"{what} '{value}' is not a real date; write YYYY-MM-DD or DD/MM/YYYY"
        ) from None


def parse_time(text: str, what: str = "time") -> str:
    """Read a 24-hour HH:MM time and give it back normalised."""
    value = (text or "").strip()
    if len(value) == 4 and value[1] == ":":
        value = "0" + value
    if not _TIME.match(value):
        raise UsageProblem(f"{what} '{text}' is not a time; write HH:MM (24-hour)")
    return value


def uk(day: date | None) -> str:
    """22 November 2026: how dates appear to people."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"


def uk_short(day: date | None) -> str:
    """22 Nov 2026: for table columns."""
    if day is None:
        return ""
    return f"{day.day} {day:%b %Y}"


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(total_minutes: int) -> str:
    return f"{total_minutes // 60:02d}:{total_minutes % 60:02d}"


def now_utc() -> datetime:
    from datetime import timezone

    return datetime.now(timezone.utc).replace(microsecond=0)


# --- Working days: weekends and England and Wales bank holidays skipped ---------------------------


def is_working_day(day: date, holidays) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays) -> date:
    """The ``days``-th working day after ``start`` (a start on a weekend counts from the Monday)."""
    from datetime import timedelta

    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day


def target_due(start: date, days: int, working: bool, holidays) -> date:
    """The last day within a target of ``days`` counted from ``start``."""
    from datetime import timedelta

    return add_working_days(start, days, holidays) if working else start + timedelta(days=days)


def latest_late_start(today: date, days: int, working: bool, holidays) -> date:
    """The latest start whose target had ended before ``today``: every earlier start is late too.

    Lets one indexed range (``start <= this``) find the late items instead of a date per row.
    """
    from datetime import timedelta

    start = today - timedelta(days=days + 1)
    if not working:
        return start
    while target_due(start + timedelta(days=1), days, True, holidays) < today:
        start += timedelta(days=1)
    while target_due(start, days, True, holidays) >= today:
        start -= timedelta(days=1)
    return start
