"""The audit trail: entries chained by SHA-256, append-only, the last one anchored outside SQLite."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

GENESIS = "0" * 64
HEAD_FILE = "audit-head.json"


def event_hash(prev: str, event_id: int, at: str, actor: str, action: str, subject: str, detail: str) -> str:
    """An audit entry's hash: SHA-256 over the previous entry's hash and this entry's fields."""
    body = json.dumps(
        [event_id, at, actor, action, subject, detail], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


@dataclass
class AuditCheck:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def last(db: sqlite_utils.Database) -> tuple[int, str] | None:
    row = db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def append(
    db: sqlite_utils.Database, at: str, actor: str, action: str, subject: str, detail: dict
) -> tuple[int, str]:
    """Append one entry, chained to the last (inside the caller's transaction); its (id, hash)."""
    text = json.dumps(detail, ensure_ascii=False)
    prior = last(db)
    event_id, prev = (prior[0] + 1, prior[1] or GENESIS) if prior else (1, GENESIS)
    digest = event_hash(prev, event_id, at, actor, action, subject, text)
    db.execute(
        "INSERT INTO events (id, at, actor, action, subject, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [event_id, at, actor, action, subject, text, prev, digest],
    )
    return event_id, digest


def verify(db: sqlite_utils.Database, head_path: Path) -> AuditCheck:
    """Walk the trail from its first entry: every entry's hash over its own fields and the previous
    hash, the numbering without gaps, the last entry known outside the database (`head_path`) still
    there and unchanged, and the append-only triggers in place."""
    problems: list[str] = []
    prev, expected_id, count = GENESIS, 1, 0
    rows = db.execute(
        "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM events ORDER BY id"
    )
    hashes: dict[int, str] = {}
    for event_id, at, actor, action, subject, detail, prev_hash, digest in rows:
        count += 1
        if event_id != expected_id:
            problems.append(f"entries {expected_id}-{event_id - 1} are missing (deleted)")
        if prev_hash != prev:
            problems.append(f"entry {event_id} does not follow the entry before it")
        if digest != event_hash(prev_hash or "", event_id, at, actor, action, subject, detail):
            problems.append(f"entry {event_id} ({action}) was changed after it was written")
        prev, expected_id, hashes[event_id] = digest or "", event_id + 1, digest
    problems += _head_problems(head_path, expected_id, hashes, count)
    triggers = {
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
    }
    for name in ("events_no_update", "events_no_delete"):
        if name not in triggers:
            problems.append(f"the append-only protection {name} was removed")
    return AuditCheck(count, problems)


def _head_problems(head_path: Path, next_id: int, hashes: dict[int, str], count: int) -> list[str]:
    if not head_path.exists():
        return [f"{HEAD_FILE} is missing"] if count else []
    try:
        head = json.loads(head_path.read_text(encoding="utf-8"))
        head_id, head_hash = int(head["id"]), str(head["hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{HEAD_FILE} is unreadable"]
    if head_id >= next_id:
        return [f"entries {next_id}-{head_id} are missing from the end (deleted)"]
    if hashes.get(head_id) != head_hash:
        return [f"entry {head_id} differs from the one recorded in {HEAD_FILE}"]
    return []


def open_jobs(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Jobs recorded as begun and never as ended (a crash or a power cut): (job id, label)."""
    return [
        (jid, label)
        for jid, label in db.execute(
            "SELECT json_extract(detail, '$.id'), subject FROM events WHERE action = 'job.begin' "
            "AND json_extract(detail, '$.id') NOT IN "
            "(SELECT json_extract(detail, '$.id') FROM events WHERE action = 'job.end')"
        ).fetchall()
    ]
