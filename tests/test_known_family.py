"""Is this family known? referral add compares each child with every child in the store."""

from datetime import date

import pytest

from builders import show
from conftest import REFERRAL, add_referral, ok, run, sql, store_rows
from masg_cli import names


def referral(*changes: str):
    """`masg referral add` with the usual details, `changes` overriding options (--child NAME ...)."""
    args = list(REFERRAL)
    for option, value in zip(changes[::2], changes[1::2]):
        args[args.index(option) + 1] = value
    return run("referral", "add", *args)


@pytest.mark.parametrize("a, b", [
    ("Siân O'Brien", "SIAN O BRIEN"), ("Siân O'Brien", "sian obrien"), ("Zoë Nowak", "Zoe Nowak"),
    ("Ŵyn Example", "Wyn Example"),
])
def test_names_fold_to_one_spelling(a, b):
    assert names.fold(a) == names.fold(b)


@pytest.mark.parametrize("a, b", [("Siân", "Sean"), ("Zoë", "Zoe"), ("Ŵyn", "Wyn"), ("O'Brien", "Obrian"),
                                  ("Nowak", "Nowack")])
def test_names_co_ordinators_meet_sound_alike(a, b):
    assert names.sounds(a) == names.sounds(b)


def test_different_names_do_not_sound_alike():
    assert names.sounds("Sian") != names.sounds("Zoe")
    assert names.sounds("Nowak") != names.sounds("Wyn")


def test_a_birth_date_with_day_and_month_swapped_is_the_same_child():
    assert names.birth_dates(date(2015, 2, 3)) == [date(2015, 2, 3), date(2015, 3, 2)]
    assert names.birth_dates(date(2015, 2, 20)) == [date(2015, 2, 20)]


def test_an_open_referral_of_the_same_child_refuses_the_new_one_naming_it(store):
    first = referral().stdout.strip()
    before = store_rows()
    second = referral("--child", "ZOE EXAMPLE", "--dob", "2015-03-02", "--received", "2026-11-05")
    assert second.exit_code == 1
    assert f"{first} (received)" in second.stderr and "--re-referral-of" in second.stderr
    assert "Zo" not in second.stderr  # never the child's name
    assert store_rows() == before


def test_a_re_referral_of_the_open_case_is_accepted(store):
    first = referral().stdout.strip()
    result = run("referral", "add", *REFERRAL, "--re-referral-of", first)
    assert result.exit_code == 0, result.stderr


def test_not_duplicate_overrides_the_check_and_is_audited(store):
    first = referral().stdout.strip()
    second = ok("referral", "add", *REFERRAL, "--not-duplicate").stdout.strip()
    [entry] = [e for e in show(second)["history"] if e["action"] == "referral add"]
    assert entry["changes"]["not_duplicate_of"] == [first]


def test_a_closed_referral_of_the_same_child_is_accepted_with_a_warning_and_listed_as_earlier(store):
    first = referral().stdout.strip()
    ok("referral", "withdraw", first, "--reason", "consent withdrawn", "--date", "2026-11-03")
    result = run("referral", "add", *REFERRAL, "--received", "2026-11-10", "--json")
    assert result.exit_code == 0
    assert result.json["earlier"] == [first]
    assert f"referred before, in {first} (closed)" in result.stderr and "--re-referral-of" in result.stderr
    assert "Zo" not in result.stderr


def test_another_child_is_not_matched(store):
    referral()
    result = run("referral", "add", *REFERRAL, "--json")
    assert result.exit_code == 1
    other = referral("--child", "Zoë Sample", "--received", "2026-11-05")
    assert other.exit_code == 0 and "warning" not in other.stderr
    assert referral("--dob", "2015-02-04").exit_code == 0


def test_a_new_referral_with_no_match_has_no_earlier(store):
    assert ok("referral", "add", *REFERRAL, "--json").json["earlier"] == []


def test_the_keys_are_stored_for_each_child_and_kept_right_by_a_correction(store):
    ref = add_referral()
    assert sql("SELECT name_key, name_sound FROM child") == [("zoeexample", "Z EXANPL")]
    ok("referral", "child", "edit", ref, "1", "--name", "Siân O'Brien", "--reason", "wrong child's name")
    assert sql("SELECT name_key, name_sound FROM child") == [("sianobrien", "SAN OBRAN")]


@pytest.mark.sqlite_only
def test_the_migration_fills_in_the_keys_of_an_existing_store(store):
    add_referral()
    for statement in ("DROP INDEX ix_child_name_key_dob", "ALTER TABLE child DROP COLUMN name_key",
                      "ALTER TABLE child DROP COLUMN name_sound",
                      "DELETE FROM masg_migrations WHERE name = 'm008_child_name_keys'"):
        sql(statement)
    ok("referral", "list")
    assert sql("SELECT name_key, name_sound FROM child") == [("zoeexample", "Z EXANPL")]


# --- Importing a tracker --------------------------------------------------------------------------

HEADINGS = ("Reference,Date received,Locality,Status,Closed reason,Child name,Child DOB,Consent date,"
            "Consent by,Referrer,Referrer agency,Needs\n")


def tracker(tmp_path, *rows: str):
    path = tmp_path / "tracker.csv"
    path.write_text(HEADINGS + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def zoe_row(received: str = "20/11/2026", name: str = "ZOE EXAMPLE") -> str:
    return (f",{received},North,received,,{name},03/02/2015,19/11/2026,parent,Jo Nurse,Health visiting,Sleep")


def test_an_import_row_whose_child_is_in_an_open_case_is_refused_naming_the_row_and_the_case(store, tmp_path):
    first = referral().stdout.strip()
    before = store_rows()
    result = run("import", tracker(tmp_path, ",20/11/2026,North,received,,Ollie Demo,01/01/2016,19/11/2026,"
                                             "parent,Jo Nurse,Health visiting,Sleep", zoe_row()))
    assert result.exit_code == 1
    assert "row 3" in result.stderr and f"{first} (received)" in result.stderr
    assert store_rows() == before


def test_an_import_row_whose_child_is_in_a_closed_case_is_linked_as_a_re_referral_and_reported(store, tmp_path):
    first = referral().stdout.strip()
    ok("referral", "withdraw", first, "--reason", "consent withdrawn", "--date", "2026-11-03")
    dry = ok("import", tracker(tmp_path, zoe_row()), "--dry-run")
    assert f"row 2: a child was referred before, in {first}" in dry.stdout
    result = ok("import", tracker(tmp_path, zoe_row()))
    assert f"row 2: a child was referred before, in {first} (closed)" in result.stderr
    assert show("MASG-2026-0002")["re_referral_of"] == first
