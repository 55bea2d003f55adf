"""Shell completion that knows the store: references, meeting ids and localities.

Completion runs on every Tab, so it reads a SQLite store with the standard library's sqlite3
alone (one indexed query, read-only, never waiting on a writer) and imports neither SQLModel nor
the document stack. A PostgreSQL store completes nothing here: connecting costs more than a Tab
should, and completing nothing is only what the shell did before.
"""

from contextlib import closing
from pathlib import Path

from masg_cli.cli.clicklib import CompletionItem

_MOST = 200  # a shell shows no more than this usefully


def _store_file(ctx) -> Path | None:
    """The SQLite file --db / MASG_DB names (the root's parsed option), or the default one."""
    from masg_cli.store import locate

    root = ctx.find_root()
    try:
        location = locate(root.params.get("db"))
    except Exception:  # a --db completion cannot use is no reason to break the shell
        return None
    return location.path if location.path is not None and location.path.is_file() else None


def _rows(ctx, query: str, arguments: tuple) -> list[tuple]:
    import sqlite3

    path = _store_file(ctx)
    if path is None:
        return []
    try:
        # mode=ro: a Tab never creates, changes or locks the store; timeout: never wait on a writer.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)) as db:
            return db.execute(query, arguments).fetchall()
    except sqlite3.Error:  # not a store yet, or a store from another version: nothing to offer
        return []


def references(ctx, param, incomplete: str) -> list[str]:
    """The references that start with what was typed, in any letter case ('ma' finds MASG-...)."""
    prefix = incomplete.strip().upper()
    # A range on the unique index, not LIKE: LIKE ignores case, and so cannot use the index.
    rows = _rows(ctx, "SELECT reference FROM referral WHERE reference >= ? AND reference < ? "
                      f"ORDER BY reference LIMIT {_MOST}", (prefix, prefix + "\uffff"))
    return [reference for (reference,) in rows]


def meetings(ctx, param, incomplete: str) -> list[CompletionItem]:
    """Scheduled meetings' ids, each with its date and locality for shells that show help."""
    rows = _rows(ctx, "SELECT m.id, m.date, l.name FROM meeting m JOIN locality l ON l.id = m.locality_id "
                      f"WHERE m.status = 'scheduled' ORDER BY m.date, m.id LIMIT {_MOST * 5}", ())
    return [CompletionItem(str(id_), help=f"{day} {name}") for id_, day, name in rows
            if str(id_).startswith(incomplete.strip())]


def localities(ctx, param, incomplete: str) -> list[str]:
    """The store's localities that start with what was typed, in any letter case."""
    rows = _rows(ctx, "SELECT name FROM locality ORDER BY name", ())
    return [name for (name,) in rows if name.lower().startswith(incomplete.strip().lower())]


def attach(param) -> None:
    """Give a parameter the store's values to complete, known by its label or name."""
    if param._custom_shell_complete is not None:
        return
    label = (param.metavar or "").strip("[]").split("|")[0]
    if label in ("REF", "REF2"):
        param._custom_shell_complete = references
    elif label == "MEETING":
        param._custom_shell_complete = meetings
    elif param.name == "locality":
        param._custom_shell_complete = localities
