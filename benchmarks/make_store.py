"""Make a large demonstration store fast, for benchmarks: bulk SQL inserts, fictional data.

    python benchmarks/make_store.py /tmp/big.db --referrals 10000 [--seed 1] [--panel MASG]

or, from another benchmark:

    from make_store import make_store
    make_store(path, referrals=10_000, seed=1)

The schema comes from masg's own migrations; rows go in with executemany in one transaction.
Every status appears in a realistic mix (most cases closed or being monitored, some at each open
stage), with the records each stage implies: children, agencies, transition flags, meetings,
agenda slots, decisions with services, reviews, follow-ups, and a valid audit chain (one entry per
referral), so that `masg doctor` passes and every listing has something to show.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# status, closed reason, weight
MIX = [
    ("received", None, 4),
    ("more-info", None, 3),
    ("accepted", None, 5),
    ("scheduled", None, 4),
    ("decided", None, 5),
    ("active", None, 15),
    ("monitoring", None, 14),
    ("closed", "single-agency", 12),
    ("closed", "not-appropriate", 6),
    ("closed", "withdrawn", 4),
    ("closed", "declined", 4),
    ("closed", "completed", 24),
]
LOCALITIES = ["North", "South", "East", "West", "Central", "Riverside"]
AGENCIES = ["CAMHS", "School nursing", "Health visiting", "Early Help", "Youth service", "Housing",
            "Speech and language therapy", "Family support", "Police", "Educational psychology"]
FLAGS = ["looked-after", "previously-looked-after", "in-hospital", "complex-needs",
         "child-in-need-plan", "child-protection-plan"]
FIRST = ["Zoë", "Siân", "Jack", "Amira", "Ollie", "Priya", "Kai", "Maisie", "Tomasz", "Ada"]
LAST = ["Example", "Sample", "Demo", "O'Brien", "Test", "Placeholder"]
TODAY = date(2026, 11, 23)


def make_store(path, referrals: int, seed: int = 1, panel: str = "MASG") -> Path:
    """Create (replacing) a store at `path` holding `referrals` referrals; returns the path."""
    from masg_cli import store
    from masg_cli.services.audit import GENESIS, entry_hash

    path = Path(path)
    for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        old.unlink(missing_ok=True)
    location = store.locate(str(path))
    store.open_store(location, create=True)
    store.dispose_engines()

    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN IMMEDIATE")
    stamp = datetime(2026, 11, 23, 8, 0, 0)
    conn.execute("INSERT INTO setting (key, value) VALUES ('panel', ?)", (panel,))
    cadence = "weekly" if panel == "MAAG" else "fortnightly"
    for i, name in enumerate(LOCALITIES, start=1):
        conn.execute(
            "INSERT INTO locality (id, name, cadence, weekday, start_time, end_time, slot_minutes, venue, "
            "coordinator, contact, anchor_date) VALUES (?, ?, ?, ?, '09:30', '12:30', 20, ?, ?, ?, ?)",
            (i, name, cadence, i % 5, f"{name} Family Hub", f"Pat {name}", f"pat.{name.lower()}@example.gov.uk",
             date(2025, 1, 7).isoformat()))

    # Meetings: every fortnight (weekly for MAAG) per locality over two years.
    step = 7 if panel == "MAAG" else 14
    meetings: dict[int, list[tuple[int, date]]] = {}
    meeting_rows = []
    meeting_id = 0
    for loc in range(1, len(LOCALITIES) + 1):
        day = date(2025, 1, 7) + timedelta(days=loc % 5)
        while day <= TODAY + timedelta(days=60):
            meeting_id += 1
            meeting_rows.append((meeting_id, loc, day.isoformat(), day.isoformat(), "09:30", "12:30",
                                 f"{LOCALITIES[loc - 1]} Family Hub", "scheduled", f"bench-{meeting_id}@masg"))
            meetings.setdefault(loc, []).append((meeting_id, day))
            day += timedelta(days=step)
    conn.executemany("INSERT INTO meeting (id, locality_id, planned_date, date, start_time, end_time, venue, "
                     "status, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", meeting_rows)

    def meeting_after(loc: int, day: date) -> tuple[int, date]:
        for mid, when in meetings[loc]:
            if when >= day:
                return mid, when
        return meetings[loc][-1]

    statuses = [(s, r) for s, r, w in MIX for _ in range(w)]
    span = (TODAY - date(2025, 1, 1)).days
    received_days = sorted(date(2025, 1, 1) + timedelta(days=rng.randrange(span)) for _ in range(referrals))
    counters: dict[int, int] = {}
    rows, children, agencies, flags, slots, decisions, services, reviews, follow_ups, audit = (
        [], [], [], [], [], [], [], [], [], [])
    prev_hash = GENESIS
    decision_id = 0
    for rid, received in enumerate(received_days, start=1):
        status, reason = rng.choice(statuses)
        loc = rng.randrange(1, len(LOCALITIES) + 1)
        counters[received.year] = counters.get(received.year, 0) + 1
        reference = f"{panel}-{received.year}-{counters[received.year]:04d}"
        triaged = received + timedelta(days=rng.randrange(1, 6))
        r = dict(triaged_on=None, triage_outcome=None, triage_agency=None, triage_note=None,
                 family_response=None, family_response_date=None, tac_date=None, next_review=None,
                 last_reviewed=None, follow_up_due=None, closed_on=None, final_review_date=None,
                 closure_outcome=None)
        if status == "more-info":
            r.update(triaged_on=triaged, triage_outcome="more-info", triage_note="Asked for the plan")
        elif status != "received":
            if reason == "single-agency":
                r.update(triaged_on=triaged, triage_outcome="single-agency", triage_agency=rng.choice(AGENCIES),
                         closed_on=triaged)
            elif reason == "not-appropriate":
                r.update(triaged_on=triaged, triage_outcome="not-appropriate", triage_note="Discussed",
                         closed_on=triaged)
            else:
                r.update(triaged_on=triaged, triage_outcome="accept")
        panel_stage = status in ("scheduled", "decided", "active", "monitoring") or reason in (
            "declined", "completed") or (reason == "withdrawn" and rng.random() < 0.5)
        if panel_stage:
            mid, mdate = meeting_after(loc, triaged + timedelta(days=3))
            slots.append((mid, rid, "new", f"{9 + len(slots) % 3:02d}:{(len(slots) % 3) * 20:02d}",
                          rng.choice(["yes", "no", "unknown"]),
                          "pending" if status == "scheduled" else "decided"))
            if status != "scheduled" and not (reason == "withdrawn"):
                decision_id += 1
                review_date = mdate + timedelta(days=rng.choice([42, 56, 84]))
                decisions.append((decision_id, rid, mid, f"Lead {rng.choice(LAST)}", rng.choice(AGENCIES),
                                  "lead@example.org", review_date.isoformat(), stamp.isoformat(sep=" ")))
                for agency in rng.sample(AGENCIES, rng.randrange(1, 4)):
                    services.append((decision_id, agency, "Support as agreed by the panel"))
                r.update(next_review=review_date)
                if status in ("active", "monitoring") or reason in ("declined", "completed"):
                    answer = "declined" if reason == "declined" else "accepted"
                    r.update(family_response=answer, family_response_date=mdate + timedelta(days=7))
                    if answer == "declined":
                        r.update(closed_on=mdate + timedelta(days=7), next_review=None)
                    else:
                        r.update(tac_date=mdate + timedelta(days=14))
                if status == "monitoring" or reason == "completed":
                    reviewed = min(review_date, TODAY - timedelta(days=rng.randrange(0, 120)))
                    reviews.append((rid, None, reviewed.isoformat(), False, None, None))
                    due = reviewed + timedelta(days=84)
                    r.update(last_reviewed=reviewed, follow_up_due=due, next_review=None)
                    if reason == "completed":
                        follow_ups.append((rid, due.isoformat(), due.isoformat(), "close", None))
                        r.update(closed_on=due, final_review_date=due, closure_outcome="Needs met")
        if reason == "withdrawn":
            r.update(closed_on=triaged + timedelta(days=10), closure_outcome="Consent withdrawn",
                     next_review=None)
        consent = received - timedelta(days=rng.randrange(0, 10))
        iso = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()}
        rows.append((rid, reference, panel, loc, status, reason, received.isoformat(), consent.isoformat(),
                     rng.choice(["parent", "young-person", "both"]), "Needs described in the CAF",
                     f"Referrer {rng.choice(LAST)}", rng.choice(AGENCIES), "referrer@example.org",
                     "01632 960000", iso["triaged_on"], iso["triage_outcome"], iso["triage_agency"],
                     iso["triage_note"], iso["family_response"], iso["family_response_date"], iso["tac_date"],
                     iso["next_review"], iso["last_reviewed"], iso["follow_up_due"], iso["closed_on"],
                     iso["final_review_date"], iso["closure_outcome"], False, stamp.isoformat(sep=" "),
                     stamp.isoformat(sep=" ")))
        for position in range(1, rng.choice([2, 2, 2, 3, 3, 4])):
            dob = received - timedelta(days=rng.randrange(365, 17 * 365))
            children.append((rid, position, f"{rng.choice(FIRST)} {rng.choice(LAST)}", dob.isoformat()))
        for agency in rng.sample(AGENCIES, rng.randrange(1, 5)):
            agencies.append((rid, agency))
        if rng.random() < 0.15:
            flags.append((rid, rng.choice(FLAGS)))
        # As an import records a case: what it became, so that doctor's replay agrees with the row.
        changes = json.dumps({"status": status, "closed_reason": reason, "locality": LOCALITIES[loc - 1],
                              "received": received.isoformat()}, sort_keys=True)
        digest = entry_hash(prev_hash, stamp, "bench", reference, "referral import", changes)
        audit.append((stamp.isoformat(sep=" "), "bench", reference, "referral import", changes, prev_hash, digest))
        prev_hash = digest

    conn.executemany(
        "INSERT INTO referral (id, reference, panel, locality_id, status, closed_reason, received, consent_date, "
        "consent_by, needs, referrer_name, referrer_agency, referrer_email, referrer_phone, triaged_on, "
        "triage_outcome, triage_agency, triage_note, family_response, family_response_date, tac_date, "
        "next_review, last_reviewed, follow_up_due, closed_on, final_review_date, closure_outcome, legal_hold, "
        "created_at, updated_at) VALUES (" + ", ".join("?" * 30) + ")", rows)
    # Each triaged case's triage in its history, as 'referral triage' writes it.
    conn.execute("INSERT INTO triage_entry (referral_id, date, outcome, agency, note) SELECT id, triaged_on, "
                 "triage_outcome, triage_agency, triage_note FROM referral WHERE triaged_on IS NOT NULL ORDER BY id")
    from functools import lru_cache

    from masg_cli.names import fold, sounds

    keys = lru_cache(maxsize=None)(lambda name: (fold(name), sounds(name)))  # as 'referral add' keys them
    conn.executemany("INSERT INTO child (referral_id, position, name, dob, name_key, name_sound) "
                     "VALUES (?, ?, ?, ?, ?, ?)", [(*child, *keys(child[2])) for child in children])
    conn.executemany("INSERT INTO suggested_agency (referral_id, agency) VALUES (?, ?)", agencies)
    conn.executemany("INSERT INTO transition_flag (referral_id, flag) VALUES (?, ?)", flags)
    conn.executemany("INSERT INTO agenda_slot (meeting_id, referral_id, kind, time, attending, outcome) "
                     "VALUES (?, ?, ?, ?, ?, ?)", slots)
    conn.executemany("INSERT INTO decision (id, referral_id, meeting_id, lead_name, lead_agency, lead_contact, "
                     "review_date, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", decisions)
    conn.executemany("INSERT INTO service (decision_id, agency, description) VALUES (?, ?, ?)", services)
    conn.executemany("INSERT INTO review (referral_id, meeting_id, date, further_reviews, next_review, note) "
                     "VALUES (?, ?, ?, ?, ?, ?)", reviews)
    conn.executemany("INSERT INTO follow_up (referral_id, date, due, outcome, note) VALUES (?, ?, ?, ?, ?)",
                     follow_ups)
    conn.executemany('INSERT INTO audit_entry (at, "user", reference, action, changes, prev_hash, hash) '
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", audit)
    conn.execute("INSERT INTO setting (key, value) VALUES ('audit_head', ?)", (prev_hash,))
    conn.executemany("INSERT INTO reference_counter (panel, year, last_number) VALUES (?, ?, ?)",
                     [(panel, year, n) for year, n in counters.items()])
    conn.execute("COMMIT")
    conn.close()
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--panel", choices=["MASG", "MAAG"], default="MASG")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    make_store(args.path, args.referrals, seed=args.seed, panel=args.panel)
    print(f"{args.path}: {args.referrals} referrals in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
