"""Every table of the store, in one place.

The schema itself is made by ``migrations.py``; these classes must agree with it, and
``tests/test_migrations.py`` fails when they do not.
"""


import datetime as dt
from datetime import date, datetime
from typing import Protocol

from pydantic import ConfigDict
from sqlalchemy import Index, LargeBinary
from sqlmodel import Field, SQLModel


class StoreTable(SQLModel):
    """Every table's base. Pydantic's validators are built on first use, not at import: masg
    never validates a row through them, and building all of them cost every command about 15 ms."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]  # SQLModelConfig is private


class _Stored(Protocol):
    id: int | None


def id_of(row: _Stored) -> int:
    """The id of a row the store holds, for the rows that point to it (None only before a flush)."""
    if row.id is None:
        raise RuntimeError(f"a {type(row).__name__} has no id until it is flushed")
    return row.id


class Setting(StoreTable, table=True):
    """The store's configuration: panel type, retention rule, templates folder."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str


class Locality(StoreTable, table=True):
    """A locality (MASG) or district (MAAG): where a panel meets, how often, and who co-ordinates."""

    __tablename__ = "locality"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    cadence: str  # weekly | fortnightly
    weekday: int  # 0 = Monday ... 4 = Friday
    start_time: str  # HH:MM
    end_time: str  # HH:MM
    slot_minutes: int
    venue: str = ""
    coordinator: str = ""
    contact: str = ""
    # The first meeting ever scheduled: later schedules keep its rhythm.
    anchor_date: date | None = None
    # How many different agencies must be present for the panel to decide (m005); 0: no count.
    quorum: int = 0


class PanelMember(StoreTable, table=True):
    """A panel member of a locality: the people agendas and background packs go to."""

    __tablename__ = "panel_member"
    id: int | None = Field(default=None, primary_key=True)
    locality_id: int = Field(foreign_key="locality.id", index=True)
    name: str
    agency: str
    email: str


class ReferenceCounter(StoreTable, table=True):
    """The last reference number handed out per panel and year."""

    __tablename__ = "reference_counter"
    panel: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    last_number: int


class Referral(StoreTable, table=True):
    """One CAF, for one family, from one referrer, in one locality."""

    __tablename__ = "referral"
    # Open cases by status and date, for the morning list and the follow-up list (m002).
    __table_args__ = (
        Index("ix_referral_status_follow_up_due", "status", "follow_up_due"),
        Index("ix_referral_status_next_review", "status", "next_review"),
        Index("ix_referral_status_received", "status", "received"),
        # Late items by the day more information was asked, or the family accepted (m006).
        Index("ix_referral_status_triaged_on", "status", "triaged_on"),
        Index("ix_referral_status_family_response_date", "status", "family_response_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True)
    panel: str
    locality_id: int = Field(foreign_key="locality.id", index=True)
    status: str = Field(index=True)
    closed_reason: str | None = None
    received: date
    consent_date: date
    consent_by: str
    needs: str
    referrer_name: str
    referrer_agency: str
    referrer_email: str = ""
    referrer_phone: str = ""
    re_referral_of_id: int | None = Field(default=None, foreign_key="referral.id", index=True)
    # Triage
    triaged_on: date | None = None
    triage_outcome: str | None = None
    triage_agency: str | None = None
    triage_note: str | None = None
    info_received_on: date | None = None
    # After the panel
    family_response: str | None = None  # accepted | declined
    family_response_date: date | None = None
    tac_date: date | None = None
    next_review: date | None = Field(default=None, index=True)
    last_reviewed: date | None = None
    follow_up_due: date | None = Field(default=None, index=True)
    # Closure
    closed_on: date | None = None
    final_review_date: date | None = None
    closure_outcome: str | None = None
    legal_hold: bool = False
    created_at: datetime
    updated_at: datetime
    # The Lead Professional a tracker gave for an imported case (m004); a decision's wins.
    tracker_lead_name: str | None = None
    tracker_lead_agency: str | None = None
    tracker_lead_contact: str | None = None
    step_down: bool = False  # came down from children's social care (m005)


class Child(StoreTable, table=True):
    """A child of the family referred (a CAF may cover brothers and sisters)."""

    __tablename__ = "child"
    __table_args__ = (Index("ix_child_name_key_dob", "name_key", "dob"),)
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    position: int
    name: str
    dob: date
    # What returns and safe identification need (m005); None when not known.
    sex: str | None = None
    ethnicity: str | None = None
    school: str | None = None
    gp: str | None = None
    postcode: str | None = None
    nhs_number: str | None = None
    upn: str | None = None
    # The name folded and its phonetic keys (masg_cli.names), for the known-family check (m007).
    name_key: str | None = None
    name_sound: str | None = None


class SuggestedAgency(StoreTable, table=True):
    """An agency the referrer suggests, or that is already involved."""

    __tablename__ = "suggested_agency"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    agency: str


class TransitionFlag(StoreTable, table=True):
    """A transition package flag (looked-after, in hospital, complex needs, recent plans)."""

    __tablename__ = "transition_flag"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    flag: str


class Meeting(StoreTable, table=True):
    """A panel meeting of a locality."""

    __tablename__ = "meeting"
    id: int | None = Field(default=None, primary_key=True)
    locality_id: int = Field(foreign_key="locality.id", index=True)
    # The date the locality's rhythm gave it; scheduling again matches on this.
    planned_date: date
    date: dt.date = Field(index=True)
    start_time: str
    end_time: str
    venue: str = ""
    status: str = "scheduled"  # scheduled | cancelled
    uid: str = Field(unique=True)
    note: str | None = None


class AgendaSlot(StoreTable, table=True):
    """A case's time slot on a meeting's agenda: a new case or a review."""

    __tablename__ = "agenda_slot"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    kind: str  # new | review
    time: str  # HH:MM
    attending: str = "unknown"  # yes | no | unknown
    outcome: str = "pending"  # pending | decided | deferred | reviewed | moved
    note: str | None = None
    invited_at: datetime | None = None


class Decision(StoreTable, table=True):
    """What the panel decided for a case at a meeting."""

    __tablename__ = "decision"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    lead_name: str
    lead_agency: str
    lead_contact: str = ""
    review_date: date
    recorded_at: datetime
    sheet_produced_at: datetime | None = None
    sheet_file: str | None = None
    inquorate_reason: str | None = None  # why the panel decided although inquorate (m005)


class Service(StoreTable, table=True):
    """A service agreed by the panel: which agency does what."""

    __tablename__ = "service"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    agency: str = Field(index=True)
    description: str


class Review(StoreTable, table=True):
    """A panel review of a case."""

    __tablename__ = "review"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    date: dt.date
    further_reviews: bool
    next_review: dt.date | None = None
    note: str | None = None
    inquorate_reason: str | None = None  # why the panel reviewed although inquorate (m005)


class FollowUp(StoreTable, table=True):
    """A 12-week contact with the Lead Professional."""

    __tablename__ = "follow_up"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    date: dt.date
    due: dt.date | None = None
    outcome: str  # continue | close | re-refer
    note: str | None = None
    new_referral_id: int | None = Field(default=None, foreign_key="referral.id")


class TriageEntry(StoreTable, table=True):
    """One triage of a referral, or the referrer's answer to more-info (outcome 'info-received'):
    what was asked of the referrer and what was decided, kept as it was (rule 2). The referral's
    triage_* columns hold the latest triage."""

    __tablename__ = "triage_entry"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    date: dt.date
    outcome: str  # accept | single-agency | more-info | not-appropriate | info-received
    agency: str | None = None
    note: str | None = None


class LeadChange(StoreTable, table=True):
    """A new Lead Professional for a case from a date (m006): the latest one on or after the
    latest panel decision is the case's Lead Professional; the earlier ones are its history."""

    __tablename__ = "lead_change"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    date: dt.date
    name: str
    agency: str
    contact: str = ""
    reason: str
    recorded_at: datetime


class Document(StoreTable, table=True):
    """A document masg produced: when, which file, for which case or meeting."""

    __tablename__ = "document"
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # agenda | background-pack | decision-sheet | followup-letter | ...
    referral_id: int | None = Field(default=None, foreign_key="referral.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    path: str
    produced_at: datetime


class QuorumAgency(StoreTable, table=True):
    """An agency without which a locality's panel is not quorate (children's social care, say)."""

    __tablename__ = "quorum_agency"
    id: int | None = Field(default=None, primary_key=True)
    locality_id: int = Field(foreign_key="locality.id", index=True)
    agency: str


class Attendance(StoreTable, table=True):
    """Who was at a meeting: a panel member present or sending apologies (perhaps with a deputy
    for their agency), or a guest."""

    __tablename__ = "attendance"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    panel_member_id: int | None = Field(default=None, foreign_key="panel_member.id")
    name: str
    agency: str
    role: str  # present | apologies | guest
    deputy: str | None = None
    chair: bool = False


class PanelAction(StoreTable, table=True):
    """An action the panel agreed for a case: who does what, for which agency, by when."""

    __tablename__ = "panel_action"
    __table_args__ = (Index("ix_panel_action_status_due", "status", "due"),)
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    owner: str
    agency: str
    what: str
    due: date
    status: str = "open"  # open | done | not-done
    closed_on: date | None = None
    reason: str | None = None
    note: str | None = None
    created_at: datetime


class AuditEntry(StoreTable, table=True):
    """One change, who made it and when; each entry holds the hash of the one before."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    user: str
    reference: str | None = Field(default=None, index=True)
    action: str
    changes: str  # JSON
    prev_hash: str
    hash: str


class Note(StoreTable, table=True):
    """A case note: a phone call, an e-mail or a meeting about the case, and what it said."""

    __tablename__ = "note"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    date: dt.date
    kind: str  # phone | email | meeting | other
    with_whom: str | None = None
    text: str
    recorded_at: datetime


class Attachment(StoreTable, table=True):
    """A document kept in the case file (the CAF, the consent form, an agency's report): what it
    is and its SHA-256; its bytes are in attachment_chunk."""

    __tablename__ = "attachment"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    name: str
    kind: str  # caf | consent | report | other
    content: str  # what its bytes are: PDF, Word document, PNG image, JPEG image, plain text
    size: int
    sha256: str
    added_at: datetime


class AttachmentChunk(StoreTable, table=True):
    """One piece of an attachment's bytes, in order: stored and read a piece at a time, so a
    20 MB file never has to be held whole in memory, on SQLite or PostgreSQL."""

    __tablename__ = "attachment_chunk"
    __table_args__ = (
        Index("ix_attachment_chunk_attachment_id_position", "attachment_id", "position", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    attachment_id: int = Field(foreign_key="attachment.id")
    position: int
    data: bytes = Field(sa_type=LargeBinary)


class Reminder(StoreTable, table=True):
    """A reminder 'masg remind' drafted for one item of a case (m005): not chased again within 7 days."""

    __tablename__ = "reminder"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    kind: str  # attendance | more-info | follow-up | tac
    recipient: str  # the e-mail address it went to
    sent_on: date = Field(index=True)
    file: str


class StoreAccess(StoreTable, table=True):
    """On a team's PostgreSQL store, which database role may see which locality's cases (m012):
    a co-ordinator's role has a row per locality; a manager's one row with ``manager`` set. The
    database's row-level security reads this table; masg's own code never filters by it."""

    __tablename__ = "store_access"
    __table_args__ = (Index("ix_store_access_role_locality_id", "role", "locality_id", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    role: str
    locality_id: int | None = Field(default=None, foreign_key="locality.id")
    manager: bool = False
    granted_at: datetime


class CaseView(StoreTable, table=True):
    """Someone looked at a case on a team store (m012): 'referral show' or 'person export'.
    Looking changes nothing, so a view is not an audit entry: the trail stays a record of changes."""

    __tablename__ = "case_view"
    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    at: datetime
    user: str
    view: str  # referral show | person export
