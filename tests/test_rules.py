"""The process rules (rules.py) as tables of (input, expected): no database, no clock."""

from datetime import date, timedelta

import pytest

from masg_cli import rules
from masg_cli.errors import Refused

# --- Moves: every (action, status) pair is either allowed or refused -------------------------

EXPECTED_ALLOWED = {
    "triage": {"received"},
    "info-received": {"more-info"},
    "agenda": {"accepted"},
    "defer": {"scheduled"},
    "decision": {"scheduled"},
    "family-response": {"decided"},
    "tac": {"active"},
    "review": {"decided", "active"},
    "follow-up": {"monitoring"},
    "close": {"active", "monitoring"},
    "final-review-form": {"active", "monitoring"},
    "withdraw": {"received", "more-info", "accepted", "scheduled", "decided", "active", "monitoring"},
    "step-up": {"received", "more-info", "accepted", "scheduled", "decided", "active", "monitoring"},
    "transfer": {"received", "more-info", "accepted", "scheduled", "decided", "active", "monitoring"},
}

ALL_MOVES = [(action, status) for action in EXPECTED_ALLOWED for status in rules.STATUSES]


def test_the_table_of_moves_is_the_one_the_process_describes():
    assert {action: set(allowed) for action, allowed in rules.ALLOWED_FROM.items()} == EXPECTED_ALLOWED


@pytest.mark.parametrize(
    "action,status", [m for m in ALL_MOVES if m[1] in EXPECTED_ALLOWED[m[0]]]
)
def test_an_allowed_move_passes(action, status):
    rules.check_move("MASG-2026-0001", status, action)


@pytest.mark.parametrize(
    "action,status", [m for m in ALL_MOVES if m[1] not in EXPECTED_ALLOWED[m[0]]]
)
def test_a_refused_move_names_the_reference_the_current_status_and_what_to_do(action, status):
    with pytest.raises(Refused) as refused:
        rules.check_move("MASG-2026-0001", status, action)
    message = refused.value.message
    assert message.startswith(f"MASG-2026-0001 is {status}")
    assert f"'{action}' is not possible" in message
    assert "; " in message  # the way forward follows


def test_a_refusal_of_a_closed_case_says_why_it_closed_and_how_to_re_refer():
    with pytest.raises(Refused, match=r"is closed \(withdrawn\).*--re-referral-of"):
        rules.check_move("MASG-2026-0009", "closed", "withdraw", "withdrawn")


def test_withdraw_is_possible_from_every_open_status_and_no_other():
    assert set(rules.ALLOWED_FROM["withdraw"]) == set(rules.STATUSES) - {"closed"}


# --- Triage (rules 2 and 3) -------------------------------------------------------------------

TRIAGE_TABLE = [
    # outcome, agency, note, expected status, expected closed reason
    ("accept", None, None, "accepted", None),
    ("single-agency", "Speech and language therapy", None, "closed", "single-agency"),
    ("more-info", None, "Asked for the discharge plan", "more-info", None),
    ("not-appropriate", None, "Discussed: universal services", "closed", "not-appropriate"),
]


@pytest.mark.parametrize("outcome,agency,note,status,reason", TRIAGE_TABLE)
def test_each_triage_outcome_leads_to_its_status(outcome, agency, note, status, reason):
    result = rules.triage("MASG-2026-0001", outcome, panel="MASG", agency=agency, note=note,
                          agencies_named=0)
    assert (result.status, result.closed_reason, result.warning) == (status, reason, None)


@pytest.mark.parametrize("outcome,missing", [
    ("single-agency", "--agency"),
    ("more-info", "--note"),
    ("not-appropriate", "--note"),
])
def test_a_triage_outcome_without_what_it_needs_is_refused_naming_the_option(outcome, missing):
    with pytest.raises(Refused, match=missing):
        rules.triage("MASG-2026-0001", outcome, panel="MASG", agency=None, note=None, agencies_named=0)


def test_an_unknown_triage_outcome_is_refused_listing_the_four():
    with pytest.raises(Refused, match="accept, single-agency, more-info, not-appropriate"):
        rules.triage("MASG-2026-0001", "maybe", panel="MASG", agency=None, note=None, agencies_named=0)


@pytest.mark.parametrize("panel,agencies,warns", [
    ("MAAG", 0, True),
    ("MAAG", 1, True),
    ("MAAG", 2, True),
    ("MAAG", 3, False),
    ("MAAG", 5, False),
    ("MASG", 0, False),
    ("MASG", 2, False),
])
def test_maag_warns_below_three_agencies_and_still_accepts(panel, agencies, warns):
    result = rules.triage("MAAG-2026-0001", "accept", panel=panel, agency=None, note=None,
                          agencies_named=agencies)
    assert result.status == "accepted"
    assert (result.warning is not None) == warns
    if warns:
        assert "more than two agencies" in result.warning
        assert f"names {agencies} agenc" in result.warning


# --- Consent (rule 1) -------------------------------------------------------------------------

RECEIVED = date(2026, 11, 2)


@pytest.mark.parametrize("consent_date,consent_by", [
    (date(2026, 11, 1), "parent"),
    (date(2026, 11, 2), "young-person"),  # consent on the day it arrived
    (date(2020, 1, 1), "both"),
])
def test_consent_given_on_or_before_receipt_is_enough(consent_date, consent_by):
    rules.check_consent(consent_date, consent_by, RECEIVED)


@pytest.mark.parametrize("consent_date,consent_by,expected", [
    (None, "parent", "no consent recorded"),
    (date(2026, 11, 1), None, "no consent recorded"),
    (None, None, "no consent recorded"),
    (date(2026, 11, 1), "", "no consent recorded"),
    (date(2026, 11, 1), "grandparent", "not one of: parent, young-person, both"),
    (date(2026, 11, 3), "parent", "after the referral was received"),
])
def test_consent_missing_unknown_or_after_receipt_is_refused(consent_date, consent_by, expected):
    with pytest.raises(Refused, match=expected):
        rules.check_consent(consent_date, consent_by, RECEIVED)


def test_the_no_consent_message_says_why_and_what_to_do_instead():
    with pytest.raises(Refused) as refused:
        rules.check_consent(None, None, RECEIVED)
    message = refused.value.message
    assert "consent" in message
    assert "single agency" in message and "children's social care" in message


@pytest.mark.parametrize("children,expected", [
    ([], "at least one child"),
    ([("  ", date(2015, 2, 3))], "name is empty"),
    ([("Zoë Example", date(2026, 11, 3))], "after the referral was received"),
])
def test_children_are_checked(children, expected):
    with pytest.raises(Refused, match=expected):
        rules.check_children(children, RECEIVED)


def test_several_children_born_by_the_day_it_arrived_are_accepted():
    rules.check_children([("Zoë Example", date(2015, 2, 3)), ("Siân Sample", RECEIVED)], RECEIVED)


# --- References and dates ---------------------------------------------------------------------

@pytest.mark.parametrize("panel,year,number,expected", [
    ("MASG", 2026, 1, "MASG-2026-0001"),
    ("MAAG", 2025, 42, "MAAG-2025-0042"),
    ("MASG", 2026, 9999, "MASG-2026-9999"),
])
def test_references_carry_panel_year_and_a_four_digit_number(panel, year, number, expected):
    assert rules.reference(panel, year, number) == expected


@pytest.mark.parametrize("last_review,due", [
    (date(2026, 11, 23), date(2027, 2, 15)),
    (date(2026, 1, 1), date(2026, 3, 26)),
    (date(2024, 2, 29), date(2024, 5, 23)),
])
def test_follow_up_is_due_84_days_after_the_last_panel_review(last_review, due):
    assert rules.follow_up_due(last_review) == due
    assert (due - last_review).days == 84


@pytest.mark.parametrize("due,today,days,overdue", [
    (date(2026, 11, 23), date(2026, 11, 23), 0, False),  # due today is not overdue
    (date(2026, 11, 24), date(2026, 11, 23), 0, False),
    (date(2026, 11, 22), date(2026, 11, 23), 1, True),
    (date(2026, 8, 31), date(2026, 11, 23), 84, True),
])
def test_days_overdue_counts_from_the_day_after_it_was_due(due, today, days, overdue):
    assert rules.days_overdue(due, today) == days
    assert (due < rules.overdue_before(today)) is overdue


@pytest.mark.parametrize("review,meeting,refused", [
    (date(2026, 11, 24), date(2026, 11, 24), True),
    (date(2026, 11, 23), date(2026, 11, 24), True),
    (date(2026, 11, 25), date(2026, 11, 24), False),
])
def test_a_review_date_must_fall_after_its_meeting(review, meeting, refused):
    if refused:
        with pytest.raises(Refused, match="--review-date"):
            rules.check_review_date(review, meeting)
    else:
        rules.check_review_date(review, meeting)


def test_the_rules_module_reaches_for_no_database_and_no_clock():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(rules))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in getattr(node, "names", [])}
    modules = {node.module.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.module}
    assert not ({"sqlmodel", "sqlalchemy", "os", "time"} & (imported | modules))
    assert "today()" not in inspect.getsource(rules) and ".now(" not in inspect.getsource(rules)
    assert timedelta(weeks=12) == rules.FOLLOW_UP_INTERVAL
