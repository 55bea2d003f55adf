"""The record of each document masg produced: a row 'referral show' lists, and an audit entry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def record_document(uow: UnitOfWork, kind: str, path: Path, *, referral=None, meeting=None):
    """Remember a produced document (for 'referral show') and put it in the audit trail."""
    from masg_cli.dates import now_utc
    from masg_cli.models import Document

    row = Document(kind=kind, referral_id=getattr(referral, "id", None),
                   meeting_id=getattr(meeting, "id", None), path=str(path), produced_at=now_utc())
    uow.session.add(row)
    changes = {"kind": kind, "file": Path(path).name}
    if meeting is not None:
        changes["meeting"] = meeting.id
    uow.record("document", getattr(referral, "reference", None), changes)
    return row
