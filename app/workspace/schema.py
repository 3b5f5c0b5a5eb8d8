"""The workspace's tables, and the migrations that bring an older workspace up to date."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from app.workspace.audit import GENESIS, event_hash


def v1(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE dossiers (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            procedure TEXT NOT NULL DEFAULT '',
            applicant_name TEXT NOT NULL DEFAULT '',
            applicant_id TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE components (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'document' CHECK (kind IN ('document', 'drawing')),
            status TEXT NOT NULL DEFAULT 'empty',
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (dossier_id, name)
        )""")
    db.execute("""
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            component_id INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
            blob TEXT NOT NULL,
            fmt TEXT NOT NULL,
            position INTEGER NOT NULL,
            rotation INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
            dpi REAL NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE artifacts (
            id INTEGER PRIMARY KEY,
            component_id INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            blob TEXT NOT NULL,
            size INTEGER NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}'
        )""")
    db.execute("CREATE INDEX pages_component ON pages (component_id, position)")
    db.execute("CREATE INDEX artifacts_component ON artifacts (component_id, kind)")
    db.execute("CREATE INDEX components_dossier ON components (dossier_id, position)")


def v2(db: sqlite_utils.Database) -> None:
    """Retention: a page or file whose bytes were purged after delivery keeps its row, marked."""
    db.execute("ALTER TABLE pages ADD COLUMN purged_at TEXT")
    db.execute("ALTER TABLE artifacts ADD COLUMN purged_at TEXT")


def v3(db: sqlite_utils.Database) -> None:
    """Cleanup: what capture's cleanup decided for a page (crop, turn, straighten, blank, colour) as
    JSON beside the untouched original; NULL when none was decided or the clerk undid it."""
    db.execute("ALTER TABLE pages ADD COLUMN cleanup TEXT")


def v4(db: sqlite_utils.Database) -> None:
    """Component facts as JSON: a drawing's scan grid (rows, columns), and its stitch report."""
    db.execute("ALTER TABLE components ADD COLUMN meta TEXT")


def v5(db: sqlite_utils.Database) -> None:
    """Audit trail: each entry chained by hash to the one before; entries can no longer be changed or
    deleted through SQLite (triggers), and any change made around them shows in `verify_audit`."""
    db.execute("ALTER TABLE events ADD COLUMN prev_hash TEXT")
    db.execute("ALTER TABLE events ADD COLUMN hash TEXT")
    prev = GENESIS
    rows = db.execute("SELECT id, at, actor, action, subject, detail FROM events ORDER BY id").fetchall()
    for event_id, at, actor, action, subject, detail in rows:
        digest = event_hash(prev, event_id, at, actor, action, subject, detail)
        db.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", [prev, digest, event_id])
        prev = digest
    for what in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER events_no_{what.lower()} BEFORE {what} ON events "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )


def v6(db: sqlite_utils.Database) -> None:
    """A large drawing's stitched sheet is a kind of file of its own (it was stored as an OCR PDF)."""
    db.execute(
        "UPDATE artifacts SET kind = 'sheet_pdf' WHERE kind = 'ocr_pdf' "
        "AND component_id IN (SELECT id FROM components WHERE kind = 'drawing')"
    )


def v7(db: sqlite_utils.Database) -> None:
    """Remote signing requests waiting for a signer's phone: what is signed, the prepared files'
    folder and the service's transactions (`batch`, JSON, no secret), so that a restart finishes
    or cancels them."""
    db.execute("""
        CREATE TABLE remote_requests (
            id TEXT PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
            components TEXT NOT NULL,
            provider TEXT NOT NULL,
            role TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'waiting',
            batch TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")


_KINDS_V1 = "CHECK (kind IN ('document', 'drawing'))"
_KINDS_V8 = "CHECK (kind IN ('document', 'drawing', 'record'))"


def v8(db: sqlite_utils.Database) -> None:
    """A part may be a data record. Only the components' CHECK changes, which leaves every stored
    row as it is: the table's definition is edited in place, the way SQLite documents for such a
    change (writable_schema, then a new schema_version), inside the migration's transaction."""
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema=ON")
    try:
        cur = db.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'components' "
            "AND instr(sql, ?) > 0",
            [_KINDS_V1, _KINDS_V8, _KINDS_V1],
        )
        if cur.rowcount != 1:
            raise RuntimeError("the components table is not as version 1 made it")
        db.execute(f"PRAGMA schema_version={version + 1}")
    finally:
        db.execute("PRAGMA writable_schema=OFF")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [v1, v2, v3, v4, v5, v6, v7, v8]
SCHEMA_VERSION = len(MIGRATIONS)
