"""How referrals look to people: the list table and the case card."""

from __future__ import annotations

from masg_cli.dates import uk, uk_short
from masg_cli.render import console, pairs, table


def _status(row: dict) -> str:
    return f"closed ({row['closed_reason']})" if row.get("closed_reason") else row["status"]


def referral_table(rows: list[dict]) -> None:
    table("Referrals", ["Reference", "Status", "Locality", "Received", "Referrer", "Agency"],
          [(r["reference"], _status(r), r["locality"], uk_short(r["received"]), r["referrer"],
            r["referrer_agency"]) for r in rows],
          empty="No referrals match.")


def referral_card(d: dict) -> None:
    children = "; ".join(f"{c['name']} (born {uk(c['dob'])})" for c in d["children"])
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
        shown = " ".join(x for x in (shown, tracker_lead["contact"]) if x)
        items.append(("Lead Professional", f"{shown} (from the tracker)"))
    for decision in d["decisions"]:
        lead = decision["lead_professional"]
        items.append(("Lead Professional", f"{lead['name']}, {lead['agency']} {lead['contact']}".strip()))
        for service in decision["services"]:
            items.append(("Service", f"{service['agency']}: {service['what']}"))
    if d["next_review"]:
        items.append(("Next review", uk(d["next_review"])))
    if d["follow_up_due"] and d["status"] == "monitoring":
        items.append(("Follow-up due", uk(d["follow_up_due"])))
    if d["closure_outcome"]:
        items.append(("Closure", d["closure_outcome"]))
    pairs(d["reference"], items)
    console().print()
    table("Timeline", ["Date", "What happened"],
          [(uk(e["date"]), e["event"]) for e in d["timeline"]])
    table("Audit trail", ["When", "Who", "What"],
          [(e["at"][:16].replace("T", " "), e["user"], e["action"]) for e in d["history"]])
