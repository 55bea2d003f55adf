"""Figures for managers: referrals, triage, panels, timeliness, agencies, families, follow-ups.

Every figure is computed by the database with GROUP BY (and window functions for percentiles),
per locality and month, so a store of 100,000 referrals is never loaded into Python. The SQL is
portable: the two things SQLite and PostgreSQL spell differently (a date's month, the days
between two dates) come from ``_Dialect``.

Each table filters on its own event's date: referrals on the day received, triage on the day
triaged, meetings, services and Lead Professionals on the meeting's date, family answers on the
day they answered, follow-ups on the day of contact, closures on the day closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import text

from masg_cli import rules

if TYPE_CHECKING:
    from sqlmodel import Session

ALL = "All"
DISCUSSED = ("decided", "reviewed")


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None
    locality_id: int | None = None


class _Dialect:
    """The few SQL spellings that differ between SQLite and PostgreSQL."""

    def __init__(self, session: Session):
        self.name = session.get_bind().dialect.name

    def month(self, column: str) -> str:
        if self.name == "postgresql":
            return f"to_char({column}, 'YYYY-MM')"
        return f"strftime('%Y-%m', {column})"

    def days(self, later: str, earlier: str) -> str:
        if self.name == "postgresql":
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def bind(self, value: date | None):
        # SQLite keeps dates as ISO text; PostgreSQL compares real dates.
        if value is None or self.name == "postgresql":
            return value
        return value.isoformat()


def _where(column: str, period: Period) -> str:
    parts = [f"{column} IS NOT NULL"]
    if period.start:
        parts.append(f"{column} >= :start")
    if period.end:
        parts.append(f"{column} <= :end")
    if period.locality_id:
        parts.append("l.id = :locality")
    return " AND ".join(parts)


def _rows(session: Session, dialect: _Dialect, sql: str, period: Period) -> list[dict]:
    params = {"start": dialect.bind(period.start), "end": dialect.bind(period.end),
              "locality": period.locality_id}
    result = session.connection().execute(text(sql), params)
    keys = list(result.keys())
    return [dict(zip(keys, row)) for row in result]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _pivot(values: tuple[str, ...], column: str) -> str:
    return ", ".join(f"SUM(CASE WHEN {column} = '{v}' THEN 1 ELSE 0 END) AS \"{v}\"" for v in values)


# --- The tables ------------------------------------------------------------------------------------


def referrals_received(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Referrals received, and re-referrals of a family within 12 months of the earlier referral."""
    within = f"{d.days('r.received', 'COALESCE(e.closed_on, e.received)')} <= 365"
    rows = _rows(session, d, f"""
        SELECT l.name AS locality, {d.month('r.received')} AS month, COUNT(*) AS referrals,
               SUM(CASE WHEN e.id IS NOT NULL THEN 1 ELSE 0 END) AS re_referrals,
               SUM(CASE WHEN e.id IS NOT NULL AND {within} THEN 1 ELSE 0 END) AS re_referrals_12_months
        FROM referral r JOIN locality l ON l.id = r.locality_id
        LEFT JOIN referral e ON e.id = r.re_referral_of_id
        WHERE {_where('r.received', period)}
        GROUP BY l.name, {d.month('r.received')} ORDER BY month, locality""", period)
    for row in rows:
        row["re_referral_rate_12_months"] = _rate(row["re_referrals_12_months"], row["referrals"])
    return rows


def triage_outcomes(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Every triage, by the month triaged: each referral's latest outcome, and any earlier
    more-info it was given (asked in November, accepted in December: counted in both months)."""
    return _rows(session, d, f"""
        SELECT l.name AS locality, {d.month('x.day')} AS month, COUNT(*) AS triaged,
               {_pivot(rules.TRIAGE_OUTCOMES, 'x.outcome')}
        FROM (SELECT r.locality_id AS locality_id, r.triaged_on AS day, r.triage_outcome AS outcome
              FROM referral r WHERE r.triage_outcome IS NOT NULL
              UNION ALL
              SELECT r.locality_id, t.date, t.outcome
              FROM triage_entry t JOIN referral r ON r.id = t.referral_id
              WHERE t.outcome = '{rules.MORE_INFO}' AND t.id < (
                  SELECT MAX(u.id) FROM triage_entry u
                  WHERE u.referral_id = t.referral_id AND u.outcome <> 'info-received')
             ) x JOIN locality l ON l.id = x.locality_id
        WHERE {_where('x.day', period)}
        GROUP BY l.name, {d.month('x.day')} ORDER BY month, locality""", period)


def meetings(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Each meeting held: cases on its agenda, discussed (decided or reviewed), decided, deferred."""
    taken = ", ".join(f"'{o}'" for o in DISCUSSED)
    return _rows(session, d, f"""
        SELECT m.id AS meeting, m.date AS date, l.name AS locality,
               SUM(CASE WHEN s.outcome NOT IN ('moved', 'cancelled') THEN 1 ELSE 0 END) AS on_agenda,
               SUM(CASE WHEN s.outcome IN ({taken}) THEN 1 ELSE 0 END) AS discussed,
               (SELECT COUNT(*) FROM decision x WHERE x.meeting_id = m.id) AS decided,
               SUM(CASE WHEN s.outcome = 'reviewed' THEN 1 ELSE 0 END) AS reviewed,
               SUM(CASE WHEN s.outcome = 'deferred' THEN 1 ELSE 0 END) AS deferred
        FROM meeting m JOIN locality l ON l.id = m.locality_id
        JOIN agenda_slot s ON s.meeting_id = m.id
        WHERE {_where('m.date', period)} AND m.status = 'scheduled'
        GROUP BY m.id, m.date, l.name ORDER BY m.date, l.name""", period)


def _percentiles(session: Session, d: _Dialect, period: Period, *, later: str, source: str, by_locality: bool,
                 by_month: bool) -> list[dict]:
    """Median and 90th percentile (nearest rank) of days from receipt, with window functions."""
    locality = "l.name" if by_locality else f"'{ALL}'"
    month = d.month("r.received") if by_month else f"'{ALL}'"
    return _rows(session, d, f"""
        WITH waits AS (
            SELECT {locality} AS locality, {month} AS month, {d.days(later, 'r.received')} AS days
            FROM referral r JOIN locality l ON l.id = r.locality_id {source}
            WHERE {_where('r.received', period)} AND {later} IS NOT NULL
        ), ranked AS (
            SELECT locality, month, days,
                   ROW_NUMBER() OVER (PARTITION BY locality, month ORDER BY days) AS place,
                   COUNT(*) OVER (PARTITION BY locality, month) AS cases
            FROM waits
        )
        SELECT locality, month, MAX(cases) AS cases,
               MIN(CASE WHEN place >= 0.5 * cases THEN days END) AS median,
               MIN(CASE WHEN place >= 0.9 * cases THEN days END) AS p90
        FROM ranked GROUP BY locality, month ORDER BY month, locality""", period)


FIRST_PANEL = ("JOIN (SELECT x.referral_id, MIN(m.date) AS first_panel FROM decision x "
               "JOIN meeting m ON m.id = x.meeting_id GROUP BY x.referral_id) p ON p.referral_id = r.id")


def timeliness(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Days from receipt to triage and to the panel's first decision, by month received."""
    merged: dict[tuple, dict] = {}
    for by_locality, by_month in ((True, True), (False, True), (False, False)):
        for label, later, source in (("triage", "r.triaged_on", ""), ("panel", "p.first_panel", FIRST_PANEL)):
            for row in _percentiles(session, d, period, later=later, source=source,
                                    by_locality=by_locality, by_month=by_month):
                key = (row["month"], row["locality"])
                entry = merged.setdefault(key, {"locality": row["locality"], "month": row["month"],
                                                "triaged": 0, "days_to_triage_median": None,
                                                "days_to_triage_p90": None, "to_panel": 0,
                                                "days_to_panel_median": None, "days_to_panel_p90": None})
                count = "triaged" if label == "triage" else "to_panel"
                entry[count] = row["cases"]
                entry[f"days_to_{label}_median"] = row["median"]
                entry[f"days_to_{label}_p90"] = row["p90"]
    last = "\uffff"  # the whole-period row sorts after the months, the All rows after localities
    return sorted(merged.values(), key=lambda r: (r["month"] == ALL, r["month"], r["locality"] == ALL,
                                                  r["locality"] if r["locality"] != ALL else last))


def services_by_agency(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Services the panels agreed, per agency (and how many cases they reached)."""
    return _rows(session, d, f"""
        SELECT l.name AS locality, s.agency AS agency, COUNT(*) AS services,
               COUNT(DISTINCT x.referral_id) AS cases
        FROM service s JOIN decision x ON x.id = s.decision_id JOIN meeting m ON m.id = x.meeting_id
        JOIN locality l ON l.id = m.locality_id
        WHERE {_where('m.date', period)}
        GROUP BY l.name, s.agency ORDER BY locality, services DESC, agency""", period)


def lead_professionals(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Temporary Lead Professionals named by the panels, per agency."""
    return _rows(session, d, f"""
        SELECT l.name AS locality, x.lead_agency AS agency, COUNT(*) AS decisions,
               COUNT(DISTINCT x.referral_id) AS cases
        FROM decision x JOIN meeting m ON m.id = x.meeting_id JOIN locality l ON l.id = m.locality_id
        WHERE {_where('m.date', period)}
        GROUP BY l.name, x.lead_agency ORDER BY locality, decisions DESC, agency""", period)


def family_responses(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Families' answers to the panel's decision, by the month they answered."""
    rows = _rows(session, d, f"""
        SELECT l.name AS locality, {d.month('r.family_response_date')} AS month,
               {_pivot((rules.FAMILY_ACCEPTED, rules.FAMILY_DECLINED), 'r.family_response')}
        FROM referral r JOIN locality l ON l.id = r.locality_id
        WHERE {_where('r.family_response_date', period)}
        GROUP BY l.name, {d.month('r.family_response_date')} ORDER BY month, locality""", period)
    for row in rows:
        row["acceptance_rate"] = _rate(row["accepted"], row["accepted"] + row["declined"])
    return rows


def follow_ups(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """12-week contacts with the Lead Professional: on time (by the due date) or late."""
    return _rows(session, d, f"""
        SELECT l.name AS locality, {d.month('f.date')} AS month, COUNT(*) AS done,
               SUM(CASE WHEN f.due IS NULL OR f.date <= f.due THEN 1 ELSE 0 END) AS on_time,
               SUM(CASE WHEN f.date > f.due THEN 1 ELSE 0 END) AS late
        FROM follow_up f JOIN referral r ON r.id = f.referral_id JOIN locality l ON l.id = r.locality_id
        WHERE {_where('f.date', period)}
        GROUP BY l.name, {d.month('f.date')} ORDER BY month, locality""", period)


def closures(session: Session, d: _Dialect, period: Period) -> list[dict]:
    """Cases closed, by why they closed."""
    return _rows(session, d, f"""
        SELECT l.name AS locality, {d.month('r.closed_on')} AS month, COUNT(*) AS closed,
               {_pivot(rules.CLOSED_REASONS, 'r.closed_reason')}
        FROM referral r JOIN locality l ON l.id = r.locality_id
        WHERE {_where('r.closed_on', period)} AND r.status = 'closed'
        GROUP BY l.name, {d.month('r.closed_on')} ORDER BY month, locality""", period)


def steps_and_returns(session, d: _Dialect, period: Period) -> dict:
    """Step-ups (closed stepped-up in the period), step-downs and re-referrals within 12 months of
    an earlier closure of the same child (received in the period): linked with --re-referral-of,
    or a known-family match (the folded name and the same date of birth)."""
    within = (f"e.id <> r.id AND e.closed_on IS NOT NULL AND e.closed_on <= r.received "
              f"AND {d.days('r.received', 'e.closed_on')} <= 365")
    # Each case's earlier one is found from the case itself: its link (a primary key), or its own
    # children's folded names and birth dates (ix_child_referral_id, then ix_child_name_key_dob).
    # Scanning every referral for each one instead took 40 s on 10,000 cases.
    linked = f"EXISTS (SELECT 1 FROM referral e WHERE e.id = r.re_referral_of_id AND {within})"
    same_child = ("EXISTS (SELECT 1 FROM child c1 JOIN child c2 ON c2.name_key = c1.name_key AND c2.dob = c1.dob "
                  f"JOIN referral e ON e.id = c2.referral_id WHERE c1.referral_id = r.id AND {within})")
    # Grouped per locality, as every figure is, and added up here: a few rows, never the cases.
    received = _rows(session, d, f"""
        SELECT l.name AS locality, SUM(CASE WHEN r.step_down THEN 1 ELSE 0 END) AS stepped_down,
               SUM(CASE WHEN {linked} OR {same_child} THEN 1 ELSE 0 END) AS rereferred_within_12_months
        FROM referral r JOIN locality l ON l.id = r.locality_id WHERE {_where('r.received', period)}
        GROUP BY l.name""", period)
    closed = _rows(session, d, f"""
        SELECT l.name AS locality, COUNT(*) AS stepped_up FROM referral r JOIN locality l ON l.id = r.locality_id
        WHERE r.closed_reason = '{rules.CLOSED_STEPPED_UP}' AND {_where('r.closed_on', period)}
        GROUP BY l.name""", period)
    return {"stepped_up": sum(row["stepped_up"] or 0 for row in closed),
            "stepped_down": sum(row["stepped_down"] or 0 for row in received),
            "rereferred_within_12_months": sum(row["rereferred_within_12_months"] or 0 for row in received)}


def actions(session, d: _Dialect, period: Period) -> list[dict]:
    """The panel's actions due in the period, per agency: done by their due date, late, not done."""
    rows = _rows(session, d, f"""
        SELECT l.name AS locality, a.agency AS agency, COUNT(*) AS due,
               SUM(CASE WHEN a.status = 'done' AND a.closed_on <= a.due THEN 1 ELSE 0 END) AS done_by_due,
               SUM(CASE WHEN a.status = 'done' AND a.closed_on > a.due THEN 1 ELSE 0 END) AS done_late,
               SUM(CASE WHEN a.status = 'not-done' THEN 1 ELSE 0 END) AS not_done,
               SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0 END) AS still_open
        FROM panel_action a JOIN referral r ON r.id = a.referral_id JOIN locality l ON l.id = r.locality_id
        WHERE {_where('a.due', period)}
        GROUP BY l.name, a.agency ORDER BY locality, agency""", period)
    for row in rows:
        row["done_by_due_rate"] = _rate(row["done_by_due"], row["due"])
    return rows


TABLES = {
    "referrals": referrals_received,
    "triage": triage_outcomes,
    "meetings": meetings,
    "timeliness": timeliness,
    "services": services_by_agency,
    "lead_professionals": lead_professionals,
    "family_responses": family_responses,
    "follow_ups": follow_ups,
    "closures": closures,
    "actions": actions,
}

# What the monthly trend adds up from each table (already grouped: a few rows per month).
MONTHLY = {
    "received": ("referrals", "referrals"),
    "triaged": ("triage", "triaged"),
    "family_accepted": ("family_responses", "accepted"),
    "family_declined": ("family_responses", "declined"),
    "follow_ups_on_time": ("follow_ups", "on_time"),
    "follow_ups_late": ("follow_ups", "late"),
    "closed": ("closures", "closed"),
}


def monthly(tables: dict[str, list[dict]]) -> list[dict]:
    """The trend over months, all localities together: the figures the charts draw."""
    months: dict[str, dict] = {}
    for column, (source, field) in MONTHLY.items():
        for row in tables[source]:
            entry = months.setdefault(row["month"], {"month": row["month"], **{c: 0 for c in MONTHLY}})
            entry[column] += row[field] or 0
    return [months[m] for m in sorted(months)]


def summary(session: Session, *, start: date | None, end: date | None, locality: str | None) -> dict:
    """Every table of the manager's report for the period (and locality) asked for."""
    from masg_cli.errors import Refused
    from masg_cli.services.setup import get_locality

    if start and end and start > end:
        raise Refused(f"--from ({start.isoformat()}) is after --to ({end.isoformat()}); swap them")
    place = get_locality(session, locality) if locality else None
    period = Period(start, end, place.id if place else None)
    dialect = _Dialect(session)
    tables = {name: build(session, dialect, period) for name, build in TABLES.items()}
    for rows in tables.values():
        for row in rows:
            if "date" in row and not isinstance(row["date"], date) and row["date"] is not None:
                row["date"] = date.fromisoformat(str(row["date"])[:10])
    tables["monthly"] = monthly(tables)
    from masg_cli.services.reports_targets import targets_and_steps

    steps = steps_and_returns(session, dialect, period)
    extra = targets_and_steps(session, period, tables, date.today(), steps)  # adds its tables too
    return {"from": start, "to": end, "locality": place.name if place else None, "tables": tables, **extra}
