"""Localities: where and when a panel meets, and who signs its documents."""

from __future__ import annotations

import pytest

from conftest import ok, run


BLANK_SIGNATURE = "documents will be signed with a blank name"


# --- Adding a locality -------------------------------------------------------------------------------


def test_adding_a_locality_without_a_coordinator_warns_that_documents_will_be_signed_blank(store):
    result = ok("locality", "add", "South")
    assert "Added locality South" in result.stdout
    assert BLANK_SIGNATURE in result.stderr
    assert "masg locality set South --coordinator ... --contact ..." in result.stderr


def test_adding_a_locality_without_a_contact_names_the_missing_contact(store):
    result = ok("locality", "add", "South", "--coordinator", "Siân Sample")
    assert "no contact" in result.stderr and "co-ordinator or" not in result.stderr


def test_adding_a_locality_with_coordinator_and_contact_does_not_warn(store):
    result = ok("locality", "add", "South", "--coordinator", "Siân Sample", "--contact", "01632 960000")
    assert result.stderr == ""


@pytest.mark.parametrize("typed, kept", [("Tuesday", "tue"), ("THU", "thu"), ("wednesday", "wed"), ("Fri", "fri")])
def test_a_locality_meets_on_a_weekday_typed_in_full_or_in_capitals(store, typed, kept):
    ok("locality", "add", "South", "--weekday", typed)
    assert {loc["name"]: loc["weekday"] for loc in ok("locality", "list", "--json").json}["South"] == kept


# --- Changing a locality -----------------------------------------------------------------------------


def test_locality_set_changes_only_the_settings_given_and_is_audited(store):
    result = ok("locality", "set", "north", "--coordinator", "Siân Sample", "--weekday", "thu",
                "--slot-minutes", "30")
    assert "Updated locality North: fortnightly on thu" in result.stdout
    [north] = ok("locality", "list", "--json").json
    assert (north["coordinator"], north["contact"], north["weekday"], north["slot_minutes"],
            north["start"], north["venue"]) == (
        "Siân Sample", "pat.example@example.gov.uk", "thu", 30, "09:30", "Northgate Family Hub")
    [entry] = [e for e in ok("audit", "--json").json if e["action"] == "locality set"]
    assert entry["changes"]["coordinator"] == ["Pat Example", "Siân Sample"]
    assert entry["changes"]["weekday"] == ["tue", "thu"] and "venue" not in entry["changes"]


def test_locality_set_refuses_a_start_after_the_end_and_leaves_the_locality_as_it_was(store):
    result = run("locality", "set", "North", "--start", "13:00")
    assert result.exit_code == 1 and "--start and --end" in result.stderr
    assert ok("locality", "list", "--json").json[0]["start"] == "09:30"


def test_locality_set_on_an_unknown_locality_says_how_to_find_the_right_name(store):
    result = run("locality", "set", "Nowhere", "--venue", "Hall")
    assert result.exit_code == 1 and "masg locality list" in result.stderr


def test_locality_set_fills_in_the_signature_the_warning_asked_for(store):
    ok("locality", "add", "South")
    result = ok("locality", "set", "South", "--coordinator", "Siân Sample", "--contact", "01632 960000")
    assert result.stderr == "" and "Siân Sample, 01632 960000" in result.stdout

