"""The durable outbox: one SQLite row per file to deliver, surviving crashes in any state."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from common.sqlite import connect, transaction
from upload.errors import FileMissing, UploadError
from upload.hashing import sha256_file

STATES = ("queued", "uploading", "uploaded", "confirmed", "failed-permanent")
SCHEMA_VERSION = 1


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
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        with transaction(self.db.conn):
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
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.conn.close()

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
        with transaction(self.db.conn):
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
        with transaction(self.db.conn):
            for item_id in ids:
                self.db.execute(
                    "UPDATE items SET state='uploading', batch=?, attempts=attempts+1, updated_at=? WHERE id=?",
                    [batch, _now(), item_id],
                )

    def confirm(self, ids: list[int], receipts: dict[int, dict]) -> None:
        with transaction(self.db.conn):
            for item_id in ids:
                self.db.execute(
                    "UPDATE items SET state='confirmed', receipt=?, last_error=NULL, updated_at=? WHERE id=?",
                    [json.dumps(receipts.get(item_id, {}), ensure_ascii=False), _now(), item_id],
                )

    def retry_later(self, ids: list[int], error: str, delay_s: float) -> None:
        when = (datetime.now(UTC) + timedelta(seconds=delay_s)).isoformat(timespec="milliseconds")
        with transaction(self.db.conn):
            for item_id in ids:
                self.db.execute(
                    "UPDATE items SET state='queued', batch=NULL, last_error=?, next_attempt_at=?, updated_at=? "
                    "WHERE id=?",
                    [error, when, _now(), item_id],
                )

    def fail_permanently(self, item_id: int, error: str) -> None:
        with transaction(self.db.conn):
            self.db.execute(
                "UPDATE items SET state='failed-permanent', last_error=?, updated_at=? WHERE id=?",
                [error, _now(), item_id],
            )

    def requeue_failed(self) -> int:
        """Put permanently failed items back in the queue (after the clerk fixed the cause)."""
        with transaction(self.db.conn):
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
