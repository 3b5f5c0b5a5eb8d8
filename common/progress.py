"""Plain-Python progress and cancellation, as every library function takes them."""

from __future__ import annotations

import threading
from collections.abc import Callable

from common.errors import Cancelled

Progress = Callable[[int, int], None]
"""progress(done, total): called from the worker; the app turns it into a Qt signal."""


def report(progress: Progress | None, done: int, total: int) -> None:
    """Call `progress` if one was given."""
    if progress is not None:
        progress(done, total)


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise Cancelled when the caller has set the cancel flag."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()
