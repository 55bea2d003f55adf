"""A co-ordinator's template is code: it reads no other file, stops in time, stays a sane size,
and 'masg templates check' passes only what documents then render."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import add_referral, ok, run, store_rows
from document_text import docx_text

from masg_cli.documents import render, sandbox, templates
from masg_cli.errors import Refused

SECONDS = 1.0  # the tests' bound on a render (masg's own is sandbox.RENDER_SECONDS)
CHARS = 1_000_000  # and on its size
SLACK = 4.0  # what a command adds around the render (start-up, the store, python-docx)
# The bound for an escape another guard must stop (a size, an unsafe call, a recursion): on a
# loaded machine the 1 s limit could otherwise stop it first, and the line would name the time.
GUARDED = 20.0


def limit_for(monkeypatch, says: str) -> float:
    """The render bound for an escape: 1 s where the time limit is what stops it, else GUARDED."""
    seconds = SECONDS if "longer than" in says else GUARDED
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", seconds)
    return seconds


def make_template(path: Path, *lines: str) -> Path:
    """A Word template of one paragraph per line (as a co-ordinator would type them)."""
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@pytest.fixture(autouse=True)
def tight_limits(monkeypatch):
    """Small bounds, so that a runaway template is stopped quickly here."""
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", SECONDS)
    monkeypatch.setattr(sandbox, "MAX_CHARS", CHARS)


# (what the template tries, its text, a word the one-line refusal must hold)
ESCAPES = [
    ("include", "{% include 'letterhead.docx' %}", "{% include %}"),
    ("import", "{% import 'macros.txt' as m %}", "{% import %}"),
    ("from-import", "{% from 'macros.txt' import sign %}", "{% from ... import %}"),
    ("extends", "{% extends 'base.docx' %}", "{% extends %}"),
    ("range", "{{ range(100000000)|list }}", "range(100000000)"),
    ("string-multiply", "{{ 'a' * 300000000 }}", "characters"),
    ("list-multiply", "{{ ['a'] * 300000000 }}", "characters"),
    ("power", "{{ 10 ** (10 ** 10) }}", "too large"),
    ("nested-loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "longer than 1 s"),
    ("output", "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}", "characters"),
    ("namespace-doubling", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                           "{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "characters"),
    ("plus-doubling", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                      "{% set ns.s = ns.s + ns.s %}{% endfor %}", "characters"),
    ("number-squaring", "{% set ns = namespace(n=3) %}{% for i in range(64) %}"
                        "{% set ns.n = ns.n * ns.n %}{% endfor %}", "too large"),
    ("shared-lists", "{% set a = ['x' * 100000] * 5 %}{% set b = [a, a, a, a, a] %}"
                     "{% set c = [b, b, b, b, b] %}{{ c }}", "characters"),
    ("join", "{% set a = ['x' * 400000] * 2 %}{{ [a, a, a]|join }}", "characters"),
    ("replace", "{{ ('a' * 100000)|replace('a', 'aaaaaaaaaaaaaaaaaaaa') }}", "characters"),
    ("percent-width", "{{ '%300000000s' % 'a' }}", "format width"),
    ("format-width", "{{ '{:>300000000}'.format('a') }}", "format width"),
    ("nested-format-width", "{{ '{:>{w}}'.format('a', w=300000000) }}", "format width"),
    ("center", "{{ 'a'|center(300000000) }}", "|center"),
    ("ljust-method", "{{ 'a'.ljust(300000000) }}", ".ljust"),
    ("expandtabs-method", r"{{ ('x\t' * 1000).expandtabs(1000000) }}", ".expandtabs"),
    ("replace-method", "{{ ('a' * 100000).replace('a', 'aaaaaaaaaaaaaaaaaaaa') }}", ".replace"),
    ("join-method", "{{ ('x' * 100000).join(['a'] * 1000) }}", ".join"),
    ("wordwrap", "{{ ('a' * 1000)|wordwrap(1, wrapstring='x' * 100000) }}", "|wordwrap"),
    ("map-center", "{{ ['a']|map('center', 300000000)|list }}", "|center"),
    ("batch-fill", "{{ [1]|batch(300000000, 'x')|list }}", "|batch"),
    ("list-extend", "{% set a = ['x'] %}{% for i in range(64) %}{% set _ = a.extend(a) %}{% endfor %}",
     "unsafe"),
    ("dict-update", "{% set d = {} %}{% for i in range(100000) %}"
                    "{% set _ = d.update({i: 'x' * 100000}) %}{% endfor %}", "unsafe"),
    ("lipsum", "{{ lipsum(1000000) }}", "lipsum"),
    ("macro-recursion", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ("block-recursion", "{% block a %}{{ self.a() }}{% endblock %}", "RecursionError"),
    ("loop-recursion", "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "RecursionError"),
    ("subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("globals", "{{ cycler.__init__.__globals__ }}", "unsafe"),
    ("namespace-globals", "{{ namespace.__init__.__globals__['os'] }}", "unsafe"),
    ("joiner-internals", "{{ joiner().__call__.__func__.__globals__ }}", "unsafe"),
    ("sandbox-hooks", "{{ range.__self__.deadline }}", "unsafe"),
    ("self-context", "{{ self._TemplateReference__context }}", "unsafe"),
    ("attr-filter", "{{ ''|attr('__class__') }}", "unsafe"),
    ("item-access", "{{ ''['__class__']['__mro__'] }}", "unsafe"),
    ("format-attribute", "{{ '{0.__class__.__mro__}'.format('') }}", "unsafe"),
    ("division", "{{ 1 / 0 }}", "ZeroDivisionError"),
]


def _one_line_naming(message: str, name: str, says: str) -> None:
    assert "\n" not in message.strip() and name in message and says in message, message
    assert "Traceback" not in message


@pytest.mark.parametrize("text, says", [e[1:] for e in ESCAPES], ids=[e[0] for e in ESCAPES])
def test_an_escaping_e_mail_template_is_refused_in_time_in_one_line(tmp_path, monkeypatch, text, says):
    (tmp_path / "pack-email.txt").write_text(text)
    seconds = limit_for(monkeypatch, says)
    started = time.monotonic()
    with pytest.raises(Refused) as refused:
        render.render_text(tmp_path / "pack-email.txt", {})
    assert time.monotonic() - started < seconds + 1
    _one_line_naming(refused.value.message, "pack-email.txt", says)


@pytest.fixture
def meeting_with_case(store):
    """Meeting 1 with one case waiting on its agenda."""
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    ok("agenda", "build", "1")
    return ref


@pytest.mark.parametrize("text, says", [e[1:] for e in ESCAPES], ids=[e[0] for e in ESCAPES])
def test_an_escaping_word_template_stops_the_pack_in_time_leaving_nothing(
        meeting_with_case, tmp_path, monkeypatch, text, says):
    make_template(tmp_path / "mine" / "agenda.docx", "Agenda for {{ locality }}", text)
    seconds = limit_for(monkeypatch, says)
    before = store_rows()
    started = time.monotonic()
    result = run("--templates", tmp_path / "mine", "agenda", "pack", "1", "--out", tmp_path / "out")
    assert time.monotonic() - started < seconds + SLACK
    assert result.exit_code == 1
    _one_line_naming(result.stderr, "agenda.docx", says)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert store_rows() == before


@pytest.fixture
def decided(store):
    """A case decided at the meeting of 1 December 2026, its sheet not yet made."""
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-12-01", "--until", "2026-12-02")
    ok("agenda", "build", "1")
    ok("decision", "record", ref, "--meeting", "1", "--service", "CAMHS: Weekly sessions",
       "--lead-name", "Lee Lead", "--lead-agency", "School nursing", "--review-date", "2027-02-23")
    return ref


@pytest.mark.parametrize("name, text, says", [
    ("decision-sheet.docx", "{% for c in children %}{% for i in range(100000) %}{% for j in range(100000) %}"
                            "{% endfor %}{% endfor %}{% endfor %}", "longer than 1 s"),
    ("decision-email.txt", "{% include 'signature.txt' %}", "{% include %}"),
    ("decision-email.txt", "{{ referrer * 300000000 }}", "characters"),
])
def test_a_runaway_decision_template_leaves_no_sheet_and_the_store_as_it_was(
        decided, tmp_path, monkeypatch, name, text, says):
    seconds = limit_for(monkeypatch, says)
    folder = tmp_path / "mine"
    if name.endswith(".docx"):
        make_template(folder / name, text)
    else:
        folder.mkdir()
        (folder / name).write_text(text)
    before = store_rows()
    started = time.monotonic()
    result = run("--templates", folder, "decision", "sheet", decided, "--out", tmp_path / "out", "--eml")
    assert time.monotonic() - started < seconds + SLACK
    assert result.exit_code == 1
    _one_line_naming(result.stderr, name, says)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert store_rows() == before


def test_the_limits_leave_ordinary_template_code_alone(tmp_path):
    (tmp_path / "t.txt").write_text(
        "{% set ns = namespace(n=0) %}{% for c in children %}{{ loop.index }}. {{ c.name ~ '!' }} "
        "{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }} {{ '-' * 5 }} {{ 2 ** 10 }} "
        "{{ '%-6s|' % 'Ada' }}{{ '{:>5}'.format('x') }} {{ range(3)|join(',') }} "
        "{{ 'ab'|center(6) }}| {% set row = cycler('odd', 'even') %}{{ row.next() }}{{ row.next() }}")
    text = render.render_text(tmp_path / "t.txt", {"children": [{"name": "Ada"}, {"name": "Ben"}]})
    assert text == "1. Ada! 2. Ben! 2 ----- 1024 Ada   |    x 0,1,2   ab  | oddeven"


def test_a_word_template_under_the_limits_still_renders(tmp_path):
    template = make_template(tmp_path / "t.docx", "{% for i in range(3) %}{{ i ~ 'x' * 2 }} {% endfor %}",
                             "{{ name ~ ', ' ~ name|upper }}")
    out = render.render_docx(template, {"name": "O'Brien & Sons <Ltd>"}, tmp_path / "out", "x.docx")
    assert "0xx 1xx 2xx" in docx_text(out)
    assert "O'Brien & Sons <Ltd>, O'BRIEN & SONS <LTD>" in docx_text(out)


# --- templates check: what it passes, documents render ----------------------------------------

def test_templates_check_refuses_a_template_that_reads_another_file(tmp_path):
    make_template(tmp_path / "agenda.docx", "{% include 'letterhead.docx' %}")
    result = run("templates", "check", tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith("agenda.docx:") and "{% include %}" in result.stdout


def test_templates_check_reports_what_would_fail_when_filled_in(tmp_path):
    make_template(tmp_path / "decision-sheet.docx", "Third child: {{ children[2].name }}")
    (tmp_path / "decision-email.txt").write_text("Dear {{ referrer }},\n{{ 100 / (children|length - 2) }}")
    result = run("templates", "check", tmp_path)
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 2
    assert lines[0].startswith("decision-email.txt:") and "ZeroDivisionError" in lines[0]
    assert "line 2" in lines[0]
    assert lines[1].startswith("decision-sheet.docx:") and "no element 2" in lines[1]


def test_templates_check_reports_a_template_too_deep_to_parse(tmp_path):
    (tmp_path / "decision-email.txt").write_text("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}")
    result = run("templates", "check", tmp_path)
    assert result.exit_code == 1 and result.stdout.startswith("decision-email.txt:")
    assert "RecursionError" in result.stdout and "unexpected" not in result.stderr


def test_templates_check_says_a_file_is_not_a_word_document(tmp_path):
    (tmp_path / "agenda.docx").write_text("not a zip")
    result = run("templates", "check", tmp_path)
    assert result.exit_code == 1 and result.stdout.startswith("agenda.docx: is not a Word document")


def test_templates_check_stops_a_runaway_template_within_the_bound(tmp_path):
    make_template(tmp_path / "followup-letter.docx",
                  "{% for r in reviews %}{% for i in range(100000) %}{% for j in range(100000) %}"
                  "{% endfor %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    result = run("templates", "check", tmp_path)
    assert time.monotonic() - started < SECONDS + SLACK
    assert result.exit_code == 1 and "followup-letter.docx: took longer than 1 s" in result.stdout


def test_templates_check_knows_every_value_the_documents_fill(tmp_path):
    make_template(tmp_path / "decision-sheet.docx", "{{ meeting_venue }} {{ referrer_email }}")
    make_template(tmp_path / "followup-letter.docx", "Due {{ follow_up_due }}")
    assert "fine" in ok("templates", "check", tmp_path).stdout


def test_templates_check_samples_every_shipped_template():
    from masg_cli.documents.samples import sample_contexts

    assert set(sample_contexts()) == set(templates.SHIPPED)


def test_what_templates_check_passes_renders_for_a_real_case(meeting_with_case, tmp_path):
    folder = tmp_path / "mine"
    ok("templates", "copy", folder)
    make_template(folder / "agenda.docx", "{% for s in slots %}{{ s.reference }} {{ s.initials }}"
                  "{% endfor %} at {{ venue }}")
    assert "fine" in ok("templates", "check", folder).stdout
    ok("--templates", folder, "agenda", "pack", "1", "--out", tmp_path / "out")
    assert "ZE" in docx_text(next((tmp_path / "out").glob("agenda-*.docx")))


def test_the_bounds_are_masgs_own_constants():
    assert isinstance(sandbox.RENDER_SECONDS, float) and isinstance(sandbox.MAX_CHARS, int)
    assert Path(sandbox.__file__).name == "sandbox.py"
