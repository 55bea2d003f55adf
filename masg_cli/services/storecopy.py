"""masg store copy: move a whole store into another, empty one (a co-ordinator's SQLite file into a
team's PostgreSQL database), all or nothing.

Every row of every table is copied with its id, so the links between records, the references,
the reference counters and the audit chain (its entries and its head, the ``audit_head`` setting)
arrive exactly as they were. The target's writes are one transaction: before it commits, the
target's row counts are compared with the source's and its audit chain is verified, and any
difference rolls everything back. The copy itself is the last entry on the target's chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import LargeBinary, func, select, update
from sqlmodel import SQLModel

import masg_cli.models  # noqa: F401 - the tables' definitions
from masg_cli.errors import Refused
from masg_cli.services import audit
from masg_cli.store import prepare_bulk_copy, renumber_after_bulk_copy

BATCH = 5_000
# A table of file pieces (1 MB each) is copied a few rows at a time: 5,000 of them would be 5 GB.
BLOB_BATCH = 4


@dataclass
class CopyResult:
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    audit_entries: int = 0

    @property
    def referrals(self) -> int:
        return self.rows.get("referral", 0)


# Who may see what belongs to the store a role was granted on: the new store's owner grants again.
_NOT_COPIED = {"store_access"}


def _tables():
    """Every table copied, parents before children (the foreign keys' order)."""
    return [table for table in SQLModel.metadata.sorted_tables if table.name not in _NOT_COPIED]


def _counts(conn) -> dict[str, int]:
    return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in _tables()}


def check_target_is_empty(conn, where: str) -> None:
    holding = {name: n for name, n in _counts(conn).items() if n}
    if holding:
        what = ", ".join(f"{n} {name.replace('_', ' ')} rows" for name, n in sorted(holding.items())[:4])
        raise Refused(f"the target store {where} is not empty ({what}); store copy only fills an "
                      "empty store: give a new, empty database (or file) with --to")


def _self_links(table) -> list[str]:
    """Columns that point at the same table (a re-referral at the referral it follows)."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _copy_table(source, target, table) -> int:
    """Copy one table's rows in id order, in batches; links to later rows of the same table are
    set once those rows exist."""
    links = _self_links(table)
    key = list(table.primary_key.columns)
    size = BLOB_BATCH if any(isinstance(c.type, LargeBinary) for c in table.columns) else BATCH
    result = source.execute(select(table).order_by(*key),
                            execution_options={"stream_results": True, "yield_per": size})
    copied = 0
    later: list[tuple[int, str, int]] = []
    for batch in result.mappings().partitions(size):
        rows = [dict(row) for row in batch]
        for row in rows:
            for column in links:
                if row[column] is not None and row[column] >= row["id"]:
                    later.append((row["id"], column, row[column]))
                    row[column] = None
        target.execute(table.insert(), rows)
        copied += len(rows)
    for row_id, column, value in later:
        target.execute(update(table).where(table.c.id == row_id).values({column: value}))
    return copied


def _same_store(a, b) -> bool:
    if a.is_sqlite and b.is_sqlite:
        return a.path.expanduser().resolve() == b.path.expanduser().resolve()
    return a.url == b.url


def copy_store(source_uow, target_uow) -> CopyResult:
    """Copy the source store (read in one snapshot) into the empty target, in its transaction."""
    if _same_store(source_uow.location, target_uow.location):
        raise Refused("--to is this store itself; give the new, empty store's URL or file")
    from masg_cli.services.access import limited

    if limited(source_uow.session):
        raise Refused("only the store's owner copies a team store: your role sees only some of its cases; "
                      "connect as the owner")
    source = source_uow.session.connection()
    target = target_uow.session.connection()
    where = target_uow.location.describe()
    prepare_bulk_copy(target, [t.name for t in _tables()])
    check_target_is_empty(target, where)
    target_uow.fresh_anchor = True  # an anchor left by an earlier store of that name is not this one's
    chain = audit.verify(source_uow.session)
    if not chain.ok:
        raise Refused(f"the audit trail of this store is broken at entry {chain.broken_at} "
                      f"({chain.detail}); run 'masg doctor' and restore it from a backup before copying")
    result = CopyResult(target=where)
    for table in _tables():
        result.rows[table.name] = _copy_table(source, target, table)
    renumber_after_bulk_copy(target, [t.name for t in _tables() if "id" in t.c and t.c.id.primary_key])
    expected = _counts(source)
    arrived = _counts(target)
    if arrived != expected:
        different = ", ".join(name for name in expected if expected[name] != arrived.get(name))
        raise Refused(f"the copy of {different} did not match the source; nothing was written to {where}")
    target_uow.session.expire_all()
    copied_chain = audit.verify(target_uow.session)
    if not copied_chain.ok or copied_chain.entries != chain.entries:
        raise Refused(f"the copied audit trail did not verify ({copied_chain.detail or 'entries differ'}); "
                      f"nothing was written to {where}")
    result.audit_entries = copied_chain.entries
    target_uow.record("store copy", None, {"from": source_uow.location.describe(),
                                            "referrals": result.referrals,
                                            "audit_entries": result.audit_entries})
    return result
