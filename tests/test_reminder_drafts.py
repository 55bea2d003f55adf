"""masg remind: one e-mail draft per person chased, by reference and initials, never twice a week."""

from __future__ import annotations

import email
import os
from email import policy

from builders import case_at, out_folder, slot_at
from conftest import add_referral, ok, run, store_rows

REFERRER = "alex.teacher@example.org"
LEAD = "sian.sample@example.org"


def remind(folder, as_of: str, *extra: str) -> list[dict]:
    return ok("remind", "--out", str(folder), "--as-of", as_of, "--json", *extra).json


def chased(found: list[dict]) -> list[tuple]:
    return [(p["to"], [(i["reference"], i["kind"]) for i in p["items"]]) for p in found]


def test_a_referrer_yet_to_confirm_attendance_at_a_meeting_within_7_days_is_chased(store, tmp_path):
    ref = add_referral()
    slot_at(ref, "2026-12-01")
    folder = out_folder(tmp_path)
    assert remind(folder, "2026-11-23", "--dry-run") == []  # 8 days ahead
    assert chased(remind(folder, "2026-11-24")) == [(REFERRER, [(ref, "attendance")])]


def test_one_draft_groups_a_referrers_items(store, tmp_path):
    first, second = add_referral(), add_referral()
    for ref in (first, second):
        ok("referral", "triage", ref, "--outcome", "more-info", "--note", "Which school?", "--date", "2026-11-03")
    folder = out_folder(tmp_path)
    assert remind(folder, "2026-11-17") == []  # still within 10 working days
    [person] = remind(folder, "2026-11-18")
    assert chased([person]) == [(REFERRER, [(first, "more-info"), (second, "more-info")])]
    assert [p.name for p in folder.iterdir()] == [person["file"]]


def test_a_lead_professional_is_chased_for_a_follow_up_due_within_7_days_or_overdue(store, tmp_path):
    ref = case_at("monitoring")  # follow-up due 23 February 2027
    folder = out_folder(tmp_path)
    assert remind(folder, "2027-02-15", "--dry-run") == []
    assert chased(remind(folder, "2027-02-16", "--dry-run")) == [(LEAD, [(ref, "follow-up")])]
    assert chased(remind(folder, "2027-03-30")) == [(LEAD, [(ref, "follow-up")])]


def test_a_lead_professional_is_chased_for_a_tac_past_its_target(store, tmp_path):
    ref = case_at("active")  # the family accepted on 26 November 2026: TAC due by 7 January 2027
    folder = out_folder(tmp_path)
    assert remind(folder, "2027-01-07") == []
    assert chased(remind(folder, "2027-01-08")) == [(LEAD, [(ref, "tac")])]


def test_the_same_item_is_not_chased_again_within_7_days_and_each_reminder_is_audited(store, tmp_path):
    ref = case_at("active")
    folder = out_folder(tmp_path)
    assert len(remind(folder, "2027-01-08")) == 1
    assert remind(folder, "2027-01-14") == []
    assert len(remind(folder, "2027-01-15")) == 1
    entries = [e for e in ok("audit", ref, "--json").json if e["action"] == "reminder"]
    assert len(entries) == 2
    assert entries[0]["changes"]["kind"] == "tac"


def test_the_draft_shows_references_and_initials_never_a_childs_name(store, tmp_path):
    ref = case_at("active")
    folder = out_folder(tmp_path)
    [person] = remind(folder, "2027-01-08")
    message = email.message_from_bytes((folder / person["file"]).read_bytes(), policy=policy.default)
    text = message.get_content()
    assert LEAD in message["To"] and ref in message["Subject"]
    assert f"{ref} (ZE, North)" in text and "7 January 2027" in text
    assert "Zoë" not in text + message["Subject"]


def test_a_dry_run_writes_and_records_nothing(store, tmp_path):
    ref = case_at("active")
    before = store_rows()
    folder = tmp_path / "not-yet"
    result = ok("remind", "--out", str(folder), "--as-of", "2027-01-08", "--dry-run")
    assert f"{LEAD}: {ref} tac" in result.stdout and "nothing was written" in result.stdout
    assert not folder.exists()
    assert store_rows() == before


def test_a_person_without_an_e_mail_address_is_named_on_stderr(store, tmp_path):
    ref = case_at("active", lead=("Pat Lead", "Youth service", "07700 900456"))
    result = ok("remind", "--out", str(out_folder(tmp_path)), "--as-of", "2027-01-08", "--json")
    assert result.json == []
    assert f"Pat Lead (tac, {ref}) has no e-mail address" in result.stderr
    assert "Zoë" not in result.stderr


def _refused(args: list[str], before) -> str:
    result = run(*args)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert store_rows() == before
    return result.stderr


def test_remind_into_a_file_is_refused_and_nothing_is_recorded(store, tmp_path):
    case_at("active")
    target = tmp_path / "drafts.txt"
    target.write_text("not a folder")
    before = store_rows()
    assert "is a file, not a folder" in _refused(["remind", "--out", str(target), "--as-of", "2027-01-08"], before)
    assert "is a file" in _refused(["remind", "--out", str(target), "--as-of", "2027-01-08", "--dry-run"], before)


def test_remind_into_an_unwritable_folder_is_refused_and_nothing_is_recorded(store, tmp_path, monkeypatch):
    import masg_cli.documents.render as render

    case_at("active")
    folder = out_folder(tmp_path)
    # As a folder without write permission looks to a co-ordinator (root could write anywhere).
    real = render.os.access
    monkeypatch.setattr(render.os, "access", lambda path, mode: not mode & os.W_OK and real(path, mode))
    before = store_rows()
    assert "cannot write in" in _refused(["remind", "--out", str(folder), "--as-of", "2027-01-08"], before)
    assert list(folder.iterdir()) == []


def test_each_owner_of_an_overdue_action_is_chased_when_they_sit_on_the_panel(store, tmp_path):
    import json

    from builders import MEETING_DAY

    ref = case_at("decided")
    [meeting] = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == MEETING_DAY]
    ok("locality", "member", "add", "North", "--name", "Jo Owner", "--agency", "CAMHS",
       "--email", "jo.owner@example.org")
    for owner in ("Jo Owner", "Kim Outsider"):
        ok("action", "add", ref, "--meeting", meeting, "--owner", owner, "--agency", "CAMHS",
           "--what", "Book a first session for Zoë", "--due", "2026-12-08")
    folder = out_folder(tmp_path)
    assert [p for p in remind(folder, "2026-12-08", "--dry-run") if p["items"][0]["kind"] == "action"] == []
    result = run("remind", "--out", str(folder), "--as-of", "2026-12-09", "--json")
    assert result.exit_code == 0, result.stderr
    actions = [(p["to"], [(i["reference"], i["kind"]) for i in p["items"] if i["kind"] == "action"])
               for p in json.loads(result.stdout)]
    assert [a for a in actions if a[1]] == [("jo.owner@example.org", [(ref, "action")])]
    assert "Kim Outsider (action, " in result.stderr and "no e-mail address" in result.stderr
    [draft] = [p for p in folder.iterdir() if "jo-owner" in p.name]
    text = email.message_from_bytes(draft.read_bytes(), policy=policy.default).get_body().get_content()
    assert ref in text and "due by 8 December 2026" in text
    assert "Zoë" not in text and "first session" not in text  # initials only, never the action's words
