"""Jobs as the clerk sees them: the progress bar, the cancel button and the line a job leaves in the
status bar; each job's begin and end recorded in the workspace (a crash leaves a begin alone)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QProgressBar, QPushButton

from app.gui.runner import Job
from app.workspace import Workspace


class JobPanel(QObject):
    def __init__(self, host) -> None:
        super().__init__(host)
        self.host = host
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(host.runner.cancel_all)
        self.ended: list[Callable[[], None]] = []  # called once no job is running any more
        self._ids = 0

    def start(self, label: str, fn, done_text: Callable[[Any], str | None] | None = None) -> Job:
        """`fn(progress, cancel)` as a job, recorded in the workspace, with the progress bar and the
        status line; `done_text(result)` is what the status line says once it has ended (else
        "LABEL: done")."""
        self._ids += 1
        jid = f"{datetime.now().isoformat(timespec='seconds')}-{self._ids}"
        subject = f"{label} {self.host.current_code() or ''}".strip()
        root = self.host.ws.root

        def recorded(progress, cancel):
            """The job's begin and end in the workspace, written from the worker: each write waits
            for the disk, the window must not."""
            with Workspace(root) as ws:
                ws.record("job.begin", subject, {"id": jid})
            try:
                return fn(progress, cancel)
            finally:
                with Workspace(root) as ws:
                    ws.record("job.end", "", {"id": jid})

        job = self.host.runner.start(label, recorded)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.host.statusBar().showMessage(label + "...")
        started = time.monotonic()
        job.signals.progress.connect(lambda done, total: self._on_progress(done, total, label, started))
        job.signals.finished.connect(
            lambda result: self._job_ended(label, None, done_text(result) if done_text else None)
        )
        job.signals.failed.connect(lambda text: self._job_ended(label, text))
        job.signals.cancelled.connect(lambda: self._job_ended(label, self.tr("Cancelled.")))
        return job

    def in_workspace(self, label: str, fn, done_text: Callable[[Any], str | None] | None = None) -> Job:
        """`fn(ws, progress, cancel)` as a job on its own connection to the workspace."""
        root = self.host.ws.root

        def work(progress, cancel):
            with Workspace(root) as ws:
                return fn(ws, progress, cancel)

        return self.start(label, work, done_text)

    def _on_progress(self, done: int, total: int, label: str = "", started: float | None = None) -> None:
        if total <= 0:  # no end known (a feeder): a busy bar and the count so far
            self.progress.setRange(0, 0)
            self.host.statusBar().showMessage(self.tr("{n} pages so far").replace("{n}", str(done)))
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        left = time_left(done, total, time.monotonic() - started) if started is not None else None
        if left is not None:
            self.host.statusBar().showMessage(f"{label}: {done}/{total} - {self.time_text(left)}")

    def time_text(self, seconds: float) -> str:
        if seconds < 60:
            return self.tr("less than a minute left")
        return self.tr("about {n} min left").replace("{n}", str(round(seconds / 60)))

    def _job_ended(self, label: str, error: str | None, done: str | None = None) -> None:
        if not self.host.runner.busy():
            self.progress.hide()
            self.cancel_button.hide()
            for callback in self.ended:
                callback()
        self.host.refresh()
        if error:
            self.host.statusBar().showMessage(f"{label}: {error}")
            QTimer.singleShot(0, lambda: self.host.error(error))
        elif done:  # one place writes the line a job leaves, so no other slot's order can hide it
            self.host.statusBar().showMessage(done)
        else:
            self.host.statusBar().showMessage(label + ": " + self.tr("done"), 8000)


def time_left(done: int, total: int, elapsed: float) -> float | None:
    """Seconds left at the pace so far; None until a tenth is done or two seconds have passed
    (too early to say)."""
    if done <= 0 or total <= done or (done / total < 0.1 and elapsed < 2.0):
        return None
    return elapsed * (total - done) / done
