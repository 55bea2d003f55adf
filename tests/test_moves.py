"""A case moving on outside the usual steps: transfer, step-up, step-down and duplicates."""

from builders import case_at, show, slot_at
from conftest import add_referral, ok, run, store_rows


def south():
    ok("locality", "add", "South", "--weekday", "thu", "--coordinator", "Sam Example",
       "--contact", "sam.example@example.gov.uk")


def test_a_transfer_moves_the_case_keeps_its_reference_and_cancels_its_pending_slot(store):
    south()
    ref = case_at("accepted")
    meeting = slot_at(ref, "2026-12-08")
    ok("referral", "transfer", ref, "--to", "south", "--reason", "family moved house", "--date", "2026-11-20")
    case = show(ref)
    assert (case["reference"], case["locality"], case["status"]) == (ref, "South", "accepted")
    assert [(s["meeting"], s["outcome"]) for s in case["agenda"]] == [(meeting, "cancelled")]
    [entry] = [e for e in case["history"] if e["action"] == "referral transfer"]
    assert entry["changes"]["fields"] == {"locality": ["North", "South"]}
    assert entry["changes"]["agenda_cancelled"] == [meeting]
    assert entry["changes"]["reason"] == "family moved house"
    assert ref not in [s["reference"] for s in ok("agenda", "show", str(meeting), "--json").json["slots"]]


def test_a_transferred_case_is_signed_by_the_new_localitys_coordinator(store, tmp_path):
    from test_documents import docx_text

    south()
    ref = case_at("monitoring")
    ok("referral", "transfer", ref, "--to", "South", "--reason", "family moved", "--date", "2026-12-05")
    ok("followup", "letter", ref, "--out", tmp_path, "--as-of", "2027-02-20")
    text = docx_text(tmp_path / f"followup-letter-{ref}.docx")
    assert "Sam Example" in text and "Pat Example" not in text


def test_a_transfer_to_the_same_or_an_unknown_locality_or_of_a_closed_case_is_refused(store):
    ref = add_referral()
    assert "already in North" in run("referral", "transfer", ref, "--to", "North", "--reason", "x").stderr
    assert run("referral", "transfer", ref, "--to", "Nowhere", "--reason", "x").exit_code == 1
    south()
    ok("referral", "withdraw", ref, "--reason", "consent withdrawn", "--date", "2026-11-05")
    before = store_rows()
    closed = run("referral", "transfer", ref, "--to", "South", "--reason", "moved", "--date", "2026-11-06")
    assert closed.exit_code == 1 and "closed" in closed.stderr
    assert store_rows() == before


def test_an_open_case_stepped_up_closes_as_stepped_up_with_its_note(store):
    ref = case_at("active")
    ok("referral", "step-up", ref, "--date", "2026-12-02", "--note", "Passed to the MASH duty team")
    case = show(ref)
    assert (case["status"], case["closed_reason"], case["closed_on"]) == ("closed", "stepped-up", "2026-12-02")
    assert case["closure_outcome"] == "Passed to the MASH duty team"
    again = run("referral", "step-up", ref, "--date", "2026-12-03", "--note", "x")
    assert again.exit_code == 1


def test_a_step_up_needs_a_note(store):
    ref = add_referral()
    assert run("referral", "step-up", ref, "--date", "2026-11-03", "--note", " ").exit_code == 1


def test_triage_can_step_a_referral_up(store):
    ref = add_referral()
    ok("referral", "triage", ref, "--outcome", "step-up", "--note", "MASH duty team", "--date", "2026-11-03")
    case = show(ref)
    assert (case["status"], case["closed_reason"]) == ("closed", "stepped-up")
    missing = run("referral", "triage", add_referral(), "--outcome", "step-up", "--date", "2026-11-03")
    assert missing.exit_code == 1 and "--note" in missing.stderr


def test_a_duplicate_of_an_open_case_is_withdrawn_as_duplicate_without_a_reason(store):
    first, second = add_referral(), add_referral()
    ok("referral", "withdraw", second, "--duplicate-of", first, "--date", "2026-11-03")
    case = show(second)
    assert (case["status"], case["closed_reason"]) == ("closed", "duplicate")
    assert case["closure_outcome"] == f"duplicate of {first}"
    [entry] = [e for e in case["history"] if e["action"] == "withdraw"]
    assert entry["changes"]["duplicate_of"] == first


def test_a_duplicate_of_itself_of_a_closed_case_or_with_neither_option_is_refused(store):
    first, second = add_referral(), add_referral()
    assert "itself" in run("referral", "withdraw", first, "--duplicate-of", first).stderr
    ok("referral", "withdraw", first, "--reason", "consent withdrawn", "--date", "2026-11-03")
    assert run("referral", "withdraw", second, "--duplicate-of", first).exit_code == 1
    assert run("referral", "withdraw", second).exit_code == 2


def test_the_readmes_move_examples_run_in_order_on_the_story_store(store):
    import shlex

    from test_docs import readme_commands

    for _ in range(5):
        add_referral()
    wanted = ("masg locality add South", "masg referral add --child \"Ava", "masg referral transfer",
              "masg referral withdraw MASG-2026-0007", "masg referral step-up")
    for command in [c for c in readme_commands() if c.startswith(wanted)]:
        ok(*shlex.split(command)[1:])
    assert (show("MASG-2026-0006")["locality"], show("MASG-2026-0006")["closed_reason"]) == ("South", "stepped-up")
    assert show("MASG-2026-0007")["closed_reason"] == "duplicate"


def test_report_summary_counts_step_ups_step_downs_and_re_referrals_within_12_months(store):
    from conftest import REFERRAL

    up = add_referral()
    ok("referral", "step-up", up, "--date", "2026-11-04", "--note", "MASH duty team")
    add_referral("--step-down", "--child", "Ollie Sample", "--dob", "2019-09-14")
    closed = ok("referral", "add", *REFERRAL[:2], "--dob", "2012-01-01", *REFERRAL[4:]).stdout.strip()
    ok("referral", "withdraw", closed, "--reason", "consent withdrawn", "--date", "2026-11-05")
    # The same child again, not linked: the known-family match counts it.
    ok("referral", "add", *REFERRAL[:2], "--dob", "2012-01-01", *REFERRAL[4:], "--received", "2026-11-20")
    report = ok("report", "summary", "--from", "2026-11-01", "--to", "2026-11-30", "--json").json
    assert (report["stepped_up"], report["stepped_down"], report["rereferred_within_12_months"]) == (1, 1, 1)
    assert "Stepped up to children's social care: 1" in ok("report", "summary", "--from", "2026-11-01").stdout
