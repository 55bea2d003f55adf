"""Ofsted's Annex A list of early help: one row per child of each case open in the period.

The columns are Ofsted's; a value masg does not hold (sex and ethnicity until the child's
record carries them) is left empty, never guessed. The referral's received date stands for the
assessment's start, its closing date for the end, the referrer's agency for the organisation.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, or_, select

from masg_cli.errors import Refused, UsageProblem
from masg_cli.models import Child, Referral

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork

COLUMNS = ("child_id", "sex", "ethnicity", "date_of_birth", "age", "assessment_start",
           "closure_date", "organisation", "reference")
HEADINGS = ("Child ID", "Sex", "Ethnicity", "Date of birth", "Age", "Date early help assessment started",
            "Date early help ended", "Organisation completing assessment", "Case reference")
SUFFIXES = (".xlsx", ".csv")


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def check_request(out: Path, start: date | None, end: date | None) -> tuple[date, date]:
    """The period, once it is known to be one and the file one the list can be written as."""
    if start is None or end is None:
        raise UsageProblem("--format annex-a needs --from DATE and --to DATE (the inspection's period)")
    if start > end:
        raise Refused(f"--from ({start.isoformat()}) is after --to ({end.isoformat()}); swap them")
    if out.suffix.lower() not in SUFFIXES:
        raise UsageProblem(f"--format annex-a writes .xlsx or .csv; use --out {out.with_suffix('.xlsx')}")
    return start, end


def rows(session: Session, start: date, end: date):
    """Each child of each case received by ``end`` and not closed before ``start``."""
    # SQLModel types select() for at most four columns.
    query = (select(Child, Referral.reference, Referral.received, Referral.closed_on,  # type: ignore[call-overload]
                    Referral.referrer_agency)
             .join(Referral, Referral.id == Child.referral_id)
             .where(Referral.received <= end,
                    or_(col(Referral.closed_on).is_(None), col(Referral.closed_on) >= start))
             .order_by(Referral.received, Referral.id, Child.position))
    for child, reference, received, closed_on, agency in session.exec(query):
        yield {"child_id": getattr(child, "child_id", None) or child.id,
               "sex": getattr(child, "sex", None), "ethnicity": getattr(child, "ethnicity", None),
               "date_of_birth": child.dob, "age": age_on(child.dob, end), "assessment_start": received,
               "closure_date": closed_on if closed_on and closed_on <= end else None,
               "organisation": agency, "reference": reference}


def write(session: Session, tmp: Path, suffix: str, start: date, end: date) -> int:
    from masg_cli.services.export import neutralise
    from masg_cli.services.xlsx_stream import StreamingWorkbook

    count = 0
    if suffix == ".csv":
        with open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADINGS)
            for row in rows(session, start, end):
                writer.writerow([neutralise(v.isoformat() if isinstance(v, date) else v) for v in row.values()])
                count += 1
        return count
    book = StreamingWorkbook(tmp)
    sheet = book.sheet("Annex A early help", HEADINGS)
    for row in rows(session, start, end):
        sheet.append(list(row.values()))
        count += 1
    book.close()
    return count


def export_annex_a(uow: UnitOfWork, *, out: Path, start: date | None, end: date | None) -> int:
    """Write the list (0600) and audit it; the file appears only with its audit entry."""
    from masg_cli.services.export import output_on_commit

    out = Path(out).expanduser()
    start, end = check_request(out, start, end)
    with output_on_commit(uow, out) as tmp:
        count = write(uow.session, tmp, out.suffix.lower(), start, end)
        uow.record("export", None, {"format": "annex-a", "from": start, "to": end, "children": count})
    return count
