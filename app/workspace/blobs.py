"""Content-addressed blob store: files named by their SHA-256, each written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from pathlib import Path

from common.atomic import fsync_dir
from common.hashing import copy_and_hash


class BlobStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a SHA-256 digest: {digest!r}")
        return self.root / digest[:2] / digest[2:4] / digest

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def _commit(self, tmp_path: Path, digest: str) -> str:
        final = self.path(digest)
        if final.exists():
            tmp_path.unlink()
            return digest
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_path, final)
        fsync_dir(final.parent)
        return digest

    def put_bytes(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if self.exists(digest):
            return digest
        fd, tmp = tempfile.mkstemp(dir=self.tmp, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            return self._commit(Path(tmp), digest)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def put_file(self, src: str | os.PathLike[str]) -> str:
        """Copy a file in (streaming), returning its digest."""
        fd, tmp = tempfile.mkstemp(dir=self.tmp, suffix=".part")
        os.close(fd)
        try:
            return self._commit(Path(tmp), copy_and_hash(Path(src), Path(tmp)))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def read_bytes(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    def clean_tmp(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files a crash left behind; returns how many. Only old ones: another
        thread or process may have this store open and be writing a file right now."""
        n = 0
        limit = time.time() - older_than_s
        for p in self.tmp.glob("*.part"):
            with contextlib.suppress(OSError):
                if p.stat().st_mtime < limit:
                    p.unlink()
                    n += 1
        return n
