"""SQLite as every SoHoa store uses it: WAL, full sync, explicit transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open `path` in autocommit mode with WAL and fsync on commit; use `transaction` to group writes."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error; nested use joins the outer transaction."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
