"""person find and person export: one child across the store, and a subject access copy."""

import json
import stat

from builders import show
from conftest import REFERRAL, ok, run


def add(child: str, dob: str, *extra: str) -> str:
    args = list(REFERRAL)
    args[args.index("--child") + 1], args[args.index("--dob") + 1] = child, dob
    return ok("referral", "add", *args, *extra, "--not-duplicate").stdout.strip()


def test_find_lists_exact_spellings_and_sound_alikes(store):
    sian = add("Siân O'Brien", "2016-04-05")
    sean = add("Sean Obrian", "2016-04-05")
    add("Zoë Nowak", "2015-02-03")
    rows = ok("person", "find", "sian obrien", "--json").json
    assert [(r["reference"], r["match"]) for r in rows] == [(sian, "exact"), (sean, "similar")]
    assert set(rows[0]) == {"reference", "status", "child", "dob", "locality", "received", "match"}
    assert rows[0]["child"] == "Siân O'Brien" and rows[0]["dob"] == "2016-04-05"


def test_find_matches_each_word_given_and_narrows_by_birth_date(store):
    zoe = add("Zoë Nowak", "2015-02-03")
    add("Zoe Nowak", "2019-07-08")
    assert {r["reference"] for r in ok("person", "find", "nowak", "--json").json} >= {zoe}
    assert [r["reference"] for r in ok("person", "find", "Zoe", "--dob", "2015-03-02", "--json").json] == [zoe]
    assert ok("person", "find", "Ŵyn", "--json").json == []
    assert "No referral holds" in ok("person", "find", "Wyn").stdout


def test_export_writes_json_and_word_copies_0600_named_by_date_only_and_audited(store, tmp_path):
    from test_documents import docx_text

    first = add("Siân O'Brien", "2016-04-05")
    add("Sean Obrian", "2016-04-05")
    out = tmp_path / "sar"
    ok("person", "export", "--name", "SIAN OBRIEN", "--dob", "05/04/2016", "--out", out, "--as-of", "2026-12-01")
    written = sorted(p.name for p in out.iterdir())
    assert written == ["subject-access-2026-12-01.docx", "subject-access-2026-12-01.json"]
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    held = json.loads((out / "subject-access-2026-12-01.json").read_text(encoding="utf-8"))
    assert [r["reference"] for r in held["referrals"]] == [first]  # exact matches only
    assert held["referrals"][0]["history"][0]["action"] == "referral add"
    text = docx_text(out / "subject-access-2026-12-01.docx")
    assert first in text and "Siân O'Brien" in text and "Attendance and anxiety" in text
    [entry] = [e for e in show(first)["history"] if e["action"] == "person export"]
    assert sorted(entry["changes"]["files"]) == written
    assert "Siân" not in json.dumps(entry)


def test_export_of_a_child_not_held_is_refused_and_writes_nothing(store, tmp_path):
    add("Siân O'Brien", "2016-04-05")
    result = run("person", "export", "--name", "Sian OBrien", "--dob", "2016-04-06", "--out", tmp_path / "x")
    assert result.exit_code == 1 and "person find" in result.stderr
    assert not (tmp_path / "x").exists()


def test_the_readmes_person_examples_run_on_the_story_store(store, tmp_path, monkeypatch):
    import shlex

    from test_docs import readme_commands

    monkeypatch.chdir(tmp_path)
    add("Zoë Example", "2015-02-03")
    for command in [c for c in readme_commands() if c.startswith("masg person")]:
        ok(*shlex.split(command)[1:])
    assert len(list((tmp_path / "subject-access").iterdir())) == 2


def test_a_mistyped_name_that_sounds_the_same_is_found_as_similar(store):
    zoe = add("Zoë Example", "2015-02-03")
    assert [(r["reference"], r["match"]) for r in ok("person", "find", "Zoe Exammple", "--json").json] == [
        (zoe, "similar")]
