"""A watched folder: copiers that "scan to folder" drop files here; each is imported once, then moved.

A file is taken only when complete: its size and modification time have not changed for
`stable_s` seconds and it can be opened. Every file is identified by its SHA-256 in a small ledger
(SQLite), so a file dropped twice, or found again after a crash, is never imported twice; after
import it is moved to `_done/`, and a file that cannot be read to `_failed/` with a note saying why:
nothing is deleted.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from common.atomic import write_text_atomic
from common.errors import UserError
from common.hashing import sha256_file
from common.sqlite import connect, transaction

log = logging.getLogger(__name__)

TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".filepart", ".swp")


@dataclass(frozen=True)
class WatchResult:
    path: Path  # where the file is now (_done/ or _failed/)
    name: str
    sha256: str
    outcome: str  # imported | duplicate | failed
    detail: str = ""


def _unique(dest_dir: Path, name: str) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / name
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        target = dest_dir / f"{stem} ({n}){suffix}"
        n += 1
    return target


class FolderWatcher:
    """Poll `folder`; hand each complete new file to a handler; keep a ledger in `ledger_path`."""

    def __init__(
        self, folder: str | os.PathLike[str], ledger_path: str | os.PathLike[str], *, stable_s: float = 2.0
    ):
        self.folder = Path(folder)
        self.done = self.folder / "_done"
        self.failed = self.folder / "_failed"
        self.stable_s = stable_s
        self.db = sqlite_utils.Database(connect(ledger_path))
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS files (sha256 TEXT PRIMARY KEY, name TEXT, state TEXT, updated_at TEXT)"
        )
        self._seen: dict[Path, tuple[int, int, float]] = {}  # path -> (size, mtime_ns, unchanged since)

    def close(self) -> None:
        self.db.conn.close()

    def _candidates(self) -> list[Path]:
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return []
        out = []
        for e in entries:
            name = e.name
            if not e.is_file() or name.startswith((".", "~$")) or name.lower().endswith(TEMP_SUFFIXES):
                continue
            out.append(Path(e.path))
        return sorted(out, key=lambda p: p.name)

    def ready(self, now: float | None = None) -> list[Path]:
        """Files unchanged for `stable_s` seconds (a copier still writing one keeps changing it)."""
        now = time.monotonic() if now is None else now
        found = []
        current = set()
        for path in self._candidates():
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            current.add(path)
            key = (st.st_size, st.st_mtime_ns)
            previous = self._seen.get(path)
            if previous is None or previous[:2] != key:
                self._seen[path] = (*key, now)
                continue
            if st.st_size > 0 and now - previous[2] >= self.stable_s:
                found.append(path)
        for gone in set(self._seen) - current:
            del self._seen[gone]
        return found

    def state(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT state FROM files WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None

    def _set(self, sha256: str, name: str, state: str) -> None:
        with transaction(self.db.conn):
            self.db.execute(
                "INSERT INTO files (sha256, name, state, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(sha256) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                [sha256, name, state, datetime.now(UTC).isoformat(timespec="seconds")],
            )

    def process(
        self, handler: Callable[[Path, str, bool], None], *, now: float | None = None
    ) -> list[WatchResult]:
        """Import every ready file with `handler(path, sha256, retry)`; `retry` is True when an
        earlier run started this very file and did not finish (the handler then replaces what that
        run left). Returns what happened to each file."""
        results = []
        for path in self.ready(now):
            try:
                sha, _size = sha256_file(path)
            except OSError as exc:  # still locked by the copier: next poll
                log.info("watched file %s not readable yet: %s", path.name, exc)
                continue
            state = self.state(sha)
            if state == "imported":
                dest = _unique(self.done, path.name)
                shutil.move(path, dest)
                results.append(WatchResult(dest, path.name, sha, "duplicate"))
                continue
            self._set(sha, path.name, "importing")
            try:
                handler(path, sha, state == "importing")
            except UserError as exc:
                dest = _unique(self.failed, path.name)
                shutil.move(path, dest)
                write_text_atomic(dest.with_name(dest.name + ".txt"), exc.render() + "\n")
                with transaction(self.db.conn):
                    self.db.execute("DELETE FROM files WHERE sha256 = ?", [sha])
                results.append(WatchResult(dest, path.name, sha, "failed", exc.render()))
                continue
            self._set(sha, path.name, "imported")
            dest = _unique(self.done, path.name)
            shutil.move(path, dest)
            self._seen.pop(path, None)
            results.append(WatchResult(dest, path.name, sha, "imported"))
        return results
