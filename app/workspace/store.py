"""The workspace store: dossiers, parts, pages and files in SQLite (WAL), their bytes in the blob
store. The only code in SoHoa that speaks SQL; every method is one transaction."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from app.workspace import audit, schema
from app.workspace.blobs import BlobStore
from app.workspace.records import (
    Artifact,
    Component,
    ComponentNotFound,
    Dossier,
    DossierExists,
    DossierNotFound,
    Page,
    PageCleanup,
    WorkspaceError,
    WorkspaceNewer,
    current_user,
    now_iso,
)
from app.workspace.status import KINDS, ArtifactKind, DossierStatus, Status
from common.atomic import write_text_atomic
from common.sqlite import connect, transaction


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

    def work_dir(self) -> Path:
        """Where a running step keeps its temporary outputs (each removes its own when it ends)."""
        path = self.root / "work"
        path.mkdir(exist_ok=True)
        return path

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
        if found > schema.SCHEMA_VERSION:
            raise WorkspaceNewer(found=found, known=schema.SCHEMA_VERSION)
        for version in range(found, schema.SCHEMA_VERSION):
            with transaction(self.db.conn):
                schema.MIGRATIONS[version](self.db)
                self.db.execute(f"PRAGMA user_version={version + 1}")
            if schema.MIGRATIONS[version] is schema.v5:  # the chain starts here: anchor its last entry
                self._head = audit.last(self.db)
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
                "created_at >= ? OR status != ?",
                [since, DossierStatus.UPLOADED],
                order_by="created_at DESC, id DESC",
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

    def dossier_by_id(self, dossier_id: int) -> Dossier:
        return Dossier(**self.db["dossiers"].get(dossier_id))

    def parts_in(self, status: Status) -> list[tuple[str, str]]:
        """(dossier code, part name) of every part in `status`, by dossier and position."""
        return [
            (code, name)
            for code, name in self.db.execute(
                "SELECT d.code, c.name FROM components c JOIN dossiers d ON d.id = c.dossier_id "
                "WHERE c.status = ? ORDER BY d.code, c.position",
                [status],
            ).fetchall()
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

    def set_component_status(self, component_id: int, status: Status) -> None:
        with self._tx():
            self._set_status(component_id, Status(status))

    def _set_status(self, component_id: int, new: Status) -> None:
        """Move a part to `new` (inside the caller's transaction), refusing a move its lifecycle does
        not allow (a purged part made captured again, a captured part sent...)."""
        (old,) = self.db.execute("SELECT status FROM components WHERE id = ?", [component_id]).fetchone()
        if not Status(old).may_become(new):
            raise WorkspaceError(detail=f"part {component_id} cannot go from {old} to {new}")
        self.db.execute(
            "UPDATE components SET status = ?, updated_at = ? WHERE id = ?", [new, now_iso(), component_id]
        )

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
            self._set_status(component_id, Status.CAPTURED)
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

    def set_page_cleanup(self, page_id: int, cleanup: PageCleanup | dict | None, *, actor: str = "") -> Page:
        """Record the cleanup of a page (a clerk undoes a transform by recording it as not done, e.g. the
        whole image as the crop, rotation 0); None lets SoHoa decide again. The original image is
        never changed."""
        if isinstance(cleanup, PageCleanup):
            cleanup = cleanup.as_dict()
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
                self._set_status(cid, Status.CAPTURED if ids else Status.EMPTY)
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
        status: Status | None = None,
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
                self._set_status(component_id, Status(status))
            self._event(f"artifact.{kind}", str(component_id), {"blob": digest, **(meta or {})}, actor)
        return Artifact(**self.db["artifacts"].get(cur.lastrowid))

    def latest_artifact(self, component_id: int, *kinds: ArtifactKind) -> Artifact | None:
        """The part's newest file of any of these kinds."""
        marks = ", ".join("?" * len(kinds))
        rows = list(
            self.db["artifacts"].rows_where(
                f"component_id = ? AND kind IN ({marks})", [component_id, *kinds], order_by="id DESC", limit=1
            )
        )
        return Artifact(**rows[0]) if rows else None

    def made_pdf(self, component_id: int) -> Artifact | None:
        """The part's own PDF as last made (OCR or stitched sheet), before any signature."""
        return self.latest_artifact(component_id, *ArtifactKind.made())

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
            self._set_status(component_id, Status.PURGED)
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
        self._head = audit.append(self.db, now_iso(), actor or self.actor, action, subject, detail)

    def _tx(self):
        """One transaction; once the outermost commits, the audit trail's last entry is written to
        audit-head.json, outside the database, so entries cut from its end show too."""
        return _Tx(self)

    def _write_head(self) -> None:
        head, self._head = self._head, None
        if head is not None:
            write_text_atomic(self.root / audit.HEAD_FILE, json.dumps({"id": head[0], "hash": head[1]}))

    def record(self, action: str, subject: str, detail: dict | None = None, actor: str = "") -> None:
        with self._tx():
            self._event(action, subject, detail or {}, actor)

    def verify_audit(self) -> audit.AuditCheck:
        """The audit trail checked from its first entry to the one anchored outside the database."""
        return audit.verify(self.db, self.root / audit.HEAD_FILE)

    def save_remote_request(
        self, request_id: str, dossier_id: int, component_ids: list[int], provider: str, role: str, batch: str
    ) -> None:
        """Record (or update) a remote signing request still waiting for the signer's phone."""
        now = now_iso()
        with self._tx():
            self.db.execute(
                "INSERT INTO remote_requests (id, dossier_id, components, provider, role, batch, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET batch = excluded.batch,"
                " updated_at = excluded.updated_at",
                [request_id, dossier_id, json.dumps(component_ids), provider, role, batch, now, now],
            )

    def end_remote_request(self, request_id: str, state: str, message: str = "") -> None:
        with self._tx():
            self.db.execute(
                "UPDATE remote_requests SET state = ?, message = ?, updated_at = ? WHERE id = ?",
                [state, message, now_iso(), request_id],
            )
            self._event("sign.remote." + state, request_id, {"message": message} if message else {}, "")

    def remote_requests(self, state: str = "waiting") -> list[dict]:
        rows = self.db["remote_requests"].rows_where("state = ?", [state], order_by="created_at")
        return [{**r, "components": json.loads(r["components"])} for r in rows]

    def open_jobs(self) -> list[tuple[str, str]]:
        """Jobs begun and never ended (a crash or a power cut): (job id, label)."""
        return audit.open_jobs(self.db)

    def events(self, limit: int = 200) -> list[dict]:
        return list(self.db["events"].rows_where(order_by="id DESC", limit=limit))
