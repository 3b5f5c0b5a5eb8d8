"""The durable outbox: one SQLite row per file to deliver, surviving crashes in any state."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from common.hashing import sha256_file
from common.sqlite import connect, transaction
from upload.errors import FileMissing, UploadError

STATES = ("queued", "uploading", "uploaded", "confirmed", "failed-permanent", "superseded")
SCHEMA_VERSION = 2


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class OutboxItem:
    id: int
    idem_key: str
    dossier: str
    component: str
    path: str
    filename: str
    size: int
    sha256: str
    signer: str
    target: str
    state: str
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    receipt: dict | None
    batch: str | None
    created_at: str
    updated_at: str
    upload_url: str | None = None
    confirmed_at: str | None = None
    purged_at: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> OutboxItem:
        row = dict(row)
        row["receipt"] = json.loads(row["receipt"]) if row.get("receipt") else None
        return cls(**row)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def idempotency_key(dossier: str, component: str, sha256: str) -> str:
    """Same file for the same dossier component: same key, so queueing it again is a no-op."""
    return hashlib.sha256(f"{dossier}\0{component}\0{sha256}".encode()).hexdigest()


class Outbox:
    """Queue of files to deliver; every change is one SQLite transaction (WAL)."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.path = Path(db_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(connect(self.path))
        self._lock = threading.RLock()  # one connection, shared by the upload threads
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        with transaction(self.db.conn):
            if version < 1:
                self._create_v1()
            # v2: resumable uploads (the tus upload's URL), confirmation time and retention.
            columns = {c.name for c in self.db["items"].columns}
            for name in ("upload_url", "confirmed_at", "purged_at"):
                if name not in columns:
                    self.db.execute(f"ALTER TABLE items ADD COLUMN {name} TEXT")
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _create_v1(self) -> None:
        self.db["items"].create(
            {
                "id": int,
                "idem_key": str,
                "dossier": str,
                "component": str,
                "path": str,
                "filename": str,
                "size": int,
                "sha256": str,
                "signer": str,
                "target": str,
                "state": str,
                "attempts": int,
                "next_attempt_at": str,
                "last_error": str,
                "receipt": str,
                "batch": str,
                "created_at": str,
                "updated_at": str,
            },
            pk="id",
            not_null={"idem_key", "dossier", "component", "path", "sha256", "state"},
            defaults={"attempts": 0, "state": "queued", "signer": "", "target": "default"},
            if_not_exists=True,
        )
        self.db["items"].create_index(["idem_key"], unique=True, if_not_exists=True)
        self.db["items"].create_index(["state", "next_attempt_at"], if_not_exists=True)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def enqueue(
        self,
        path: str | os.PathLike[str],
        *,
        dossier: str,
        component: str,
        signer: str = "",
        target: str = "default",
        filename: str | None = None,
    ) -> tuple[OutboxItem, bool]:
        """Queue a file; returns (item, created). The same content for the same component is queued once.

        Queueing new content for a component supersedes its older items still waiting to be sent.
        """
        path = Path(path)
        try:
            digest, size = sha256_file(path)
        except OSError as exc:
            raise FileMissing(name=path.name) from exc
        key = idempotency_key(dossier, component, digest)
        now = _now()
        row = {
            "idem_key": key,
            "dossier": dossier,
            "component": component,
            "path": str(path.resolve()),
            "filename": filename or path.name,
            "size": size,
            "sha256": digest,
            "signer": signer,
            "target": target,
            "state": "queued",
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        with self._lock, transaction(self.db.conn):
            cur = self.db.execute(
                "INSERT OR IGNORE INTO items ("
                + ",".join(row)
                + ") VALUES ("
                + ",".join("?" * len(row))
                + ")",
                list(row.values()),
            )
            created = cur.rowcount == 1
            if created:
                # A newer version of a part (signed again, e.g. certified by the official after the
                # citizen signed) replaces one still waiting; anything already on its way is left alone.
                self.db.execute(
                    "UPDATE items SET state='superseded', updated_at=? "
                    "WHERE dossier=? AND component=? AND target=? AND idem_key<>? AND state IN ('queued', 'failed-permanent')",
                    [now, dossier, component, target, key],
                )
        return self.get_by_key(key), created

    def get_by_key(self, key: str) -> OutboxItem:
        rows = list(self.db["items"].rows_where("idem_key = ?", [key]))
        if not rows:
            raise UploadError(detail=f"no outbox item {key[:12]}")
        return OutboxItem.from_row(rows[0])

    def items(self, state: str | None = None) -> list[OutboxItem]:
        where, args = ("state = ?", [state]) if state else (None, [])
        return [OutboxItem.from_row(r) for r in self.db["items"].rows_where(where, args, order_by="id")]

    def due(self, target: str | None = None, now: datetime | None = None) -> list[OutboxItem]:
        """Items to send now: queued, and past their retry time."""
        stamp = (now or datetime.now(UTC)).isoformat(timespec="milliseconds")
        where = "state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
        args: list = [stamp]
        if target:
            where += " AND target = ?"
            args.append(target)
        return [OutboxItem.from_row(r) for r in self.db["items"].rows_where(where, args, order_by="id")]

    def begin_batch(self, ids: list[int], batch: str) -> None:
        with self._lock, transaction(self.db.conn):
            for item_id in ids:
                self.db.execute(
                    "UPDATE items SET state='uploading', batch=?, attempts=attempts+1, updated_at=? WHERE id=?",
                    [batch, _now(), item_id],
                )

    def confirm(self, ids: list[int], receipts: dict[int, dict]) -> None:
        now = _now()
        with self._lock, transaction(self.db.conn):
            for item_id in ids:
                self.db.execute(
                    "UPDATE items SET state='confirmed', receipt=?, last_error=NULL, confirmed_at=?, updated_at=? "
                    "WHERE id=?",
                    [json.dumps(receipts.get(item_id, {}), ensure_ascii=False), now, now, item_id],
                )

    # -- one item at a time (the portal) ----------------------------------------------------------
    def begin_item(self, item_id: int) -> None:
        """The item is being sent now (one more attempt); its upload URL, if any, is kept for resuming."""
        with self._lock, transaction(self.db.conn):
            self.db.execute(
                "UPDATE items SET state='uploading', attempts=attempts+1, updated_at=? "
                "WHERE id=? AND state IN ('queued', 'uploading')",
                [_now(), item_id],
            )

    def set_upload_url(self, item_id: int, url: str | None) -> None:
        """Recorded before the first byte is sent, so any later run resumes this upload."""
        with self._lock, transaction(self.db.conn):
            self.db.execute("UPDATE items SET upload_url=?, updated_at=? WHERE id=?", [url, _now(), item_id])

    def mark_uploaded(self, item_id: int) -> None:
        """All bytes are on the server; attaching them to the dossier is what remains."""
        with self._lock, transaction(self.db.conn):
            self.db.execute("UPDATE items SET state='uploaded', updated_at=? WHERE id=?", [_now(), item_id])

    def unfinished(self) -> list[OutboxItem]:
        """Items a stopped run left on their way (uploading, uploaded): resumed before anything new."""
        return [
            OutboxItem.from_row(r)
            for r in self.db["items"].rows_where("state IN ('uploading', 'uploaded')", order_by="id")
        ]

    def get(self, item_id: int) -> OutboxItem:
        return OutboxItem.from_row(self.db["items"].get(item_id))

    # -- retention ---------------------------------------------------------------------------------
    def purgeable(self, days: float, now: datetime | None = None) -> list[OutboxItem]:
        """Confirmed items whose local copy is older than `days` since confirmation and not yet purged."""
        limit = ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="milliseconds")
        return [
            OutboxItem.from_row(r)
            for r in self.db["items"].rows_where(
                "state = 'confirmed' AND purged_at IS NULL AND confirmed_at IS NOT NULL AND confirmed_at <= ?",
                [limit],
                order_by="id",
            )
        ]

    def mark_purged(self, item_id: int) -> None:
        with self._lock, transaction(self.db.conn):
            self.db.execute(
                "UPDATE items SET purged_at=?, updated_at=? WHERE id=?", [_now(), _now(), item_id]
            )

    def retry_later(self, ids: list[int], error: str, delay_s: float) -> None:
        when = (datetime.now(UTC) + timedelta(seconds=delay_s)).isoformat(timespec="milliseconds")
        with self._lock, transaction(self.db.conn):
            for item_id in ids:
                self.db.execute(
                    "UPDATE items SET state='queued', batch=NULL, last_error=?, next_attempt_at=?, updated_at=? "
                    "WHERE id=?",
                    [error, when, _now(), item_id],
                )

    def fail_permanently(self, item_id: int, error: str) -> None:
        with self._lock, transaction(self.db.conn):
            self.db.execute(
                "UPDATE items SET state='failed-permanent', last_error=?, updated_at=? WHERE id=?",
                [error, _now(), item_id],
            )

    def requeue_failed(self) -> int:
        """Put permanently failed items back in the queue (after the clerk fixed the cause)."""
        with self._lock, transaction(self.db.conn):
            cur = self.db.execute(
                "UPDATE items SET state='queued', next_attempt_at=NULL, updated_at=? WHERE state='failed-permanent'",
                [_now()],
            )
        return cur.rowcount

    def in_flight(self) -> dict[str, list[OutboxItem]]:
        """Items left 'uploading' by an interrupted run, grouped by batch."""
        out: dict[str, list[OutboxItem]] = {}
        for item in self.items("uploading"):
            out.setdefault(item.batch or "", []).append(item)
        return out
