"""A refusal names the option, never the personal data typed into it."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import REFERRAL, run


D = date.fromisoformat


def test_a_panel_members_bad_email_is_refused_without_repeating_it(store):
    result = run("locality", "member", "add", "North", "--name", "Siân Sample", "--agency", "CAMHS",
                 "--email", "Sian Sample at home")
    assert result.exit_code == 1
    assert result.stderr.strip() == "masg: --email is not an e-mail address; give name@example.org"


def test_a_date_of_birth_after_the_referral_is_refused_naming_the_child_by_number_only(store):
    args = list(REFERRAL)
    args += ["--child", "Siân Sample", "--dob", "2026-11-20"]
    result = run("referral", "add", *args)
    assert result.exit_code == 1
    assert "child 2's --dob is after the referral was received" in result.stderr
    assert "2026-11-20" not in result.stderr and "20/11/2026" not in result.stderr


def test_consent_given_by_someone_not_in_the_list_is_refused_without_repeating_who():
    # The rule answers the interactive prompt too, where anything can be typed.
    from masg_cli import rules
    from masg_cli.errors import Refused

    with pytest.raises(Refused) as refused:
        rules.check_consent(D("2026-11-01"), "Mrs O'Brien", D("2026-11-02"))
    assert str(refused.value) == "--consent-by is not one of: parent, young-person, both"

