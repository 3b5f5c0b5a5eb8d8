"""The workspace: dossiers, components, pages and artifacts in SQLite (WAL), files in the blob store."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from app.blobstore import BlobStore
from common.atomic import write_text_atomic
from common.errors import QT_TRANSLATE_NOOP, UserError
from common.sqlite import connect, transaction

KINDS = ("document", "drawing")


class WorkspaceError(UserError):
    context = "workspace"
    template = QT_TRANSLATE_NOOP("workspace", "Workspace error: {detail}")
    exit_code = 7


class DossierNotFound(WorkspaceError):
    template = QT_TRANSLATE_NOOP("workspace", "There is no dossier with code {code}.")


class DossierExists(WorkspaceError):
    template = QT_TRANSLATE_NOOP("workspace", "A dossier with code {code} already exists.")


class ComponentNotFound(WorkspaceError):
    template = QT_TRANSLATE_NOOP("workspace", "Dossier {code} has no component named {name}.")


class WorkspaceNewer(WorkspaceError):
    template = QT_TRANSLATE_NOOP(
        "workspace", "This workspace was written by a newer SoHoa (schema {found} > {known}): update SoHoa."
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _v1(db: sqlite_utils.Database) -> None:
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


def _v2(db: sqlite_utils.Database) -> None:
    """Retention: a page or file whose bytes were purged after delivery keeps its row, marked."""
    db.execute("ALTER TABLE pages ADD COLUMN purged_at TEXT")
    db.execute("ALTER TABLE artifacts ADD COLUMN purged_at TEXT")


def _v3(db: sqlite_utils.Database) -> None:
    """Cleanup: what capture's cleanup decided for a page (crop, turn, straighten, blank, colour) as
    JSON beside the untouched original; NULL when none was decided or the clerk undid it."""
    db.execute("ALTER TABLE pages ADD COLUMN cleanup TEXT")


def _v4(db: sqlite_utils.Database) -> None:
    """Component facts as JSON: a drawing's scan grid (rows, columns), and its stitch report."""
    db.execute("ALTER TABLE components ADD COLUMN meta TEXT")


GENESIS = "0" * 64


def event_hash(prev: str, event_id: int, at: str, actor: str, action: str, subject: str, detail: str) -> str:
    """An audit entry's hash: SHA-256 over the previous entry's hash and this entry's fields."""
    body = json.dumps(
        [event_id, at, actor, action, subject, detail], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


def _v5(db: sqlite_utils.Database) -> None:
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


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Dossier:
    id: int
    code: str
    procedure: str
    applicant_name: str
    applicant_id: str
    status: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Component:
    id: int
    dossier_id: int
    name: str
    kind: str
    status: str
    position: int
    created_at: str
    updated_at: str
    meta: str | None = None

    @property
    def meta_dict(self) -> dict:
        return json.loads(self.meta) if self.meta else {}


@dataclass(frozen=True)
class Page:
    id: int
    component_id: int
    blob: str
    fmt: str
    position: int
    rotation: int
    dpi: float
    width: int
    height: int
    source: str
    created_at: str
    purged_at: str | None = None
    cleanup: str | None = None

    @property
    def cleanup_dict(self) -> dict | None:
        return json.loads(self.cleanup) if self.cleanup else None


@dataclass(frozen=True)
class Artifact:
    id: int
    component_id: int
    kind: str
    blob: str
    size: int
    meta: str
    created_at: str
    purged_at: str | None = None

    @property
    def meta_dict(self) -> dict:
        return json.loads(self.meta or "{}")


AUDIT_HEAD = "audit-head.json"


@dataclass
class AuditCheck:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def current_user() -> str:
    """Who is at the counter: the operating system's login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class _Tx:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.outer = not ws.db.conn.in_transaction
        self.inner = transaction(ws.db.conn)

    def __enter__(self):
        return self.inner.__enter__()

    def __exit__(self, *exc) -> bool | None:
        out = self.inner.__exit__(*exc)
        if self.outer and exc[0] is None:
            self.ws._write_head()
        elif self.outer:
            self.ws._head = None
        return out


class Workspace:
    """One counter's working state. Every method is one transaction; safe to kill at any moment."""

    def __init__(self, root: str | os.PathLike[str], *, actor: str | None = None) -> None:
        self.actor = actor or current_user()
        self._head: tuple[int, str] | None = None
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.root, stat.S_IRWXU)  # citizens' personal data: private to the user
        self.blobs = BlobStore(self.root / "blobs")
        self.blobs.clean_tmp()
        self.db = sqlite_utils.Database(connect(self.root / "workspace.sqlite"))
        self._migrate()

    @property
    def outbox_path(self) -> Path:
        return self.root / "outbox.sqlite"

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        found = self.schema_version()
        if found > SCHEMA_VERSION:
            raise WorkspaceNewer(found=found, known=SCHEMA_VERSION)
        for version in range(found, SCHEMA_VERSION):
            with transaction(self.db.conn):
                MIGRATIONS[version](self.db)
                self.db.execute(f"PRAGMA user_version={version + 1}")
            if MIGRATIONS[version] is _v5:  # the chain starts here: anchor its last entry
                last = self.db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
                self._head = tuple(last) if last else None
                self._write_head()

    def check_integrity(self) -> list[str]:
        """SQLite's own integrity check plus a check that every referenced blob exists."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        for table in ("pages", "artifacts"):
            for (digest,) in self.db.execute(f"SELECT blob FROM {table} WHERE purged_at IS NULL").fetchall():
                if not self.blobs.exists(digest):
                    problems.append(f"{table}: missing blob {digest}")
        return problems

    # -- dossiers -------------------------------------------------------------------------------
    def create_dossier(
        self,
        code: str,
        *,
        procedure: str = "",
        applicant_name: str = "",
        applicant_id: str = "",
        actor: str = "",
    ) -> Dossier:
        code = code.strip()
        if not code:
            raise WorkspaceError(detail="empty dossier code")
        now = now_iso()
        with self._tx():
            try:
                self.db.execute(
                    "INSERT INTO dossiers (code, procedure, applicant_name, applicant_id, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [code, procedure, applicant_name, applicant_id, now, now],
                )
            except sqlite3.IntegrityError as exc:
                raise DossierExists(code=code) from exc
            self._event("dossier.create", code, {"procedure": procedure}, actor)
        return self.dossier(code)

    def dossier(self, code: str) -> Dossier:
        rows = list(self.db["dossiers"].rows_where("code = ?", [code]))
        if not rows:
            raise DossierNotFound(code=code)
        return Dossier(**rows[0])

    def dossiers(self, *, since: str | None = None) -> list[Dossier]:
        """Newest first. With `since` (an ISO time), those created since then and any not yet sent."""
        if since is None:
            rows = self.db["dossiers"].rows_where(order_by="created_at DESC, id DESC")
        else:
            rows = self.db["dossiers"].rows_where(
                "created_at >= ? OR status != 'uploaded'", [since], order_by="created_at DESC, id DESC"
            )
        return [Dossier(**r) for r in rows]

    def update_dossier(self, code: str, **fields: str) -> Dossier:
        allowed = {"procedure", "applicant_name", "applicant_id", "status"}
        unknown = set(fields) - allowed
        if unknown:
            raise WorkspaceError(detail=f"unknown dossier field(s): {', '.join(sorted(unknown))}")
        d = self.dossier(code)
        with self._tx():
            self.db["dossiers"].update(d.id, {**fields, "updated_at": now_iso()})
        return self.dossier(code)

    # -- components -----------------------------------------------------------------------------
    def component(self, code: str, name: str, *, create: bool = False, kind: str = "document") -> Component:
        d = self.dossier(code)
        rows = list(self.db["components"].rows_where("dossier_id = ? AND name = ?", [d.id, name]))
        if rows:
            return Component(**rows[0])
        if not create:
            raise ComponentNotFound(code=code, name=name)
        if kind not in KINDS:
            raise WorkspaceError(detail=f"component kind must be one of {', '.join(KINDS)}")
        now = now_iso()
        with self._tx():
            pos = self.db.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM components WHERE dossier_id = ?", [d.id]
            ).fetchone()[0]
            self.db.execute(
                "INSERT INTO components (dossier_id, name, kind, position, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [d.id, name, kind, pos, now, now],
            )
        return self.component(code, name)

    def find_component(self, code: str, name: str) -> Component | None:
        """The component, or None when the dossier or the component does not exist."""
        row = self.db.execute(
            "SELECT c.* FROM components c JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = ? AND c.name = ?",
            [code, name],
        ).fetchone()
        if row is None:
            return None
        cols = [c[0] for c in self.db.execute("SELECT * FROM components LIMIT 0").description]
        return Component(**dict(zip(cols, row, strict=True)))

    def components(self, code: str) -> list[Component]:
        d = self.dossier(code)
        return [
            Component(**r)
            for r in self.db["components"].rows_where("dossier_id = ?", [d.id], order_by="position")
        ]

    def component_by_id(self, component_id: int) -> Component:
        return Component(**self.db["components"].get(component_id))

    def page(self, page_id: int) -> Page:
        return Page(**self.db["pages"].get(page_id))

    def update_component_meta(self, component_id: int, **facts) -> Component:
        """Merge `facts` into the component's JSON facts (a value of None removes the key)."""
        with self._tx():
            row = self.db["components"].get(component_id)
            meta = json.loads(row["meta"]) if row.get("meta") else {}
            for key, value in facts.items():
                if value is None:
                    meta.pop(key, None)
                else:
                    meta[key] = value
            self.db["components"].update(
                component_id, {"meta": json.dumps(meta, ensure_ascii=False), "updated_at": now_iso()}
            )
        return self.component_by_id(component_id)

    def set_component_status(self, component_id: int, status: str) -> None:
        with self._tx():
            self.db["components"].update(component_id, {"status": status, "updated_at": now_iso()})

    # -- pages ----------------------------------------------------------------------------------
    def add_page(
        self,
        component_id: int,
        data: bytes,
        *,
        fmt: str,
        dpi: float,
        width: int,
        height: int,
        rotation: int = 0,
        source: str = "",
        actor: str = "",
    ) -> Page:
        """Store the page's bytes first (durable), then its row: a crash never leaves a row without a file."""
        row = {"data": data, "fmt": fmt, "dpi": dpi, "width": width, "height": height}
        return self.add_pages(component_id, [{**row, "rotation": rotation, "source": source}], actor=actor)[0]

    def add_pages(self, component_id: int, pages: Iterable[dict], *, actor: str = "") -> list[Page]:
        """Several pages in one transaction (all or none). Each dict holds the keyword arguments of
        `add_page` plus `data`; `pages` may be a generator: each page's bytes go to the blob store as
        it comes and only its facts are kept, so memory does not grow with the number of pages. If
        the generator fails, the blobs it stored (and nothing else) are removed."""
        rows, digests = [], []
        try:
            for p in pages:
                digests.append(self.blobs.put_bytes(p["data"]))
                rows.append({k: v for k, v in p.items() if k != "data"})
        except BaseException:
            self.delete_unreferenced(digests)
            raise
        pages = rows
        ids = []
        with self._tx():
            pos = self.db.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM pages WHERE component_id = ?", [component_id]
            ).fetchone()[0]
            for n, (p, digest) in enumerate(zip(pages, digests, strict=True)):
                cur = self.db.execute(
                    "INSERT INTO pages (component_id, blob, fmt, position, rotation, dpi, width, height, source,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        component_id,
                        digest,
                        p["fmt"],
                        pos + n,
                        p.get("rotation", 0) % 360,
                        p["dpi"],
                        p["width"],
                        p["height"],
                        p.get("source", ""),
                        now_iso(),
                    ],
                )
                ids.append(cur.lastrowid)
                self._event(
                    "page.capture", str(component_id), {"blob": digest, "source": p.get("source", "")}, actor
                )
            self.db.execute(
                "UPDATE components SET status = 'captured', updated_at = ? WHERE id = ?",
                [now_iso(), component_id],
            )
        return [self.page(i) for i in ids]

    def has_pages_from(self, source_prefix: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM pages WHERE substr(source, 1, ?) = ? LIMIT 1", [len(source_prefix), source_prefix]
        ).fetchone()
        return row is not None

    def pages(self, component_id: int) -> list[Page]:
        return [
            Page(**r)
            for r in self.db["pages"].rows_where("component_id = ?", [component_id], order_by="position")
        ]

    def set_page_cleanup(self, page_id: int, cleanup: dict | None, *, actor: str = "") -> Page:
        """Record the cleanup of a page (a clerk undoes a transform by recording it as not done, e.g. the
        whole image as the crop, rotation 0); None lets SoHoa decide again. The original image is
        never changed."""
        with self._tx():
            value = json.dumps(cleanup, ensure_ascii=False) if cleanup is not None else None
            self.db["pages"].update(page_id, {"cleanup": value})
            self._event("page.cleanup", str(page_id), {"cleanup": cleanup}, actor)
        return self.page(page_id)

    def move_page(self, page_id: int, position: int, *, actor: str = "") -> Page:
        """Put a page at `position` (0-based) in its component; the others shift to make room."""
        page = self.page(page_id)
        with self._tx():
            order = [
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM pages WHERE component_id = ? ORDER BY position, id", [page.component_id]
                ).fetchall()
            ]
            order.remove(page_id)
            order.insert(max(0, min(position, len(order))), page_id)
            for n, pid in enumerate(order):
                self.db.execute("UPDATE pages SET position = ? WHERE id = ?", [n, pid])
            self._event("page.move", str(page_id), {"position": position}, actor)
        return self.page(page_id)

    def move_pages_to(self, page_ids: list[int], component_id: int, *, actor: str = "") -> None:
        """Move pages (in this order) to the end of another component of the same dossier; both
        components are then captured again (their PDFs are to be made again)."""
        with self._tx():
            pos = self.db.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM pages WHERE component_id = ?", [component_id]
            ).fetchone()[0]
            sources = set()
            for n, pid in enumerate(page_ids):
                sources.add(self.db["pages"].get(pid)["component_id"])
                self.db.execute(
                    "UPDATE pages SET component_id = ?, position = ? WHERE id = ?",
                    [component_id, pos + n, pid],
                )
            for cid in sources | {component_id}:
                ids = [
                    r[0]
                    for r in self.db.execute(
                        "SELECT id FROM pages WHERE component_id = ? ORDER BY position, id", [cid]
                    )
                ]
                for n, pid in enumerate(ids):
                    self.db.execute("UPDATE pages SET position = ? WHERE id = ?", [n, pid])
                status = "captured" if ids else "empty"
                self.db.execute(
                    "UPDATE components SET status = ?, updated_at = ? WHERE id = ?", [status, now_iso(), cid]
                )
            self._event("page.move_to", str(component_id), {"pages": page_ids}, actor)

    def delete_component(self, component_id: int, *, actor: str = "") -> None:
        """Take an empty component out of its dossier (its old PDFs' records go with it)."""
        with self._tx():
            if self.db.execute(
                "SELECT COUNT(*) FROM pages WHERE component_id = ?", [component_id]
            ).fetchone()[0]:
                raise WorkspaceError(detail="a component with pages cannot be deleted")
            name = self.db["components"].get(component_id)["name"]
            self.db.execute("DELETE FROM artifacts WHERE component_id = ?", [component_id])
            self.db.execute("DELETE FROM components WHERE id = ?", [component_id])
            self._event("component.delete", str(component_id), {"name": name}, actor)

    def reorder_pages(self, component_id: int, page_ids: list[int], *, actor: str = "") -> None:
        """Put the component's pages in this order (every page of it, once)."""
        with self._tx():
            have = {
                r[0] for r in self.db.execute("SELECT id FROM pages WHERE component_id = ?", [component_id])
            }
            if set(page_ids) != have or len(page_ids) != len(have):
                raise WorkspaceError(detail="the new order must list every page of the component once")
            for n, pid in enumerate(page_ids):
                self.db.execute("UPDATE pages SET position = ? WHERE id = ?", [n, pid])
            self._event("page.reorder", str(component_id), {"order": page_ids}, actor)

    def delete_page(self, page_id: int, *, actor: str = "") -> None:
        """Take a page out of its component (its image stays in the store until nothing refers
        to it); the others close up their positions."""
        page = self.page(page_id)
        with self._tx():
            self.db.execute("DELETE FROM pages WHERE id = ?", [page_id])
            self.db.execute(
                "UPDATE pages SET position = position - 1 WHERE component_id = ? AND position > ?",
                [page.component_id, page.position],
            )
            self._event("page.delete", str(page_id), {"blob": page.blob, "source": page.source}, actor)

    def rotate_page(self, page_id: int, degrees: int) -> Page:
        page = self.page(page_id)
        with self._tx():
            self.db["pages"].update(page_id, {"rotation": (page.rotation + degrees) % 360})
        return self.page(page_id)

    # -- artifacts ------------------------------------------------------------------------------
    def add_artifact(
        self,
        component_id: int,
        kind: str,
        path: str | os.PathLike[str],
        *,
        meta: dict | None = None,
        status: str | None = None,
        actor: str = "",
    ) -> Artifact:
        """Copy a produced file into the blob store and record it (and the component's new status)."""
        digest = self.blobs.put_file(path)
        size = self.blobs.path(digest).stat().st_size
        with self._tx():
            cur = self.db.execute(
                "INSERT INTO artifacts (component_id, kind, blob, size, meta, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [component_id, kind, digest, size, json.dumps(meta or {}, ensure_ascii=False), now_iso()],
            )
            if status:
                self.db.execute(
                    "UPDATE components SET status = ?, updated_at = ? WHERE id = ?",
                    [status, now_iso(), component_id],
                )
            self._event(f"artifact.{kind}", str(component_id), {"blob": digest, **(meta or {})}, actor)
        return Artifact(**self.db["artifacts"].get(cur.lastrowid))

    def latest_artifact(self, component_id: int, kind: str) -> Artifact | None:
        rows = list(
            self.db["artifacts"].rows_where(
                "component_id = ? AND kind = ?", [component_id, kind], order_by="id DESC", limit=1
            )
        )
        return Artifact(**rows[0]) if rows else None

    # -- retention ------------------------------------------------------------------------------
    def purge_component(self, component_id: int, *, reason: str, actor: str = "") -> list[str]:
        """Delete a delivered component's files (scans, OCR and signed PDFs); rows and audit trail stay.

        The rows are marked first (one transaction, recorded as an event), then the blobs no other
        live row uses are deleted; a crash in between leaves only unreferenced blobs, which
        `delete_unreferenced` removes on the next purge.
        """
        now = now_iso()
        with self._tx():
            digests = sorted(
                {
                    r[0]
                    for r in self.db.execute(
                        "SELECT blob FROM pages WHERE component_id = ? AND purged_at IS NULL "
                        "UNION SELECT blob FROM artifacts WHERE component_id = ? AND purged_at IS NULL",
                        [component_id, component_id],
                    ).fetchall()
                }
            )
            for table in ("pages", "artifacts"):
                self.db.execute(
                    f"UPDATE {table} SET purged_at = ? WHERE component_id = ? AND purged_at IS NULL",
                    [now, component_id],
                )
            self.db["components"].update(component_id, {"status": "purged", "updated_at": now})
            self._event("retention.purge", str(component_id), {"reason": reason, "blobs": digests}, actor)
        self.delete_unreferenced(digests)
        return digests

    def delete_unreferenced(self, digests: list[str] | None = None) -> int:
        """Delete blobs (all purged ones when `digests` is None) that no unpurged row references."""
        if digests is None:
            digests = [
                r[0]
                for r in self.db.execute(
                    "SELECT blob FROM pages WHERE purged_at IS NOT NULL UNION "
                    "SELECT blob FROM artifacts WHERE purged_at IS NOT NULL"
                ).fetchall()
            ]
        deleted = 0
        for digest in digests:
            live = self.db.execute(
                "SELECT 1 FROM pages WHERE blob = ? AND purged_at IS NULL UNION "
                "SELECT 1 FROM artifacts WHERE blob = ? AND purged_at IS NULL LIMIT 1",
                [digest, digest],
            ).fetchone()
            if live is None and self.blobs.exists(digest):
                self.blobs.path(digest).unlink()
                deleted += 1
        return deleted

    # -- audit ----------------------------------------------------------------------------------
    def _event(self, action: str, subject: str, detail: dict, actor: str) -> None:
        """Append one audit entry, chained to the last (inside the caller's transaction)."""
        at, actor, text = now_iso(), actor or self.actor, json.dumps(detail, ensure_ascii=False)
        last = self.db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        event_id, prev = (last[0] + 1, last[1] or GENESIS) if last else (1, GENESIS)
        digest = event_hash(prev, event_id, at, actor, action, subject, text)
        self.db.execute(
            "INSERT INTO events (id, at, actor, action, subject, detail, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [event_id, at, actor, action, subject, text, prev, digest],
        )
        self._head = (event_id, digest)

    def _tx(self):
        """One transaction; once the outermost commits, the audit trail's last entry is written to
        audit-head.json, outside the database, so entries cut from its end show too."""
        return _Tx(self)

    def _write_head(self) -> None:
        head, self._head = self._head, None
        if head is not None:
            write_text_atomic(self.root / AUDIT_HEAD, json.dumps({"id": head[0], "hash": head[1]}))

    def record(self, action: str, subject: str, detail: dict | None = None, actor: str = "") -> None:
        with self._tx():
            self._event(action, subject, detail or {}, actor)

    def verify_audit(self) -> AuditCheck:
        """Walk the audit trail from its first entry: every entry's hash over its own fields and the
        previous hash, the numbering without gaps, the last entry known outside the database
        (audit-head.json) still there and unchanged, and the append-only triggers in place."""
        problems: list[str] = []
        prev, expected_id, count = GENESIS, 1, 0
        rows = self.db.execute(
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
        head_path = self.root / AUDIT_HEAD
        if head_path.exists():
            try:
                head = json.loads(head_path.read_text(encoding="utf-8"))
                head_id, head_hash = int(head["id"]), str(head["hash"])
            except (OSError, ValueError, KeyError, TypeError):
                problems.append(f"{AUDIT_HEAD} is unreadable")
            else:
                if head_id >= expected_id:
                    problems.append(f"entries {expected_id}-{head_id} are missing from the end (deleted)")
                elif hashes.get(head_id) != head_hash:
                    problems.append(f"entry {head_id} differs from the one recorded in {AUDIT_HEAD}")
        elif count:
            problems.append(f"{AUDIT_HEAD} is missing")
        triggers = {
            r[0]
            for r in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
            )
        }
        for name in ("events_no_update", "events_no_delete"):
            if name not in triggers:
                problems.append(f"the append-only protection {name} was removed")
        return AuditCheck(count, problems)

    def events(self, limit: int = 200) -> list[dict]:
        return list(self.db["events"].rows_where(order_by="id DESC", limit=limit))
