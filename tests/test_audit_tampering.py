"""A rewritten audit trail, or a record changed behind masg's back, is found by someone who did
not do it: the trail's head is anchored outside the store, sealed for a manager, and the store's
rows are replayed against the trail."""

import json
import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from conftest import ON_POSTGRES, add_referral, ok, run
from conftest import sql as store_sql


def sql(statement: str, **params) -> list[tuple]:
    return store_sql(statement, params)


@pytest.fixture
def history(store):
    """Two referrals: one accepted at triage, one withdrawn."""
    first, second = add_referral(), add_referral()
    ok("referral", "triage", first, "--outcome", "accept", "--date", "2026-11-03")
    ok("referral", "withdraw", second, "--reason", "Consent withdrawn", "--date", "2026-11-04")
    return first, second


def anchor_file() -> Path:
    from masg_cli.services.anchor import anchor_path
    from masg_cli.store import locate

    return anchor_path(locate(os.environ["MASG_DB"]))


def rechain(from_id: int = 0) -> None:
    """What someone holding the store can do: recompute every hash from ``from_id`` and the head."""
    from masg_cli.services.audit import GENESIS, entry_hash

    prev = GENESIS
    rows = sql('SELECT id, at, "user", reference, action, changes FROM audit_entry ORDER BY id')
    for entry_id, at, user, reference, action, changes in rows:
        at = at if isinstance(at, datetime) else datetime.fromisoformat(at)
        digest = entry_hash(prev, at, user, reference, action, changes)
        if entry_id >= from_id:
            sql("UPDATE audit_entry SET prev_hash = :p, hash = :h WHERE id = :i", p=prev, h=digest, i=entry_id)
        prev = digest
    sql("UPDATE setting SET value = :h WHERE key = 'audit_head'", h=prev)


def remove_store(path: Path) -> None:
    """The store's files gone, its anchor left behind (as someone clearing up by hand might)."""
    from masg_cli.store import dispose_engines

    dispose_engines()
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        (path.parent / name).unlink(missing_ok=True)
    assert Path(f"{path}.audit-head").exists()


def doctor_fails(*args: str) -> str:
    result = run("doctor", *args)
    assert result.exit_code == 1, result.stdout
    return result.stdout


# --- The anchor ---------------------------------------------------------------------------------

def test_each_change_keeps_the_trails_head_in_a_private_file_outside_the_store(history):
    path = anchor_file()
    kept = json.loads(path.read_text())
    entries = ok("audit", "--json").json
    assert (kept["entries"], kept["entry"]) == (len(entries), entries[-1]["id"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    if ON_POSTGRES:  # in the user's data folder, made 0700, named without the password
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert str(Path(os.environ["XDG_DATA_HOME"])) in str(path)
    else:
        assert path == Path(f"{os.environ['MASG_DB']}.audit-head")


def test_a_refused_command_leaves_the_anchor_as_it_was(history):
    before = anchor_file().read_text()
    assert run("referral", "triage", history[1], "--outcome", "accept").exit_code == 1
    assert anchor_file().read_text() == before


def test_a_healthy_store_is_anchored_and_its_records_agree(history):
    out = ok("doctor").stdout
    assert "ok   audit anchor: ok (entry" in out
    assert "ok   records: ok (2 referrals agree with the trail)" in out


def test_deleting_the_whole_trail_and_its_head_fails_doctor(history):
    sql("DELETE FROM audit_entry")
    sql("DELETE FROM setting WHERE key = 'audit_head'")
    out = doctor_fails()
    assert "FAIL audit trail: empty, but the store holds 2 referrals" in out
    assert "FAIL audit anchor: the trail no longer holds the head kept in" in out
    assert f"FAIL records: 2 disagree with the audit trail: {history[0]}: no audit entry created it" in out


def test_an_empty_trail_beside_referrals_fails_even_without_an_anchor(history):
    sql("DELETE FROM audit_entry")
    sql("DELETE FROM setting WHERE key = 'audit_head'")
    anchor_file().unlink()
    out = doctor_fails()
    assert "ok (0 entries)" not in out and "FAIL audit trail: empty" in out


def test_truncating_the_tail_and_moving_the_head_back_fails_doctor(history):
    [(last,)] = sql("SELECT MAX(id) FROM audit_entry")
    sql("DELETE FROM audit_entry WHERE id = :i", i=last)
    rechain()
    out = doctor_fails()
    assert "ok   audit trail: ok (5 entries)" in out  # the chain alone cannot tell
    assert f"FAIL audit anchor: the trail no longer holds the head kept in {anchor_file()} (entry {last} of 6" in out


def test_an_edited_entry_with_the_whole_chain_recomputed_fails_doctor(history):
    [(entry,)] = sql("SELECT id FROM audit_entry WHERE action = 'triage'")
    sql("UPDATE audit_entry SET \"user\" = 'someone-else' WHERE id = :i", i=entry)
    rechain(entry)
    assert "FAIL audit anchor: the trail no longer holds the head" in doctor_fails()


def test_a_command_after_a_rewrite_warns_and_keeps_the_evidence(history):
    [(last,)] = sql("SELECT MAX(id) FROM audit_entry")
    sql("DELETE FROM audit_entry WHERE id = :i", i=last)
    rechain()
    before = anchor_file().read_text()
    result = run("locality", "add", "South")
    assert result.exit_code == 0
    assert "warning: the audit trail no longer holds the head kept in" in result.stderr
    assert anchor_file().read_text() == before
    assert "FAIL audit anchor" in doctor_fails()


def test_a_store_ahead_of_its_anchor_is_a_warning_and_is_re_anchored(history):
    old = anchor_file().read_text()
    ok("locality", "add", "South")
    anchor_file().write_text(old)  # as if the command stopped between its commit and the anchor
    out = ok("doctor").stdout
    if ON_POSTGRES:  # other co-ordinators' changes: the usual case on a team store
        assert "ok   audit anchor: ok (moved on from entry" in out
    else:
        assert "warn audit anchor: the store is 1 entries ahead of" in out and "re-anchored" in out
    assert "ok   audit anchor: ok (entry" in ok("doctor").stdout


def test_a_store_without_an_anchor_yet_is_anchored_by_doctor(history):
    anchor_file().unlink()
    assert "anchored now at entry" in ok("doctor").stdout
    assert anchor_file().exists()


# --- masg audit ---------------------------------------------------------------------------------

def test_audit_warns_and_exits_1_when_the_chain_does_not_verify(history):
    sql("UPDATE audit_entry SET \"user\" = 'someone-else' WHERE action = 'triage'")
    result = run("audit")
    assert result.exit_code == 1
    assert "warning: the audit chain is broken at entry" in result.stderr
    assert "run 'masg doctor'" in result.stderr
    assert "Audit trail" in result.stdout  # still shown: it is the evidence


def test_audit_warns_about_a_rewritten_chain_too(history):
    [(last,)] = sql("SELECT MAX(id) FROM audit_entry")
    sql("DELETE FROM audit_entry WHERE id = :i", i=last)
    rechain()
    result = run("audit", "--json")
    assert result.exit_code == 1 and "it was rewritten" in result.stderr
    assert len(json.loads(result.stdout)) == 5


def test_audit_of_a_sound_trail_says_nothing_on_stderr(history):
    result = ok("audit")
    assert result.stderr == ""


# --- Seals, for a manager to keep ---------------------------------------------------------------

def test_a_seal_holds_the_head_and_count_and_doctor_checks_the_trail_extends_it(history, tmp_path):
    seal = tmp_path / "manager" / "seal.json"
    assert "Sealed the audit trail at entry" in ok("audit", "seal", "--out", seal).stdout
    held = json.loads(seal.read_text())
    assert held["entries"] == 6 and len(held["hash"]) == 64
    assert stat.S_IMODE(seal.stat().st_mode) == 0o600
    ok("locality", "add", "South")
    assert "ok   seal: ok (the trail extends" in ok("doctor", "--seal", seal).stdout


def test_a_seal_catches_a_rewrite_by_someone_holding_the_store_and_its_anchor(history, tmp_path):
    seal = tmp_path / "seal.json"
    ok("audit", "seal", "--out", seal)
    [(last,)] = sql("SELECT MAX(id) FROM audit_entry")
    sql("DELETE FROM audit_entry WHERE id = :i", i=last)
    rechain()
    anchor_file().unlink()  # they hold the anchor too
    out = doctor_fails("--seal", seal)
    assert f"FAIL seal: the trail does not extend {seal}" in out


def test_doctor_with_a_missing_seal_says_so(history, tmp_path):
    result = run("doctor", "--seal", tmp_path / "none.json")
    assert result.exit_code == 1 and "there is no seal at" in result.stderr


def test_seal_needs_out(history):
    result = run("audit", "seal")
    assert result.exit_code == 2 and "--out" in result.stderr


@pytest.mark.sqlite_only
def test_a_backup_records_the_head_it_holds_and_serves_as_a_seal(history, tmp_path):
    backup = tmp_path / "backups" / "masg.db"
    ok("backup", "--out", backup)
    entry = ok("audit", "--json").json[-1]
    assert entry["action"] == "backup" and entry["changes"]["audit_entries"] == 6
    assert "ok   seal: ok" in ok("doctor", "--seal", backup).stdout
    [(triage,)] = sql("SELECT id FROM audit_entry WHERE action = 'triage'")
    sql("UPDATE audit_entry SET \"user\" = 'someone-else' WHERE id = :i", i=triage)
    rechain(triage)
    anchor_file().unlink()
    assert "FAIL seal: the trail does not extend" in doctor_fails("--seal", backup)


# --- Records that disagree with the trail -------------------------------------------------------

def test_a_status_changed_behind_masgs_back_is_named(history):
    first, _ = history
    sql("UPDATE referral SET status = 'active' WHERE reference = :r", r=first)
    out = doctor_fails()
    assert f"FAIL records: 1 disagree with the audit trail: {first}: status is active, the trail says accepted" in out


def test_a_closed_reason_changed_behind_masgs_back_is_named(history):
    _, second = history
    sql("UPDATE referral SET closed_reason = 'completed' WHERE reference = :r", r=second)
    assert f"{second}: closed as completed, the trail says withdrawn" in doctor_fails()


@pytest.mark.parametrize("column,value", [("received", "2026-10-01"), ("consent_by", "both"),
                                          ("consent_date", "2026-10-01")])
def test_a_key_field_changed_behind_masgs_back_is_named(history, column, value):
    first, _ = history
    sql(f"UPDATE referral SET {column} = :v WHERE reference = :r", v=value, r=first)
    assert f"{first}: {column.replace('_', ' ')} differs from the trail's" in doctor_fails()


def test_a_child_added_or_removed_behind_masgs_back_is_named(history):
    first, second = history
    sql("DELETE FROM child WHERE referral_id = (SELECT id FROM referral WHERE reference = :r)", r=first)
    sql("INSERT INTO child (referral_id, position, name, dob) SELECT id, 2, 'Sam Example', '2016-01-01' "
        "FROM referral WHERE reference = :r", r=second)
    out = doctor_fails()
    assert f"{first}: children differs" in out and f"{second}: children differs" in out


def test_a_referral_deleted_behind_masgs_back_is_named(history):
    first, _ = history
    for table in ("child", "suggested_agency", "transition_flag", "triage_entry"):
        sql(f"DELETE FROM {table} WHERE referral_id = (SELECT id FROM referral WHERE reference = :r)", r=first)
    sql("DELETE FROM referral WHERE reference = :r", r=first)
    assert f"{first}: in the trail (accepted) but not in the store" in doctor_fails()


def test_a_referral_inserted_behind_masgs_back_is_named(history):
    sql("INSERT INTO referral (reference, panel, locality_id, status, received, consent_date, consent_by, "
        "needs, referrer_name, referrer_agency, referrer_email, referrer_phone, legal_hold, created_at, "
        "updated_at) SELECT 'MASG-2026-0099', panel, locality_id, 'active', received, consent_date, consent_by, "
        "needs, referrer_name, referrer_agency, '', '', legal_hold, created_at, updated_at FROM referral LIMIT 1")
    assert "MASG-2026-0099: no audit entry created it" in doctor_fails()


# --- Copies and imports keep working ------------------------------------------------------------

def test_an_imported_tracker_agrees_with_its_trail(store):
    sample = Path(__file__).resolve().parents[1] / "examples" / "tracker-sample.csv"
    if not sample.exists():
        pytest.skip("no sample tracker")
    ok("import", sample)
    out = ok("doctor").stdout
    assert "ok   records: ok (5 referrals agree" in out and "FAIL" not in out


@pytest.mark.sqlite_only
def test_a_copied_store_gets_its_own_anchor_and_passes_doctor(history, tmp_path):
    target = tmp_path / "copy" / "masg.db"
    ok("store", "copy", "--to", target)
    assert Path(f"{target}.audit-head").exists()
    out = ok("--db", target, "doctor").stdout
    assert "ok   audit anchor: ok" in out and "FAIL" not in out


def test_a_command_on_a_store_cut_well_short_of_its_anchor_still_runs_and_warns(history):
    [(third,)] = sql("SELECT MIN(id) + 2 FROM audit_entry")
    sql("DELETE FROM audit_entry WHERE id > :i", i=third)
    rechain()
    result = run("locality", "add", "South")
    assert result.exit_code == 0 and "no longer holds the head" in result.stderr
    assert "FAIL audit anchor" in doctor_fails()


@pytest.mark.sqlite_only
def test_a_new_store_where_an_old_one_was_starts_a_fresh_anchor(tmp_path):
    path = tmp_path / "again" / "masg.db"
    ok("--db", path, "init")
    ok("--db", path, "locality", "add", "South")
    remove_store(path)
    result = ok("--db", path, "init")
    assert "no longer holds" not in result.stderr
    assert "FAIL" not in ok("--db", path, "doctor").stdout


@pytest.mark.sqlite_only
def test_a_store_copied_where_an_old_store_was_starts_a_fresh_anchor(history, tmp_path):
    target = tmp_path / "copy" / "masg.db"
    ok("--db", target, "init", "--panel", "MAAG")
    remove_store(target)
    ok("store", "copy", "--to", target)
    assert "FAIL" not in ok("--db", target, "doctor").stdout


def test_doctor_never_anchors_a_broken_chain(history):
    anchor_file().unlink()
    sql("UPDATE audit_entry SET \"user\" = 'someone-else' WHERE action = 'triage'")
    out = doctor_fails()
    assert "warn audit anchor: not moved on to a broken chain" in out
    assert not anchor_file().exists()
