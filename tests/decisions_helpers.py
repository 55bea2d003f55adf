"""Putting a case before the panel and recording its decision, for the decision tests."""

from __future__ import annotations

import os
from contextlib import contextmanager

from conftest import ok, run

SERVICES = ["CAMHS: Weekly sessions for anxiety", "O'Brien & Sons <Ltd>: Help with morning routines"]
LEAD = ("Siân Sample", "School nursing", "07700 900123")


@contextmanager
def in_store(*, write: bool):
    """The test's own store, opened as a command would open it (tests/test_agenda.py uses it too)."""
    from masg_cli.store import locate, transaction

    with transaction(locate(os.environ["MASG_DB"]), user="test-coordinator", write=write) as uow:
        yield uow


def meeting_on(day: str) -> int:
    """The id of North's meeting on `day` (scheduling North's meetings to the end of 2026)."""
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-11-24", "--until", "2026-12-31")
    [meeting] = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == day]
    return meeting


def on_agenda(reference: str, day: str = "2026-11-24") -> int:
    """Build the agenda of the meeting on `day` (it takes every accepted case and every review
    due) and check that `reference` is on it; returns the meeting's id."""
    meeting = meeting_on(day)
    ok("agenda", "build", meeting)
    slots = ok("agenda", "show", meeting, "--json").json["slots"]
    assert reference in [s["reference"] for s in slots], slots
    return meeting


def decide(reference: str, meeting: int, *, services=None, review: str = "2026-12-01", lead=LEAD,
           check: bool = True):
    """Record the panel's decision (the usual fictional one unless told otherwise)."""
    args = ["decision", "record", reference, "--meeting", str(meeting)]
    for service in SERVICES if services is None else services:
        args += ["--service", service]
    args += ["--lead-name", lead[0], "--lead-agency", lead[1], "--review-date", review]
    if lead[2]:
        args += ["--lead-contact", lead[2]]
    return ok(*args) if check else run(*args)
