"""Who may see what on a team store: PostgreSQL roles and row-level security.

A real server (tests/pg_server.py, or MASG_TEST_PG_URL's), a store owned by its own role, and three
roles granted by the owner with 'masg store grant': North's co-ordinator, South's, and a manager.
Each tries to read, write, move and export the other's cases through masg and through plain SQL.
The SQLite half at the end: one user, no roles, nothing changed.
"""

from __future__ import annotations

import itertools
import shutil
import os
from dataclasses import dataclass

import pytest

from conftest import ON_POSTGRES, REFERRAL, ok, run, sql, store_rows
from masg_cli import store as masg_store
from masg_cli.cli.context import options

_teams = itertools.count(1)


@dataclass
class Team:
    server: str
    database: str
    names: dict[str, str]  # owner | north | south | manager -> the role's name on the server

    def url(self, who: str) -> str:
        return self.server.replace("://postgres@", f"://{self.names[who]}@") + f"/{self.database}"

    def plain(self, who: str) -> str:
        return self.url(who).replace("postgresql+psycopg://", "postgresql://")


def _admin(server: str):
    import psycopg

    return psycopg.connect(server.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
                           autocommit=True)


@pytest.fixture
def team(pg_server_url, monkeypatch):
    """A store owned by a role of its own (not a superuser: the rules bind everyone else), with
    North and South, and North's co-ordinator, South's and a manager granted by the owner."""
    tag = f"t{os.getpid()}_{next(_teams)}"
    names = {who: f"{who}_{tag}" for who in ("owner", "north", "south", "manager")}
    database = f"masg_access_{tag}"
    with _admin(pg_server_url) as admin:
        for role in names.values():
            admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"CREATE DATABASE {database} OWNER {names['owner']}")
    made = Team(pg_server_url, database, names)
    # Without --user the trail and the views name the database role, as on a real team store.
    monkeypatch.delenv("MASG_USER", raising=False)
    options.user = None
    owner = made.url("owner")
    ok("--db", owner, "init", "--panel", "MASG")
    ok("--db", owner, "locality", "add", "North")
    ok("--db", owner, "locality", "add", "South")
    ok("--db", owner, "store", "grant", names["north"], "--locality", "North")
    ok("--db", owner, "store", "grant", names["south"], "--locality", "South")
    ok("--db", owner, "store", "grant", names["manager"], "--manager")
    try:
        yield made
    finally:
        masg_store.dispose_engines()
        with _admin(pg_server_url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            for role in names.values():
                admin.execute(f"DROP ROLE IF EXISTS {role}")


def add_case(team: Team, who: str, locality: str, child: str) -> str:
    args = list(REFERRAL)
    args[args.index("--child") + 1] = child
    args[args.index("--locality") + 1] = locality
    return ok("--db", team.url(who), "referral", "add", *args, "--not-duplicate").stdout.strip()


@pytest.fixture
def cases(team):
    """One case in each locality, added by its own co-ordinator: (North's, South's)."""
    return add_case(team, "north", "North", "Ada Northcase"), add_case(team, "south", "South", "Bo Southcase")


def references(team: Team, who: str) -> list[str]:
    return [r["reference"] for r in ok("--db", team.url(who), "referral", "list", "--json").json]


def everything(team: Team) -> list[str]:
    """Every row of the store as its owner sees it (all of them)."""
    return store_rows(team.url("owner"))


def refused_as_unknown(result, reference: str) -> None:
    assert result.exit_code == 1
    assert result.stderr.strip() == f"masg: there is no referral {reference}; see 'masg referral list'"


# --- Through masg --------------------------------------------------------------------------------


def test_each_co_ordinator_sees_only_its_localitys_cases_and_the_manager_and_owner_see_all(team, cases):
    north, south = cases
    assert references(team, "north") == [north]
    assert references(team, "south") == [south]
    assert references(team, "manager") == [north, south]
    assert references(team, "owner") == [north, south]
    refused_as_unknown(run("--db", team.url("south"), "referral", "show", north), north)
    refused_as_unknown(run("--db", team.url("north"), "referral", "show", south), south)
    assert ok("--db", team.url("manager"), "referral", "show", north, "--json").json["reference"] == north


def test_another_localitys_case_cannot_be_changed_moved_or_exported_and_nothing_changes(team, cases, tmp_path):
    north, south = cases
    before = everything(team)
    south_url = team.url("south")
    refused_as_unknown(run("--db", south_url, "referral", "triage", north, "--outcome", "accept",
                           "--date", "2026-11-03"), north)
    refused_as_unknown(run("--db", south_url, "referral", "edit", north, "--needs", "Changed",
                           "--reason", "typo"), north)
    refused_as_unknown(run("--db", south_url, "note", "add", north, "--kind", "phone", "--text", "Called",
                           "--date", "2026-11-04"), north)
    refused_as_unknown(run("--db", south_url, "referral", "transfer", north, "--to", "South",
                           "--reason", "family moved", "--date", "2026-11-04"), north)
    exported = run("--db", south_url, "person", "export", "--name", "Ada Northcase", "--dob", "2015-02-03",
                   "--out", str(tmp_path / "sar"), "--as-of", "2026-11-05")
    assert exported.exit_code == 1
    assert "no referral holds a child of that name" in exported.stderr
    assert not (tmp_path / "sar").exists() or not any((tmp_path / "sar").iterdir())
    # Its own case cannot be sent where it does not co-ordinate: the new row is checked too.
    moved = run("--db", south_url, "referral", "transfer", south, "--to", "North",
                "--reason", "family moved", "--date", "2026-11-04")
    assert moved.exit_code == 1
    assert moved.stderr.strip() == (
        f"masg: your database role may not do this on {masg_store.locate(south_url).describe()}: it would "
        "add or change a record outside the localities it co-ordinates; ask the store's owner ('masg store "
        "access' lists who has which)")
    # Nor can a case be added to a locality it does not co-ordinate.
    added = run("--db", south_url, "referral", "add", *REFERRAL, "--not-duplicate")
    assert added.exit_code == 1 and "outside the localities it co-ordinates" in added.stderr
    # Nor a meeting of the other locality's panel.
    scheduled = run("--db", south_url, "meeting", "schedule", "--locality", "North", "--from", "2026-11-24",
                    "--until", "2026-12-31")
    assert scheduled.exit_code == 1 and "outside the localities it co-ordinates" in scheduled.stderr
    assert everything(team) == before


# Every command that takes a case's reference, with what it needs besides: for another locality's
# co-ordinator each must say the case does not exist, and change nothing.
BY_REFERENCE = [
    ("referral", "show", "{ref}"),
    ("referral", "triage", "{ref}", "--outcome", "accept", "--date", "2026-11-03"),
    ("referral", "edit", "{ref}", "--needs", "Changed", "--reason", "typo"),
    ("referral", "child", "add", "{ref}", "--name", "Cy Example", "--dob", "2017-01-01"),
    ("referral", "transfer", "{ref}", "--to", "South", "--reason", "family moved", "--date", "2026-11-04"),
    ("referral", "hold", "{ref}", "--reason", "litigation"),
    ("referral", "close", "{ref}", "--final-review-date", "2026-11-20", "--outcome", "Done"),
    ("note", "add", "{ref}", "--kind", "phone", "--text", "Called", "--date", "2026-11-04"),
    ("attachment", "list", "{ref}"),
    ("family-response", "{ref}", "--accepted", "--date", "2026-11-25"),
    ("tac", "record", "{ref}", "--date", "2026-11-30"),
    ("review", "record", "{ref}", "--date", "2026-12-01", "--further-reviews", "no"),
    ("followup", "record", "{ref}", "--date", "2026-12-02", "--outcome", "continue"),
    ("lead", "change", "{ref}", "--name", "Kit Example", "--agency", "School", "--date", "2026-12-01",
     "--reason", "moved school"),
    ("audit", "{ref}"),
    ("audit", "--views", "{ref}"),
]


@pytest.mark.parametrize("command", BY_REFERENCE, ids=lambda c: " ".join(w for w in c if w != "{ref}")[:40])
def test_no_command_reaches_another_localitys_case(team, cases, command):
    north, _ = cases
    before = everything(team)
    result = run("--db", team.url("south"), *[word.format(ref=north) for word in command])
    if command == ("audit", "{ref}"):  # the case's entries follow the case
        assert result.exit_code == 1
        assert result.stderr.strip() == (f"masg: the audit trail names no referral {north}; check the "
                                         "reference ('masg referral list')")
    else:
        refused_as_unknown(result, north)
    assert everything(team) == before


def test_a_co_ordinator_runs_its_own_cases_through_the_cycle(team, cases, tmp_path, monkeypatch):
    """Everything a co-ordinator does in a day, under the rules: nothing needs the owner's rights."""
    north, _ = cases
    monkeypatch.setenv("MASG_DB", team.url("north"))
    options.db = None
    ok("referral", "triage", north, "--outcome", "accept", "--date", "2026-11-03")
    ok("meeting", "schedule", "--locality", "North", "--from", "2026-11-24", "--until", "2026-12-31")
    meeting = [m["id"] for m in ok("meeting", "list", "--json").json if m["date"] == "2026-11-24"][0]
    ok("agenda", "build", str(meeting))
    ok("locality", "member", "add", "North", "--name", "Sam Sample", "--agency", "Health",
       "--email", "sam.sample@example.org")
    ok("meeting", "attendance", str(meeting), "--member", "Sam Sample", "--present", "--chair")
    ok("decision", "record", north, "--meeting", str(meeting), "--service", "CAMHS: weekly sessions",
       "--lead-name", "Siân Sample", "--lead-agency", "School nursing", "--lead-contact", "07700 900123",
       "--review-date", "2026-12-22")
    ok("note", "add", north, "--kind", "phone", "--text", "Spoke to the school", "--date", "2026-11-25")
    caf = tmp_path / "caf.txt"
    caf.write_text("CAF form (fictional)\n", encoding="utf-8")
    ok("attach", north, str(caf), "--kind", "caf")
    ok("today", "--as-of", "2026-11-26")
    summary = ok("report", "summary", "--json", "--from", "2026-11-01", "--to", "2026-11-30").json
    assert summary
    ok("export", "--format", "csv", "--out", str(tmp_path / "cases.csv"))
    assert north in (tmp_path / "cases.csv").read_text(encoding="utf-8")
    shown = ok("referral", "show", north, "--json").json
    assert shown["status"] != "received"


def test_the_manager_reads_every_case_and_figure_and_writes_nothing(team, cases, tmp_path):
    north, south = cases
    manager = team.url("manager")
    before = everything(team)
    for attempt in (("referral", "triage", north, "--outcome", "accept", "--date", "2026-11-03"),
                    ("note", "add", south, "--kind", "phone", "--text", "Called", "--date", "2026-11-04"),
                    ("referral", "add", *REFERRAL, "--not-duplicate")):
        refused = run("--db", manager, *attempt)
        assert refused.exit_code == 1, attempt
        assert refused.stderr.startswith("masg: your database role may not do this"), refused.stderr
    assert everything(team) == before
    figures = ok("--db", manager, "report", "summary", "--json").json
    by_owner = ok("--db", team.url("owner"), "report", "summary", "--json").json
    assert figures == by_owner


def test_a_co_ordinators_figures_and_export_cover_its_localities_only(team, cases, tmp_path):
    north, south = cases
    mine = ok("--db", team.url("north"), "report", "summary", "--json").json
    everyone = ok("--db", team.url("owner"), "report", "summary", "--json").json
    assert mine != everyone
    # The owner's figures for North alone, but for the locality it was asked about.
    norths = ok("--db", team.url("owner"), "report", "summary", "--locality", "North", "--json").json
    assert {**mine, "locality": "North"} == norths
    ok("--db", team.url("north"), "export", "--format", "csv", "--out", str(tmp_path / "north.csv"))
    text = (tmp_path / "north.csv").read_text(encoding="utf-8")
    assert north in text and south not in text


def test_looking_at_a_case_is_recorded_as_a_view_and_listed_with_audit_views(team, cases, tmp_path):
    north, _ = cases
    ok("--db", team.url("north"), "referral", "show", north)
    ok("--db", team.url("manager"), "referral", "show", north, "--json")
    ok("--db", team.url("north"), "person", "export", "--name", "Ada Northcase", "--dob", "2015-02-03",
       "--out", str(tmp_path / "sar"), "--as-of", "2026-11-05")
    views = ok("--db", team.url("owner"), "audit", "--views", north, "--json").json
    assert [(v["user"], v["view"], v["reference"]) for v in views] == [
        (team.names["north"], "referral show", north), (team.names["manager"], "referral show", north),
        (team.names["north"], "person export", north)]
    shown = ok("--db", team.url("north"), "audit", "--views", north).stdout
    assert team.names["manager"] in shown and "person export" in shown
    # South may not even ask who looked at North's case.
    refused_as_unknown(run("--db", team.url("south"), "audit", "--views", north), north)
    # Views are not changes: the audit trail holds none of them.
    actions = [e["action"] for e in ok("--db", team.url("owner"), "audit", north, "--json").json]
    assert "referral show" not in actions


def test_grants_and_revokes_are_listed_and_audited_and_a_revoked_role_sees_nothing(team, cases):
    north, south = cases
    listed = ok("--db", team.url("owner"), "store", "access", "--json").json
    assert sorted((a["role"], a["access"], tuple(a["localities"])) for a in listed) == sorted([
        (team.names["north"], "co-ordinator", ("North",)), (team.names["south"], "co-ordinator", ("South",)),
        (team.names["manager"], "manager", ())])
    # A second locality for South's co-ordinator, then taken away again.
    ok("--db", team.url("owner"), "store", "grant", team.names["south"], "--locality", "North")
    assert references(team, "south") == [north, south]
    ok("--db", team.url("owner"), "store", "revoke", team.names["south"], "--locality", "North")
    assert references(team, "south") == [south]
    gone = ok("--db", team.url("owner"), "store", "revoke", team.names["south"])
    assert gone.stdout.strip() == f"{team.names['south']} no longer sees any case on this store."
    listed = run("--db", team.url("south"), "referral", "list", "--json")
    assert listed.exit_code == 1 and "your database role may not do this" in listed.stderr
    entries = [(e["action"], e["changes"].get("role")) for e in
               ok("--db", team.url("owner"), "audit", "--json").json if e["action"].startswith("store ")]
    assert entries == [("store grant", team.names["north"]), ("store grant", team.names["south"]),
                       ("store grant", team.names["manager"]), ("store grant", team.names["south"]),
                       ("store revoke", team.names["south"]), ("store revoke", team.names["south"])]


@pytest.mark.parametrize("attempt, message", [
    (("store", "grant", "no_such_role_here", "--locality", "North"),
     "masg: there is no database role no_such_role_here; the administrator makes it first "
     "(CREATE ROLE no_such_role_here LOGIN, see docs/team-store.md), then grant it"),
    (("store", "grant", "postgres", "--manager"),
     "masg: postgres is a superuser and sees every case whatever is granted; "
     "grant a co-ordinator's or a manager's own role"),
    (("store", "grant", "{manager}", "--locality", "North"),
     "masg: {manager} manages; run 'masg store revoke {manager}' first, then grant it as a co-ordinator"),
    (("store", "grant", "{north}", "--manager"),
     "masg: {north} co-ordinates North; run 'masg store revoke {north}' first, then grant it as a manager"),
    (("store", "grant", "{north}", "--locality", "Westward"),
     "masg: there is no locality 'Westward'; add it with 'masg locality add' or see 'masg locality list'"),
    (("store", "revoke", "{north}", "--locality", "South"),
     "masg: {north} does not co-ordinate South; 'masg store access' lists what it has"),
])
def test_grants_the_owner_cannot_make_are_refused_in_one_line_and_change_nothing(team, attempt, message):
    before = everything(team)
    result = run("--db", team.url("owner"), *[a.format(**team.names) for a in attempt])
    assert result.exit_code == 1
    assert result.stderr.strip() == message.format(**team.names)
    assert everything(team) == before


def test_only_the_owner_grants(team):
    before = everything(team)
    result = run("--db", team.url("north"), "store", "grant", team.names["north"], "--locality", "South")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"masg: only the store's owner ({team.names['owner']}) grants and revokes "
                                     f"access; connect as {team.names['owner']}")
    assert everything(team) == before


def test_grant_needs_a_locality_or_manager_not_both(team):
    for extra in ((), ("--locality", "North", "--manager")):
        result = run("--db", team.url("owner"), "store", "grant", team.names["north"], *extra)
        assert result.exit_code == 2
        assert "give --locality NAME (a co-ordinator) or --manager, one of the two" in result.stderr


def test_doctor_as_a_co_ordinator_checks_what_it_may_and_leaves_the_chain_to_the_owner(team, cases):
    mine = ok("--db", team.url("north"), "doctor").stdout
    assert f"ok   access: ok ({team.names['north']} co-ordinates North; 1 referrals visible)" in mine
    assert "n/a  audit trail: not applicable (your role sees only its localities' entries" in mine
    owners = ok("--db", team.url("owner"), "doctor").stdout
    assert "ok   audit trail: ok (" in owners
    assert "3 roles granted access" in owners
    sealed = run("--db", team.url("north"), "audit", "seal", "--out", "seal.json")
    assert sealed.exit_code == 1 and "only the store's owner seals the audit trail" in sealed.stderr


def test_the_owner_backs_up_and_copies_the_whole_store_and_the_other_roles_may_not(team, cases, tmp_path):
    north, south = cases
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed here")
    ok("--db", team.url("owner"), "backup", "--out", str(tmp_path / "whole.dump"))
    for who in ("north", "manager"):
        refused = run("--db", team.url(who), "backup", "--out", str(tmp_path / f"{who}.dump"))
        assert refused.exit_code == 1
        assert refused.stderr.startswith("masg: only the store's owner backs up a team store")
        assert not (tmp_path / f"{who}.dump").exists()
        copied = run("--db", team.url(who), "store", "copy", "--to", str(tmp_path / f"{who}.db"))
        assert copied.exit_code == 1
        assert copied.stderr.startswith("masg: only the store's owner copies a team store")
    ok("--db", team.url("owner"), "store", "copy", "--to", str(tmp_path / "whole.db"))
    assert sorted(r["reference"] for r in ok("--db", str(tmp_path / "whole.db"), "referral", "list",
                                             "--json").json) == [north, south]


def test_the_owners_doctor_warns_when_no_role_may_see_the_cases(team, cases):
    for who in ("north", "south", "manager"):
        ok("--db", team.url("owner"), "store", "revoke", team.names[who])
    out = ok("--db", team.url("owner"), "doctor").stdout
    assert ("warn access: no role has been granted access: co-ordinators' and managers' roles see no case "
            "until 'masg store grant ROLE --locality NAME' (or --manager); see docs/team-store.md") in out


def test_a_role_dropped_since_its_grant_can_still_be_revoked(team, cases):
    import psycopg

    inside = team.server.replace("postgresql+psycopg://", "postgresql://") + f"/{team.database}"
    with psycopg.connect(inside, autocommit=True) as admin:  # its privileges are in the store's database
        admin.execute(f"DROP OWNED BY {team.names['south']}")
        admin.execute(f"REVOKE CONNECT ON DATABASE {team.database} FROM {team.names['south']}")
        admin.execute(f"DROP ROLE {team.names['south']}")
    ok("--db", team.url("owner"), "store", "revoke", team.names["south"])
    listed = ok("--db", team.url("owner"), "store", "access", "--json").json
    assert team.names["south"] not in [a["role"] for a in listed]


# --- Through plain SQL (psql, or any other client) ----------------------------------------------


def test_plain_sql_gives_each_role_only_its_rows_and_no_way_round_them(team, cases):
    import psycopg

    north, south = cases
    before = everything(team)
    with psycopg.connect(team.plain("south")) as conn:
        assert conn.execute("SELECT reference FROM referral").fetchall() == [(south,)]
        assert conn.execute("SELECT count(*) FROM child").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM audit_entry WHERE reference = %s", (north,)).fetchone() == (0,)
        assert conn.execute("UPDATE referral SET needs = 'x' WHERE reference = %s", (north,)).rowcount == 0
        assert conn.execute("DELETE FROM child WHERE referral_id = "
                            "(SELECT min(id) FROM child)").rowcount in (0, 1)  # its own child at most
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE referral SET locality_id = (SELECT id FROM locality WHERE name = 'North')")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO store_access (role, locality_id, manager, granted_at) "
                         "VALUES (current_user, 1, false, now())")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_entry SET action = 'x'")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("ALTER TABLE referral DISABLE ROW LEVEL SECURITY")
        conn.rollback()
    with psycopg.connect(team.plain("manager")) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT reference FROM referral")) == [north, south]
        for statement in ("UPDATE referral SET needs = 'x'", "DELETE FROM note",
                          "INSERT INTO note (referral_id, date, kind, text, recorded_at) "
                          "SELECT id, '2026-11-04', 'phone', 'x', now() FROM referral"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
    assert everything(team) == before


def test_every_table_that_holds_a_cases_data_is_under_row_level_security(team):
    """A table a later migration adds with a case's, meeting's or locality's rows fails here until
    its migration gives it a rule (row_security.protect)."""
    import psycopg

    store_wide = {"masg_migrations", "reference_counter", "store_access"}
    with psycopg.connect(team.plain("owner")) as conn:
        tables = dict(conn.execute(
            "SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'").fetchall())
    assert {name for name, secured in tables.items() if not secured} == store_wide
    for name in ("referral", "child", "triage_entry", "agenda_slot", "decision", "service", "review",
                 "follow_up", "note", "attachment", "attachment_chunk", "panel_action", "audit_entry"):
        assert tables[name] is True, name


def test_a_migration_that_adds_a_table_gives_every_granted_role_its_privileges(team, monkeypatch):
    """The owner's next masg command after an upgrade re-grants, so a new table is not out of reach."""
    from masg_cli import migrations

    def m099_extra(conn, dialect):
        conn.exec_driver_sql("CREATE TABLE extra_thing (id INTEGER PRIMARY KEY)")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m099_extra", m099_extra)])
    ok("--db", team.url("owner"), "referral", "list")
    rows = sql("SELECT count(*) FROM extra_thing", url=team.url("manager"))
    assert rows == [(0,)]


# --- A SQLite store: one user, no roles -------------------------------------------------------------

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about a SQLite store, which has one user")


@sqlite_only
def test_on_sqlite_grant_and_revoke_are_refused_in_one_line_and_change_nothing(store):
    before = store_rows()
    for attempt in (("store", "grant", "someone", "--locality", "North"), ("store", "revoke", "someone")):
        result = run(*attempt)
        assert result.exit_code == 1
        assert result.stderr.strip() == ("masg: a SQLite store has one user, who sees every case; roles are "
                                         "for a team's PostgreSQL store (see docs/team-store.md)")
    assert store_rows() == before


@sqlite_only
def test_on_sqlite_access_says_one_user_and_views_are_not_recorded(store):
    from conftest import add_referral

    assert ok("store", "access", "--json").json == []
    assert ok("store", "access").stdout.startswith("A SQLite store has one user, who sees every case")
    reference = add_referral()
    before = store_rows()
    ok("referral", "show", reference)
    assert store_rows() == before  # a read stays a read
    assert ok("audit", "--views", reference, "--json").json == []
    assert "Views are recorded on a team's PostgreSQL store" in ok("audit", "--views", reference).stdout


@sqlite_only
def test_audit_views_needs_a_reference(store):
    result = run("audit", "--views")
    assert result.exit_code == 2
    assert "--views needs the case's reference: masg audit --views REF" in result.stderr
