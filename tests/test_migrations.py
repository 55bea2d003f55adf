"""The store's schema: pinned, matched by models.py, upgraded from every earlier version."""

import os
import sqlite3
from pathlib import Path

import pytest

from conftest import REFERRAL, add_referral, ok, run, sql
from masg_cli import migrations
from masg_cli import store as masg_store


def schema_of(conn) -> dict:
    """The schema as sqlite_master and PRAGMAs describe it: tables, columns, keys and indexes."""
    out = {}
    tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    for (table,) in tables:
        columns = [f"{name} {type_}{' NOT NULL' if notnull else ''}{' PK' if pk else ''}"
                   for _, name, type_, notnull, _, pk in conn.execute(f'PRAGMA table_info("{table}")')]
        keys = sorted(f"{row[3]} -> {row[2]}.{row[4]}"
                      for row in conn.execute(f'PRAGMA foreign_key_list("{table}")'))
        indexes = []
        for _, name, unique, *_ in conn.execute(f'PRAGMA index_list("{table}")'):
            on = ", ".join(row[2] for row in conn.execute(f'PRAGMA index_info("{name}")'))
            shown = "(automatic)" if name.startswith("sqlite_autoindex") else name
            indexes.append(f"{'UNIQUE ' if unique else ''}{shown} ({on})")
        out[table] = {"columns": columns, "foreign_keys": keys, "indexes": sorted(indexes)}
    return out


PINNED_SCHEMA = {
    "attendance": {
        "columns": [
            "id INTEGER NOT NULL PK", "meeting_id INTEGER NOT NULL", "panel_member_id INTEGER",
            "name VARCHAR NOT NULL", "agency VARCHAR NOT NULL", "role VARCHAR NOT NULL",
            "deputy VARCHAR", "chair BOOLEAN NOT NULL",
        ],
        "foreign_keys": [
            "meeting_id -> meeting.id", "panel_member_id -> panel_member.id",
        ],
        "indexes": [
            "ix_attendance_meeting_id (meeting_id)",
        ],
    },
    "panel_action": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "meeting_id INTEGER NOT NULL",
            "owner VARCHAR NOT NULL", "agency VARCHAR NOT NULL", "what VARCHAR NOT NULL",
            "due DATE NOT NULL", "status VARCHAR NOT NULL", "closed_on DATE", "reason VARCHAR",
            "note VARCHAR", "created_at DATETIME NOT NULL",
        ],
        "foreign_keys": [
            "meeting_id -> meeting.id", "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_panel_action_meeting_id (meeting_id)", "ix_panel_action_referral_id (referral_id)",
            "ix_panel_action_status_due (status, due)",
        ],
    },
    "quorum_agency": {
        "columns": [
            "id INTEGER NOT NULL PK", "locality_id INTEGER NOT NULL", "agency VARCHAR NOT NULL",
        ],
        "foreign_keys": [
            "locality_id -> locality.id",
        ],
        "indexes": [
            "ix_quorum_agency_locality_id (locality_id)",
        ],
    },
    "agenda_slot": {
        "columns": [
            "id INTEGER NOT NULL PK", "meeting_id INTEGER NOT NULL", "referral_id INTEGER NOT NULL",
            "kind VARCHAR NOT NULL", "time VARCHAR NOT NULL", "attending VARCHAR NOT NULL",
            "outcome VARCHAR NOT NULL", "note VARCHAR", "invited_at DATETIME",
        ],
        "foreign_keys": [
            "meeting_id -> meeting.id", "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_agenda_slot_meeting_id (meeting_id)", "ix_agenda_slot_referral_id (referral_id)",
        ],
    },
    "attachment": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "name VARCHAR NOT NULL",
            "kind VARCHAR NOT NULL", "content VARCHAR NOT NULL", "size INTEGER NOT NULL",
            "sha256 VARCHAR NOT NULL", "added_at DATETIME NOT NULL",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_attachment_referral_id (referral_id)",
        ],
    },
    "attachment_chunk": {
        "columns": [
            "id INTEGER NOT NULL PK", "attachment_id INTEGER NOT NULL", "position INTEGER NOT NULL",
            "data BLOB NOT NULL",
        ],
        "foreign_keys": [
            "attachment_id -> attachment.id",
        ],
        "indexes": [
            "UNIQUE ix_attachment_chunk_attachment_id_position (attachment_id, position)",
        ],
    },
    "audit_entry": {
        "columns": [
            "id INTEGER NOT NULL PK", "at DATETIME NOT NULL", "user VARCHAR NOT NULL",
            "reference VARCHAR", "action VARCHAR NOT NULL", "changes VARCHAR NOT NULL",
            "prev_hash VARCHAR NOT NULL", "hash VARCHAR NOT NULL",
        ],
        "foreign_keys": [],
        "indexes": [
            "ix_audit_entry_reference (reference)",
        ],
    },
    "case_view": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "at DATETIME NOT NULL",
            "user VARCHAR NOT NULL", "view VARCHAR NOT NULL",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_case_view_referral_id (referral_id)",
        ],
    },
    "child": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "position INTEGER NOT NULL",
            "name VARCHAR NOT NULL", "dob DATE NOT NULL", "sex VARCHAR", "ethnicity VARCHAR",
            "school VARCHAR", "gp VARCHAR", "postcode VARCHAR", "nhs_number VARCHAR", "upn VARCHAR",
            "name_key VARCHAR", "name_sound VARCHAR",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_child_name_key_dob (name_key, dob)", "ix_child_referral_id (referral_id)",
        ],
    },
    "decision": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "meeting_id INTEGER NOT NULL",
            "lead_name VARCHAR NOT NULL", "lead_agency VARCHAR NOT NULL",
            "lead_contact VARCHAR NOT NULL", "review_date DATE NOT NULL",
            "recorded_at DATETIME NOT NULL", "sheet_produced_at DATETIME", "sheet_file VARCHAR",
            "inquorate_reason VARCHAR",
        ],
        "foreign_keys": [
            "meeting_id -> meeting.id", "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_decision_meeting_id (meeting_id)", "ix_decision_referral_id (referral_id)",
        ],
    },
    "document": {
        "columns": [
            "id INTEGER NOT NULL PK", "kind VARCHAR NOT NULL", "referral_id INTEGER",
            "meeting_id INTEGER", "path VARCHAR NOT NULL", "produced_at DATETIME NOT NULL",
        ],
        "foreign_keys": [
            "meeting_id -> meeting.id", "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_document_meeting_id (meeting_id)", "ix_document_referral_id (referral_id)",
        ],
    },
    "follow_up": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "date DATE NOT NULL", "due DATE",
            "outcome VARCHAR NOT NULL", "note VARCHAR", "new_referral_id INTEGER",
        ],
        "foreign_keys": [
            "new_referral_id -> referral.id", "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_follow_up_referral_id (referral_id)",
        ],
    },
    "lead_change": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "date DATE NOT NULL",
            "name VARCHAR NOT NULL", "agency VARCHAR NOT NULL", "contact VARCHAR NOT NULL",
            "reason VARCHAR NOT NULL", "recorded_at DATETIME NOT NULL",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_lead_change_referral_id (referral_id)",
        ],
    },
    "locality": {
        "columns": [
            "id INTEGER NOT NULL PK", "name VARCHAR NOT NULL", "cadence VARCHAR NOT NULL",
            "weekday INTEGER NOT NULL", "start_time VARCHAR NOT NULL", "end_time VARCHAR NOT NULL",
            "slot_minutes INTEGER NOT NULL", "venue VARCHAR NOT NULL", "coordinator VARCHAR NOT NULL",
            "contact VARCHAR NOT NULL", "anchor_date DATE", "quorum INTEGER NOT NULL",
        ],
        "foreign_keys": [],
        "indexes": [
            "UNIQUE (automatic) (name)",
        ],
    },
    "masg_migrations": {
        "columns": [
            "name VARCHAR NOT NULL PK", "applied_at VARCHAR NOT NULL",
        ],
        "foreign_keys": [],
        "indexes": [
            "UNIQUE (automatic) (name)",
        ],
    },
    "meeting": {
        "columns": [
            "id INTEGER NOT NULL PK", "locality_id INTEGER NOT NULL", "planned_date DATE NOT NULL",
            "date DATE NOT NULL", "start_time VARCHAR NOT NULL", "end_time VARCHAR NOT NULL",
            "venue VARCHAR NOT NULL", "status VARCHAR NOT NULL", "uid VARCHAR NOT NULL",
            "note VARCHAR",
        ],
        "foreign_keys": [
            "locality_id -> locality.id",
        ],
        "indexes": [
            "UNIQUE (automatic) (uid)", "ix_meeting_date (date)",
            "ix_meeting_locality_id (locality_id)",
        ],
    },
    "note": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "date DATE NOT NULL",
            "kind VARCHAR NOT NULL", "with_whom VARCHAR", "text VARCHAR NOT NULL",
            "recorded_at DATETIME NOT NULL",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_note_referral_id (referral_id)",
        ],
    },
    "panel_member": {
        "columns": [
            "id INTEGER NOT NULL PK", "locality_id INTEGER NOT NULL", "name VARCHAR NOT NULL",
            "agency VARCHAR NOT NULL", "email VARCHAR NOT NULL",
        ],
        "foreign_keys": [
            "locality_id -> locality.id",
        ],
        "indexes": [
            "ix_panel_member_locality_id (locality_id)",
        ],
    },
    "reference_counter": {
        "columns": [
            "panel VARCHAR NOT NULL PK", "year INTEGER NOT NULL PK", "last_number INTEGER NOT NULL",
        ],
        "foreign_keys": [],
        "indexes": [
            "UNIQUE (automatic) (panel, year)",
        ],
    },
    "referral": {
        "columns": [
            "id INTEGER NOT NULL PK", "reference VARCHAR NOT NULL", "panel VARCHAR NOT NULL",
            "locality_id INTEGER NOT NULL", "status VARCHAR NOT NULL", "closed_reason VARCHAR",
            "received DATE NOT NULL", "consent_date DATE NOT NULL", "consent_by VARCHAR NOT NULL",
            "needs VARCHAR NOT NULL", "referrer_name VARCHAR NOT NULL",
            "referrer_agency VARCHAR NOT NULL", "referrer_email VARCHAR NOT NULL",
            "referrer_phone VARCHAR NOT NULL", "re_referral_of_id INTEGER", "triaged_on DATE",
            "triage_outcome VARCHAR", "triage_agency VARCHAR", "triage_note VARCHAR",
            "info_received_on DATE", "family_response VARCHAR", "family_response_date DATE",
            "tac_date DATE", "next_review DATE", "last_reviewed DATE", "follow_up_due DATE",
            "closed_on DATE", "final_review_date DATE", "closure_outcome VARCHAR",
            "legal_hold BOOLEAN NOT NULL", "created_at DATETIME NOT NULL",
            "updated_at DATETIME NOT NULL",
            "tracker_lead_name VARCHAR", "tracker_lead_agency VARCHAR", "tracker_lead_contact VARCHAR",
            "step_down BOOLEAN NOT NULL",
        ],
        "foreign_keys": [
            "locality_id -> locality.id", "re_referral_of_id -> referral.id",
        ],
        "indexes": [
            "UNIQUE (automatic) (reference)", "ix_referral_follow_up_due (follow_up_due)",
            "ix_referral_locality_id (locality_id)", "ix_referral_next_review (next_review)",
            "ix_referral_re_referral_of_id (re_referral_of_id)", "ix_referral_status (status)",
            "ix_referral_status_family_response_date (status, family_response_date)",
            "ix_referral_status_follow_up_due (status, follow_up_due)",
            "ix_referral_status_next_review (status, next_review)",
            "ix_referral_status_received (status, received)",
            "ix_referral_status_triaged_on (status, triaged_on)",
        ],
    },
    "review": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "meeting_id INTEGER",
            "date DATE NOT NULL", "further_reviews BOOLEAN NOT NULL", "next_review DATE",
            "note VARCHAR", "inquorate_reason VARCHAR",
        ],
        "foreign_keys": [
            "meeting_id -> meeting.id", "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_review_referral_id (referral_id)",
        ],
    },
    "reminder": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "kind VARCHAR NOT NULL",
            "recipient VARCHAR NOT NULL", "sent_on DATE NOT NULL", "file VARCHAR NOT NULL",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_reminder_referral_id (referral_id)", "ix_reminder_sent_on (sent_on)",
        ],
    },
    "service": {
        "columns": [
            "id INTEGER NOT NULL PK", "decision_id INTEGER NOT NULL", "agency VARCHAR NOT NULL",
            "description VARCHAR NOT NULL",
        ],
        "foreign_keys": [
            "decision_id -> decision.id",
        ],
        "indexes": [
            "ix_service_agency (agency)", "ix_service_decision_id (decision_id)",
        ],
    },
    "setting": {
        "columns": [
            "key VARCHAR NOT NULL PK", "value VARCHAR NOT NULL",
        ],
        "foreign_keys": [],
        "indexes": [
            "UNIQUE (automatic) (key)",
        ],
    },
    "store_access": {
        "columns": [
            "id INTEGER NOT NULL PK", "role VARCHAR NOT NULL", "locality_id INTEGER",
            "manager BOOLEAN NOT NULL", "granted_at DATETIME NOT NULL",
        ],
        "foreign_keys": [
            "locality_id -> locality.id",
        ],
        "indexes": [
            "UNIQUE ix_store_access_role_locality_id (role, locality_id)",
        ],
    },
    "suggested_agency": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "agency VARCHAR NOT NULL",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_suggested_agency_referral_id (referral_id)",
        ],
    },
    "triage_entry": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "date DATE NOT NULL",
            "outcome VARCHAR NOT NULL", "agency VARCHAR", "note VARCHAR",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_triage_entry_referral_id (referral_id)",
        ],
    },
    "transition_flag": {
        "columns": [
            "id INTEGER NOT NULL PK", "referral_id INTEGER NOT NULL", "flag VARCHAR NOT NULL",
        ],
        "foreign_keys": [
            "referral_id -> referral.id",
        ],
        "indexes": [
            "ix_transition_flag_referral_id (referral_id)",
        ],
    },
}


def blank_store(path: Path):
    location = masg_store.locate(str(path))
    masg_store.create_sqlite_file(location.path)
    return masg_store.engine_for(location)


def schema_at(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return schema_of(conn)
    finally:
        conn.close()


def test_migrating_a_blank_database_gives_exactly_the_pinned_schema(tmp_path):
    engine = blank_store(tmp_path / "blank.db")
    assert migrations.bring_up_to_date(engine, create=True) == migrations.known_names()
    assert schema_at(tmp_path / "blank.db") == PINNED_SCHEMA


def test_migrating_again_does_nothing(tmp_path):
    engine = blank_store(tmp_path / "blank.db")
    migrations.bring_up_to_date(engine, create=True)
    assert migrations.bring_up_to_date(engine) == []
    assert migrations.applied_names(engine) == migrations.known_names()


def test_models_agree_with_the_migrated_schema(tmp_path):
    from sqlmodel import SQLModel

    import masg_cli.models  # noqa: F401 - registers the tables

    engine = blank_store(tmp_path / "blank.db")
    migrations.bring_up_to_date(engine, create=True)
    migrated = schema_at(tmp_path / "blank.db")
    migrated.pop(migrations.MIGRATIONS_TABLE)
    assert set(SQLModel.metadata.tables) == set(migrated)
    for name, table in SQLModel.metadata.tables.items():
        columns = {c.split()[0]: c for c in migrated[name]["columns"]}
        assert [c.name for c in table.columns] == list(columns), name
        for column in table.columns:
            shown = columns[column.name]
            assert ("NOT NULL" in shown) == (not column.nullable or column.primary_key), (name, column.name)
            assert shown.endswith(" PK") == column.primary_key, (name, column.name)
        keys = sorted(f"{fk.parent.name} -> {fk.column.table.name}.{fk.column.name}"
                      for fk in table.foreign_keys)
        assert keys == migrated[name]["foreign_keys"], name
        indexed = sorted(f"{'UNIQUE ' if index.unique else ''}{index.name} ({', '.join(c.name for c in index.columns)})"
                         for index in table.indexes)
        assert indexed == sorted(i for i in migrated[name]["indexes"] if "(automatic)" not in i), name
        unique = {c.name for c in table.columns if c.unique}
        auto_unique = {i.split("(automatic) (")[1].rstrip(")") for i in migrated[name]["indexes"]
                       if i.startswith("UNIQUE (automatic)")}
        primary = ", ".join(c.name for c in table.primary_key.columns)
        assert unique | ({primary} if primary in auto_unique else set()) == auto_unique, name


@pytest.mark.parametrize("upto", migrations.known_names())
def test_a_store_made_at_every_earlier_version_upgrades_and_keeps_its_data(tmp_path, upto):
    path = tmp_path / f"at-{upto}.db"
    engine = blank_store(path)
    assert migrations.bring_up_to_date(engine, create=True, upto=upto)[-1] == upto
    assert migrations.applied_names(engine) == migrations.known_names()[: migrations.known_names().index(upto) + 1]
    with engine.execution_options(masg_write=True).begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('panel', 'MAAG')")
    masg_store.dispose_engines()
    # Any command brings it up to date.
    assert ok("--db", str(path), "referral", "list", "--json").json == []
    assert schema_at(path) == PINNED_SCHEMA
    assert "MAAG" in ok("--db", str(path), "init").stdout
    masg_store.dispose_engines()
    conn = sqlite3.connect(path)
    names = [row[0] for row in conn.execute("SELECT name FROM masg_migrations ORDER BY rowid")]
    conn.close()
    assert names == migrations.known_names()


def test_a_store_from_a_newer_masg_is_refused_with_one_clear_line(store):
    add_referral()
    sql("INSERT INTO masg_migrations (name, applied_at) VALUES ('m999_from_the_future', 'x')")
    for command in (["referral", "list"], ["referral", "add", *REFERRAL], ["doctor"]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.stderr.strip() == ("masg: the store was last used by a newer version of masg; "
                                         "upgrade masg (pip install -U masg)")


def test_a_migration_that_fails_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    engine = blank_store(tmp_path / "s.db")
    migrations.bring_up_to_date(engine, create=True)
    before = schema_at(tmp_path / "s.db")
    broken = migrations._sql("CREATE TABLE half_done (id INTEGER); CREATE TABLE referral (id INTEGER)")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m900_broken", broken)])
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):
        migrations.bring_up_to_date(engine)
    assert schema_at(tmp_path / "s.db") == before
    assert "m900_broken" not in migrations.applied_names(engine)


def test_checking_the_version_on_start_up_is_one_query(store):
    from sqlalchemy import event

    location = masg_store.locate(os.environ["MASG_DB"])
    masg_store.open_store(location)  # the first open connects and sets the PRAGMAs
    engine = masg_store.engine_for(location)
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement.strip().split()[0].upper())

    event.listen(engine, "before_cursor_execute", count)
    try:
        masg_store.open_store(location)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    queries = [s for s in seen if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    assert queries == ["SELECT"], seen


def test_migrations_have_unique_ordered_names():
    names = migrations.known_names()
    assert len(names) == len(set(names))
    assert names == sorted(names)
    assert all(name[:1] == "m" and name[1:4].isdigit() and name[4] == "_" for name in names)
