"""Delivery from the window: send what is due (and once a day by itself), pause and resume, the
outbox with what waits, went or was refused and why."""

from __future__ import annotations

import threading
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from app import pipeline
from app.gui.host import Controller
from app.gui.runner import Job
from upload import Outbox


class DeliveryController(Controller):
    def __init__(self, host) -> None:
        super().__init__(host)
        self.upload_pause = threading.Event()
        self.pause_button = QPushButton(self.tr("Pause sending"))
        self.pause_button.hide()
        self.pause_button.clicked.connect(self.toggle_pause)
        self._daily_done = None
        self.daily_timer = QTimer(self)
        self.daily_timer.setObjectName("daily-upload")
        self.daily_timer.timeout.connect(self.maybe_daily_upload)
        self.settings_changed()

    def settings_changed(self) -> None:
        if self.host.settings.upload_daily_at:
            self.daily_timer.start(60_000)
        else:
            self.daily_timer.stop()

    def jobs_ended(self) -> None:
        """No job runs any more: nothing to pause."""
        self.pause_button.hide()
        self.upload_pause.clear()

    def stop(self) -> None:
        self.daily_timer.stop()

    def upload(self) -> Job:
        settings, pause = self.host.settings, self.upload_pause
        pause.clear()

        def work(ws, progress, cancel):
            summary = pipeline.upload_due(ws, settings, progress=progress, cancel=cancel, pause=pause)
            if summary.stopped:
                raise pipeline.PipelineError(detail=summary.stopped)
            return summary

        job = self.host.in_workspace(self.tr("Sending"), work, done_text=self.summary_text)
        job.signals.finished.connect(self._upload_done)
        self.pause_button.setText(self.tr("Pause sending"))
        self.pause_button.show()
        return job

    def _outbox_items(self) -> list:
        with Outbox(self.host.ws.outbox_path) as outbox:
            return outbox.items()

    def show_outbox(self):
        """What waits to go up, what went, what the portal refused and why."""
        from app.gui.outbox_view import OutboxDialog

        dlg = OutboxDialog(self._outbox_items(), self.host)
        self.outbox_dialog = dlg

        def retry() -> None:
            with Outbox(self.host.ws.outbox_path) as outbox:
                outbox.requeue_failed()
            dlg.show_items(self._outbox_items())

        def send() -> None:
            job = self.upload()
            job.signals.finished.connect(lambda _s: dlg.show_items(self._outbox_items()))
            job.signals.failed.connect(lambda _e: dlg.show_items(self._outbox_items()))

        dlg.retry_requested.connect(retry)
        dlg.send_requested.connect(send)
        dlg.open()
        return dlg

    def summary_text(self, summary) -> str:
        """The line an upload leaves in the status bar."""
        return (
            self.tr("Sent: {sent}. Refused: {failed}. Waiting to retry: {waiting}.")
            .replace("{sent}", str(len(summary.delivered) + len(summary.recovered)))
            .replace("{failed}", str(len(summary.failed)))
            .replace("{waiting}", str(len(summary.retrying)))
        )

    def _upload_done(self, summary) -> None:
        """Above all, tell the clerk what the portal refused."""
        self.last_upload = summary
        text = self.summary_text(summary)
        if summary.failed:
            QTimer.singleShot(0, lambda: self.host.error(text + "\n\n" + "\n".join(summary.failed.values())))

    def toggle_pause(self) -> None:
        """Pause sending after the chunk on the wire; resume from where the portal is."""
        if self.upload_pause.is_set():
            self.upload_pause.clear()
            self.pause_button.setText(self.tr("Pause sending"))
            self.host.statusBar().showMessage(self.tr("Sending") + "...")
        else:
            self.upload_pause.set()
            self.pause_button.setText(self.tr("Resume sending"))
            self.host.statusBar().showMessage(self.tr("Sending paused"))

    def maybe_daily_upload(self, now: datetime | None = None) -> Job | None:
        """At the configured time of day (`upload_daily_at`, HH:MM), send everything once a day."""
        at = self.host.settings.upload_daily_at
        if not at:
            return None
        now = now or datetime.now()
        hour, minute = (int(v) for v in at.split(":"))
        if (
            (now.hour, now.minute) < (hour, minute)
            or self._daily_done == now.date()
            or self.host.runner.busy()
        ):
            return None
        self._daily_done = now.date()
        return self.upload()
