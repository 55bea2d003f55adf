"""Every referral out to CSV, Excel or JSON: the authority's own records, reporting and archives.

One row per referral, with its children, agencies, decisions, reviews and follow-ups; an Excel
workbook also has a sheet per table. The rows are read as streams ordered by referral and
merged, so a store of 100,000 referrals is exported without holding it in memory.

Spreadsheet formula injection (OWASP, "CSV Injection"): a value starting with = + - @, tab,
carriage return or line feed would run as a formula when the file is opened. In CSV it gets a
leading apostrophe; in Excel it is written as a text cell with Excel's quote prefix (openpyxl
would otherwise write any string starting with "=" as a formula).
"""

from __future__ import annotations

import csv
import itertools
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import text

from masg_cli.errors import Refused, UsageProblem
from masg_cli.rules import EXPORT_FORMATS as FORMATS

if TYPE_CHECKING:
    from sqlmodel import Session
    from masg_cli.store import UnitOfWork

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


# --- Writing files safely --------------------------------------------------------------------


def _staged_for(target: Path) -> Path:
    """A new, empty 0600 file in this command's staging folder, to become ``target``.

    Not beside ``target``: a command killed half-way would leave it there, a copy of children's
    records that nothing finds again. The staging folder is swept at the next start (staging.py).
    """
    from masg_cli import outputs, staging

    if target.is_dir():
        raise Refused(f"{target} is a folder; give --out a file name")
    outputs.check(target)  # the rule for every output: refused if it exists, unless --overwrite
    from masg_cli.documents.render import prepare_folder

    prepare_folder(target.parent)  # made 0700 if missing, as for documents and backups
    try:
        return staging.new_file(target.suffix)
    except OSError as exc:
        raise Refused(f"cannot write in masg's staging folder {staging.root()} ({exc.strerror}); "
                      "check that folder's permissions") from None


@contextmanager
def private_output(target: Path) -> Iterator[Path]:
    """A 0600 staged file, put on ``target`` only if writing succeeded."""
    from masg_cli import outputs, staging

    target = Path(target).expanduser()
    tmp = _staged_for(target)
    try:
        yield tmp
        outputs.put(tmp, target)
    except OSError as exc:
        raise Refused(f"cannot write {target} ({exc.strerror}); choose another --out") from None
    finally:
        staging.settle(tmp)


@contextmanager
def output_on_commit(uow: UnitOfWork, target: Path) -> Iterator[Path]:
    """A 0600 staged file that becomes ``target`` only when ``uow`` commits.

    For a file whose making is audited (an export, a backup): the audit entry is written in the
    same transaction, so the file appears if and only if the record of who took it is saved. If
    the writing fails, or the transaction rolls back (a busy store, any error), the staged file
    is deleted and nothing appears.
    """
    from sqlalchemy import event

    from masg_cli import outputs, staging

    target = Path(target).expanduser()
    tmp = _staged_for(target)
    settled: list[str] = []

    def publish(_session) -> None:
        if settled:
            return
        settled.append("committed")
        try:
            outputs.put(tmp, target)
        except OSError as exc:
            staging.settle(tmp)
            raise Refused(f"cannot write {target} ({exc.strerror}); the audit trail records it was made: "
                          "run the command again with another --out") from None

    def discard(_session, previous) -> None:
        if settled or previous.nested:
            return  # a savepoint's rollback leaves the command's transaction going
        settled.append("rolled back")
        staging.settle(tmp)

    event.listen(uow.session, "after_commit", publish)
    event.listen(uow.session, "after_soft_rollback", discard)
    try:
        yield tmp
    except BaseException:
        settled.append("failed")
        staging.settle(tmp)
        raise


def neutralise(value) -> str:
    """A CSV cell a spreadsheet shows as text, never runs (OWASP: prefix an apostrophe)."""
    shown = "" if value is None else str(value)
    return "'" + shown if shown.startswith(FORMULA_STARTS) else shown


# --- Reading the store as streams ---------------------------------------------------------------


def day(value) -> date | None:
    """A date from the database: SQLite returns text, PostgreSQL a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


REFERRALS = """
SELECT r.id, r.reference, r.panel, l.name, r.status, r.closed_reason, r.received, r.consent_date,
       r.consent_by, r.needs, r.referrer_name, r.referrer_agency, r.referrer_email, r.referrer_phone,
       e.reference, r.triaged_on, r.triage_outcome, r.triage_agency, r.triage_note, r.info_received_on,
       r.family_response, r.family_response_date, r.tac_date, r.next_review, r.last_reviewed,
       r.follow_up_due, r.closed_on, r.final_review_date, r.closure_outcome, r.legal_hold,
       r.tracker_lead_name, r.tracker_lead_agency, r.tracker_lead_contact
FROM referral r JOIN locality l ON l.id = r.locality_id
LEFT JOIN referral e ON e.id = r.re_referral_of_id
ORDER BY r.id"""
REFERRAL_FIELDS = (
    "reference", "panel", "locality", "status", "closed_reason", "received", "consent_date",
    "consent_by", "needs", "referrer_name", "referrer_agency", "referrer_email", "referrer_phone",
    "re_referral_of", "triaged_on", "triage_outcome", "triage_agency", "triage_note",
    "info_received_on", "family_response", "family_response_date", "tac_date", "next_review",
    "last_reviewed", "follow_up_due", "closed_on", "final_review_date", "closure_outcome",
    "legal_hold", "tracker_lead_name", "tracker_lead_agency", "tracker_lead_contact",
)
DATE_FIELDS = {"received", "consent_date", "triaged_on", "info_received_on", "family_response_date",
               "tac_date", "next_review", "last_reviewed", "follow_up_due", "closed_on",
               "final_review_date", "dob", "meeting_date", "review_date", "date", "due", "added"}

# Each related table: its sheet, its columns, and its rows ordered by referral.
RELATED = {
    "children": (("name", "dob", "sex", "ethnicity", "school", "gp", "postcode", "nhs_number", "upn"),
                 "SELECT c.referral_id, c.name, c.dob, c.sex, c.ethnicity, c.school, c.gp, c.postcode, "
                 "c.nhs_number, c.upn, r.reference FROM child c JOIN referral r ON r.id = c.referral_id "
                 "ORDER BY c.referral_id, c.position, c.id"),
    "agencies": (("agency",),
                 "SELECT a.referral_id, a.agency, r.reference "
                 "FROM suggested_agency a JOIN referral r ON r.id = a.referral_id "
                 "ORDER BY a.referral_id, a.id"),
    "transitions": (("flag",),
                    "SELECT t.referral_id, t.flag, r.reference "
                    "FROM transition_flag t JOIN referral r ON r.id = t.referral_id "
                    "ORDER BY t.referral_id, t.id"),
    "decisions": (("meeting", "meeting_date", "lead_name", "lead_agency", "lead_contact", "review_date"),
                  "SELECT d.referral_id, d.meeting_id, m.date, d.lead_name, d.lead_agency, d.lead_contact, "
                  "d.review_date, r.reference FROM decision d JOIN meeting m ON m.id = d.meeting_id "
                  "JOIN referral r ON r.id = d.referral_id "
                  "ORDER BY d.referral_id, m.date, d.id"),
    "services": (("meeting", "agency", "description"),
                 "SELECT d.referral_id, d.meeting_id, s.agency, s.description, r.reference FROM service s "
                 "JOIN decision d ON d.id = s.decision_id JOIN referral r ON r.id = d.referral_id "
                 "ORDER BY d.referral_id, d.id, s.id"),
    "reviews": (("date", "further_reviews", "next_review", "note"),
                "SELECT v.referral_id, v.date, v.further_reviews, v.next_review, v.note, r.reference FROM review v "
                "JOIN referral r ON r.id = v.referral_id ORDER BY v.referral_id, v.date, v.id"),
    "lead_changes": (("date", "name", "agency", "contact", "reason"),
                     "SELECT c.referral_id, c.date, c.name, c.agency, c.contact, c.reason, r.reference "
                     "FROM lead_change c JOIN referral r ON r.id = c.referral_id "
                     "ORDER BY c.referral_id, c.date, c.id"),
    "follow_ups": (("date", "due", "outcome", "note", "new_referral"),
                   "SELECT f.referral_id, f.date, f.due, f.outcome, f.note, n.reference, r.reference FROM follow_up f "
                   "JOIN referral r ON r.id = f.referral_id LEFT JOIN referral n ON n.id = f.new_referral_id "
                   "ORDER BY f.referral_id, f.date, f.id"),
    "notes": (("date", "kind", "with", "text"),
              "SELECT n.referral_id, n.date, n.kind, n.with_whom, n.text, r.reference FROM note n "
              "JOIN referral r ON r.id = n.referral_id ORDER BY n.referral_id, n.date, n.id"),
    # The documents' names and hashes; their bytes stay in the store (backup carries them).
    "attachments": (("id", "name", "kind", "content", "size", "sha256", "added"),
                    "SELECT a.referral_id, a.id, a.name, a.kind, a.content, a.size, a.sha256, a.added_at, "
                    "r.reference FROM attachment a JOIN referral r ON r.id = a.referral_id "
                    "ORDER BY a.referral_id, a.id"),
    "actions": (("meeting", "owner", "agency", "what", "due", "status", "closed_on", "reason", "note"),
                "SELECT a.referral_id, a.meeting_id, a.owner, a.agency, a.what, a.due, a.status, a.closed_on, "
                "a.reason, a.note, r.reference FROM panel_action a JOIN referral r ON r.id = a.referral_id "
                "ORDER BY a.referral_id, a.due, a.id"),
}

# Who attended each meeting: a sheet of the workbook of its own (a meeting's, not a case's rows).
ATTENDANCE = (("meeting", "meeting_date", "locality", "name", "agency", "attendance", "deputy", "chair"),
              "SELECT a.meeting_id, m.date, l.name, a.name, a.agency, a.role, a.deputy, a.chair "
              "FROM attendance a JOIN meeting m ON m.id = a.meeting_id JOIN locality l ON l.id = m.locality_id "
              "ORDER BY m.date, a.meeting_id, a.id")


def _value(field: str, value):
    if field in DATE_FIELDS:
        return day(value)
    if field in ("legal_hold", "further_reviews", "chair"):
        return None if value is None else bool(value)
    return value


class _Stream:
    """Rows of one related table, taken referral by referral (both sides ordered by id)."""

    def __init__(self, rows, fields):
        self._groups = itertools.groupby(rows, key=lambda row: row[0])
        self._fields = fields
        self._advance()

    def _advance(self):
        head = next(self._groups, None)
        self._head = None if head is None else (head[0], list(head[1]))

    def take(self, referral_id: int) -> list[dict]:
        while self._head is not None and self._head[0] < referral_id:
            self._advance()
        if self._head is None or self._head[0] != referral_id:
            return []
        rows = self._head[1]
        self._advance()
        return [{f: _value(f, v) for f, v in zip(self._fields, row[1:])} for row in rows]


def _stream(session: Session, sql: str):
    # Options on this statement only: set on the connection they would stay, and the audit
    # entry written after the export would go through PostgreSQL's server-side cursor too.
    return session.connection().execute(text(sql), execution_options={"stream_results": True, "yield_per": 2000})


def cases(session: Session) -> Iterator[dict]:
    """Every referral as one nested record, in reference order of creation."""
    streams = {name: _Stream(_stream(session, sql), fields) for name, (fields, sql) in RELATED.items()}
    for row in _stream(session, REFERRALS):
        case = {f: _value(f, v) for f, v in zip(REFERRAL_FIELDS, row[1:])}
        for name, stream in streams.items():
            case[name] = stream.take(row[0])
        yield case


# --- One row per referral -------------------------------------------------------------------------

FLAT_FIELDS = REFERRAL_FIELDS + (
    "children", "child_names", "child_dobs", "agencies", "transitions", "decisions",
    "lead_professional", "lead_agency", "services_agreed", "reviews", "last_review",
    "follow_ups", "last_follow_up", "last_follow_up_outcome", "notes", "attachments",
)


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))


def _current_lead(case: dict, latest: dict | None) -> tuple:
    """(name, agency): a change since the latest decision, else its, else the tracker's."""
    changes = case.get("lead_changes") or []
    if changes and (latest is None or changes[-1]["date"] >= latest["meeting_date"]):
        return changes[-1]["name"], changes[-1]["agency"]
    if latest:
        return latest["lead_name"], latest["lead_agency"]
    return case["tracker_lead_name"], case["tracker_lead_agency"]


def flat(case: dict) -> dict:
    """One referral as one row: the lists joined with '; ' (the latest decision's services)."""
    row = {f: case[f] for f in REFERRAL_FIELDS}
    decisions, reviews, follow_ups = case["decisions"], case["reviews"], case["follow_ups"]
    latest = decisions[-1] if decisions else None
    row.update(
        children=len(case["children"]),
        child_names="; ".join(c["name"] for c in case["children"]),
        child_dobs="; ".join(_iso(c["dob"]) for c in case["children"]),
        agencies="; ".join(a["agency"] for a in case["agencies"]),
        transitions="; ".join(t["flag"] for t in case["transitions"]),
        decisions=len(decisions),
        # The current Lead Professional, as services.leads decides it.
        lead_professional=_current_lead(case, latest)[0],
        lead_agency=_current_lead(case, latest)[1],
        services_agreed="; ".join(f"{s['agency']}: {s['description']}" for s in case["services"]
                                  if latest and s["meeting"] == latest["meeting"]),
        reviews=len(reviews),
        last_review=reviews[-1]["date"] if reviews else None,
        follow_ups=len(follow_ups),
        last_follow_up=follow_ups[-1]["date"] if follow_ups else None,
        last_follow_up_outcome=follow_ups[-1]["outcome"] if follow_ups else None,
        notes="; ".join(f"{_iso(n['date'])} {n['kind']}: {n['text']}" for n in case["notes"]),
        attachments="; ".join(f"{a['name']} ({a['kind']}, sha256 {a['sha256']})" for a in case["attachments"]),
    )
    return row


# --- The three formats ----------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    format: str
    referrals: int


def _write_csv(session: Session, tmp: Path) -> int:
    count = 0
    with open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(FLAT_FIELDS)
        for case in cases(session):
            row = flat(case)
            writer.writerow([neutralise(_iso(row[f])) for f in FLAT_FIELDS])
            count += 1
    return count


def _write_json(session: Session, tmp: Path) -> int:
    count = 0
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write("[")
        for case in cases(session):
            handle.write(",\n " if count else "\n ")
            handle.write(json.dumps(case, default=_iso, ensure_ascii=False))
            count += 1
        handle.write("\n]\n" if count else "]\n")
    return count


SHEETS = {"children": "Children", "agencies": "Agencies", "transitions": "Transitions",
          "decisions": "Decisions", "services": "Services", "reviews": "Reviews",
          "lead_changes": "Lead Professional changes", "follow_ups": "Follow-ups", "notes": "Notes",
          "attachments": "Attachments", "actions": "Actions"}


# Minimum column widths (characters) in the workbook: references in full, free text readable.
_WIDTHS = {"reference": 16, "re_referral_of": 16, "needs": 40, "triage_note": 30, "closure_outcome": 30,
           "services_agreed": 40, "description": 40, "note": 40, "child_names": 24, "name": 20,
           "referrer_name": 20, "referrer_agency": 22, "referrer_email": 26, "referrer_phone": 16,
           "agencies": 30, "agency": 22, "lead_professional": 20, "lead_agency": 22, "lead_name": 20,
           "lead_contact": 30, "tracker_lead_name": 20, "tracker_lead_agency": 22, "tracker_lead_contact": 30,
           "child_dobs": 24, "locality": 14, "new_referral": 16, "text": 60, "notes": 60,
           "attachments": 40, "sha256": 66, "what": 40, "owner": 20}


def _widths(fields) -> list[int | None]:
    return [_WIDTHS.get(f) for f in fields]


def _write_xlsx(session: Session, tmp: Path) -> int:
    """The Referrals sheet in one pass over the cases, then one streamed pass per related table."""
    from masg_cli.services.xlsx_stream import StreamingWorkbook

    book = StreamingWorkbook(tmp)
    main = book.sheet("Referrals", FLAT_FIELDS, _widths(FLAT_FIELDS))
    count = 0
    for case in cases(session):
        row = flat(case)
        main.append([row[f] for f in FLAT_FIELDS])
        count += 1
    for name, title in SHEETS.items():
        fields, sql = RELATED[name]
        sheet = book.sheet(title, ("reference",) + fields, _widths(("reference",) + fields))
        for row in _stream(session, sql):
            sheet.append([row[-1]] + [_value(f, v) for f, v in zip(fields, row[1:])])
    fields, sql = ATTENDANCE
    sheet = book.sheet("Attendance", fields, _widths(fields))
    for row in _stream(session, sql):
        sheet.append([_value(f, v) for f, v in zip(fields, row)])
    book.close()
    return count


KNOWN_EXTENSIONS = (".csv", ".xlsx", ".xls", ".xlsm", ".json")


def check_extension(out: Path, fmt: str) -> None:
    """Refuse an --out whose extension names another format (an Excel file called .csv);
    a name without an extension, or with one masg does not know, is written as given."""
    suffix = out.suffix.lower()
    if suffix in KNOWN_EXTENSIONS and suffix != f".{fmt}":
        raise UsageProblem(f"--out ends in {suffix} but --format is {fmt}; use --out {out.with_suffix('.' + fmt)}")


def export(uow: UnitOfWork, *, fmt: str, out: Path) -> ExportResult:
    """Write every referral to ``out`` (created 0600) and audit it: the file is put in place only
    when the audit entry is committed with it."""
    writers = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json}
    if fmt not in writers:
        raise UsageProblem(f"--format '{fmt}' is not one of {', '.join(FORMATS)}")
    out = Path(out).expanduser()
    check_extension(out, fmt)
    with output_on_commit(uow, out) as tmp:
        count = writers[fmt](uow.session, tmp)
        uow.record("export", None, {"format": fmt, "referrals": count})
    return ExportResult(out, fmt, count)
