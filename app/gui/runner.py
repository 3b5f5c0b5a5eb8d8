"""The one worker helper: runs plain-Python jobs on a QThreadPool and reports through Qt signals."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from app import i18n
from common.errors import Cancelled, UserError

log = logging.getLogger(__name__)

JobFn = Callable[[Callable[[int, int], None], threading.Event], Any]


class JobSignals(QObject):
    started = Signal()
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Job(QRunnable):
    """One unit of slow work; `fn(progress, cancel)` must not touch widgets."""

    def __init__(self, name: str, fn: JobFn) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name
        self.fn = fn
        self.cancel_event = threading.Event()
        self.signals = JobSignals()
        self.began = threading.Event()  # a worker has taken the job
        self.done = threading.Event()  # the work has ended (set on the worker thread)
        self.handled = threading.Event()  # ... and every slot of its last signal has run
        self.result = None  # what fn returned, or
        self.error: str | None = None  # the message shown for a failure (set before `done`)

    def run(self) -> None:
        self.began.set()
        self.signals.started.emit()
        try:
            result = self.fn(self.signals.progress.emit, self.cancel_event)
        except Cancelled:
            self.signals.cancelled.emit()
        except UserError as exc:
            self.error = i18n.message(exc)
            self.signals.failed.emit(self.error)
        except Exception as exc:  # a bug: show it, log the traceback, keep the window alive
            log.error("job %s crashed:\n%s", self.name, traceback.format_exc())
            self.error = f"{type(exc).__name__}: {exc}"
            self.signals.failed.emit(self.error)
        else:
            self.result = result
            self.signals.finished.emit(result)
        finally:
            self.done.set()

    def cancel(self) -> None:
        self.cancel_event.set()


class JobRunner(QObject):
    """Starts jobs and keeps them until they end; `shutdown` cancels and waits (window close)."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self.jobs: list[Job] = []

    def start(self, name: str, fn: JobFn) -> Job:
        job = Job(name, fn)
        self.jobs.append(job)
        job.signals.finished.connect(lambda *_: self._forget(job))
        job.signals.failed.connect(lambda *_: self._forget(job))
        job.signals.cancelled.connect(lambda *_: self._forget(job))
        # The job goes to a worker once control is back in the event loop: the caller connects its
        # own slots after this returns, and a quick job (or a slow one while this thread waits for
        # the GIL) could otherwise signal its end before they are connected, and go unheard.
        QTimer.singleShot(0, self, lambda: self._launch(job))
        return job

    def _launch(self, job: Job) -> None:
        if job.cancel_event.is_set():  # cancelled before it began: no worker, just the ending
            job.done.set()
            job.signals.cancelled.emit()
            return
        self.pool.start(job)

    def _forget(self, job: Job) -> None:
        # after every other slot of the job's last signal has run (they were connected later)
        def later() -> None:
            if job in self.jobs:
                self.jobs.remove(job)
            job.handled.set()

        QTimer.singleShot(0, self, later)

    def busy(self) -> bool:
        """Some job is still working."""
        return any(not j.done.is_set() for j in self.jobs)

    def settled(self) -> bool:
        """Every job has ended and the window has taken in how (its signals were all handled)."""
        return not self.jobs

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        self.cancel_all()
        return self.pool.waitForDone(timeout_ms)
