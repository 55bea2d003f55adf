"""The meeting record kept like the rest of the store: exported, copied by 'store copy', and a
case's actions removed with it by retention (the meeting's attendance and minutes stay)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from builders import MEETING_DAY, case_at, stored_case, write
from conftest import ok, sql


@pytest.fixture
def recorded(store, tmp_path):
    """A case decided on 24 November 2026 with an action; the meeting's attendance; its minutes."""
    ok("locality", "member", "add", "North", "--name", "Sam Panel", "--agency", "Health visiting",
       "--email", "sam@example.org")
    reference = case_at("decided")
    [meeting] = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == MEETING_DAY]
    ok("meeting", "attendance", meeting, "--member", "Sam Panel", "--present", "--chair")
    ok("action", "add", reference, "--meeting", meeting, "--owner", "Jo Owner", "--agency", "CAMHS",
       "--what", "Book a first session", "--due", "2026-12-08")
    ok("meeting", "minutes", meeting, "--out", tmp_path / "out", "--as-of", "2026-11-25")
    return reference, meeting


def test_the_json_export_carries_each_cases_actions(recorded, tmp_path):
    reference, meeting = recorded
    ok("export", "--format", "json", "--out", tmp_path / "all.json")
    [case] = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert case["actions"] == [{"meeting": meeting, "owner": "Jo Owner", "agency": "CAMHS",
                                "what": "Book a first session", "due": "2026-12-08", "status": "open",
                                "closed_on": None, "reason": None, "note": None}]


def test_the_workbook_has_an_actions_sheet_and_an_attendance_sheet(recorded, tmp_path):
    from openpyxl import load_workbook

    reference, meeting = recorded
    ok("export", "--format", "xlsx", "--out", tmp_path / "all.xlsx")
    book = load_workbook(tmp_path / "all.xlsx")
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert actions[0][:3] == ("reference", "meeting", "owner") and actions[1][:3] == (reference, meeting, "Jo Owner")
    attendance = list(book["Attendance"].iter_rows(values_only=True))
    assert attendance[1][0] == meeting and attendance[1][3:] == ("Sam Panel", "Health visiting", "present", None,
                                                                 True)


@pytest.mark.sqlite_only
def test_store_copy_brings_attendance_actions_and_the_quorum(recorded, tmp_path):
    reference, meeting = recorded
    ok("locality", "set", "North", "--quorum", "1", "--quorum-agency", "Health visiting")
    target = str(tmp_path / "copy" / "copy.db")
    ok("store", "copy", "--to", target)
    for command in (["action", "list", "--as-of", "2026-12-10", "--json"],
                    ["meeting", "attendance", meeting, "--json"], ["locality", "list", "--json"]):
        assert ok("--db", target, *command).json == ok(*command).json


def test_retention_removes_a_cases_actions_but_keeps_the_meetings_attendance_and_minutes(recorded):
    def build(uow):
        from sqlmodel import select

        from masg_cli.models import AgendaSlot, PanelAction

        old = stored_case(uow, "MASG-2020-0001", status="closed", closed_reason="completed",
                          received=date(2020, 1, 6), closed_on=date(2020, 9, 1),
                          children=(("Zoë Vanishing", date(1999, 5, 1)),), meeting_date=date(2020, 1, 21))
        meeting_id = uow.session.exec(select(AgendaSlot.meeting_id).where(AgendaSlot.referral_id == old)).one()
        uow.session.add(PanelAction(referral_id=old, meeting_id=meeting_id, owner="Jo Owner", agency="CAMHS",
                                    what="Old action", due=date(2020, 2, 1), status="done",
                                    created_at=datetime(2020, 1, 21, tzinfo=timezone.utc)))

    write(build)
    ok("retention", "--as-of", "2026-11-23", "--apply")
    assert sql("SELECT what FROM panel_action") == [("Book a first session",)]
    assert sql("SELECT COUNT(*) FROM attendance")[0][0] == 1
    assert sql("SELECT COUNT(*) FROM document WHERE kind = 'minutes'")[0][0] == 1
    assert "FAIL" not in ok("doctor").stdout
