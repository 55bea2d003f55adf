"""Who may see what on a team's PostgreSQL store: the database's own rules, not masg's.

Row-level security on every table that holds a case's data makes a co-ordinator's role read and
write only its localities' cases, and a manager's role read every case and write none, whatever
client connects (masg, psql, a spreadsheet's ODBC link). ``store_access`` says which role has which
localities (``masg store grant``); two SQL functions read it for the policies:

- ``masg_localities()``: the localities the connected role (or a group it is in) co-ordinates;
- ``masg_manager()``: whether it is a manager.

The store's owner, who holds the tables, is not subject to them (PostgreSQL's rule for a table's
owner): migrations, ``store copy``, ``backup`` (pg_dump) and ``doctor`` see everything for it.

The rules, table by table:

- a case (``referral``) is read by its locality's co-ordinators and every manager, and written by
  its locality's co-ordinators only; a case moved elsewhere must land in one of the role's
  localities (the new row is checked too);
- everything of a case (its children, triage, slots, decisions and their services, reviews,
  follow-ups, notes, attachments and their pieces, actions, reminders, Lead Professional changes,
  documents, views) follows its case;
- the county's panel calendar (localities, meetings, members, quorum agencies, attendance) is read
  by every role and changed only by the locality's own co-ordinators; a locality is added by the
  owner;
- the audit trail: an entry about a case is read with the case; entries about no case (a locality
  added, a meeting scheduled) by every role; every role may add entries, none may change them;
- settings are read by all; a co-ordinator may move only the audit trail's head.

A table added by a later migration that holds a case's data gets its rule in that migration, with
``protect`` below; ``tests/test_team_access.py`` fails for a table with a ``referral_id`` (or a
meeting's, locality's, decision's or attachment's id) and no row security.
"""

from __future__ import annotations

FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION masg_localities() RETURNS SETOF integer
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT a.locality_id FROM store_access a JOIN pg_roles r ON r.rolname = a.role
    WHERE a.locality_id IS NOT NULL AND pg_has_role(r.oid, 'MEMBER')
$$""",
    """CREATE OR REPLACE FUNCTION masg_manager() RETURNS boolean
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT EXISTS (SELECT 1 FROM store_access a JOIN pg_roles r ON r.rolname = a.role
                   WHERE a.manager AND pg_has_role(r.oid, 'MEMBER'))
$$""",
]

# (SELECT f()) and IN (SELECT f()): worked out once per statement, not once per row.
_WRITES = "{0} IN (SELECT masg_localities())"
_READS = "({0} IN (SELECT masg_localities()) OR (SELECT masg_manager()))"


def _of_referral(table: str, column: str = "referral_id") -> tuple[str, str]:
    return (f"EXISTS (SELECT 1 FROM referral r WHERE r.id = {table}.{column})",
            f"EXISTS (SELECT 1 FROM referral r WHERE r.id = {table}.{column} AND {_WRITES.format('r.locality_id')})")


def _of_meeting(table: str) -> tuple[str, str]:
    return ("true", f"EXISTS (SELECT 1 FROM meeting m WHERE m.id = {table}.meeting_id "
                    f"AND {_WRITES.format('m.locality_id')})")


def _document() -> tuple[str, str]:
    case_read, case_write = _of_referral("document")
    meeting = "EXISTS (SELECT 1 FROM meeting m WHERE m.id = document.meeting_id AND {0})"
    return (f"CASE WHEN document.referral_id IS NOT NULL THEN {case_read} "
            f"WHEN document.meeting_id IS NOT NULL THEN {meeting.format(_READS.format('m.locality_id'))} "
            "ELSE true END",
            f"CASE WHEN document.referral_id IS NOT NULL THEN {case_write} "
            f"WHEN document.meeting_id IS NOT NULL THEN {meeting.format(_WRITES.format('m.locality_id'))} "
            "ELSE true END")


_CASE_PARTS = ("child", "suggested_agency", "transition_flag", "triage_entry", "agenda_slot", "decision",
               "review", "follow_up", "lead_change", "note", "attachment", "panel_action", "reminder")
_CALENDAR = ("meeting", "panel_member", "quorum_agency")

# table -> (who reads a row, who may add, change or remove one); None: nobody but the owner.
RULES: dict[str, tuple[str, str | None]] = {
    "referral": (_READS.format("referral.locality_id"), _WRITES.format("referral.locality_id")),
    **{table: _of_referral(table) for table in _CASE_PARTS},
    "service": ("EXISTS (SELECT 1 FROM decision d WHERE d.id = service.decision_id)",
                "EXISTS (SELECT 1 FROM decision d JOIN referral r ON r.id = d.referral_id "
                f"WHERE d.id = service.decision_id AND {_WRITES.format('r.locality_id')})"),
    "attachment_chunk": ("EXISTS (SELECT 1 FROM attachment a WHERE a.id = attachment_chunk.attachment_id)",
                         "EXISTS (SELECT 1 FROM attachment a JOIN referral r ON r.id = a.referral_id "
                         f"WHERE a.id = attachment_chunk.attachment_id AND {_WRITES.format('r.locality_id')})"),
    "document": _document(),
    **{table: ("true", _WRITES.format(f"{table}.locality_id")) for table in _CALENDAR},
    "attendance": _of_meeting("attendance"),
}

# Tables whose rows are added but never changed by a co-ordinator (or, for views, a manager too),
# and the two store-wide tables whose changes are limited.
_SPECIAL = """
ALTER TABLE audit_entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY masg_read ON audit_entry FOR SELECT USING (
    audit_entry.reference IS NULL
    OR EXISTS (SELECT 1 FROM referral r WHERE r.reference = audit_entry.reference)
    OR (SELECT masg_manager()));
CREATE POLICY masg_add ON audit_entry FOR INSERT WITH CHECK (true);
ALTER TABLE case_view ENABLE ROW LEVEL SECURITY;
CREATE POLICY masg_read ON case_view FOR SELECT USING (
    EXISTS (SELECT 1 FROM referral r WHERE r.id = case_view.referral_id));
CREATE POLICY masg_add ON case_view FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM referral r WHERE r.id = case_view.referral_id));
ALTER TABLE locality ENABLE ROW LEVEL SECURITY;
CREATE POLICY masg_read ON locality FOR SELECT USING (true);
CREATE POLICY masg_change ON locality FOR UPDATE USING (locality.id IN (SELECT masg_localities()))
    WITH CHECK (locality.id IN (SELECT masg_localities()));
ALTER TABLE setting ENABLE ROW LEVEL SECURITY;
CREATE POLICY masg_read ON setting FOR SELECT USING (true);
CREATE POLICY masg_add ON setting FOR INSERT WITH CHECK (setting.key = 'audit_head');
CREATE POLICY masg_change ON setting FOR UPDATE USING (setting.key = 'audit_head')
    WITH CHECK (setting.key = 'audit_head')
"""


def protect(table: str, reads: str, writes: str | None) -> list[str]:
    """The statements that put ``table`` under row-level security with these two rules."""
    statements = [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                  f"CREATE POLICY masg_read ON {table} FOR SELECT USING ({reads})"]
    if writes is not None:
        statements += [
            f"CREATE POLICY masg_add ON {table} FOR INSERT WITH CHECK ({writes})",
            f"CREATE POLICY masg_change ON {table} FOR UPDATE USING ({writes}) WITH CHECK ({writes})",
            f"CREATE POLICY masg_remove ON {table} FOR DELETE USING ({writes})",
        ]
    return statements


def install_statements() -> list[str]:
    """Everything m012 runs on PostgreSQL, in order."""
    statements = list(FUNCTIONS)
    for table, (reads, writes) in RULES.items():
        statements += protect(table, reads, writes)
    statements += [s.strip() for s in _SPECIAL.split(";") if s.strip()]
    return statements


# --- The privileges a role is granted (GRANT): row-level security then narrows them to rows ------

# Tables a co-ordinator adds to, changes and removes from (row security says which rows).
COORDINATOR_WRITES = ("referral", *_CASE_PARTS, "service", "attachment_chunk", "document", *_CALENDAR,
                      "attendance", "reference_counter")


def quoted(role: str) -> str:
    """A role's name as an SQL identifier (any name PostgreSQL allows, quoted)."""
    return '"' + role.replace('"', '""') + '"'


def grant_statements(role: str, *, manager: bool, database: str) -> list[str]:
    who = quoted(role)
    statements = [f"GRANT CONNECT ON DATABASE {quoted(database)} TO {who}",
                  f"GRANT USAGE ON SCHEMA public TO {who}",
                  f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {who}",
                  f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {who}",
                  f"GRANT INSERT ON case_view TO {who}"]
    if not manager:
        statements += [f"GRANT INSERT, UPDATE, DELETE ON {', '.join(COORDINATOR_WRITES)} TO {who}",
                       f"GRANT INSERT, UPDATE ON setting TO {who}",
                       f"GRANT UPDATE ON locality TO {who}",
                       f"GRANT INSERT ON audit_entry TO {who}"]
    return statements


def revoke_statements(role: str) -> list[str]:
    """Every table and sequence privilege of the role (its CONNECT, from the administrator, stays)."""
    who = quoted(role)
    return [f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}"]
