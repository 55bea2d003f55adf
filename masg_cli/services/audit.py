"""The audit trail: who changed what and when, as a hash chain.

Each entry's hash covers its own fields and the hash of the entry before it, so an entry that is
edited or deleted breaks the chain from that point, and ``masg doctor`` says where.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli.dates import now_utc
from masg_cli.models import AuditEntry, Setting

if TYPE_CHECKING:
    from masg_cli.services.anchor import Head

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
BULK_BATCH = 1000  # rows per INSERT statement of a bulk append


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def entry_hash(prev_hash: str, at: datetime, user: str, reference: str | None, action: str,
               changes: str) -> str:
    payload = json.dumps(
        [prev_hash, at.replace(tzinfo=None).isoformat(), user, reference, action, changes],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def lock_head(session: Session) -> Setting | None:
    """Hold the chain's head row until the transaction ends (a row lock on a server database).

    Every writer takes it before any other row it locks (a reference counter), so that two
    writers never wait for each other in a circle.
    """
    return session.exec(select(Setting).where(Setting.key == HEAD_KEY).with_for_update()).first()


def head_value(session: Session) -> str | None:
    """The hash at the head of the chain, read without a lock: it moves with every audited write."""
    head = session.get(Setting, HEAD_KEY)
    return head.value if head else None


def append(session: Session, *, user: str, reference: str | None, action: str,
           changes: dict) -> AuditEntry:
    """Add one entry to the end of the chain (inside the command's transaction)."""
    # The head of the chain lives in one row: locking it orders concurrent writers on a
    # server database, and it shows when the newest entries were deleted.
    head = session.exec(select(Setting).where(Setting.key == HEAD_KEY).with_for_update()).first()
    prev_hash = head.value if head else GENESIS
    at = now_utc()
    body = json.dumps(_plain(changes), ensure_ascii=False, sort_keys=True)
    entry = AuditEntry(
        at=at, user=user, reference=reference, action=action, changes=body,
        prev_hash=prev_hash, hash=entry_hash(prev_hash, at, user, reference, action, body),
    )
    session.add(entry)
    if head is None:
        head = Setting(key=HEAD_KEY, value=entry.hash)
    head.value = entry.hash
    session.add(head)
    session.flush()
    return entry


def append_many(session: Session, *, user: str, entries: Iterable[tuple[str | None, str, dict]]) -> int:
    """Add entries (reference, action, changes) to the end of the chain in bulk, in order.

    For a command that writes many records at once (an import: one entry per row). Each entry is
    hashed onto the one before, exactly as ``append`` would; the rows go in as batched INSERTs and
    the head moves once. Returns how many were added.
    """
    from sqlalchemy import insert

    head = lock_head(session)
    prev_hash = head.value if head else GENESIS
    at = now_utc()
    session.flush()  # entries already pending come first in the chain
    added = 0
    for batch in _batches(entries, BULK_BATCH):
        rows = []
        for reference, action, changes in batch:
            body = json.dumps(_plain(changes), ensure_ascii=False, sort_keys=True)
            digest = entry_hash(prev_hash, at, user, reference, action, body)
            rows.append({"at": at, "user": user, "reference": reference, "action": action, "changes": body,
                         "prev_hash": prev_hash, "hash": digest})
            prev_hash = digest
        session.execute(insert(AuditEntry.__table__), rows)  # type: ignore[attr-defined]
        added += len(rows)
    if added:
        head = head or Setting(key=HEAD_KEY, value=prev_hash)
        head.value = prev_hash
        session.add(head)
        session.flush()
    return added


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def entries(session: Session, reference: str | None = None) -> list[AuditEntry]:
    """The whole trail, or one referral's entries (still there after retention removed the case)."""
    query = select(AuditEntry).order_by(col(AuditEntry.id))
    if reference:
        query = query.where(AuditEntry.reference == reference)
    return list(session.exec(query))


def trail(session: Session, reference: str | None = None) -> list[AuditEntry]:
    """What 'masg audit' shows: a reference the trail never named is a mistyped one."""
    found = entries(session, reference)
    if reference and not found:
        from masg_cli.errors import NotFound

        raise NotFound(f"the audit trail names no referral {reference}; check the reference "
                       "('masg referral list')")
    return found


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    broken_at: int | None = None
    detail: str = ""


def verify(session: Session) -> ChainCheck:
    """Walk the chain from the first entry; the first entry that does not fit is reported."""
    prev = GENESIS
    count = 0
    last_id = None
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
        count += 1
        last_id = entry.id
        if entry.prev_hash != prev:
            return ChainCheck(False, count, entry.id, "an entry before it was removed or changed")
        expected = entry_hash(prev, entry.at, entry.user, entry.reference, entry.action,
                              entry.changes)
        if entry.hash != expected:
            return ChainCheck(False, count, entry.id, "its contents were changed")
        prev = entry.hash
    head = session.get(Setting, HEAD_KEY)
    if (head.value if head else GENESIS) != prev:
        detail = "entries after it (the newest) were removed" if last_id else "all its entries were removed"
        return ChainCheck(False, count, last_id, detail)
    return ChainCheck(True, count)


def as_json(entry: AuditEntry) -> dict:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "user": entry.user,
        "reference": entry.reference,
        "action": entry.action,
        "changes": json.loads(entry.changes),
    }


def trouble(session: Session, location) -> str | None:
    """Why the trail cannot be trusted as shown (a broken chain, a rewritten one), or None."""
    from masg_cli.services import anchor
    from masg_cli.services.access import limited

    if limited(session):  # a part of the chain proves nothing: the owner's 'masg doctor' checks it whole
        return None
    chain = verify(session)
    if not chain.ok:
        return f"the audit chain is broken at entry {chain.broken_at} ({chain.detail})"
    try:
        anchored = anchor.read_seal(anchor.anchor_path(location))
    except Exception:  # noqa: BLE001 - an unreadable anchor: doctor says which and why
        return "the audit head kept outside the store cannot be read"
    if anchored is not None and not anchor.still_holds(session, anchored):
        return f"the trail no longer holds its anchored head ({anchored.short()}): it was rewritten"
    return None


def seal(session: Session, location, out) -> Head:
    """Write the trail's head and count to ``out`` (0600), for a manager to keep apart from the store."""
    from pathlib import Path

    from masg_cli.errors import Refused
    from masg_cli.services import anchor
    from masg_cli.services.access import limited

    if limited(session):
        raise Refused("only the store's owner seals the audit trail: your role sees only its localities' "
                      "entries; connect as the owner")
    chain = verify(session)
    if not chain.ok:
        raise Refused(f"the audit chain is broken at entry {chain.broken_at} ({chain.detail}); a seal "
                      "would vouch for it: run 'masg doctor' and restore the store from a backup")
    path = Path(out).expanduser()
    if path.is_dir():
        raise Refused(f"{path} is a folder; give --out a file name, e.g. {path / 'masg-audit-seal.json'}")
    from masg_cli import outputs

    outputs.check(path)  # the rule for every output: refused if it exists, unless --overwrite
    existed = path.exists()
    head = anchor.current_head(session)
    try:
        anchor.write_private(path, anchor.as_seal(head, location))
    except OSError as exc:
        raise Refused(f"cannot write {path} ({exc.strerror}); choose another --out") from None
    if existed:
        outputs.say_replaced(path)
    return head
