"""Every refusal is one line on stderr, 'masg: ' first, with exit status 1 or 2, and changes nothing.

Found by hand: a value typed with a line break was echoed raw, so its refusal ran to two lines;
Click's list of choices for a missing option ran to five; a meeting id too big for the database,
a date in the year 9999, bytes that are not UTF-8 and a folder name longer than the file system
takes each ended in 'unexpected ...Error'.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import digest
from conftest import REFERRAL, add_referral, ok, run

HUGE = "99999999999999999999"


def referral_with(option: str, value: str) -> list[str]:
    args = ["referral", "add", *REFERRAL]
    args[args.index(option) + 1] = value
    return args


def bad_command_lines(tmp: str) -> list[tuple[str, list[str]]]:
    """(what is wrong, the command line): at least one of each way a command line goes wrong."""
    ref = "MASG-2026-0001"
    return [
        ("missing option with choices", ["referral", "triage", ref]),
        ("missing enum option of export", ["export", "--out", f"{tmp}/x.csv"]),
        ("missing option", ["referral", "withdraw", ref]),
        ("missing options", ["meeting", "schedule", "--locality", "North"]),
        ("missing argument", ["referral", "show"]),
        ("option without its value", ["referral", "add", "--consent-by"]),
        ("bad choice", ["referral", "triage", ref, "--outcome", "maybe"]),
        ("bad choice with a line break", ["referral", "list", "--status", "open\nclosed"]),
        ("unknown command", ["frobnicate"]),
        ("unknown option", ["referral", "list", "--bogus"]),
        ("not a number", ["agenda", "show", "first"]),
        ("CR LF in a reference", ["referral", "show", "MASG\r\n2026"]),
        ("LF in a reference to triage", ["referral", "triage", "MASG-2026\n-0001", "--outcome", "accept",
                                         "--date", "2026-11-03"]),
        ("LF in a locality looked up", ["meeting", "list", "--locality", "No\nwhere"]),
        ("LF in a referrer's name", referral_with("--referrer", "Alex\nTeacher")),
        ("CR LF in a child's name", referral_with("--child", "Zoë\r\nExample")),
        ("terminal escape in an agency", referral_with("--referrer-agency", "\x1b[31mNorthside")),
        ("LF in a locality's name", ["locality", "add", "South\nEast"]),
        ("huge meeting id to show", ["agenda", "show", HUGE]),
        ("huge meeting id to cancel", ["meeting", "cancel", HUGE]),
        ("huge meeting id to build", ["agenda", "build", HUGE]),
        ("negative meeting id", ["agenda", "show", "-1"]),
        ("bad UTF-8 reference", ["referral", "show", "\udcff"]),
        ("bad UTF-8 locality", ["meeting", "list", "--locality", "Nor\udce9th"]),
        ("year 9999 until", ["meeting", "schedule", "--locality", "North", "--from", "2026-12-01",
                             "--until", "31/12/9999"]),
        ("year 9999 received", referral_with("--received", "9999-12-31")),
        ("full-width digits", referral_with("--received", "２０２６-11-02")),
        ("Arabic-Indic digits", referral_with("--consent-date", "٢٠٢٦-١١-٠١")),
        ("impossible date", referral_with("--received", "31/02/2026")),
        ("US order date", referral_with("--dob", "12/31/2015")),
        ("year 1 birth date", referral_with("--dob", "0001-01-01")),
        ("malformed e-mail", referral_with("--referrer-email", "x@@x")),
        ("unknown referral", ["referral", "show", "MASG-2026-9999"]),
        ("a move the process does not allow", ["referral", "info-received", ref]),
        ("folder name too long", ["templates", "copy", f"{tmp}/{'a' * 300}"]),
        ("folder under a file", ["templates", "copy", f"{tmp}/a-file/templates"]),
    ]


@pytest.fixture
def busy_store(store, tmp_path):
    """A store with a referral and a meeting: something a refusal could have changed."""
    add_referral()
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-31")
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path


def what_the_store_holds() -> tuple[str, str, str]:
    return ok("referral", "list", "--json").stdout, ok("audit", "--json").stdout, digest()


def test_there_are_more_than_twenty_kinds_of_bad_command_line(tmp_path):
    assert len(bad_command_lines(str(tmp_path))) >= 20


def test_every_bad_command_line_is_refused_in_one_line_and_changes_nothing(busy_store):
    before = what_the_store_holds()
    wrong = []
    for why, args in bad_command_lines(str(busy_store)):
        result = run(*args)
        lines = result.stderr.splitlines()
        if (result.exit_code not in (1, 2) or len(lines) != 1 or not lines[0].startswith("masg: ")
                or "Traceback" in result.stdout + result.stderr or "unexpected" in result.stderr
                or result.stderr.count("\r") or result.stdout):
            wrong.append((why, result.exit_code, result.stdout, result.stderr))
    assert not wrong, wrong
    assert what_the_store_holds() == before


def test_a_missing_options_choices_are_listed_on_the_same_line(busy_store):
    from masg_cli import rules

    result = run("referral", "triage", "MASG-2026-0001")
    assert result.exit_code == 2
    assert result.stderr == (f"masg: missing option '--outcome' (choose from {', '.join(rules.TRIAGE_OUTCOMES)}); "
                             "see 'masg referral triage --help'\n")


def test_a_value_typed_with_a_line_break_is_shown_with_the_break_written_out(busy_store):
    result = run("referral", "show", "MASG\r\n2026")
    assert result.exit_code == 1
    assert result.stderr == "masg: there is no referral MASG\\r\\n2026; see 'masg referral list'\n"


def test_bytes_that_are_not_utf8_are_refused_by_argument_number(busy_store):
    result = run("referral", "show", "\udcff")
    assert result.exit_code == 2
    assert result.stderr == ("masg: argument 3 holds bytes that are not UTF-8 text; type it again, "
                             "or set the terminal to UTF-8\n")


def test_a_folder_name_longer_than_the_file_system_takes_is_a_usage_problem(busy_store):
    result = run("templates", "copy", str(busy_store / ("a" * 300)))
    assert result.exit_code == 2
    assert result.stderr == ("masg: a file or folder name is too long (at most 255 characters between "
                             "slashes); choose a shorter one\n")


def test_a_huge_meeting_id_is_no_meeting(busy_store):
    result = run("meeting", "cancel", HUGE)
    assert result.exit_code == 1
    assert result.stderr == f"masg: there is no meeting {HUGE}; see 'masg meeting list'\n"


@pytest.mark.parametrize("written, shown", [
    ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("a\tb", "a\\tb"), ("a\x00b", "a\\x00b"),
    ("a\x1b[31mb", "a\\x1b[31mb"), ("a\x85b", "a\\x85b"), ("a\u2028b", "a\\u2028b"),
    ("Siân O'Brien & Sons <Ltd>", "Siân O'Brien & Sons <Ltd>"),
])
def test_a_message_is_shown_with_its_control_characters_written_out(written, shown):
    from masg_cli.fields import shown_on_one_line

    assert shown_on_one_line(written) == shown


@pytest.mark.parametrize("args, where", [
    (["referral", "add", "--consent-by"], "masg referral add"),
    (["--user", "pat", "review", "record", "MASG-2026-0001", "--further-reviews"], "masg review record"),
])
def test_an_option_given_without_its_value_points_to_that_commands_help(busy_store, args, where):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"requires an argument; see '{where} --help'\n")


@given(st.text())
def test_no_text_shown_in_a_refusal_can_break_its_line(text):
    from masg_cli.fields import one_line_problem, shown_on_one_line

    assert len(shown_on_one_line(f"masg: {text}").splitlines()) == 1
    # What a one-line field accepts is already one line as every str method reads it.
    if one_line_problem("--x", text) is None:
        assert len(text.strip().splitlines()) <= 1


def test_a_user_name_set_in_the_environment_with_bytes_that_are_not_utf8_is_refused(busy_store, monkeypatch):
    before = what_the_store_holds()
    monkeypatch.setenv("MASG_USER", "pat\udcff")
    result = run("referral", "triage", "MASG-2026-0001", "--outcome", "accept", "--date", "2026-11-03")
    assert result.exit_code == 2
    assert result.stderr.startswith("masg: something typed or set in the environment holds bytes that are not UTF-8")
    monkeypatch.setenv("MASG_USER", "test-coordinator")
    assert what_the_store_holds() == before


def test_a_terminal_that_cannot_show_an_accent_is_named_not_blamed_on_what_was_typed():
    from masg_cli.cli.app import _unicode_problem

    message, status = _unicode_problem(UnicodeEncodeError("ascii", "Zoë", 2, 3, "ordinal not in range"))
    assert status == 1 and message.startswith("this terminal cannot show some of the characters")
    assert message.isascii()
    message, status = _unicode_problem(UnicodeEncodeError("utf-8", "pat\udcff", 3, 4, "surrogates not allowed"))
    assert status == 2 and "not UTF-8 text" in message
