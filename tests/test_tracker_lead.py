"""The Lead Professional a team's tracker gave, for a case imported without a panel decision:
the follow-up list, the letter and form, re-refer, referral show and the export use it, until the
panel records a decision, whose Lead Professional then wins."""

from __future__ import annotations

import csv
import json

from builders import LEAD_WITH_EMAIL, decide, show, slot_at

from conftest import ok, run

HEADINGS = ("Ref,Date received,Locality,Status,Child name,Child DOB,Consent date,Consent by,Referrer,"
            "Referrer agency,Needs,Last reviewed")
MONITORING = ("MASG-2026-0050,02/06/2026,North,monitoring,Tomasz Demo,21/11/2015,28/05/2026,parent,"
              "Chris Worker,Youth service,Anxiety,01/12/2026")
DUE = "2027-02-23"  # 12 weeks after the last review, 1 December 2026
TRACKER_LEAD = ("Robin Keyworker", "Family support", "07700 900456, robin.keyworker@example.org")


def tracker(tmp_path, *rows: str, lead: bool = True, name: str = "tracker.csv"):
    """A tracker CSV; with ``lead``, its Lead Professional columns under headings teams use."""
    lines = [HEADINGS + (",LP,Lead Professional agency,lead_professional-contact" if lead else "")]
    lines += [row + (',{},{},"{}"'.format(*TRACKER_LEAD) if lead else "") for row in rows or (MONITORING,)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _text_of(path) -> str:
    import docx

    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs if p.text.strip()] + cells)


def _letter(tmp_path, ref: str = "MASG-2026-0050") -> str:
    ok("followup", "letter", ref, "--out", tmp_path, "--as-of", "2027-02-20")
    return _text_of(tmp_path / f"followup-letter-{ref}.docx")


def _exported(tmp_path) -> dict:
    out = tmp_path / "all.csv"
    ok("export", "--format", "csv", "--out", out)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        return {row["reference"]: row for row in csv.DictReader(handle)}


def test_a_dry_run_accepts_the_lead_professional_columns(store, tmp_path):
    out = ok("import", tracker(tmp_path), "--dry-run").stdout
    assert "1 of 1 rows would be imported" in out and "not imported" not in out


def test_the_follow_up_list_shows_the_lead_professional_the_tracker_gave(store, tmp_path):
    ok("import", tracker(tmp_path))
    [row] = ok("followup", "list", "--json", "--as-of", "2027-02-20").json
    assert (row["reference"], row["due"]) == ("MASG-2026-0050", DUE)
    assert (row["lead_professional"], row["lead_agency"], row["lead_contact"]) == TRACKER_LEAD


def test_the_letter_and_final_review_form_are_addressed_to_the_trackers_lead_professional(store, tmp_path):
    ok("import", tracker(tmp_path))
    letter = _letter(tmp_path)
    assert letter.split("\n")[2] == "Dear Robin Keyworker,"
    assert "Robin Keyworker, Family support (07700 900456, robin.keyworker@example.org)" in letter
    assert "Dear Lead Professional" not in letter and "as recorded in your tracker" not in letter
    ok("referral", "final-review-form", "MASG-2026-0050", "--out", tmp_path, "--as-of", "2027-02-20")
    assert "Robin Keyworker, Family support" in _text_of(tmp_path / "final-review-form-MASG-2026-0050.docx")


def test_re_refer_makes_the_trackers_lead_professional_the_referrer(store, tmp_path):
    ok("import", tracker(tmp_path))
    result = ok("followup", "record", "MASG-2026-0050", "--date", DUE, "--outcome", "re-refer",
                "--consent-date", DUE, "--consent-by", "parent")
    new = show(result.stdout.split()[0])
    assert (new["referrer"], new["referrer_agency"]) == TRACKER_LEAD[:2]
    assert (new["referrer_email"], new["referrer_phone"]) == ("robin.keyworker@example.org", "07700 900456")
    assert new["re_referral_of"] == "MASG-2026-0050"


def test_referral_show_and_the_export_give_the_lead_professional_from_the_tracker(store, tmp_path):
    ok("import", tracker(tmp_path))
    detail = show("MASG-2026-0050")
    assert detail["tracker_lead_professional"] == dict(zip(("name", "agency", "contact"), TRACKER_LEAD))
    card = ok("referral", "show", "MASG-2026-0050").stdout
    assert "(from the tracker)" in card and "Robin Keyworker, Family support" in card
    row = _exported(tmp_path)["MASG-2026-0050"]
    assert (row["lead_professional"], row["lead_agency"]) == TRACKER_LEAD[:2]
    assert row["tracker_lead_contact"] == TRACKER_LEAD[2]


def test_an_import_audits_only_whether_a_lead_professional_was_given(store, tmp_path):
    ok("import", tracker(tmp_path))
    entries = ok("audit", "--json").json
    [entry] = [e for e in entries if e["action"] == "referral import"]
    assert entry["changes"]["lead_professional"] is True
    text = json.dumps(entries, ensure_ascii=False)
    for personal in (*TRACKER_LEAD, "Robin", "07700 900456", "robin.keyworker@example.org"):
        assert personal not in text


def test_a_decision_recorded_later_wins_over_the_trackers_lead_professional(store, tmp_path):
    accepted = ("MASG-2026-0060,03/11/2026,North,accepted,Ada Demo,30/04/2019,01/11/2026,parent,"
                "Alex Teacher,Northside Primary,Speech,")
    ok("import", tracker(tmp_path, accepted))
    decide("MASG-2026-0060", slot_at("MASG-2026-0060", "2026-11-24"), lead=LEAD_WITH_EMAIL)
    ok("family-response", "MASG-2026-0060", "--accepted", "--date", "2026-11-26")
    ok("review", "record", "MASG-2026-0060", "--date", "2026-12-01", "--further-reviews", "no")
    [row] = ok("followup", "list", "--json", "--as-of", "2027-02-20").json
    assert (row["lead_professional"], row["lead_agency"], row["lead_contact"]) == LEAD_WITH_EMAIL
    assert _letter(tmp_path, "MASG-2026-0060").split("\n")[2] == f"Dear {LEAD_WITH_EMAIL[0]},"
    card = ok("referral", "show", "MASG-2026-0060").stdout
    assert "(from the tracker)" not in card and LEAD_WITH_EMAIL[0] in card
    exported = _exported(tmp_path)["MASG-2026-0060"]
    assert (exported["lead_professional"], exported["lead_agency"]) == LEAD_WITH_EMAIL[:2]
    new = show(ok("followup", "record", "MASG-2026-0060", "--date", DUE, "--outcome", "re-refer",
                  "--consent-date", DUE, "--consent-by", "parent").stdout.split()[0])
    assert (new["referrer"], new["referrer_agency"]) == LEAD_WITH_EMAIL[:2]


def test_a_tracker_without_the_columns_leaves_the_lead_professional_unknown_as_before(store, tmp_path):
    ok("import", tracker(tmp_path, lead=False))
    [row] = ok("followup", "list", "--json", "--as-of", "2027-02-20").json
    assert (row["lead_professional"], row["lead_agency"], row["lead_contact"]) == (None, None, None)
    letter = _letter(tmp_path)
    assert "Dear Lead Professional," in letter and "as recorded in your tracker" in letter
    assert show("MASG-2026-0050")["tracker_lead_professional"] is None
    assert "(from the tracker)" not in ok("referral", "show", "MASG-2026-0050").stdout
    assert _exported(tmp_path)["MASG-2026-0050"]["lead_professional"] == ""
    result = run("followup", "record", "MASG-2026-0050", "--date", DUE, "--outcome", "re-refer",
                 "--consent-date", DUE, "--consent-by", "parent")
    assert result.exit_code == 1 and "no panel decision" in result.stderr and "--new-referral" in result.stderr
