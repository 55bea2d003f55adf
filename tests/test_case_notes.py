"""masg note add: calls, e-mails and meetings kept with a case, in its history, never on an agenda."""

from __future__ import annotations

from conftest import add_referral, ok, run, store_rows


def test_a_note_joins_the_case_history_in_date_order(store):
    ref = add_referral()
    ok("note", "add", ref, "--text", "Spoke to the school: attendance up", "--kind", "phone",
       "--with", "Head of Year 5", "--date", "2026-11-20")
    ok("note", "add", ref, "--text", "Mum e-mailed about the appointment", "--kind", "email", "--date", "2026-11-04")
    shown = ok("referral", "show", ref, "--json").json
    assert [(n["date"], n["kind"], n["with"]) for n in shown["notes"]] == [
        ("2026-11-04", "email", None), ("2026-11-20", "phone", "Head of Year 5")]
    events = [e["event"] for e in shown["timeline"]]
    assert events.index("note (email): Mum e-mailed about the appointment") < \
        events.index("note (phone with Head of Year 5): Spoke to the school: attendance up")
    assert [e["date"] for e in shown["timeline"]] == sorted(e["date"] for e in shown["timeline"])


def test_a_note_shows_on_the_case_card(store):
    ref = add_referral()
    ok("note", "add", ref, "--text", "Met O'Brien & Sons <Ltd> about Zoë", "--kind", "meeting", "--date", "2026-11-06")
    card = ok("referral", "show", ref).stdout
    assert "note (meeting): Met O'Brien & Sons <Ltd> about Zoë" in card


def test_a_note_without_a_kind_is_other_and_dated_today(store):
    ref = add_referral()
    out = ok("note", "add", ref, "--text", "Left a message", "--date", "2026-11-09").stdout
    assert "note 1 (other)" in out
    assert ok("referral", "show", ref, "--json").json["notes"][0]["kind"] == "other"


def test_the_audit_entry_names_the_note_but_not_what_it_says(store):
    ref = add_referral()
    ok("note", "add", ref, "--text", "Private words about Zoë", "--with", "Aunt Example", "--date", "2026-11-09")
    [entry] = [e for e in ok("audit", ref, "--json").json if e["action"] == "note add"]
    assert entry["changes"] == {"note": 1, "kind": "other", "date": "2026-11-09"}
    assert "Private" not in str(entry) and "Aunt" not in str(entry)


def test_a_bad_note_is_refused_in_one_line_and_nothing_is_stored(store):
    ref = add_referral()
    before = store_rows()
    for args, code, words in [
        (["note", "add", "MASG-2026-0099", "--text", "x"], 1, "there is no referral MASG-2026-0099"),
        (["note", "add", ref, "--text", "   "], 2, "--text is empty"),
        (["note", "add", ref, "--text", "x", "--kind", "letter"], 2, "--kind"),
        (["note", "add", ref, "--text", "x", "--date", "31/02/2026"], 2, "not a real date"),
    ]:
        result = run(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, result.stderr
    assert store_rows() == before


def test_notes_are_never_on_the_agenda(store):
    from builders import slot_at

    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "accept", "--date", "2026-11-03")
    meeting = slot_at(ref, "2026-11-24")
    ok("note", "add", ref, "--text", "Secret-note-text", "--date", "2026-11-10")
    assert "Secret-note-text" not in ok("agenda", "show", meeting, "--json").stdout
    assert "Secret-note-text" not in ok("agenda", "show", meeting).stdout


def test_notes_are_exported_with_their_case(store, tmp_path):
    import json

    ref = add_referral()
    ok("note", "add", ref, "--text", "=cmd|' /C calc'!A0", "--kind", "phone", "--date", "2026-11-10")
    ok("export", "--format", "json", "--out", tmp_path / "all.json")
    [case] = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert case["notes"] == [{"date": "2026-11-10", "kind": "phone", "with": None,
                              "text": "=cmd|' /C calc'!A0"}]
    ok("export", "--format", "csv", "--out", tmp_path / "all.csv")
    assert "2026-11-10 phone: =cmd" in (tmp_path / "all.csv").read_text(encoding="utf-8-sig")
