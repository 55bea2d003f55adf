"""How the report, the import's dry run and retention look to people."""

from __future__ import annotations

from datetime import date

from masg_cli.dates import uk, uk_short
from masg_cli.render import console, print_json, say, table

TITLES = {
    "referrals": "Referrals received (and re-referrals within 12 months)",
    "triage": "Triage outcomes (month triaged)",
    "meetings": "Cases discussed and decided per meeting",
    "timeliness": "Days from receipt to triage and to the panel's decision (median, 90th percentile)",
    "services": "Services agreed per agency",
    "lead_professionals": "Lead Professionals per agency",
    "family_responses": "Family responses to the panel's decision",
    "follow_ups": "12-week follow-ups: on time and late",
    "closures": "Closures by outcome",
    "actions": "Panel actions due, per agency: done by the due date",
    "monthly": "Monthly trend (all localities)",
    "targets": "Targets: items within and late (by the day each one's clock started)",
    "targets_by_month": "Targets by locality and month",
    "steps": "Step-ups, step-downs and re-referrals within 12 months",
}


def _month(value: str) -> str:
    if not value or value == "All":
        return "Whole period" if value == "All" else ""
    year, month = value.split("-")
    return f"{date(int(year), int(month), 1):%b %Y}"


def _cell(key: str, value) -> str:
    if value is None:
        return ""
    if key == "month":
        return _month(value)
    if isinstance(value, date):
        return uk_short(value)
    if isinstance(value, float):
        return f"{value:.0%}"
    return str(value)


# Words the column keys cannot spell (the JSON keys stay as they are).
SPELLING = (("Re referral", "Re-referral"), ("Rereferred", "Re-referred"), ("Follow ups", "Follow-ups"),
            (" 12 months", " (12 months)"))


def heading(key: str) -> str:
    """A report column's heading: 're_referral_rate_12_months' reads 'Re-referral rate (12 months)'."""
    text = key.replace("_", " ").capitalize()
    for plain, written in SPELLING:
        text = text.replace(plain, written)
    return text


def period_words(start: date | None, end: date | None) -> str:
    """The report's period as a sentence ends: '2 November 2026 to 27 May 2027', or 'all dates'."""
    if start and end:
        return f"{uk(start)} to {uk(end)}"
    if start or end:
        return f"from {uk(start)}" if start else f"up to {uk(end)}"
    return "all dates"


def show_report(report: dict, *, workbook=None) -> None:
    say(f"Summary for {report['locality'] or 'all localities'}, {period_words(report['from'], report['to'])}")
    for name, title in TITLES.items():
        if name == "monthly" and report["locality"]:  # the tables it adds up are that locality's alone
            title = f"Monthly trend ({report['locality']})"
        rows = report["tables"][name]
        columns = list(rows[0]) if rows else []
        table(title, [heading(c) for c in columns],
              [[_cell(c, row[c]) for c in columns] for row in rows], empty="No figures for this period.")
    if "stepped_up" in report:
        say(f"Stepped up to children's social care: {report['stepped_up']}; stepped down from it: "
            f"{report['stepped_down']}; re-referred within 12 months of an earlier closure: "
            f"{report['rereferred_within_12_months']}.")
    if workbook:
        say(f"Workbook written: {workbook} (a sheet per table, charts on 'Monthly trend').")


def show_dry_run(checked) -> None:
    """Every row that would be refused, by row number, and why; nothing changes either way."""
    for row in checked.refused:
        say(f"row {row.number}: {'; '.join(row.problems)}")
    if checked.ignored_columns:
        say(f"Columns not imported: {', '.join(checked.ignored_columns)}")
    good = len(checked.rows) - len(checked.refused)
    say(f"{good} of {len(checked.rows)} rows would be imported; {len(checked.refused)} refused. "
        "Nothing was changed (dry run).")


def retention_day_warning(as_of: date, today: date, not_yet_due: int) -> str | None:
    """Removal judged from a day after today removes records whose time has not yet come: said
    plainly, in case the year was mistyped (SPEC allows any --as-of, for late entry and tests)."""
    if as_of <= today or not not_yet_due:
        return None
    return (f"masg: warning: --as-of {as_of.day} {as_of:%B %Y} is after today ({today.day} {today:%B %Y}): "
            f"{not_yet_due} case(s) not yet due today were removed as if it were that day")


def show_retention(rule, found, on: date, *, applied: bool, json: bool) -> None:
    rows = [{"reference": c.reference, "rule": str(rule), "closed_on": c.closed_on, "due": c.due,
             "legal_hold": c.on_hold,
             "action": ("kept: legal hold" if c.on_hold else ("removed" if applied else "would be removed"))}
            for c in found]
    if json:
        return print_json(rows)
    table(f"Closed cases past retention on {uk(on)} (rule: {rule}, {rule.describe()})",
          ["Reference", "Closed", "Due for removal", "Action"],
          [(r["reference"], uk_short(r["closed_on"]), uk_short(r["due"]), r["action"]) for r in rows],
          empty="No closed case is past its retention period.")
    removable = sum(1 for c in found if not c.on_hold)
    if applied:
        say(f"Removed {removable} case(s) and every record that belonged to them; the audit trail keeps "
            "one entry for each, without personal data.")
    elif removable:
        console().print(f"Dry run: nothing removed. Run 'masg retention --apply' to remove {removable} case(s).",
                        markup=False, highlight=False)
