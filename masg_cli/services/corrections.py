"""Correcting a record: what was typed at intake put right, checked as intake checks it.

UK GDPR gives a family the right to rectification; the audit trail keeps what each field held
before, and why it changed, so the record is right without losing its history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from masg_cli import rules
from masg_cli.errors import Refused
from masg_cli.fields import check_email, check_one_line
from masg_cli.models import Referral, SuggestedAgency, TransitionFlag, id_of
from masg_cli.services.referrals import agencies_of, children_of, flags_of, get_referral, save_change

# The audit trail's actions for corrections: `referral show` lists them as the case's corrections.
CORRECTION_ACTIONS = ("referral edit", "child add", "child edit", "child remove", "lead change",
                      "referral transfer")


@dataclass
class ReferralCorrection:
    """What `referral edit` was given: None (or empty lists) leaves a field as it is."""

    referrer_name: str | None = None
    referrer_agency: str | None = None
    referrer_email: str | None = None
    referrer_phone: str | None = None
    needs: str | None = None
    consent_date: date | None = None
    consent_by: str | None = None
    received: date | None = None
    step_down: bool | None = None
    add_agencies: list[str] = field(default_factory=list)
    remove_agencies: list[str] = field(default_factory=list)
    add_transitions: list[str] = field(default_factory=list)
    remove_transitions: list[str] = field(default_factory=list)


# The audit trail's name of each field -> the referral's column.
_COLUMNS = {"referrer": "referrer_name", "referrer_agency": "referrer_agency",
            "referrer_email": "referrer_email", "referrer_phone": "referrer_phone", "needs": "needs",
            "consent_date": "consent_date", "consent_by": "consent_by", "received": "received",
            "step_down": "step_down"}


def edit_referral(uow, reference: str, *, reason: str | None, correction: ReferralCorrection) -> dict:
    """Correct a referral's intake details (any status, closed too); returns each change [old, new]."""
    why = rules.check_correction_reason(reason)
    session = uow.session
    referral = get_referral(session, reference, for_update=True)
    after = _corrected_values(referral, correction)
    _check_as_intake(session, referral, after)
    changed = {name: [getattr(referral, column), after[name]] for name, column in _COLUMNS.items()
               if after[name] != getattr(referral, column)}
    changed.update(_correct_agencies(session, referral, correction))
    changed.update(_correct_transitions(session, referral, correction))
    if not changed:
        raise Refused(f"nothing to correct: {referral.reference} already holds what was given")
    for name, column in _COLUMNS.items():
        setattr(referral, column, after[name])
    save_change(uow, referral, "referral edit", {"reason": why, "fields": changed})
    return changed


def _corrected_values(referral: Referral, correction: ReferralCorrection) -> dict:
    given = {"referrer": correction.referrer_name, "referrer_agency": correction.referrer_agency,
             "referrer_email": correction.referrer_email, "referrer_phone": correction.referrer_phone,
             "needs": correction.needs, "consent_date": correction.consent_date,
             "consent_by": correction.consent_by, "received": correction.received,
             "step_down": correction.step_down}
    values = {}
    for name, column in _COLUMNS.items():
        value = given[name]
        values[name] = getattr(referral, column) if value is None else (
            value.strip() if isinstance(value, str) else value)
    return values


def _check_as_intake(session, referral: Referral, after: dict) -> None:
    """The corrected referral must pass what `referral add` checks, and keep its later steps in order."""
    rules.check_given([("--referrer", after["referrer"]), ("--referrer-agency", after["referrer_agency"]),
                       ("--needs", after["needs"])])
    check_one_line([("--referrer", after["referrer"]), ("--referrer-agency", after["referrer_agency"]),
                    ("--referrer-phone", after.get("referrer_phone"))])
    check_email("--referrer-email", after["referrer_email"])
    rules.check_consent(after["consent_date"], after["consent_by"], after["received"])
    rules.check_children([(c.name, c.dob) for c in children_of(session, referral)], after["received"])
    rules.check_not_before(referral.reference, "the triage", referral.triaged_on or after["received"],
                           "it was received", after["received"], "--received")
    if referral.closed_on:
        rules.check_not_before(referral.reference, "the closure", referral.closed_on,
                               "it was received", after["received"], "--received")


def _correct_agencies(session, referral: Referral, correction: ReferralCorrection) -> dict:
    known = agencies_of(session, referral)
    lowered = {a.lower(): a for a in known}
    for gone in correction.remove_agencies:
        if gone.strip().lower() not in lowered:
            raise Refused(f"{referral.reference} names no agency '{gone.strip()}'; "
                          "see 'masg referral show' for the agencies it names")
    removed = {gone.strip().lower() for gone in correction.remove_agencies}
    added = [a.strip() for a in dict.fromkeys(correction.add_agencies)
             if a.strip() and (a.strip().lower() not in lowered or a.strip().lower() in removed)]
    if not removed and not added:
        return {}
    for row in session.exec(select(SuggestedAgency).where(SuggestedAgency.referral_id == referral.id)):
        if row.agency.lower() in removed:
            session.delete(row)
    for agency in added:
        session.add(SuggestedAgency(referral_id=id_of(referral), agency=agency))
    after = [a for a in known if a.lower() not in removed] + added
    return {"agencies": [known, after]} if after != known else {}


def _correct_transitions(session, referral: Referral, correction: ReferralCorrection) -> dict:
    known = flags_of(session, referral)
    for flag in correction.add_transitions + correction.remove_transitions:
        if flag not in rules.TRANSITION_FLAGS:
            raise Refused(f"unknown transition flag '{flag}'; use one of {', '.join(rules.TRANSITION_FLAGS)}")
    for flag in correction.remove_transitions:
        if flag not in known:
            raise Refused(f"{referral.reference} has no transition flag '{flag}'; "
                          "see 'masg referral show' for its flags")
    removed = set(correction.remove_transitions)
    added = [f for f in dict.fromkeys(correction.add_transitions) if f not in known or f in removed]
    after = [f for f in known if f not in removed] + added
    if after == known:
        return {}
    for row in session.exec(select(TransitionFlag).where(TransitionFlag.referral_id == referral.id)):
        if row.flag in removed:
            session.delete(row)
    for flag in added:
        session.add(TransitionFlag(referral_id=id_of(referral), flag=flag))
    return {"transitions": [known, after]}


def corrections(history: list[dict]) -> list[dict]:
    """The case's corrections, oldest first, from its audit entries: who, when, why, what changed."""
    return [{"at": e["at"], "user": e["user"], "action": e["action"],
             "reason": e["changes"].get("reason"), "child": e["changes"].get("child"),
             "fields": e["changes"].get("fields", {})}
            for e in history if e["action"] in CORRECTION_ACTIONS]
