"""Bring in an existing tracker (CSV or Excel): every row checked first, then all rows or none.

The column mapping (header names, any case; spaces, hyphens and underscores alike) is in
README.md and examples/tracker-sample.csv. Dates are DD/MM/YYYY (UK order) or YYYY-MM-DD, or
real dates in an Excel sheet. Several children go in one row separated by ';' in both the
child name and child date-of-birth columns, in the same order.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

from masg_cli import rules
from masg_cli.dates import now_utc, parse_date
from masg_cli.errors import MasgError, Refused, UsageProblem

# Column heading (normalised) -> field. Several headings a tracker might use map to one field.
COLUMNS = {
    "reference": "reference", "ref": "reference",
    "received": "received", "date received": "received", "received on": "received",
    "locality": "locality", "district": "locality",
    "status": "status",
    "closed reason": "closed_reason", "closure reason": "closed_reason",
    "child name": "child_names", "child names": "child_names", "children": "child_names",
    "child dob": "child_dobs", "child dobs": "child_dobs", "date of birth": "child_dobs", "dob": "child_dobs",
    "consent date": "consent_date", "consent by": "consent_by", "consent given by": "consent_by",
    "referrer": "referrer_name", "referrer name": "referrer_name",
    "referrer agency": "referrer_agency", "agency of referrer": "referrer_agency",
    "referrer email": "referrer_email", "referrer phone": "referrer_phone",
    "needs": "needs", "agencies": "agencies", "transitions": "transitions",
    "re referral of": "re_referral_of",
    "triaged on": "triaged_on", "triage date": "triaged_on", "triage outcome": "triage_outcome",
    "triage agency": "triage_agency", "triage note": "triage_note",
    "family response": "family_response", "family response date": "family_response_date",
    "tac date": "tac_date", "next review": "next_review", "last reviewed": "last_reviewed",
    "follow up due": "follow_up_due", "closed on": "closed_on",
    "final review date": "final_review_date", "closure outcome": "closure_outcome",
    # The Lead Professional the team recorded: masg has no panel decision for an imported case.
    "lead professional": "lead_name", "lead professional name": "lead_name", "lp": "lead_name",
    "lead agency": "lead_agency", "lead professional agency": "lead_agency", "lp agency": "lead_agency",
    "lead contact": "lead_contact", "lead professional contact": "lead_contact", "lp contact": "lead_contact",
}
REQUIRED = ("received", "locality", "child_names", "child_dobs", "consent_date", "consent_by",
            "referrer_name", "referrer_agency", "needs")
DATES = ("received", "consent_date", "triaged_on", "family_response_date", "tac_date", "next_review",
         "last_reviewed", "follow_up_due", "closed_on", "final_review_date")
REFERENCE = re.compile(r"^(MASG|MAAG)-(\d{4})-(\d{4,})$")
TRIAGED = {"accepted", "scheduled", "decided", "active", "monitoring"}
# A scheduled, decided or active case stands on an agenda slot and a panel decision (Lead
# Professional, services) that a tracker row cannot supply: without them the case could never be
# decided, answered or reviewed. Such rows are refused with the way forward.
NOT_IMPORTABLE = {
    rules.SCHEDULED: "import it as accepted (it goes on the next agenda)",
    rules.DECIDED: "import it as accepted and record the decision at the next meeting, or as monitoring "
                   "or closed if the work is under way or done",
    rules.ACTIVE: "import it as monitoring (with its follow up due) or closed, or as accepted so the panel "
                  "records its decision",
}


def _heading(value) -> str:
    return re.sub(r"[\s_\-]+", " ", str(value or "")).strip().lower()


@dataclass
class Row:
    number: int
    values: dict
    problems: list[str] = field(default_factory=list)
    parsed: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[Row]
    ignored_columns: list[str]

    @property
    def refused(self) -> list[Row]:
        return [r for r in self.rows if r.problems]


# --- Reading the file ------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    except UnicodeDecodeError:
        with open(path, newline="", encoding="cp1252") as handle:  # Excel's "CSV" on Windows
            return list(csv.reader(handle))


def _read_xlsx(path: Path) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(path: Path) -> tuple[list, list[tuple[int, list]]]:
    """The heading row and the data rows (with their row numbers as the spreadsheet shows them)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise Refused(f"there is no file {path}; give the tracker's path")
    try:
        lines = _read_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _read_csv(path)
    except MasgError:
        raise
    except Exception as exc:  # a damaged or foreign file: one line, never a traceback
        raise Refused(f"{path.name} cannot be read as a tracker ({type(exc).__name__}); save it as "
                      "CSV (UTF-8) or .xlsx") from None
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if any(str(v or "").strip() for v in line)]
    if not numbered:
        raise Refused(f"{path.name} is empty; the first row must hold the column headings")
    (_, header), rest = numbered[0], numbered[1:]
    return header, rest


# --- Checking every row ------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(_text(value), what)


def _check(row: Row, known_localities: dict[str, tuple[int, str]], panel: str) -> None:
    v, p, problems = row.values, row.parsed, row.problems
    for name in REQUIRED:
        if not _text(v.get(name)) and name not in ("consent_date", "consent_by"):
            problems.append(f"{name.replace('_', ' ')} is empty")
    for name in DATES:
        try:
            p[name] = _date(v.get(name), name.replace("_", " "))
        except UsageProblem as exc:
            problems.append(exc.message.split("; write ")[0] + " (write DD/MM/YYYY)")
    status = _text(v.get("status")).lower() or rules.RECEIVED
    reason = _text(v.get("closed_reason")).lower() or None
    p.update(status=status, closed_reason=reason)
    if status not in rules.STATUSES:
        problems.append(f"status '{status}' is unknown (one of {', '.join(rules.STATUSES)})")
    elif status in NOT_IMPORTABLE:
        problems.append(f"status '{status}' cannot be imported: masg has no meeting or panel decision "
                        f"for it; {NOT_IMPORTABLE[status]}")
    elif status == rules.CLOSED and reason not in rules.CLOSED_REASONS:
        problems.append(f"a closed case needs a closed reason ({', '.join(rules.CLOSED_REASONS)})")
    locality = known_localities.get(_text(v.get("locality")).lower())
    if _text(v.get("locality")) and locality is None:
        problems.append(f"locality '{_text(v.get('locality'))}' is unknown (add it with 'masg locality add')")
    p["locality"] = locality
    if p.get("received"):
        try:
            rules.check_consent(p.get("consent_date"), _text(v.get("consent_by")).lower() or None, p["received"])
        except Refused as exc:
            problems.append("no consent recorded (consent date and consent by)"
                            if exc.message == rules.NO_CONSENT_MESSAGE else exc.message)
    names = [n.strip() for n in _text(v.get("child_names")).split(";") if n.strip()]
    dobs_text = [d.strip() for d in _text(v.get("child_dobs")).split(";") if d.strip()]
    if isinstance(v.get("child_dobs"), (date, datetime)):
        dobs_text = [v["child_dobs"]]
    if len(names) != len(dobs_text):
        problems.append(f"{len(names)} child name(s) but {len(dobs_text)} date(s) of birth")
    else:
        try:
            p["children"] = [(n, _date(d, "child dob")) for n, d in zip(names, dobs_text)]
            if p.get("received"):
                rules.check_children(p["children"], p["received"])
        except (UsageProblem, Refused) as exc:
            problems.append(exc.message)
    reference = _text(v.get("reference")).upper()
    if reference:
        match = REFERENCE.match(reference)
        if not match:
            problems.append(f"reference '{reference}' is not like {panel}-2026-0001")
        elif match.group(1) != panel:
            problems.append(f"reference {reference} is a {match.group(1)} reference; this store serves {panel}")
    p["reference"] = reference or None
    for name, allowed in (("triage_outcome", rules.TRIAGE_OUTCOMES), ("family_response", ("accepted", "declined"))):
        given = _text(v.get(name)).lower()
        if given and given not in allowed:
            problems.append(f"{name.replace('_', ' ')} '{given}' is unknown (one of {', '.join(allowed)})")
    for flag in (f.strip() for f in _text(v.get("transitions")).split(";") if f.strip()):
        if flag not in rules.TRANSITION_FLAGS:
            problems.append(f"transition '{flag}' is unknown (one of {', '.join(rules.TRANSITION_FLAGS)})")
    if status == rules.MONITORING and not (p.get("follow_up_due") or p.get("last_reviewed")):
        problems.append("a monitoring case needs follow up due (or last reviewed)")
    if status in TRIAGED and not p.get("triaged_on"):
        p["triaged_on"] = p.get("received")
    for later in ("triaged_on", "closed_on"):
        if p.get(later) and p.get("received") and p[later] < p["received"]:
            problems.append(f"{later.replace('_', ' ')} is before the referral was received")


def plan(session, path: Path) -> ImportPlan:
    """Read the tracker and check every row against the store, changing nothing."""
    from masg_cli.models import Locality
    from masg_cli.services.setup import panel_type
    from sqlmodel import select

    header, lines = read_table(path)
    fields = [COLUMNS.get(_heading(h)) for h in header]
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise Refused(f"the tracker has no column for: {', '.join(m.replace('_', ' ') for m in missing)}; "
                      "see the column mapping in README.md (Importing a tracker)")
    ignored = [str(h) for h, f in zip(header, fields) if f is None and _heading(h)]
    localities = {loc.name.lower(): (loc.id, loc.name) for loc in session.exec(select(Locality))}
    panel = panel_type(session)
    taken = {ref for (ref,) in session.connection().execute(text("SELECT reference FROM referral"))}
    existing = _existing_cases(session)
    rows, seen = [], {}
    for number, line in lines:
        row = Row(number, {f: value for f, value in zip(fields, line) if f})
        _check(row, localities, panel)
        ref = row.parsed.get("reference")
        if ref and ref in taken:
            row.problems.append(f"reference {ref} is already in the store")
        elif ref and ref in seen:
            row.problems.append(f"reference {ref} is also on row {seen[ref]}")
        elif (same := _same_case(row, existing)) is not None:
            row.problems.append(f"it is already in the store as {same} (same child and date of birth, "
                                "received date and locality); leave the row out")
        if ref:
            seen.setdefault(ref, number)
        earlier = _text(row.values.get("re_referral_of")).upper()
        if earlier and earlier not in taken and earlier not in seen:
            row.problems.append(f"re referral of {earlier}: no such referral (earlier rows or the store)")
        rows.append(row)
    return ImportPlan(rows, ignored)


def _existing_cases(session) -> dict:
    """(locality id, received, child's name, child's date of birth) -> reference, for every case."""
    from masg_cli.models import Child, Referral
    from sqlmodel import select

    rows = session.exec(select(Referral.locality_id, Referral.received, Child.name, Child.dob, Referral.reference)
                        .join(Child, Child.referral_id == Referral.id))
    return {(loc, received, name.strip().lower(), dob): ref for loc, received, name, dob, ref in rows}


def _same_case(row: Row, existing: dict) -> str | None:
    """The reference of a case already in the store that this row repeats, if any."""
    p = row.parsed
    if row.problems or not p.get("locality") or not p.get("received"):
        return None
    for name, dob in p.get("children") or ():
        found = existing.get((p["locality"][0], p["received"], name.strip().lower(), dob))
        if found:
            return found
    return None


# --- Writing, all or nothing -------------------------------------------------------------------------


def _advance_counter(session, panel: str, year: int, number: int) -> None:
    """New references must never collide with an imported one: move the counter past it."""
    session.connection().execute(text(
        "INSERT INTO reference_counter (panel, year, last_number) VALUES (:p, :y, :n) "
        "ON CONFLICT (panel, year) DO UPDATE SET last_number = "
        "CASE WHEN reference_counter.last_number < :n THEN :n ELSE reference_counter.last_number END"),
        {"p": panel, "y": year, "n": number})


def _only_already_there(row: Row) -> bool:
    return bool(row.problems) and all("is already in the store" in p for p in row.problems)


def run_import(uow, path: Path) -> ImportPlan:
    """Import every row in this one transaction, or refuse them all."""
    from masg_cli.models import Child, Referral, SuggestedAgency, TransitionFlag
    from masg_cli.services.referrals import get_referral, next_reference
    from masg_cli.services.setup import panel_type

    session = uow.session
    checked = plan(session, path)
    if checked.rows and all(_only_already_there(r) for r in checked.rows):
        raise Refused(f"all {len(checked.rows)} rows of {Path(path).name} are already in the store "
                      "(imported before?); nothing was imported")
    if checked.refused:
        first = checked.refused[0]
        raise Refused(f"{len(checked.refused)} of {len(checked.rows)} rows cannot be imported (row "
                      f"{first.number}: {first.problems[0]}); nothing was imported. See them all with --dry-run")
    panel = panel_type(session)
    for row in checked.rows:  # kept references first, so the counter is past them all
        if row.parsed["reference"]:
            _, year, number = REFERENCE.match(row.parsed["reference"]).groups()
            _advance_counter(session, panel, int(year), int(number))
    stamp = now_utc()
    for row in checked.rows:
        v, p = row.values, row.parsed
        reference = p["reference"] or next_reference(session, panel, p["received"].year)
        earlier = _text(v.get("re_referral_of")).upper()
        referral = Referral(
            reference=reference, panel=panel, locality_id=p["locality"][0], status=p["status"],
            closed_reason=p["closed_reason"] if p["status"] == rules.CLOSED else None,
            received=p["received"], consent_date=p["consent_date"],
            consent_by=_text(v.get("consent_by")).lower(), needs=_text(v.get("needs")),
            referrer_name=_text(v.get("referrer_name")), referrer_agency=_text(v.get("referrer_agency")),
            referrer_email=_text(v.get("referrer_email")), referrer_phone=_text(v.get("referrer_phone")),
            re_referral_of_id=get_referral(session, earlier).id if earlier else None,
            triage_outcome=_text(v.get("triage_outcome")).lower() or None,
            triage_agency=_text(v.get("triage_agency")) or None, triage_note=_text(v.get("triage_note")) or None,
            family_response=_text(v.get("family_response")).lower() or None,
            closure_outcome=_text(v.get("closure_outcome")) or None,
            tracker_lead_name=_text(v.get("lead_name")) or None,
            tracker_lead_agency=_text(v.get("lead_agency")) or None,
            tracker_lead_contact=_text(v.get("lead_contact")) or None,
            legal_hold=False, created_at=stamp, updated_at=stamp,
            **{name: p.get(name) for name in DATES if name not in ("received", "consent_date")},
        )
        if referral.status == rules.MONITORING and not referral.follow_up_due:
            referral.follow_up_due = rules.follow_up_due(referral.last_reviewed)
        if referral.status == rules.CLOSED and not referral.closed_on:
            referral.closed_on = referral.triaged_on or referral.received
        session.add(referral)
        session.flush()
        for position, (name, dob) in enumerate(p["children"], start=1):
            session.add(Child(referral_id=referral.id, position=position, name=name, dob=dob))
        for agency in dict.fromkeys(a.strip() for a in _text(v.get("agencies")).split(";") if a.strip()):
            session.add(SuggestedAgency(referral_id=referral.id, agency=agency))
        for flag in dict.fromkeys(f.strip() for f in _text(v.get("transitions")).split(";") if f.strip()):
            session.add(TransitionFlag(referral_id=referral.id, flag=flag))
        session.flush()
        # No names, no free text: the row number, what the case became, and how many children.
        uow.record("referral import", reference, {
            "row": row.number, "status": referral.status, "closed_reason": referral.closed_reason,
            "locality": p["locality"][1], "received": referral.received, "children": len(p["children"]),
            "kept_reference": bool(p["reference"]), "follow_up_due": referral.follow_up_due,
            "lead_professional": bool(referral.tracker_lead_name)})
        row.parsed["imported_as"] = reference
    uow.record("import", None, {"rows": len(checked.rows), "file_type": Path(path).suffix.lower()})
    return checked
