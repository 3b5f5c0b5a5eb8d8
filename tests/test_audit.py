"""The audit trail: chained by hash, append-only, and `sohoa audit verify` finds any entry edited
or deleted, in the middle or at the end, however it was done."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import run_json, run_sohoa


def _db(home):
    return sqlite3.connect(home / "workspace.sqlite")


def _fill(home, page_png):
    run_sohoa("dossier", "new", "HS-AUDIT", "--applicant-name", "Nguyễn Văn An")
    run_sohoa("dossier", "add", "HS-AUDIT", str(page_png), "--component", "Đơn")
    run_sohoa("dossier", "add", "HS-AUDIT", str(page_png), "--component", "CCCD")


def test_the_trail_records_who_did_what_and_verifies(sohoa_home, page_png):
    import getpass

    _fill(sohoa_home, page_png)
    check = run_json("audit", "verify")
    assert check == {"ok": True, "entries": check["entries"], "problems": []} and check["entries"] >= 5
    entries = run_json("audit", "list", "--limit", "100")
    actions = [e["action"] for e in entries]
    assert "dossier.create" in actions and "page.capture" in actions
    assert {e["actor"] for e in entries} == {getpass.getuser()}  # who, not a placeholder
    head = json.loads((sohoa_home / "audit-head.json").read_text())
    assert head["id"] == max(e["id"] for e in entries)


def test_sqlite_refuses_to_change_or_delete_an_entry(sohoa_home, page_png):
    _fill(sohoa_home, page_png)
    with _db(sohoa_home) as db:
        for sql in (
            "UPDATE events SET actor = 'someone else' WHERE id = 2",
            "DELETE FROM events WHERE id = 2",
        ):
            try:
                db.execute(sql)
            except sqlite3.DatabaseError as exc:
                assert "append-only" in str(exc)
            else:
                raise AssertionError(f"{sql} was allowed")


def _tamper(home, *sql):
    db = _db(home)
    db.execute("DROP TRIGGER events_no_update")
    db.execute("DROP TRIGGER events_no_delete")
    for statement in sql:
        db.execute(statement)
    db.commit()
    db.close()


def test_an_edited_entry_is_found(sohoa_home, page_png):
    _fill(sohoa_home, page_png)
    _tamper(sohoa_home, "UPDATE events SET actor = 'someone else' WHERE id = 3")
    proc = run_sohoa("audit", "verify", "--json", check=False)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1 and report["ok"] is False
    assert any("entry 3" in p and "changed" in p for p in report["problems"])
    assert any("append-only protection" in p for p in report["problems"])


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_chain_after_it(sohoa_home, page_png):
    """Recomputing the edited entry's own hash does not help: the next entry no longer follows it."""
    from app.workspace import event_hash

    _fill(sohoa_home, page_png)
    db = _db(sohoa_home)
    row = db.execute(
        "SELECT id, at, actor, action, subject, detail, prev_hash FROM events WHERE id = 2"
    ).fetchone()
    forged = event_hash(row[6], row[0], row[1], "someone else", row[3], row[4], row[5])
    db.close()
    _tamper(sohoa_home, f"UPDATE events SET actor = 'someone else', hash = '{forged}' WHERE id = 2")
    report = json.loads(run_sohoa("audit", "verify", "--json", check=False).stdout)
    assert any("entry 3 does not follow" in p for p in report["problems"])


def test_deleted_entries_are_found_in_the_middle_and_at_the_end(sohoa_home, page_png):
    _fill(sohoa_home, page_png)
    last = run_json("audit", "list", "--limit", "1")[0]["id"]
    _tamper(sohoa_home, "DELETE FROM events WHERE id = 2", f"DELETE FROM events WHERE id = {last}")
    report = json.loads(run_sohoa("audit", "verify", "--json", check=False).stdout)
    problems = " | ".join(report["problems"])
    assert "entries 2-2 are missing" in problems
    assert f"entries {last}-{last} are missing from the end" in problems
    text = run_sohoa("audit", "verify", check=False, env={"SOHOA_LANG": "vi"})
    assert text.returncode == 1
