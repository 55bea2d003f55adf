"""The multi-agency panel process as plain code.

This module reads like the MASG leaflet and the MAAG terms (see docs/process/, whose RULES.md
numbers the rules). It knows statuses, the moves between them, triage outcomes and the date
rules. It does no I/O, reads no clock (callers pass ``today``) and imports nothing from the
database layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from masg_cli.dates import uk
from masg_cli.errors import Refused

T = TypeVar("T")

# --- Statuses -------------------------------------------------------------------------------

RECEIVED = "received"
MORE_INFO = "more-info"
ACCEPTED = "accepted"
SCHEDULED = "scheduled"
DECIDED = "decided"
ACTIVE = "active"
MONITORING = "monitoring"
CLOSED = "closed"

STATUSES = (RECEIVED, MORE_INFO, ACCEPTED, SCHEDULED, DECIDED, ACTIVE, MONITORING, CLOSED)
OPEN_STATUSES = tuple(s for s in STATUSES if s != CLOSED)

# Why a closed referral closed.
CLOSED_SINGLE_AGENCY = "single-agency"
CLOSED_NOT_APPROPRIATE = "not-appropriate"
CLOSED_WITHDRAWN = "withdrawn"
CLOSED_DECLINED = "declined"
CLOSED_COMPLETED = "completed"
CLOSED_STEPPED_UP = "stepped-up"  # safeguarding concerns: passed to children's social care
CLOSED_DUPLICATE = "duplicate"  # the same family's case is already open
CLOSED_REASONS = (
    CLOSED_SINGLE_AGENCY,
    CLOSED_NOT_APPROPRIATE,
    CLOSED_WITHDRAWN,
    CLOSED_DECLINED,
    CLOSED_COMPLETED,
    CLOSED_STEPPED_UP,
    CLOSED_DUPLICATE,
)

PANELS = ("MASG", "MAAG")
CONSENT_GIVERS = ("parent", "young-person", "both")

# Transition packages: the leaflet's "children and young people who have been/or are Looked
# After or in hospital and those with complex needs [including children who have recently been
# subject to a child in need or protection plan]".
TRANSITION_FLAGS = (
    "looked-after",
    "previously-looked-after",
    "in-hospital",
    "complex-needs",
    "child-in-need-plan",
    "child-protection-plan",
)

# The leaflet: "the CAF co-ordinator will contact the Lead Professional 12 weeks after the
# case was last reviewed by MASG".
FOLLOW_UP_INTERVAL = timedelta(weeks=12)

# MAAG terms: "children and young people who require the coordinated support of more than two
# agencies over and above universal services".
MAAG_MINIMUM_AGENCIES = 3


# --- Moves ------------------------------------------------------------------------------------

# Each action a co-ordinator takes, and the statuses it may be taken from. The command that
# carries each action is named so a refusal can say what to do instead.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "triage": (RECEIVED,),
    "info-received": (MORE_INFO,),
    "agenda": (ACCEPTED,),
    "defer": (SCHEDULED,),
    "decision": (SCHEDULED,),
    "family-response": (DECIDED,),
    "tac": (ACTIVE,),
    "review": (DECIDED, ACTIVE),
    "follow-up": (MONITORING,),
    "close": (ACTIVE, MONITORING),
    "final-review-form": (ACTIVE, MONITORING),
    "withdraw": OPEN_STATUSES,
    "step-up": OPEN_STATUSES,
    "transfer": OPEN_STATUSES,
}

_WHAT_NEXT = {
    RECEIVED: "triage it with 'masg referral triage'",
    MORE_INFO: "record the referrer's answer with 'masg referral info-received'",
    ACCEPTED: "put it on an agenda with 'masg agenda build'",
    SCHEDULED: "record the panel's decision with 'masg decision record' or defer it",
    DECIDED: "record the family's answer with 'masg family-response'",
    ACTIVE: "record the panel review with 'masg review record'",
    MONITORING: "record the 12-week contact with 'masg followup record'",
    CLOSED: "a new referral can link to it with --re-referral-of",
}


def check_move(reference: str, status: str, action: str, closed_reason: str | None = None) -> None:
    """Refuse an action the process does not allow from the referral's current status."""
    if status in ALLOWED_FROM[action]:
        return
    shown = f"{status} ({closed_reason})" if status == CLOSED and closed_reason else status
    raise Refused(
        f"{reference} is {shown}, so '{action}' is not possible now; {_WHAT_NEXT[status]}"
    )


# --- Consent (rule 1) -------------------------------------------------------------------------

NO_CONSENT_MESSAGE = (
    "no consent recorded: a CAF is shared with the panel only with the family's consent "
    "(give --consent-date and --consent-by). Without consent, refer to the single agency on "
    "its own form, or to children's social care if there are safeguarding concerns"
)


def check_consent(consent_date: date | None, consent_by: str | None, received: date) -> tuple[date, str]:
    """No referral without recorded consent, given on or before the day it was received; returns
    the consent's date and who gave it."""
    if consent_date is None or not consent_by:
        raise Refused(NO_CONSENT_MESSAGE)
    if consent_by not in CONSENT_GIVERS:
        # The value is not repeated: it may name the person who consented.
        raise Refused(f"--consent-by is not one of: {', '.join(CONSENT_GIVERS)}")
    if consent_date > received:
        raise Refused(
            f"consent is dated {uk(consent_date)}, after the referral was received "
            f"({uk(received)}); consent must be given before the CAF is shared"
        )
    return consent_date, consent_by


def check_not_before(reference: str, what: str, on: date, earlier_what: str, earlier: date | None,
                     option: str = "--date") -> None:
    """A step of a case cannot be dated before the step it follows (a typed year, a swapped day)."""
    if earlier is not None and on < earlier:
        raise Refused(f"{what} for {reference} is dated {uk(on)}, before {earlier_what} ({uk(earlier)}); "
                      f"check {option}")


def check_children(children: list[tuple[str, date]], received: date) -> None:
    """A referral is for a family: one or more children, each born by the day it arrived."""
    if not children:
        raise Refused("a referral needs at least one child (--child NAME --dob DATE)")
    for position, (name, dob) in enumerate(children, start=1):
        if not name.strip():
            raise Refused("a child's name is empty; give the child's full name with --child")
        if dob > received:
            # Which child, never the date of birth itself: it identifies the child.
            raise Refused(
                f"child {position}'s --dob is after the referral was received "
                f"({uk(received)}); check --dob"
            )


# --- Triage (rules 2 and 3) -------------------------------------------------------------------

ACCEPT = "accept"
SINGLE_AGENCY = "single-agency"
MORE_INFORMATION = "more-info"
NOT_APPROPRIATE = "not-appropriate"
STEP_UP = "step-up"
TRIAGE_OUTCOMES = (ACCEPT, SINGLE_AGENCY, MORE_INFORMATION, NOT_APPROPRIATE, STEP_UP)


@dataclass(frozen=True)
class TriageResult:
    status: str
    closed_reason: str | None
    warning: str | None = None


def triage(
    reference: str,
    outcome: str,
    *,
    panel: str,
    agency: str | None,
    note: str | None,
    agencies_named: int,
) -> TriageResult:
    """The co-ordinator's triage of a received CAF, as the leaflet describes it.

    - accept: a multi-agency approach is needed (unclear which agencies, a multi-agency plan
      frustrated, or a transition package); the case waits for a panel agenda.
    - single-agency: it goes straight to the agency named, on that agency's own form.
    - more-info: the co-ordinator contacts the referrer; what was asked is kept.
    - not-appropriate: closed, after the co-ordinator has discussed it with the referrer.
    - step-up: safeguarding concerns; closed, passed to children's social care (the note says to whom).
    """
    if outcome == ACCEPT:
        warning = None
        if panel == "MAAG" and agencies_named < MAAG_MINIMUM_AGENCIES:
            warning = (
                f"warning: {reference} names {agencies_named} agenc"
                f"{'y' if agencies_named == 1 else 'ies'}; a MAAG case needs the coordinated "
                "support of more than two agencies over and above universal services"
            )
        return TriageResult(ACCEPTED, None, warning)
    if outcome == SINGLE_AGENCY:
        if not agency:
            raise Refused(
                "single-agency needs the agency the referrer should go to: give --agency"
            )
        return TriageResult(CLOSED, CLOSED_SINGLE_AGENCY)
    if outcome == MORE_INFORMATION:
        if not note:
            raise Refused("more-info needs what was asked of the referrer: give --note")
        return TriageResult(MORE_INFO, None)
    if outcome == NOT_APPROPRIATE:
        if not note:
            raise Refused(
                "not-appropriate needs a note of the discussion with the referrer: give --note"
            )
        return TriageResult(CLOSED, CLOSED_NOT_APPROPRIATE)
    if outcome == STEP_UP:
        check_step_up_note(note)
        return TriageResult(CLOSED, CLOSED_STEPPED_UP)
    raise Refused(f"unknown triage outcome '{outcome}'; use one of {', '.join(TRIAGE_OUTCOMES)}")


# --- References -------------------------------------------------------------------------------


REFERENCE_FORM = re.compile(r"^(MASG|MAAG)-(\d{4})-(\d{4,})$")


def reference(panel: str, year: int, number: int) -> str:
    """A referral's reference: panel, the year it was received, and a number per panel and year."""
    return f"{panel}-{year}-{number:04d}"


def reference_parts(text: str) -> tuple[str, int, int] | None:
    """(panel, year, number) of a well-formed reference such as MASG-2025-0107; None otherwise."""
    match = REFERENCE_FORM.match(text)
    return (match.group(1), int(match.group(2)), int(match.group(3))) if match else None


# --- Dates of the later steps (rules 7 to 10) -------------------------------------------------


def check_review_date(review_date: date, meeting_date: date) -> None:
    """The panel sets a review date after the meeting that made the decision."""
    if review_date <= meeting_date:
        raise Refused(
            f"the review date {uk(review_date)} is not after the meeting on "
            f"{uk(meeting_date)}; give a later --review-date"
        )


def follow_up_due(last_panel_review: date) -> date:
    """The 12-week contact with the Lead Professional, counted from the last panel review."""
    return last_panel_review + FOLLOW_UP_INTERVAL


def days_overdue(due: date, today: date) -> int:
    """Days past due; due today is not overdue."""
    return max(0, (today - due).days)


# --- Decisions, the family's answer and the Team Around the Child (rules 7 and 8) -------------

FAMILY_ACCEPTED = "accepted"
FAMILY_DECLINED = "declined"

SERVICE_FORM = "'AGENCY: WHAT' (for example 'CAMHS: weekly sessions for anxiety')"


def check_services(services: list[tuple[str, str]]) -> None:
    """A decision agrees at least one service (the leaflet: 'details of services agreed')."""
    if not services:
        raise Refused(
            f"a decision needs at least one service agreed by the panel: give --service {SERVICE_FORM}"
        )


def check_lead_professional(name: str | None, agency: str | None) -> None:
    """Every decision names the temporary Lead Professional and their agency."""
    if not (name or "").strip() or not (agency or "").strip():
        raise Refused("a decision names the temporary Lead Professional: give --lead-name and --lead-agency")


def check_on_agenda(reference: str, meeting_label: str, slot_outcome: str | None) -> None:
    """The panel decides only cases it discussed: a slot on that meeting's agenda."""
    if slot_outcome not in ("pending", "decided"):
        why = " (it was deferred there)" if slot_outcome == "deferred" else ""
        raise Refused(
            f"{reference} is not on the agenda of meeting {meeting_label}{why}; see "
            "'masg agenda show' for the cases discussed there"
        )


def family_response_outcome(answer: str) -> tuple[str, str | None]:
    """The family's answer to the decision sheet: accepted makes the case active, declined closes it."""
    if answer == FAMILY_ACCEPTED:
        return ACTIVE, None
    if answer == FAMILY_DECLINED:
        return CLOSED, CLOSED_DECLINED
    raise Refused(f"the family's answer is '{answer}'; use --accepted or --declined")


def check_family_response_date(reference: str, answered: date, meeting_date: date) -> None:
    """The family answers the decision sheet, so on or after the meeting that decided."""
    if answered < meeting_date:
        raise Refused(
            f"the family's answer for {reference} is dated {uk(answered)}, before the "
            f"meeting that decided ({uk(meeting_date)}); check --date"
        )


def check_tac_date(reference: str, tac: date, accepted_on: date | None) -> None:
    """The Lead Professional sets up the Team Around the Child once the family has accepted."""
    if accepted_on is not None and tac < accepted_on:
        raise Refused(
            f"the Team Around the Child meeting for {reference} is dated {uk(tac)}, "
            f"before the family accepted ({uk(accepted_on)}); check --date"
        )


# --- Reviews, 12-week follow-ups and closure (rules 9, 10, 11 and 12) --------------------------

FURTHER_REVIEWS = "yes"
NO_FURTHER_REVIEWS = "no"
FURTHER_REVIEW_ANSWERS = (FURTHER_REVIEWS, NO_FURTHER_REVIEWS)

FOLLOW_UP_CONTINUE = "continue"
FOLLOW_UP_CLOSE = "close"
FOLLOW_UP_RE_REFER = "re-refer"
FOLLOW_UP_OUTCOMES = (FOLLOW_UP_CONTINUE, FOLLOW_UP_CLOSE, FOLLOW_UP_RE_REFER)

# 'masg today' counts a follow-up as due "this week" when it falls in the next seven days.
THIS_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class ReviewResult:
    """Where a panel review leaves the case."""

    status: str
    next_review: date | None
    last_reviewed: date
    follow_up_due: date | None


def panel_review(reference: str, review_date: date, *, decided_at: date, previous_review: date | None,
                 further_reviews: bool, next_review: date | None) -> ReviewResult:
    """The panel reviews the package of support and decides whether it needs to see the case again.

    Further reviews: the case stays active and goes on the agenda of the first meeting on or after
    the next review date. No further reviews: the case is monitored, and the co-ordinator contacts
    the Lead Professional 12 weeks after this review.
    """
    if review_date <= decided_at:
        raise Refused(f"the review of {reference} is dated {uk(review_date)}, not after the "
                      f"meeting that decided it ({uk(decided_at)}); check --date")
    if previous_review is not None and review_date <= previous_review:
        raise Refused(f"{reference} was last reviewed on {uk(previous_review)}; a new review "
                      f"must be dated after it, not {uk(review_date)}")
    if further_reviews:
        if next_review is None:
            raise Refused(f"further reviews for {reference} need the next review date: give --next-review")
        if next_review <= review_date:
            raise Refused(f"the next review {uk(next_review)} is not after this review "
                          f"({uk(review_date)}); give a later --next-review")
        return ReviewResult(ACTIVE, next_review, review_date, None)
    if next_review is not None:
        raise Refused(f"--next-review is for further panel reviews; with --further-reviews no, "
                      f"{reference} is followed up 12 weeks after this review instead")
    return ReviewResult(MONITORING, None, review_date, follow_up_due(review_date))


@dataclass(frozen=True)
class FollowUpResult:
    """Where the co-ordinator's contact with the Lead Professional leaves the case."""

    status: str
    closed_reason: str | None
    follow_up_due: date | None


def follow_up_contact(reference: str, outcome: str, contact: date, *, since: date | None) -> FollowUpResult:
    """The 12-week contact with the Lead Professional, and what it decided.

    The contact clears the due date. continue: still monitored, the next contact due 12 weeks
    after this one. close: the work is complete and the case closes; the Lead Professional then
    returns the final review form. re-refer: a new referral links to this one, which is left as it
    is (still monitoring, with no further contact due under this reference).
    """
    if since is not None and contact < since:
        raise Refused(f"the contact for {reference} is dated {uk(contact)}, before its last "
                      f"panel review or contact ({uk(since)}); check --date")
    if outcome == FOLLOW_UP_CONTINUE:
        return FollowUpResult(MONITORING, None, follow_up_due(contact))
    if outcome == FOLLOW_UP_CLOSE:
        return FollowUpResult(CLOSED, CLOSED_COMPLETED, None)
    if outcome == FOLLOW_UP_RE_REFER:
        return FollowUpResult(MONITORING, None, None)
    raise Refused(f"unknown follow-up outcome '{outcome}'; use one of {', '.join(FOLLOW_UP_OUTCOMES)}")


def check_closure(reference: str, status: str, closed_reason: str | None, final_review_date: date | None,
                  form_date: date, *, not_before: date | None) -> bool:
    """The Lead Professional's final review form closes the case (rule 12).

    Returns True when the case is open now and closes, False when it was already closed by a
    follow-up 'close' and the returned form is being recorded against it.
    """
    already = final_review_form_awaited(status, closed_reason, final_review_date)
    if status == CLOSED and final_review_date is not None and not already:
        raise Refused(f"{reference} is closed ({closed_reason}): its final review form was recorded on "
                      f"{uk(final_review_date)}; a new referral can link to it with --re-referral-of")
    if not already:
        check_move(reference, status, "close", closed_reason)
    if not_before is not None and form_date < not_before:
        raise Refused(f"the final review form for {reference} is dated {uk(form_date)}, before "
                      f"the case was last reviewed or contacted ({uk(not_before)}); check "
                      "--final-review-date")
    return not already


# --- Meetings and agendas -----------------------------------------------------------------------
# The leaflet: MASG meets fortnightly per locality, MAAG weekly per district; each case on the
# agenda has a time slot the referrer is told. Holidays are passed in (a set of dates), so this
# module stays free of the holiday library.

CADENCE_DAYS = {"weekly": 7, "fortnightly": 14}
CADENCES = tuple(CADENCE_DAYS)
# The days a panel meets on, Monday first: a locality keeps the index (date.weekday()).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")

MEETING_SCHEDULED = "scheduled"
MEETING_CANCELLED = "cancelled"
MEETING_STATUSES = (MEETING_SCHEDULED, MEETING_CANCELLED)

SLOT_NEW = "new"
SLOT_REVIEW = "review"
SLOT_PENDING = "pending"
SLOT_DECIDED = "decided"
SLOT_DEFERRED = "deferred"
SLOT_REVIEWED = "reviewed"
SLOT_MOVED = "moved"
SLOT_CANCELLED = "cancelled"
SLOT_OUTCOMES = (SLOT_PENDING, SLOT_DECIDED, SLOT_DEFERRED, SLOT_REVIEWED, SLOT_MOVED, SLOT_CANCELLED)
# A slot whose case no longer holds its time: it left the agenda, or was deferred there.
SLOT_FREED = (SLOT_MOVED, SLOT_CANCELLED, SLOT_DEFERRED)
ATTENDING = ("yes", "no", "unknown")
ATTENDANCE_ANSWERS = ("yes", "no")  # what a referrer can say; 'unknown' is only until they do
# Statuses whose cases come back to panel for review when their review date falls due.
REVIEW_STATUSES = (DECIDED, ACTIVE)


def first_on_or_after(start: date, weekday: int) -> date:
    """The locality's meeting weekday (0 = Monday) on or after ``start``."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def meeting_rhythm(anchor: date | None, weekday: int, cadence: str, start: date,
                   until: date) -> tuple[date, list[date]]:
    """The planned meeting dates from ``start`` to ``until``, keeping the locality's rhythm.

    The first meeting ever is the weekday on or after ``start`` and becomes the anchor; later
    schedules continue every 7 or 14 days from it. Returns (anchor, dates).
    """
    if cadence not in CADENCE_DAYS:
        raise Refused(f"cadence '{cadence}' is not known; use {' or '.join(CADENCE_DAYS)}")
    if until < start:
        raise Refused(f"--until {uk(until)} is before --from {uk(start)}; swap them")
    step = CADENCE_DAYS[cadence]
    if anchor is None or anchor.weekday() != weekday:
        anchor = first_on_or_after(start, weekday)
    k = -((anchor - start).days // step)  # the first k with anchor + k*step >= start
    dates = []
    day = anchor + timedelta(days=k * step)
    while day <= until:
        dates.append(day)
        day += timedelta(days=step)
    return anchor, dates


def working_day(day: date, holidays) -> date:
    """A meeting on a bank holiday (or weekend) moves to the next working day."""
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def slot_times(start: str, end: str, slot_minutes: int) -> list[str]:
    """Every slot a meeting holds: start + n x slot length, as many as end before the end time."""
    def minutes(hhmm: str) -> int:
        hours, mins = hhmm.split(":")
        return int(hours) * 60 + int(mins)

    if slot_minutes <= 0:
        raise Refused(f"a slot of {slot_minutes} minutes is not possible; set --slot-minutes above 0")
    first, last = minutes(start), minutes(end)
    count = max(0, (last - first) // slot_minutes)
    return [f"{(first + n * slot_minutes) // 60:02d}:{(first + n * slot_minutes) % 60:02d}"
            for n in range(count)]


def agenda_order(candidates: list[tuple[date, str, T]]) -> list[T]:
    """Who goes on the agenda first: whoever has waited longest (received, or review due).

    ``candidates`` are (waiting since, reference, item); the reference breaks ties.
    """
    return [item for _, _, item in sorted(candidates, key=lambda c: (c[0], c[1]))]


def review_due(next_review: date | None, meeting_date: date) -> bool:
    """A decided or active case comes back to the first meeting on or after its review date."""
    return next_review is not None and next_review <= meeting_date


def check_meeting_open(label: str, status: str) -> None:
    """Nothing goes on the agenda of a cancelled meeting."""
    if status == MEETING_CANCELLED:
        raise Refused(f"meeting {label} is cancelled; choose another from 'masg meeting list'")


def check_can_cancel(label: str, outcomes: list[str]) -> None:
    """A meeting whose panel already recorded outcomes took place; it cannot be cancelled."""
    held = [o for o in outcomes if o in (SLOT_DECIDED, SLOT_REVIEWED, SLOT_DEFERRED)]
    if held:
        raise Refused(f"meeting {label} already has {len(held)} outcome(s) recorded, so it took "
                      "place; it cannot be cancelled or moved")


def check_attending(answer: str) -> str:
    value = (answer or "").strip().lower()
    if value not in ("yes", "no"):
        raise Refused(f"--attending '{answer}' is not an answer; use yes or no")
    return value


# --- Retention and legal hold --------------------------------------------------------------------
# How long a closed case is kept is the authority's decision (its retention schedule), so the rule
# is a setting: "until-age:N" keeps a case until its youngest child's Nth birthday (the default,
# 25, is a common council schedule for early help records); "years-after-closure:N" keeps it N
# years after it closed. A case on legal hold is never removed, whatever the rule says.

RETENTION_SETTING = "retention_rule"
RETENTION_DEFAULT = "until-age:25"
RETENTION_KINDS = ("until-age", "years-after-closure")
# The files 'masg export' writes the whole record as.
ANNEX_A = "annex-a"  # Ofsted's list of early help, one row per child (--from, --to)
EXPORT_FORMATS = ("csv", "xlsx", "json", ANNEX_A)


MIN_RETENTION_AGE = 18


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    years: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.years}"

    def describe(self) -> str:
        if self.kind == "until-age":
            return f"until the youngest child's {self.years}th birthday"
        return f"{self.years} years after the case closed"


def add_years(day: date, years: int) -> date:
    """The same day N years on; 29 February becomes 1 March (never earlier than the rule says)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def retention_due(rule: RetentionRule, *, closed_on: date, youngest_dob: date | None) -> date:
    """The day a closed case may be removed: never before the day it closed, and never before
    the youngest child's 18th birthday, whatever the rule."""
    if rule.kind == "until-age" and youngest_dob is not None:
        due = add_years(youngest_dob, rule.years)
    else:
        due = add_years(closed_on, rule.years if rule.kind == "years-after-closure" else 0)
    adult = add_years(youngest_dob, MIN_RETENTION_AGE) if youngest_dob is not None else closed_on
    return max(due, closed_on, adult)


def past_retention(due: date, today: date) -> bool:
    return due <= today


# --- Deferring reviews, overdue cut-offs, the awaited final review form --------------------------


def deferred_status(reference: str, status: str, slot_kind: str, closed_reason: str | None = None) -> str:
    """The status a case has once the panel defers it: a new case goes back to the queue
    (accepted); a review the panel did not reach leaves the case decided or active, to come back
    on the next agenda."""
    if slot_kind == SLOT_REVIEW and status in REVIEW_STATUSES:
        return status
    check_move(reference, status, "defer", closed_reason)
    return ACCEPTED


# The lists' cut-off dates: the SQL of 'followup list --overdue' and 'masg today' takes them from
# here. A date is overdue when it falls before overdue_before(today): due today is not overdue.
def overdue_before(today: date) -> date:
    return today


def due_this_week_until(today: date) -> date:
    """Due 'this week': from today up to (not including) this day, the next seven days."""
    return today + THIS_WEEK


def final_review_form_awaited(status: str, closed_reason: str | None, final_review_date: date | None) -> bool:
    """Closed as completed by a follow-up 'close', with the Lead Professional's form not back yet."""
    return status == CLOSED and closed_reason == CLOSED_COMPLETED and final_review_date is None



# --- The case file: notes and attachments --------------------------------------------------------
# A note is what a co-ordinator heard or did about a case (a phone call, an e-mail, a meeting);
# an attachment is a document the case arrived with or gathered (the CAF, the consent form, an
# agency's report). Neither is on an agenda or in minutes, which go to every agency.

NOTE_KINDS = ("phone", "email", "meeting", "other")
NOTE_DEFAULT_KIND = "other"
ATTACHMENT_KINDS = ("caf", "consent", "report", "other")
ATTACHMENT_DEFAULT_KIND = "other"
# Large enough for a scanned CAF of many pages; small enough that a store stays easy to back up.
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


# --- Keeping the record right ---------------------------------------------------------------------

def check_given(fields: list[tuple[str, str | None]]) -> None:
    """Each of these (option, value) must say something: a referral cannot do without them."""
    for option, value in fields:
        if not (value or "").strip():
            raise Refused(f"{option} is empty; the referral needs it")


def check_correction_reason(reason: str | None) -> str:
    """A correction says why, for the audit trail (UK GDPR rectification keeps its history)."""
    if not (reason or "").strip():
        raise Refused("give --reason: why the record is being corrected (no names)")
    return (reason or "").strip()


def check_step_up_note(note: str | None) -> None:
    """A step-up says to whom the case was passed: the audit of a safeguarding referral."""
    if not (note or "").strip():
        raise Refused("a step-up needs --note: to whom in children's social care it was passed, and when")


def check_not_duplicate_of_itself(reference: str, original: str) -> None:
    if reference == original:
        raise Refused(f"{reference} cannot be a duplicate of itself; give the other case's reference")


# --- The meeting record: quorum and actions (SPEC "The meeting record") --------------------------

ATTENDANCE_PRESENT = "present"
ATTENDANCE_APOLOGIES = "apologies"
ATTENDANCE_GUEST = "guest"


@dataclass(frozen=True)
class Quorum:
    """Whether the panel could decide: the agencies present, and what was missing if not."""

    agencies: tuple[str, ...]
    needed: int
    missing_agencies: tuple[str, ...]

    @property
    def short_by(self) -> int:
        return max(0, self.needed - len(self.agencies))

    @property
    def quorate(self) -> bool:
        return not self.short_by and not self.missing_agencies

    def missing(self) -> str:
        """What is missing, as a co-ordinator would say it."""
        parts = []
        if self.short_by:
            parts.append(f"{len(self.agencies)} of the {self.needed} agencies needed present")
        if self.missing_agencies:
            parts.append("no one from " + " or ".join(self.missing_agencies))
        return "; ".join(parts)


def quorum(present_agencies, *, needed: int, quorum_agencies=()) -> Quorum:
    """The quorum rule: members and deputies present from at least ``needed`` different agencies,
    including every quorum agency. Agencies are matched whatever their case and spacing."""
    seen: dict[str, str] = {}
    for agency in present_agencies:
        seen.setdefault(" ".join(agency.split()).casefold(), agency.strip())
    missing = tuple(a.strip() for a in quorum_agencies if " ".join(a.split()).casefold() not in seen)
    return Quorum(agencies=tuple(seen.values()), needed=needed, missing_agencies=missing)


def counts_for_quorum(role: str, deputy: str | None) -> bool:
    """A member present counts for their agency; so does the deputy of one sending apologies."""
    return role == ATTENDANCE_PRESENT or (role == ATTENDANCE_APOLOGIES and bool(deputy))


def check_quorate(meeting_label: str, found: Quorum, inquorate_reason: str | None) -> None:
    """A decision or review at an inquorate meeting needs the reason the panel went ahead."""
    if not found.quorate and not (inquorate_reason or "").strip():
        raise Refused(f"meeting {meeting_label} is not quorate ({found.missing()}); record the "
                      "missing attendance with 'masg meeting attendance', or give --inquorate-reason")


ACTION_OPEN = "open"
ACTION_DONE = "done"
ACTION_NOT_DONE = "not-done"
ACTION_STATUSES = (ACTION_OPEN, ACTION_DONE, ACTION_NOT_DONE)
NOT_DONE_REASONS = ("changed-circumstances", "agency-not-done", "other")


def check_action_due(due: date, meeting_date: date) -> None:
    if due < meeting_date:
        raise Refused(f"--due {uk(due)} is before the meeting that agreed it ({uk(meeting_date)}); "
                      "give a date on or after the meeting")


def check_action_open(action_id: int, status: str) -> None:
    if status != ACTION_OPEN:
        raise Refused(f"action {action_id} is already {status}; an action is closed once "
                      "(see 'masg action list --json')")


def action_days_overdue(status: str, due: date, today: date) -> int:
    """Overdue: open and due before today."""
    return days_overdue(due, today) if status == ACTION_OPEN else 0
