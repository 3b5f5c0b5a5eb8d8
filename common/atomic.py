"""Atomic file writes: a temporary file in the same folder, fsync, rename, fsync of the folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def fsync_dir(path: Path) -> None:
    """Make a rename or creation inside `path` durable (no-op where folders cannot be opened)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(dest: str | os.PathLike[str], mode: str = "wb") -> Iterator[BinaryIO]:
    """Yield a file opened on a temporary path; on success it replaces `dest`, on error it vanishes.

    `mode` may be "wb" or "w+b" (the latter lets a writer read back what it wrote).
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, mode) as fh:
            yield fh  # type: ignore[misc]
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(dest: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `dest` atomically."""
    with atomic_output(dest) as fh:
        fh.write(data)


def write_text_atomic(dest: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 `text` to `dest` atomically."""
    write_bytes_atomic(dest, text.encode("utf-8"))
