"""Dates as co-ordinators type them (ISO or UK order, never US) and as letters show them."""

from __future__ import annotations

import re
from datetime import date, datetime

from masg_cli.errors import UsageProblem

_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_date(text: str, what: str = "date") -> date:
    """Read YYYY-MM-DD or DD/MM/YYYY; anything else is a usage error naming the option."""
    value = (text or "").strip()
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
