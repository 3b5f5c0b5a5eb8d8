"""Logging handlers, installed by the app only: stderr, and a rotating file in the workspace."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from app.paths import workspace_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    return workspace_dir() / "logs" / "sohoa.log"


def setup_logging(verbose: bool = False) -> Path | None:
    """stderr gets warnings (info with -v); the file gets info and above. Returns the file, if writable."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if not verbose:  # tracebacks go to the file; the terminal gets the one-line message
        console.addFilter(lambda record: not record.exc_info)
    root.addHandler(console)
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path
