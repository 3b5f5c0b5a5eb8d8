"""Folder target: a batch folder with the files, manifest.json and SHA256SUMS, published atomically."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from common.atomic import fsync_dir, write_text_atomic
from common.hashing import copy_and_hash
from common.progress import Progress, check_cancel, report
from upload.errors import TargetUnavailable, UploadError
from upload.outbox import OutboxItem

log = logging.getLogger(__name__)

BATCH_PREFIX = "sohoa-batch-"
PARTIAL_PREFIX = ".sohoa-partial-"


def safe_name(text: str) -> str:
    """A file-system-safe name that keeps Vietnamese letters readable (NFC, no separators)."""
    text = unicodedata.normalize("NFC", text).strip()
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text)
    return text.strip(". ") or "_"


class FolderTarget:
    """Deliver a batch of outbox items into `root/sohoa-batch-<id>/` (USB stick, network share)."""

    name = "folder"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def describe(self) -> str:
        return str(self.root)

    def batch_dir(self, batch: str) -> Path:
        return self.root / f"{BATCH_PREFIX}{batch}"

    def is_delivered(self, batch: str) -> bool:
        """True when the batch folder was published whole (the rename is the commit point)."""
        return (self.batch_dir(batch) / "manifest.json").is_file()

    def deliver(
        self,
        items: Sequence[OutboxItem],
        batch: str,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> dict[int, dict]:
        """Copy `items` into a hidden folder, check every hash, then publish it by renaming it."""
        final = self.batch_dir(batch)
        if self.is_delivered(batch):
            return self._receipts(items, final)
        partial = self.root / f"{PARTIAL_PREFIX}{batch}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if partial.exists():
                shutil.rmtree(partial)
            partial.mkdir()
            entries = []
            used: set[str] = set()
            total = sum(i.size for i in items)
            sent = 0
            for item in items:
                check_cancel(cancel)
                rel = self._relative_name(item, used)
                dest = partial / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                digest = copy_and_hash(Path(item.path), dest)
                if digest != item.sha256:
                    raise UploadError(detail=f"{item.filename}: the file changed after it was queued")
                entries.append(
                    {
                        "dossier": item.dossier,
                        "component": item.component,
                        "file": rel,
                        "size": item.size,
                        "sha256": item.sha256,
                        "signer": item.signer,
                    }
                )
                sent += item.size
                report(progress, sent, total)
            manifest = {
                "format": "sohoa-batch/1",
                "batch": batch,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "files": entries,
            }
            sums = "".join(f"{e['sha256']}  {e['file']}\n" for e in entries)
            write_text_atomic(partial / "SHA256SUMS", sums)
            write_text_atomic(partial / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            for sub in {p.parent for p in partial.rglob("*") if p.is_file()}:
                fsync_dir(sub)
            os.replace(partial, final)
            fsync_dir(self.root)
        except OSError as exc:
            raise TargetUnavailable(target=str(self.root), detail=exc.strerror or str(exc)) from exc
        log.info("delivered batch %s with %d files to %s", batch, len(items), self.root)
        return self._receipts(items, final)

    @staticmethod
    def _relative_name(item: OutboxItem, used: set[str]) -> str:
        base = f"{safe_name(item.dossier)}/{safe_name(item.filename)}"
        name, n = base, 2
        while name in used:
            stem, dot, ext = base.rpartition(".")
            name = f"{stem} ({n}).{ext}" if dot else f"{base} ({n})"
            n += 1
        used.add(name)
        return name

    @staticmethod
    def _receipts(items: Sequence[OutboxItem], final: Path) -> dict[int, dict]:
        return {i.id: {"target": "folder", "batch_dir": str(final)} for i in items}
