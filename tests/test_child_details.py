"""A referral's children put right: child add, edit and remove, and the details they carry."""

import pytest

from builders import show
from conftest import add_referral, ok, run, store_rows

NHS = "943 476 5919"  # a published test number (modulus-11 check digit 9)
UPN = "B801200005001"


def test_a_child_left_out_is_added_with_its_details_and_numbered_after_the_others(store):
    ref = add_referral()
    ok("referral", "child", "add", ref, "--name", "Jack Example", "--dob", "2018-06-12", "--sex", "male",
       "--postcode", "ls14ap", "--nhs-number", NHS, "--upn", UPN, "--ethnicity", "wbri",
       "--school", "Northside Primary", "--gp", "Northgate Surgery")
    first, second = show(ref)["children"]
    assert first["sex"] is None and first["nhs_number"] is None
    assert second == {"name": "Jack Example", "dob": "2018-06-12", "sex": "male", "ethnicity": "WBRI",
                      "school": "Northside Primary", "gp": "Northgate Surgery", "postcode": "LS1 4AP",
                      "nhs_number": "9434765919", "upn": UPN}


def test_the_readmes_child_examples_run_on_the_story_store(store):
    import shlex

    from test_docs import readme_commands

    for _ in range(4):
        add_referral()  # MASG-2026-0004 is the README's fourth referral
    for command in [c for c in readme_commands() if c.startswith("masg referral child")]:
        ok(*shlex.split(command)[1:])
    assert show("MASG-2026-0004")["children"][0]["nhs_number"] == "9434765919"


def test_the_audit_says_which_child_and_which_fields_never_the_values(store):
    ref = add_referral()
    ok("referral", "child", "edit", ref, "1", "--name", "Zoe Example", "--nhs-number", NHS,
       "--reason", "spelling on the birth certificate")
    [entry] = [e for e in show(ref)["history"] if e["action"] == "child edit"]
    assert entry["changes"] == {"reason": "spelling on the birth certificate", "child": 1,
                                "fields": ["name", "nhs_number"]}
    text = str(show(ref)["history"])
    assert "Zoe Example" not in text and "9434765919" not in text
    assert show(ref)["children"][0]["name"] == "Zoe Example"


@pytest.mark.parametrize("option, value, failed", [
    ("--nhs-number", "943 476 5918", "--nhs-number fails its check"),
    ("--nhs-number", "94347659", "--nhs-number has the wrong number of characters"),
    ("--upn", "B801200005002", "--upn fails its check"),
    ("--upn", "B80120000500", "--upn has the wrong number of characters"),
    ("--postcode", "NW1 2Q", "--postcode is not a UK postcode"),
    ("--ethnicity", "XXXX", "--ethnicity is not a DfE census code"),
    ("--sex", "f", "--sex is not one of"),
])
def test_a_detail_that_fails_its_check_is_refused_naming_the_check_not_the_value(store, option, value, failed):
    ref = add_referral()
    before = store_rows()
    result = run("referral", "child", "edit", ref, "1", option, value, "--reason", "from the school")
    assert result.exit_code == 1 and failed in result.stderr
    if option in ("--nhs-number", "--upn"):
        assert value not in result.stderr and value.replace(" ", "") not in result.stderr
    assert store_rows() == before


def test_a_child_born_after_the_referral_arrived_is_refused(store):
    ref = add_referral()
    result = run("referral", "child", "add", ref, "--name", "New Baby", "--dob", "2026-11-20")
    assert result.exit_code == 1 and "--dob" in result.stderr


def test_an_empty_value_clears_a_detail(store):
    ref = add_referral("--sex", "female")
    ok("referral", "child", "edit", ref, "1", "--sex", "", "--reason", "not confirmed")
    assert show(ref)["children"][0]["sex"] is None


def test_removing_a_child_numbers_the_others_again_and_the_only_child_stays(store):
    ref = add_referral("--child", "Jack Example", "--dob", "2018-06-12", "--child", "Ollie Example",
                       "--dob", "2019-01-01")
    ok("referral", "child", "remove", ref, "1", "--reason", "not this family's child")
    assert [c["name"] for c in show(ref)["children"]] == ["Jack Example", "Ollie Example"]
    ok("referral", "child", "edit", ref, "2", "--school", "Northside Primary", "--reason", "school known")
    assert show(ref)["children"][1]["school"] == "Northside Primary"
    ok("referral", "child", "remove", ref, "2", "--reason", "duplicate entry")
    only = run("referral", "child", "remove", ref, "1", "--reason", "x")
    assert only.exit_code == 1 and "only child" in only.stderr
    missing = run("referral", "child", "edit", ref, "3", "--sex", "male", "--reason", "x")
    assert missing.exit_code == 1 and "no child 3" in missing.stderr


def test_referral_add_gives_each_childs_details_in_the_childrens_order(store):
    ref = add_referral("--child", "Jack Example", "--dob", "2018-06-12", "--sex", "", "--sex", "male",
                       "--nhs-number", NHS)
    first, second = show(ref)["children"]
    assert (first["sex"], first["nhs_number"]) == (None, "9434765919")
    assert (second["sex"], second["nhs_number"]) == ("male", None)


def test_referral_add_refuses_more_details_than_children(store):
    result = run("referral", "add", "--child", "Zoë Example", "--dob", "2015-02-03", "--sex", "female",
                 "--sex", "male", "--locality", "North", "--referrer", "A", "--referrer-agency", "B",
                 "--consent-date", "2026-11-01", "--consent-by", "parent", "--needs", "N",
                 "--received", "2026-11-02")
    assert result.exit_code == 2 and "--sex is given 2 times" in result.stderr


def test_referral_add_refuses_a_bad_nhs_number_and_stores_nothing(store):
    before = store_rows()
    result = run("referral", "add", "--child", "Zoë Example", "--dob", "2015-02-03", "--nhs-number", "1234567890",
                 "--locality", "North", "--referrer", "A", "--referrer-agency", "B", "--consent-date", "2026-11-01",
                 "--consent-by", "parent", "--needs", "N", "--received", "2026-11-02")
    assert result.exit_code == 1 and "--nhs-number" in result.stderr and "1234567890" not in result.stderr
    assert store_rows() == before


def test_referral_show_numbers_the_children_and_lists_the_child_corrections(store):
    ref = add_referral()
    ok("referral", "child", "edit", ref, "1", "--postcode", "LS1 4AP", "--reason", "moved house")
    card = ok("referral", "show", ref).stdout
    assert "1. Zoë Example" in card and "LS1 4AP" in card
    assert "child edit (child 1): postcode" in card


def test_exports_carry_each_childs_details(store, tmp_path):
    import json

    ref = add_referral("--sex", "female", "--nhs-number", NHS, "--ethnicity", "MWBC")
    ok("export", "--format", "json", "--out", tmp_path / "all.json")
    [case] = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert case["reference"] == ref
    assert (case["children"][0]["sex"], case["children"][0]["nhs_number"], case["children"][0]["ethnicity"]) == (
        "female", "9434765919", "MWBC")
