"""Streaming SHA-256 and copies that never hold a whole file in memory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike[str]) -> tuple[str, int]:
    """(hex digest, size) of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def copy_and_hash(src: Path, dst: Path) -> str:
    """Copy `src` to `dst` (fsynced) and return the SHA-256 of what was written."""
    h = hashlib.sha256()
    with open(src, "rb") as inf, open(dst, "wb") as outf:
        while chunk := inf.read(CHUNK):
            h.update(chunk)
            outf.write(chunk)
        outf.flush()
        os.fsync(outf.fileno())
    return h.hexdigest()
