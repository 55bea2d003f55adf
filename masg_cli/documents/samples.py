"""A fictional case with every field filled, and what each template would be filled with for it.

'masg templates check' renders every template against these, so that a template it passes
renders for real cases too. The contexts come from the document modules' own builders over a
store in memory, so a value a builder starts to fill is sampled (and allowed) with no change here.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlmodel import Session, SQLModel, create_engine

from masg_cli.models import (
    AgendaSlot,
    Attachment,
    Attendance,
    Child,
    Decision,
    FollowUp,
    Locality,
    Meeting,
    Note,
    PanelAction,
    PanelMember,
    Referral,
    Review,
    Service,
    Setting,
    SuggestedAgency,
    TransitionFlag,
    TriageEntry,
)

ON = date(2026, 12, 1)  # the day the sample documents are "made"
_AT = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def sample_contexts() -> dict[str, dict]:
    """Per shipped template name, what masg fills it with for the fictional case."""
    from masg_cli.documents import agenda, background_pack, case, decision_sheet, family_letter, minutes

    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            meeting, slot, referral, decision = _fill(session)
            rows = [(slot, referral)]
            pack, cases = background_pack.pack_context(session, meeting, rows, on=ON)
            contexts = {template: filled for _, template, filled in
                        background_pack.pack_documents(pack, cases)}
            sheet = decision_sheet.sheet_context(session, referral, decision, on=ON)
            letter = case.case_context(session, referral, on=ON)
            base = agenda.meeting_context(session, meeting, on=ON)
            meeting_minutes = minutes.minutes_context(session, meeting, on=ON)
            return contexts | {
                "minutes.docx": meeting_minutes, "minutes-email.txt": meeting_minutes,
                "pack-email.txt": pack,
                "invite-email.txt": agenda.invite_context(base, rows),
                "decision-sheet.docx": sheet, "decision-email.txt": sheet,
                "followup-letter.docx": letter, "final-review-form.docx": letter,
                "family-letter.docx": family_letter.letter_context(session, referral, decision, on=ON),
            }
    finally:
        engine.dispose()


def _add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def _fill(session: Session):
    """One locality, an earlier and a current referral with two children, a meeting, a decision
    with services, reviews and follow-ups: every optional value given (all fictional)."""
    _add(session, Setting(key="panel", value="MASG"))
    north = _add(session, Locality(
        name="Northfield", cadence="fortnightly", weekday=1, start_time="09:30", end_time="12:30",
        slot_minutes=20, venue="Northfield Family Hub", coordinator="Pat Sample",
        contact="pat.sample@example.gov.uk", anchor_date=date(2026, 9, 1)))
    _add(session, PanelMember(locality_id=north.id, name="Sam Member", agency="CAMHS",
                              email="sam.member@example.org"))
    earlier = _add(session, _referral(north.id, "MASG-2025-0007", date(2025, 3, 4)))
    referral = _add(session, _referral(north.id, "MASG-2026-0042", date(2026, 10, 6),
                                       re_referral_of_id=earlier.id))
    for position, (name, born) in enumerate([("Ada Example", date(2014, 5, 6)),
                                             ("Ben Example", date(2018, 9, 10))]):
        _add(session, Child(referral_id=referral.id, position=position, name=name, dob=born))
    for agency in ("School nursing", "Early Help"):
        _add(session, SuggestedAgency(referral_id=referral.id, agency=agency))
    _add(session, TransitionFlag(referral_id=referral.id, flag="looked-after"))
    _add(session, TriageEntry(referral_id=referral.id, date=date(2026, 10, 8), outcome="accept",
                              agency="Early Help", note="Seen by the triage group"))
    meeting = _add(session, Meeting(locality_id=north.id, planned_date=ON, date=ON,
                                    start_time="09:30", end_time="12:30", venue="Northfield Family Hub",
                                    uid="sample-meeting@masg.invalid", note="Room 2"))
    slot = _add(session, AgendaSlot(meeting_id=meeting.id, referral_id=referral.id, kind="new",
                                    time="09:30", attending="yes"))
    # An earlier meeting that deferred the case: the background pack lists each deferral's reason.
    earlier_meeting = _add(session, Meeting(locality_id=north.id, planned_date=date(2026, 11, 17),
                                            date=date(2026, 11, 17), start_time="09:30", end_time="12:30",
                                            uid="sample-earlier@masg.invalid"))
    _add(session, AgendaSlot(meeting_id=earlier_meeting.id, referral_id=referral.id, kind="new", time="10:00",
                             outcome="deferred", note="Not reached"))
    decision = _add(session, Decision(referral_id=referral.id, meeting_id=meeting.id,
                                      lead_name="Lee Lead", lead_agency="Northfield Primary",
                                      lead_contact="lee.lead@example.org", review_date=date(2027, 2, 23),
                                      recorded_at=_AT))
    for agency, what in (("School nursing", "Sleep and anxiety work"), ("Early Help", "Family support")):
        _add(session, Service(decision_id=decision.id, agency=agency, description=what))
    _add(session, Review(referral_id=referral.id, meeting_id=meeting.id, date=ON, further_reviews=True,
                         next_review=date(2027, 2, 23), note="Going well"))
    _add(session, FollowUp(referral_id=referral.id, date=date(2026, 11, 24), due=date(2026, 11, 24),
                           outcome="continue", note="Keep going"))
    _fill_meeting_record(session, north.id, meeting.id, earlier_meeting.id, referral.id)
    return meeting, slot, referral, decision


def _fill_meeting_record(session: Session, north_id: int, meeting_id: int, earlier_id: int,
                         referral_id: int) -> None:
    """Who came, the actions agreed (one still open from before), a note and an attachment:
    without them a template's loop over these lists would be checked against nothing."""
    for name, agency, role, deputy, chair in (("Sam Member", "CAMHS", "present", None, True),
                                              ("Kit Member", "Children's Social Care", "apologies",
                                               "Dee Deputy", False),
                                              ("Gil Guest", "Housing", "guest", None, False)):
        _add(session, Attendance(meeting_id=meeting_id, name=name, agency=agency, role=role,
                                 deputy=deputy, chair=chair))
    for meeting, what, due in ((earlier_id, "Share attendance figures", date(2026, 11, 27)),
                               (meeting_id, "Arrange the first TAC meeting", date(2026, 12, 8))):
        _add(session, PanelAction(referral_id=referral_id, meeting_id=meeting, owner="Lee Lead",
                                  agency="Northfield Primary", what=what, due=due, created_at=_AT))
    _add(session, Note(referral_id=referral_id, date=date(2026, 11, 20), kind="phone",
                       with_whom="Alex Referrer", text="Family keen to start", recorded_at=_AT))
    _add(session, Attachment(referral_id=referral_id, name="caf-assessment.pdf", kind="caf",
                             content="PDF", size=2048, sha256="0" * 64, added_at=_AT))


def _referral(locality_id: int, reference: str, received: date, **more) -> Referral:
    return Referral(
        reference=reference, panel="MASG", locality_id=locality_id, status="open",
        received=received, consent_date=received, consent_by="parent",
        needs="Attendance and anxiety\nSleep", referrer_name="Alex Referrer",
        referrer_agency="Northfield Primary", referrer_email="alex.referrer@example.org",
        referrer_phone="01632 960000", triaged_on=received, triage_outcome="accept",
        triage_agency="Early Help", triage_note="Clear consent", info_received_on=received,
        family_response="accepted", family_response_date=received, tac_date=date(2026, 11, 10),
        next_review=date(2027, 2, 23), last_reviewed=ON, follow_up_due=date(2027, 2, 23),
        final_review_date=date(2027, 6, 1), closure_outcome="needs met",
        tracker_lead_name="Lee Lead", tracker_lead_agency="Northfield Primary",
        tracker_lead_contact="lee.lead@example.org", created_at=_AT, updated_at=_AT, **more)
