"""The store's targets: the defaults, or what the co-ordinator set (kept in the setting table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from masg_cli import targets
from masg_cli.models import Setting

if TYPE_CHECKING:
    from masg_cli.store import UnitOfWork


def current_targets(session: Session) -> list[targets.Target]:
    """Every target, in the order of the process, as this store counts it."""
    keys = [targets.SETTING_PREFIX + name for name in targets.NAMES]
    saved = {row.key[len(targets.SETTING_PREFIX):]: row.value
             for row in session.exec(select(Setting).where(col(Setting.key).in_(keys)))}
    return [targets.stored(t.name, saved[t.name]) if t.name in saved else t for t in targets.DEFAULTS]


def target_named(session: Session, name: str) -> targets.Target:
    for target in current_targets(session):
        if target.name == name:
            return target
    return targets.default(name)  # raises NotFound, naming the targets there are


def set_target(uow: UnitOfWork, name: str, days: int, working_days: bool | None) -> targets.Target:
    """Change one target (audited); without --working-days or --calendar-days it keeps its kind."""
    before = target_named(uow.session, name)
    targets.check_days(name, days)
    kind = before.working_days if working_days is None else working_days
    after = targets.Target(name, days, kind, before.counts)
    uow.session.merge(Setting(key=targets.SETTING_PREFIX + name, value=targets.to_setting(after)))
    uow.record("target set", None, {name: [targets.to_setting(before), targets.to_setting(after)]})
    return after
