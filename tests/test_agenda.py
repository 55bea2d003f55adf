"""A meeting's agenda: slot times, a full meeting, reviews due, moves, attendance, invitations, packs."""

from __future__ import annotations

import email
import zipfile
from datetime import date
from email import policy

import pytest

from builders import in_store, on_agenda, schedule_december
from conftest import REFERRAL, add_referral, ok, run


def schedule(until: str = "2026-12-31") -> None:
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", until)


def accept(*extra: str) -> str:
    ref = add_referral(*extra)
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-20")
    return ref


def agenda(meeting: int = 1) -> dict:
    return ok("agenda", "show", str(meeting), "--json").json


@pytest.fixture
def small(store):
    """A locality whose meetings hold three 20-minute slots."""
    ok("locality", "add", "South", "--start", "09:30", "--end", "10:30", "--slot-minutes", "20",
       "--venue", "Southside Hub")
    ok("meeting", "schedule", "--locality", "South", "--from", "2026-12-01", "--until", "2026-12-31")


def test_cases_get_times_start_plus_n_slot_lengths_oldest_first(store):
    schedule()
    late = accept("--received", "2026-11-10")
    early = accept("--received", "2026-11-02")
    ok("agenda", "build", "1")
    shown = agenda()
    assert [(s["time"], s["reference"], s["kind"], s["attending"]) for s in shown["slots"]] == [
        ("09:30", early, "new", "unknown"), ("09:50", late, "new", "unknown")]
    assert ok("referral", "show", early, "--json").json["status"] == "scheduled"


def test_a_full_meeting_leaves_the_rest_queued_for_the_next_and_says_so(small):
    refs = [accept("--locality", "South", "--received", f"2026-11-0{n}") for n in range(1, 6)]
    out = ok("agenda", "build", "1")
    assert "stay queued" in out.stdout and refs[3] in out.stdout and refs[4] in out.stdout
    assert [s["reference"] for s in agenda(1)["slots"]] == refs[:3]
    assert ok("referral", "show", refs[4], "--json").json["status"] == "accepted"
    ok("agenda", "build", "2")
    assert [s["reference"] for s in agenda(2)["slots"]] == refs[3:]


def test_rebuilding_keeps_the_times_already_given(small):
    first = accept("--locality", "South", "--received", "2026-11-05")
    ok("agenda", "build", "1")
    older = accept("--locality", "South", "--received", "2026-11-01")
    ok("agenda", "build", "1")
    times = {s["reference"]: s["time"] for s in agenda(1)["slots"]}
    assert times == {first: "09:30", older: "09:50"}


def test_building_twice_does_not_put_a_case_on_twice(accepted):
    schedule()
    ok("agenda", "build", "1")
    again = ok("agenda", "build", "1")
    assert "0 case(s) added" in again.stdout
    assert len(agenda(1)["slots"]) == 1
    ok("agenda", "build", "2")
    assert agenda(2)["slots"] == []


def test_a_review_that_falls_due_goes_on_the_first_meeting_on_or_after_it(accepted):
    from sqlmodel import select

    from masg_cli.models import Referral

    schedule()
    with in_store(write=True) as uow:  # a case the panel decided earlier, review due 10 December
        referral = uow.session.exec(select(Referral)).one()
        referral.status, referral.next_review = "active", date(2026, 12, 10)
        uow.session.add(referral)
    ok("agenda", "build", "1")
    assert agenda(1)["slots"] == []
    ok("agenda", "build", "2")
    slot = agenda(2)["slots"][0]
    assert (slot["reference"], slot["kind"]) == (accepted, "review")
    assert ok("referral", "show", accepted, "--json").json["status"] == "active"
    ok("agenda", "build", "3")
    assert agenda(3)["slots"] == []  # it holds a pending slot already


def test_a_case_can_be_moved_to_another_meeting(accepted):
    schedule()
    ok("agenda", "build", "1")
    out = ok("agenda", "move", accepted, "--from", "1", "--to", "2")
    assert "meeting 2 at 09:30" in out.stdout
    assert agenda(1)["slots"] == []
    assert [s["reference"] for s in agenda(2)["slots"]] == [accepted]
    assert ok("referral", "show", accepted, "--json").json["status"] == "scheduled"


def test_moving_to_a_full_meeting_is_refused(small):
    refs = [accept("--locality", "South", "--received", f"2026-11-0{n}") for n in range(1, 5)]
    ok("agenda", "build", "1")
    ok("agenda", "build", "2")
    result = run("agenda", "move", refs[3], "--to", "1")
    assert result.exit_code == 1 and "full" in result.stderr


def test_attendance_is_recorded_and_who_has_not_answered_is_shown(store):
    schedule()
    a, b = accept("--received", "2026-11-01"), accept("--received", "2026-11-02")
    ok("agenda", "build", "1")
    ok("agenda", "attendance", a, "--meeting", "1", "--attending", "yes")
    shown = agenda()
    assert [s["attending"] for s in shown["slots"]] == ["yes", "unknown"]
    assert shown["not_answered"] == [b]
    assert f"Not answered yet: {b}" in ok("agenda", "show", "1").stdout


def test_an_answer_that_is_not_yes_or_no_is_refused(accepted):
    schedule()
    ok("agenda", "build", "1")
    result = run("agenda", "attendance", accepted, "--meeting", "1", "--attending", "maybe")
    assert result.exit_code == 2 and "'maybe' is not one of 'yes', 'no'" in result.stderr


def test_attendance_for_a_case_not_on_that_agenda_is_refused(accepted):
    schedule()
    result = run("agenda", "attendance", accepted, "--meeting", "1", "--attending", "yes")
    assert result.exit_code == 1 and accepted in result.stderr and "agenda" in result.stderr


def test_each_referrer_gets_one_invitation_without_a_childs_name(store, tmp_path):
    schedule()
    a = accept("--received", "2026-11-01")
    b = accept("--received", "2026-11-02", "--referrer", "Siân Sample", "--referrer-email", "sian@example.org")
    ok("agenda", "build", "1")
    ok("agenda", "invite", "1", "--out", str(tmp_path / "out"))
    drafts = sorted((tmp_path / "out").glob("*.eml"))
    assert [d.name for d in drafts] == [f"invite-2026-12-01-{a}.eml", f"invite-2026-12-01-{b}.eml"]
    message = email.message_from_bytes(drafts[1].read_bytes(), policy=policy.default)
    body = message.get_content()
    assert message["X-Unsent"] == "1" and "sian@example.org" in message["To"]
    assert b in message["Subject"] and "Zoë" not in message["Subject"]
    assert "Zoë" not in body and "Tuesday 1 December 2026" in body and "09:50" in body
    assert "Northgate Family Hub" in body and "Dear Siân Sample" in body
    assert agenda()["slots"][0]["invited"] is True


def test_the_pack_is_refused_for_an_empty_agenda(store, tmp_path):
    schedule()
    result = run("agenda", "pack", "1", "--out", str(tmp_path))
    assert result.exit_code == 1 and "agenda build 1" in result.stderr


def test_the_pack_e_mail_is_refused_without_panel_members(accepted, tmp_path):
    schedule()
    ok("agenda", "build", "1")
    result = run("agenda", "pack", "1", "--out", str(tmp_path / "out"), "--eml")
    assert result.exit_code == 1 and "member add" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# --- A closed case leaves the agendas it was waiting on ----------------------------------------------


def docx_words(path) -> str:
    """The text of a Word document, tags stripped (good enough to look for a name)."""
    import re

    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def other_family(*extra: str) -> str:
    args = list(REFERRAL)
    args[args.index("Zoë Example")] = "Siân Sample"
    return ok("referral", "add", *args, *extra).stdout.strip()


def test_a_withdrawn_case_leaves_the_agenda_and_its_details_stay_out_of_the_pack(accepted, tmp_path):
    staying = other_family()
    ok("referral", "triage", staying, "--outcome", "accept", "--date", "2026-11-03")
    meeting = on_agenda(accepted)
    ok("referral", "withdraw", accepted, "--reason", "Consent withdrawn by parent", "--date", "2026-11-23")
    shown = ok("agenda", "show", meeting, "--json").json
    assert [s["reference"] for s in shown["slots"]] == [staying]
    case = ok("referral", "show", accepted, "--json").json
    assert case["agenda"][0]["outcome"] == "cancelled"
    assert case["history"][-1]["changes"]["agenda_cancelled"] == [meeting]
    written = ok("agenda", "pack", meeting, "--out", tmp_path / "pack", "--as-of", "2026-11-23").stdout
    packs = [line for line in written.split() if "background-pack" in line]
    assert packs, written
    text = docx_words(packs[0])
    assert "Siân Sample" in text and "Zoë Example" not in text
    assert "Zoë Example" not in docx_words([line for line in written.split() if "agenda" in line][0])


# --- A case moved or deferred ------------------------------------------------------------------------


def test_a_case_moved_off_a_meeting_and_deferred_elsewhere_goes_on_that_meeting_when_it_is_built(accepted):
    schedule_december()
    ok("agenda", "build", "1")
    ok("agenda", "move", accepted, "--to", "2")
    ok("agenda", "move", accepted, "--to", "1")
    ok("decision", "defer", accepted, "--meeting", "1")
    shown = ok("agenda", "build", "2").stdout
    assert "1 case(s) added" in shown and accepted in shown
    slots = ok("agenda", "show", "2", "--json").json["slots"]
    assert [s["reference"] for s in slots if s["outcome"] == "pending"] == [accepted]


def test_a_case_deferred_at_a_meeting_is_not_put_back_on_that_same_meeting(accepted):
    schedule_december()
    ok("agenda", "build", "1")
    ok("decision", "defer", accepted, "--meeting", "1")
    assert "0 case(s) added" in ok("agenda", "build", "1").stdout
    assert accepted in ok("agenda", "build", "2").stdout

