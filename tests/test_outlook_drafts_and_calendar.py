"""E-mail drafts and the calendar file are written as Outlook documents reading them.

Checked against Microsoft's published behaviour, not a running Outlook (none here): X-Unsent
(MIMEToMAPI, Outlook 2003 and later), CRLF lines (RFC 5322, RFC 5545), folding at 75 octets,
and a VTIMEZONE Outlook can read (MS-STANOICAL 2.2.47: only TZID, DTSTART, RRULE, TZOFFSETFROM
and TZOFFSETTO are used).
"""

from __future__ import annotations

import email
import re
from datetime import datetime, timedelta
from email.policy import default
from zoneinfo import ZoneInfo

from conftest import ok

from masg_cli.documents.email import write_eml


def _draft(tmp_path):
    attachment = tmp_path / "decision-sheet-MASG-2026-0001.docx"
    attachment.write_bytes(b"PK\x03\x04 fictional")
    return write_eml(tmp_path / "out", "decision-sheet-MASG-2026-0001.eml",
                     to=[("O'Brien, Siân", "sian.obrien@example.org")],
                     subject="MASG decision sheet MASG-2026-0001",
                     body="Dear Siân,\n\nPlease find the decision sheet attached – Zoë's too.\n",
                     attachments=[attachment]).read_bytes()


def test_a_draft_has_crlf_line_endings_and_no_bare_newline(tmp_path):
    raw = _draft(tmp_path)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_a_draft_is_unsent_addressed_and_leaves_from_to_outlook(tmp_path):
    message = email.message_from_bytes(_draft(tmp_path), policy=default)
    assert message["X-Unsent"] == "1" and message["From"] is None
    assert message["To"].addresses[0].display_name == "O'Brien, Siân"
    assert message["To"].addresses[0].addr_spec == "sian.obrien@example.org"
    assert "MASG-2026-0001" in message["Subject"] and message["Date"]


def test_a_draft_is_seven_bit_and_its_text_and_attachment_come_back_whole(tmp_path):
    raw = _draft(tmp_path)
    assert all(byte < 128 for byte in raw)
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998  # RFC 5322's limit (a MIME type is 85)
    message = email.message_from_bytes(raw, policy=default)
    assert "Siân" in message.get_body().get_content() and "Zoë" in message.get_body().get_content()
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "decision-sheet-MASG-2026-0001.docx"
    assert 'filename="decision-sheet-MASG-2026-0001.docx"' in attachment["Content-Disposition"]
    assert attachment.get_content() == b"PK\x03\x04 fictional"


def _calendar_bytes(store, tmp_path) -> bytes:
    ok("locality", "add", "Ynys Môn", "--weekday", "wed", "--start", "09:30", "--end", "12:30",
       "--venue", "Canolfan Siân, Llangefni; Room 2 — the long way round past the café and library")
    for locality in ("North", "Ynys Môn"):
        ok("meeting", "schedule", "--locality", locality, "--from", "2027-03-15", "--until", "2027-11-10")
    ok("meeting", "ics", "--out", str(tmp_path / "panels.ics"))
    return (tmp_path / "panels.ics").read_bytes()


def test_the_calendar_has_crlf_lines_folded_at_75_octets_without_splitting_a_character(store, tmp_path):
    raw = _calendar_bytes(store, tmp_path)
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold never cuts a UTF-8 sequence in two


def test_the_calendar_has_one_outlook_readable_london_timezone_and_no_method(store, tmp_path):
    from icalendar import Calendar

    calendar = Calendar.from_ical(_calendar_bytes(store, tmp_path))
    assert "METHOD" not in calendar  # Outlook imports it as PUBLISH
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    parts = [(c.name, c["TZOFFSETTO"].to_ical()) for c in zone.subcomponents]
    assert sorted(parts) == [("DAYLIGHT", "+0100"), ("STANDARD", "+0000")]
    assert all("RRULE" in c and "RDATE" not in c for c in zone.subcomponents)
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event["UID"] and event["DTSTAMP"]


def test_the_calendar_keeps_a_meeting_after_the_clocks_change_at_its_local_time(store, tmp_path):
    text = _calendar_bytes(store, tmp_path).decode()
    assert re.search(r"DTSTART;TZID=Europe/London:20270330T093000", text)  # after BST began
    assert re.search(r"DTSTART;TZID=Europe/London:20271109T093000", text)  # after it ended


def test_the_london_rule_agrees_with_zoneinfo_every_day_to_2100():
    from masg_cli.services.meetings import london_timezone

    rule = london_timezone().to_tz()
    london = ZoneInfo("Europe/London")
    day = datetime(2000, 1, 1, 9, 30)
    while day.year < 2100:
        assert rule.utcoffset(day) == london.utcoffset(day), day
        day += timedelta(days=1)
    for moment in (datetime(2027, 3, 28, 0, 59), datetime(2027, 3, 28, 2, 0),
                   datetime(2027, 10, 31, 0, 30), datetime(2027, 10, 31, 2, 0)):
        assert rule.utcoffset(moment) == london.utcoffset(moment), moment
