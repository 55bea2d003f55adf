"""How cases look to people: the referral list and card, agendas, follow-ups, the morning list."""

from __future__ import annotations

from masg_cli import rules
from masg_cli.dates import uk, uk_short
from masg_cli.render import blank, lines, note, pairs, say, table


def _status(row: dict) -> str:
    return f"closed ({row['closed_reason']})" if row.get("closed_reason") else row["status"]


def referral_table(rows: list[dict]) -> None:
    table("Referrals", ["Reference", "Status", "Locality", "Received", "Referrer", "Agency"],
          [(r["reference"], _status(r), r["locality"], uk_short(r["received"]), r["referrer"],
            r["referrer_agency"]) for r in rows],
          empty="No referrals match.")


def referral_card(d: dict) -> None:
    children = "; ".join(f"{n}. {c['name']} (born {uk(c['dob'])}{_child_details(c)})"
                         for n, c in enumerate(d["children"], start=1))
    items = [
        ("Status", _status(d)),
        ("Locality", d["locality"]),
        ("Received", uk(d["received"])),
        ("Children", children),
        ("Referrer", f"{d['referrer']}, {d['referrer_agency']}"),
        ("Contact", ", ".join(x for x in (d["referrer_email"], d["referrer_phone"]) if x)),
        ("Consent", f"{uk(d['consent']['date'])} by {d['consent']['by']}"),
        ("Needs", d["needs"]),
        ("Agencies", ", ".join(d["agencies"]) or "none named"),
    ]
    if d.get("step_down"):
        items.append(("Step-down", "came down from children's social care"))
    if d["transitions"]:
        items.append(("Transition", ", ".join(d["transitions"])))
    if d["earlier_referrals"]:
        items.append(("Re-referral of", " -> ".join(d["earlier_referrals"])))
    if d["later_referrals"]:
        items.append(("Re-referred as", ", ".join(d["later_referrals"])))
    # Every triage and answer to more-info, oldest first (a case brought in by import: its latest).
    for t in d.get("triage_history") or ([d["triage"]] if d["triage"]["outcome"] else []):
        extra = " ".join(x for x in (t["agency"] or "", t["note"] or "") if x)
        what = ("Information", "received") if t["outcome"] == "info-received" else ("Triage", t["outcome"])
        items.append((what[0], f"{what[1]} on {uk(t['date'])}" + (f": {extra}" if extra else "")))
    tracker_lead = d.get("tracker_lead_professional")
    if tracker_lead and not d["decisions"]:  # imported without a decision; a decision's Lead Professional wins
        shown = ", ".join(x for x in (tracker_lead["name"], tracker_lead["agency"]) if x)
        shown = ", ".join(x for x in (shown, tracker_lead["contact"]) if x)
        items.append(("Lead Professional", f"{shown} (from the tracker)"))
    for decision in d["decisions"]:
        lead = decision["lead_professional"]
        label = "Lead Professional" if not d.get("lead_changes") else "Lead Professional (panel)"
        items.append((label, ", ".join(x for x in (lead["name"], lead["agency"], lead["contact"]) if x)))
        for service in decision["services"]:
            items.append(("Service", f"{service['agency']}: {service['what']}"))
    for change in d.get("lead_changes") or []:
        items.append(("Lead Professional from", f"{uk(change['date'])}: {change['name']}, {change['agency']} "
                      f"{change['contact']}".strip() + f" ({change['reason']})"))
    if d.get("lead_changes") and d.get("lead_professional"):
        items.append(("Lead Professional now", f"{d['lead_professional']['name']}, {d['lead_professional']['agency']}"))
    if d["next_review"]:
        items.append(("Next review", uk(d["next_review"])))
    if d["follow_up_due"] and d["status"] == "monitoring":
        items.append(("Follow-up due", uk(d["follow_up_due"])))
    if d["closure_outcome"]:
        items.append(("Closure", d["closure_outcome"]))
    pairs(d["reference"], items)
    blank()
    _record_tables(d)


def _record_tables(d: dict) -> None:
    """The card's tables: what happened, then the attachments and corrections it has, then the audit trail."""
    table("Timeline", ["Date", "What happened"],
          [(uk(e["date"]), e["event"]) for e in d["timeline"]])
    if d.get("attachments"):
        table("Attachments", ["Id", "Name", "Kind", "Added", "SHA-256"],
              [(a["id"], a["name"], a["kind"], uk_short(a["added"]), a["sha256"]) for a in d["attachments"]])
    if d.get("corrections"):
        table("Corrections", ["When", "Who", "What", "Why"],
              [(e["at"][:16].replace("T", " "), e["user"], _corrected(e), e["reason"] or "")
               for e in d["corrections"]])
    table("Audit trail", ["When", "Who", "What"],
          [(e["at"][:16].replace("T", " "), e["user"], e["action"]) for e in d["history"]])
    if d["history"]:
        note(AUDIT_CLOCK)


# Said once under each audit table: records entered late (or a practice story dated 2027) sit
# beside the real clock, which looks wrong until it is explained.
AUDIT_CLOCK = ("(When: the clock time, UTC, each command was run; the dates it recorded, which "
               "--date and --as-of may set earlier or later, are in each case's timeline: "
               "'masg referral show REF'.)")


def _child_details(child: dict) -> str:
    known = [f"{label} {child[key]}" if label else child[key] for key, label in (
        ("sex", ""), ("ethnicity", ""), ("school", "school"), ("gp", "GP"), ("postcode", ""),
        ("nhs_number", "NHS"), ("upn", "UPN")) if child.get(key)]
    return "".join(f", {item}" for item in known)


def _corrected(entry: dict) -> str:
    """'referrer_email: a@x.org -> b@x.org; needs' (a field whose values are not kept: its name)."""
    def shown(value) -> str:
        return ", ".join(value) if isinstance(value, list) else ("-" if value in (None, "") else str(value))

    fields = entry["fields"] or {}
    if isinstance(fields, list):  # a child's fields: which, never the values
        return f"{entry['action']} (child {entry.get('child')}): " + ", ".join(fields)
    parts = [f"{name}: {shown(change[0])} -> {shown(change[1])}" if isinstance(change, list) else name
             for name, change in fields.items()]
    return f"{entry['action']}: " + "; ".join(parts) if parts else entry["action"]


def agenda_view(shown: dict) -> None:
    """The agenda for people: the meeting, its slots, and who has not answered yet."""
    m = shown["meeting"]
    title = (f"Meeting {m['id']}: {m['locality']}, {m['date']:%A} {uk(m['date'])}, "
             f"{m['time']}-{m['end']}" + (f", {m['venue']}" if m["venue"] else "")
             + (" (CANCELLED)" if m["status"] == rules.MEETING_CANCELLED else ""))
    table(title, ["Time", "Reference", "Children", "Kind", "Referrer", "Agency", "Attending", "Outcome"],
          [(s["time"], s["reference"], s["children"], s["kind"], s["referrer"], s["referrer_agency"],
            s["attending"], s["outcome"]) for s in shown["slots"]],
          empty=f"No cases yet; fill it with 'masg agenda build {m['id']}'.")
    say(f"{len(shown['slots'])} of {m['capacity']} slots taken.")
    if shown["not_answered"]:
        say(f"Not answered yet: {', '.join(shown['not_answered'])}.")


# --- The case over time: reviews, 12-week follow-ups, the morning list ----------------------------


def review_recorded(referral) -> None:
    """What a panel review leads to: the next review, or the 12-week contact."""
    if referral.status == rules.ACTIVE:
        say(f"{referral.reference} reviewed: next panel review on {uk(referral.next_review)} "
            "(it goes on the agenda of the first meeting on or after it).")
    else:
        say(f"{referral.reference} monitoring: contact the Lead Professional by {uk(referral.follow_up_due)} "
            "('masg followup letter').")


def follow_up_recorded(referral, outcome: str, new, linked: bool) -> None:
    """What the contact with the Lead Professional decided, and the step after it."""
    if outcome == rules.FOLLOW_UP_CONTINUE:
        say(f"{referral.reference} still monitoring: next contact due {uk(referral.follow_up_due)}.")
    elif outcome == rules.FOLLOW_UP_CLOSE:
        say(f"{referral.reference} closed (completed). Next: send the final review form "
            f"('masg referral final-review-form {referral.reference} --out DIR'); when it comes back, "
            f"'masg referral close {referral.reference} --final-review-date DATE --outcome TEXT'.")
    elif linked:
        say(f"{new.reference} linked: re-referral of {referral.reference}, which stays as it is "
            "with no further contact due.")
    else:
        say(f"{new.reference} received: re-referral of {referral.reference} by the Lead Professional "
            f"{new.referrer_name} (triage it with 'masg referral triage').")


def _lead(row: dict) -> str:
    """'Name, Agency', or whichever of them is known, or nothing (an imported case)."""
    return ", ".join(part for part in (row["lead_professional"], row["lead_agency"]) if part)


def follow_up_table(title: str, rows: list[dict]) -> None:
    """The open 12-week follow-ups: due date, days overdue and whom to contact."""
    table(title, ["Reference", "Due", "Days overdue", "Lead Professional", "Contact"],
          [(r["reference"], uk_short(r["due"]), r["days_overdue"] or "",
            _lead(r), r["lead_contact"] or "") for r in rows],
          empty="No follow-ups match.")


# Each section's title, and the command that shows or does the rest of it.
_TITLES = {
    "overdue_follow_ups": ("Overdue 12-week follow-ups", "masg followup list --overdue"),
    "late": ("Past their targets", "masg today --json, or chase them with masg remind --out DIR"),
    "follow_ups_due_this_week": ("12-week follow-ups due this week", "masg followup list"),
    "reviews_overdue": ("Panel reviews overdue", "masg today --rows {count}"),
    "waiting_for_triage": ("Referrals waiting for triage", "masg referral list --status received"),
    "waiting_for_information": ("Waiting for more information", "masg referral list --status more-info"),
    "attendance_unconfirmed": ("Referrers yet to confirm attendance at the next meeting", "masg agenda show {meeting}"),
    "decision_sheets_not_produced": ("Decision sheets not produced", "masg today --rows {count}"),
    "family_answers_awaited": ("Family answers awaited", "masg referral list --status decided"),
    "overdue_actions": ("Panel actions overdue", "masg action list --overdue"),
}


def _columns(name: str, item: dict) -> tuple[list[str], tuple]:
    if name in ("overdue_follow_ups", "follow_ups_due_this_week"):
        return (["Reference", "Due", "Days overdue", "Lead Professional", "Contact"],
                (item["reference"], uk_short(item["due"]), item["days_overdue"] or "",
                 _lead(item), item["lead_contact"] or ""))
    if name == "late":
        return (["Reference", "Target", "Since", "Due by", "Days late"],
                (item["reference"], item["target"], uk_short(item["since"]), uk_short(item["due"]),
                 item["days_late"]))
    if name == "reviews_overdue":
        return (["Reference", "Review was due", "Days overdue", "Locality"],
                (item["reference"], uk_short(item["next_review"]), item["days_overdue"], item["locality"]))
    if name in ("waiting_for_triage", "waiting_for_information"):
        since = item.get("received") or item.get("asked_on")
        return (["Reference", "Since", "Days waiting", "Referrer", "Agency"],
                (item["reference"], uk_short(since), item["days_waiting"], item["referrer"],
                 item["referrer_agency"]))
    if name == "attendance_unconfirmed":
        return (["Reference", "Meeting", "Time", "Referrer", "Contact"],
                (item["reference"], f"{item['meeting']} ({uk_short(item['date'])})", item["time"],
                 item["referrer"], item["referrer_email"] or item["referrer_phone"]))
    if name == "decision_sheets_not_produced":
        return (["Reference", "Meeting", "Referrer"],
                (item["reference"], f"{item['meeting']} ({uk_short(item['meeting_date'])})", item["referrer"]))
    if name == "overdue_actions":
        return (["Action", "Reference", "Due", "Days overdue", "Owner", "Agency", "What"],
                (item["id"], item["reference"], uk_short(item["due"]), item["days_overdue"], item["owner"],
                 item["agency"], item["what"]))
    return (["Reference", "Decided", "Days waiting", "Referrer", "Agency"],
            (item["reference"], uk_short(item["meeting_date"]), item["days_waiting"], item["referrer"],
             item["referrer_agency"]))


def _more_command(more: str, section: dict) -> str:
    """The command that lists a section's hidden rows: its meeting's number when there is one."""
    meetings = {item.get("meeting") for item in section["items"]}
    meeting = str(meetings.pop()) if len(meetings) == 1 and None not in meetings else "MEETING"
    return more.format(count=section["count"], meeting=meeting)


def morning_list(when, sections: dict) -> None:
    """One heading a section (with its count), then its first rows in aligned columns.

    Aligned lines, not Rich tables: eight tables cost a sixth of a second to lay out, and the
    morning list should come up as fast as the store can answer.
    """
    # (text, style, cut): the rows of a section are cut at the width, never wrapped.
    shown: list[tuple[str, str | None, bool] | None] = [(f"Today, {uk(when)}", "bold", False)]
    quiet = []
    for name, section in sections.items():
        title, more = _TITLES[name]
        if not section["count"]:
            quiet.append(title.lower())
            continue
        style = "bold red" if name in ("overdue_follow_ups", "late", "reviews_overdue") else "bold"
        shown += [None, (f"{title}: {section['count']}", style, False)]
        rows = [_columns(name, item) for item in section["items"]]
        header = rows[0][0]
        cells = [[str(v) if v not in (None, "") else "" for v in row] for _, row in rows]
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
        line = "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()
        shown.append(("  " + line, "dim", True))
        shown += [("  " + "  ".join(v.ljust(w) for v, w in zip(c, widths)).rstrip(), None, True) for c in cells]
        hidden = section["count"] - len(cells)
        if hidden:
            shown.append((f"  ... and {hidden} more: {_more_command(more, section)}", "dim", False))
    lines(shown)
    if quiet:
        blank()
        note("Nothing for: " + "; ".join(quiet) + ".")
