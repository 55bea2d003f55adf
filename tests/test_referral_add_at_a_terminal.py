"""'masg referral add' typed at a real terminal: each answer checked as given, a summary, a yes.

Driven through a pseudo-terminal with pexpect, running the installed `masg` as a co-ordinator
would; the dates are typed, never today's.
"""

import os
import re
import sys
from pathlib import Path

import pytest

from conftest import ok

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.slow

MASG = str(Path(sys.executable).parent / "masg")
COLOURS = re.compile(r"\x1b\[[0-9;]*m")


class Terminal:
    """A masg process at a terminal; what it shows is read with the colour codes taken out."""

    def __init__(self, *args: str):
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"}
        self.child = pexpect.spawn(MASG, ["referral", "add", *args], env=env, encoding="utf-8",
                                   timeout=30, dimensions=(50, 200))
        self.seen = ""

    def expect(self, text: str) -> None:
        """Wait until `text` has been shown since the last answer."""
        while text not in COLOURS.sub("", self.seen):
            try:
                self.seen += self.child.read_nonblocking(4096, timeout=30)
            except pexpect.EOF:
                raise AssertionError(f"masg ended before showing {text!r}; it showed:\n{self.shown}")

    def answer(self, question: str, typed: str) -> None:
        self.expect(question)
        self.seen = ""
        self.child.sendline(typed)

    @property
    def shown(self) -> str:
        return COLOURS.sub("", self.seen)

    def finish(self) -> int:
        self.seen += self.child.read()
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else 128 + self.child.signalstatus


@pytest.fixture
def north_and_south(store):
    ok("locality", "add", "South")


def test_a_whole_referral_is_typed_in_checked_as_it_goes_and_saved_after_the_summary(north_and_south):
    t = Terminal()
    t.answer("Date consent was given", "01/11/2026")
    t.answer("Consent given by [parent/young-person/both]", "Parent")  # any letter case
    t.answer("Date the CAF was received", "31/10/2026")
    t.answer("cannot arrive before consent", "02/11/2026")  # asked again, nothing lost
    t.answer("Child's full name", "Zoë Example")
    t.answer("Date of birth", "31/02/2015")
    t.answer("not a real date", "03/02/2015")
    t.answer("Another child in this family? [y/n]:", "N")
    t.answer("Locality [North/South]", "Nroth")
    t.answer("Please select one of the available options", "south")
    t.answer("Referrer's name", "Alex Teacher")
    t.answer("Referrer's agency", "Northside Primary")
    t.answer("Referrer's e-mail", "alex.teacher@example.org")
    t.answer("Referrer's phone", "07700 900111")
    t.answer("The needs, in a sentence", "Attendance and anxiety")
    t.answer("Agencies involved or suggested", "School nursing, CAMHS")
    t.answer("Transition flags", "looked after")
    t.answer("'looked after' is not one of", "Looked-After")
    t.expect("Save this referral?")
    summary = " ".join(t.shown.split())
    for line in ("Consent: 1 November 2026, given by parent", "Received: 2 November 2026",
                 "Children: Zoë Example (born 3 February 2015)", "Locality: South",
                 "Agencies: School nursing, CAMHS", "Transitions: looked-after"):
        assert line in summary
    t.answer("Save this referral?", "y")
    assert t.finish() == 0
    assert "MASG-2026-0001" in t.shown
    shown = ok("referral", "show", "MASG-2026-0001", "--json").json
    assert shown["received"] == "2026-11-02" and shown["locality"] == "South"
    assert shown["consent"] == {"date": "2026-11-01", "by": "parent"}
    assert [{"name": c["name"], "dob": c["dob"]} for c in shown["children"]] == [{"name": "Zoë Example",
                                                                                   "dob": "2015-02-03"}]


def test_answering_no_at_the_summary_saves_nothing_and_says_so(store):
    t = Terminal(*_all_but_the_needs())
    t.answer("The needs, in a sentence", "Housing and debt")
    t.answer("Transition flags", "")
    t.answer("Save this referral?", "n")
    assert t.finish() == 1
    assert "not saved" in t.shown and "Traceback" not in t.shown
    assert ok("referral", "list", "--json").json == []


@pytest.mark.parametrize("question", ["Consent given by", "Child's full name", "Locality", "Save this referral?"])
def test_ctrl_c_at_any_question_saves_nothing_and_says_so(store, question):
    t = Terminal()
    answers = {"Date consent was given": "01/11/2026", "Consent given by": "parent",
               "Date the CAF was received": "02/11/2026", "Child's full name": "Zoë Example",
               "Date of birth": "03/02/2015", "Another child": "n", "Locality": "North",
               "Referrer's name": "Alex Teacher", "Referrer's agency": "Northside Primary",
               "Referrer's e-mail": "", "Referrer's phone": "", "The needs": "Housing",
               "Agencies involved": "", "Transition flags": ""}
    for asked, typed in answers.items():
        if asked == question:
            break
        t.answer(asked, typed)
    t.expect(question)
    t.child.sendintr()
    assert t.finish() == 130
    assert "interrupted; nothing was saved" in t.shown and "Traceback" not in t.shown
    assert ok("referral", "list", "--json").json == []


def _all_but_the_needs() -> list[str]:
    return ["--child", "Jack Example", "--dob", "2018-06-12", "--locality", "north", "--referrer", "Sam Nurse",
            "--referrer-agency", "Health visiting", "--referrer-email", "sam@example.org",
            "--referrer-phone", "07700 900222", "--consent-date", "2026-11-01", "--consent-by", "parent",
            "--agency", "Health visiting", "--received", "2026-11-02"]


def test_without_a_store_it_says_so_before_anything_is_typed(tmp_path, monkeypatch):
    monkeypatch.setenv("MASG_DB", str(tmp_path / "none.db"))
    t = Terminal()
    assert t.finish() == 1
    assert "run 'masg init' first" in t.shown and "consent" not in t.shown


def test_a_store_without_localities_says_so_before_anything_is_typed():
    ok("init")
    t = Terminal()
    assert t.finish() == 1
    assert "no localities yet; add one with 'masg locality add NAME'" in t.shown and "consent" not in t.shown


def test_an_unknown_locality_given_as_an_option_is_asked_again_from_the_choices(north_and_south):
    t = Terminal(*[a if a != "north" else "Westside" for a in _all_but_the_needs()])
    t.expect("There is no locality 'Westside'; choose one of these.")
    t.answer("Locality [North/South]", "North")
    t.answer("The needs, in a sentence", "Housing and debt")
    t.answer("Transition flags", "")
    t.answer("Save this referral?", "y")
    assert t.finish() == 0
    assert ok("referral", "show", "MASG-2026-0001", "--json").json["locality"] == "North"
