"""Setting up a store: the panel type, localities and their panel members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, select

from masg_cli.errors import NotFound, Refused
from masg_cli.fields import check_email, check_one_line
from masg_cli.models import Locality, PanelMember, Referral, Setting, id_of
from masg_cli.rules import WEEKDAYS

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


@dataclass
class LocalitySettings:
    """How a locality's panel meets. Unset values take the panel's defaults (see README)."""

    cadence: str | None = None
    weekday: str | None = None
    start: str | None = None
    end: str | None = None
    slot_minutes: int | None = None
    venue: str | None = None
    coordinator: str | None = None
    contact: str | None = None
    quorum: int | None = None
    quorum_agencies: list[str] | None = None


def panel_type(session: Session) -> str:
    row = session.get(Setting, "panel")
    return row.value if row else "MASG"


def default_cadence(panel: str) -> str:
    # MASG meets fortnightly in each locality; MAAG weekly in each district.
    return "weekly" if panel == "MAAG" else "fortnightly"


def initialise(uow: UnitOfWork, *, panel: str | None, localities: list[str]) -> dict:
    """Create (or re-open) the store and record which panel it serves."""
    session = uow.session
    current = session.get(Setting, "panel")
    served = current.value if current is not None else None  # before the merge below changes it
    if panel is not None and current is not None and current.value != panel:
        has_referrals = session.exec(select(func.count()).select_from(Referral)).one()
        if has_referrals:
            raise Refused(
                f"this store already serves {current.value} and holds referrals; "
                "start a new store with --db for a different panel"
            )
    if current is None or panel is not None:
        chosen = panel or "MASG"
        if current is None or current.value != chosen:
            session.merge(Setting(key="panel", value=chosen))
            uow.record("init", None, {"panel": chosen})
        if served is not None and served != chosen:
            # Allowed while it holds no referrals (a store set up for the wrong panel), but said.
            uow.warn(f"warning: this store served {served}; it now serves {chosen} (its references "
                     f"will start {chosen}-, and localities now meet {default_cadence(chosen)} by default)")
    added = []
    for name in localities:
        if find_locality(session, name) is None:
            add_locality(uow, name, LocalitySettings())
            added.append(name)
    return {"panel": panel_type(session), "localities_added": added}


def add_locality(uow: UnitOfWork, name: str, wanted: LocalitySettings) -> Locality:
    """A locality (MASG) or district (MAAG) whose panel meets on a regular day."""
    session = uow.session
    name = name.strip()
    if not name:
        raise Refused("a locality needs a name")
    _check_signing(wanted, name=name)
    if find_locality(session, name) is not None:
        raise Refused(f"there is already a locality called '{name}'; see 'masg locality list'")
    panel = panel_type(session)
    start = wanted.start or "09:30"
    end = wanted.end or "12:30"
    slot = wanted.slot_minutes or 20
    _check_times(start, end, slot)
    locality = Locality(
        name=name,
        cadence=wanted.cadence or default_cadence(panel),
        weekday=WEEKDAYS.index(wanted.weekday or "tue"),
        start_time=start,
        end_time=end,
        slot_minutes=slot,
        venue=wanted.venue or "",
        coordinator=wanted.coordinator or "",
        contact=wanted.contact or "",
    )
    session.add(locality)
    session.flush()
    uow.record("locality add", None, locality_json(locality))
    if message := unsigned_warning(locality.name, locality.coordinator, locality.contact):
        uow.warn(message)
    return locality


def _check_signing(wanted: LocalitySettings, *, name: str | None = None) -> None:
    """The locality's name and what its documents are signed with: each on one line."""
    check_one_line([("the locality's name", name), ("--venue", wanted.venue),
                    ("--coordinator", wanted.coordinator), ("--contact", wanted.contact)])


def _check_times(start: str, end: str, slot: int) -> None:
    from masg_cli.dates import minutes

    if start >= end:
        raise Refused(f"the meeting must start ({start}) before it ends ({end}); check --start and --end")
    if slot <= 0:
        raise Refused("--slot-minutes must be a positive number of minutes")
    if minutes(end) - minutes(start) < slot:
        raise Refused(f"{start}-{end} holds no {slot}-minute slot; give a later --end or a shorter --slot-minutes")


def set_locality(uow: UnitOfWork, name: str, wanted: LocalitySettings) -> Locality:
    """Change how a locality's panel meets or who signs its documents; unset values are kept.

    Meetings already scheduled keep their own times and venue.
    """
    _check_signing(wanted)
    locality = get_locality(uow.session, name)
    before = locality_json(locality)
    start = wanted.start or locality.start_time
    end = wanted.end or locality.end_time
    slot = wanted.slot_minutes or locality.slot_minutes
    _check_times(start, end, slot)
    locality.start_time, locality.end_time, locality.slot_minutes = start, end, slot
    if wanted.cadence is not None:
        locality.cadence = wanted.cadence
    if wanted.weekday is not None:
        locality.weekday = WEEKDAYS.index(wanted.weekday)
    for field in ("venue", "coordinator", "contact"):
        if getattr(wanted, field) is not None:
            setattr(locality, field, getattr(wanted, field).strip())
    from masg_cli.services.attendance import set_quorum

    set_quorum(uow.session, locality, wanted.quorum, wanted.quorum_agencies)
    uow.session.flush()
    after = locality_json(locality)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        uow.session.add(locality)
        uow.session.flush()
        uow.record("locality set", None, {"locality": locality.name, **changes})
    if message := unsigned_warning(locality.name, locality.coordinator, locality.contact):
        uow.warn(message)
    return locality


UNSIGNED = ("documents will be signed with a blank name; set it with "
            "'masg locality set {name} --coordinator ... --contact ...'")


def unsigned_warning(name: str, coordinator: str | None, contact: str | None) -> str | None:
    """The warning for a locality whose documents would carry a blank signature, or None."""
    missing = [what for what, value in (("CAF co-ordinator", coordinator), ("contact", contact))
               if not (value or "").strip()]
    if not missing:
        return None
    quoted = f"'{name}'" if " " in name else name
    return f"warning: locality {name} has no {' or '.join(missing)}; " + UNSIGNED.format(name=quoted)


def warn_unsigned(uow: UnitOfWork, context: dict) -> None:
    """Refuse a document a locality cannot sign (no co-ordinator or contact), unless the command
    was given --unsigned for a deliberate draft: then warn, once per command."""
    check_signed(uow, context["locality"], context.get("coordinator"), context.get("coordinator_contact"))


def check_signed(uow: UnitOfWork, name: str, coordinator: str | None, contact: str | None) -> None:
    message = unsigned_warning(name, coordinator, contact)
    if not message:
        return
    if not uow.unsigned:
        raise Refused(unsigned_refusal(name, coordinator, contact))
    if message not in uow.warnings:
        uow.warn(message)


def unsigned_refusal(name: str, coordinator: str | None, contact: str | None) -> str:
    """Why an outgoing document is refused for a locality with no signature, and what to run."""
    missing = [what for what, value in (("CAF co-ordinator", coordinator), ("contact", contact))
               if not (value or "").strip()]
    quoted = f"'{name}'" if " " in name else name
    return (f"locality {name} has no {' or '.join(missing)}, so the document would be signed with a "
            f"blank name; run 'masg locality set {quoted} --coordinator NAME --contact TEXT' "
            "(or give --unsigned for a deliberate draft)")


def find_locality(session: Session, name: str) -> Locality | None:
    return session.exec(
        select(Locality).where(func.lower(Locality.name) == name.strip().lower())
    ).first()


def get_locality(session: Session, name: str) -> Locality:
    locality = find_locality(session, name)
    if locality is None:
        raise NotFound(f"there is no locality '{name}'; add it with 'masg locality add' or see 'masg locality list'")
    return locality


def list_localities(session: Session) -> list[Locality]:
    return list(session.exec(select(Locality).order_by(Locality.name)))


def locality_json(locality: Locality) -> dict:
    from masg_cli.services.attendance import quorum_json

    return {
        "name": locality.name,
        "cadence": locality.cadence,
        "weekday": WEEKDAYS[locality.weekday],
        "start": locality.start_time,
        "end": locality.end_time,
        "slot_minutes": locality.slot_minutes,
        "slots_per_meeting": slots_per_meeting(locality),
        "venue": locality.venue,
        "coordinator": locality.coordinator,
        "contact": locality.contact,
        **quorum_json(locality),
    }


def slots_per_meeting(locality: Locality) -> int:
    from masg_cli.dates import minutes

    length = minutes(locality.end_time) - minutes(locality.start_time)
    return max(0, length // locality.slot_minutes)


def add_member(uow: UnitOfWork, locality_name: str, *, name: str, agency: str, email: str) -> PanelMember:
    """A panel member: one of the people the agenda and background information go to."""
    session = uow.session
    locality = get_locality(session, locality_name)
    # The values are not repeated: they may be a person's name or part of their address.
    check_one_line([("--name", name), ("--agency", agency)])
    check_email("--email", email)
    if not email.strip():
        raise Refused("--email is empty; give the member's address, like name@example.org")
    member = PanelMember(locality_id=id_of(locality), name=name.strip(), agency=agency.strip(),
                         email=email.strip())
    session.add(member)
    session.flush()
    uow.record("member add", None, {"locality": locality.name, "agency": member.agency})
    return member


def list_members(session: Session, locality_name: str) -> list[PanelMember]:
    locality = get_locality(session, locality_name)
    return list(session.exec(
        select(PanelMember).where(PanelMember.locality_id == locality.id).order_by(PanelMember.name)
    ))


def member_json(member: PanelMember) -> dict:
    return {"name": member.name, "agency": member.agency, "email": member.email}

