"""After a crash or a power cut: a bar that says what was left half done, to resume or leave."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app import pipeline
from app.gui.host import Controller
from app.gui.runner import Job


class RecoveryController(Controller):
    def __init__(self, host) -> None:
        super().__init__(host)
        self.bar = QWidget()  # the window places it; shown when the last session ended mid-work
        row = QHBoxLayout(self.bar)
        self.text = QLabel()
        self.text.setWordWrap(True)
        resume = QPushButton(self.tr("Resume"))
        resume.clicked.connect(self.resume_work)
        later = QPushButton(self.tr("Later"))
        later.clicked.connect(self.dismiss)
        row.addWidget(self.text, 1)
        row.addWidget(resume)
        row.addWidget(later)
        self.bar.setStyleSheet("background: #fff3cd;")
        self.bar.hide()

    def check(self) -> None:
        """Say what was left half done and offer to resume it."""
        self.pending = pipeline.pending_work(self.host.ws)
        if not self.pending:
            return
        parts = []
        if self.pending.unprocessed:
            parts.append(
                self.tr("{n} scanned parts are not processed yet").replace(
                    "{n}", str(len(self.pending.unprocessed))
                )
            )
        if self.pending.unsent:
            parts.append(
                self.tr("{n} files stopped on their way to the portal").replace(
                    "{n}", str(self.pending.unsent)
                )
            )
        if self.pending.remote:
            parts.append(
                self.tr("signatures asked on a phone for {codes}").replace(
                    "{codes}", ", ".join(self.pending.remote)
                )
            )
        if self.pending.interrupted:
            parts.append(
                self.tr("interrupted: {jobs}").replace("{jobs}", ", ".join(self.pending.interrupted))
            )
        self.text.setText(self.tr("SoHoa stopped in the middle of some work: ") + "; ".join(parts) + ".")
        self.bar.show()

    def resume_work(self) -> Job | None:
        """Process what was scanned and send what was on its way, as jobs."""
        pending = self.pending
        pipeline.close_interrupted_jobs(self.host.ws)
        self.bar.hide()
        settings = self.host.settings
        job = None
        if pending.unprocessed:

            def work(ws, progress, cancel):
                for code, name in pending.unprocessed:
                    pipeline.process_component(
                        ws, ws.component(code, name), settings, progress=progress, cancel=cancel
                    )
                return len(pending.unprocessed)

            job = self.host.in_workspace(self.tr("Recognising text"), work)
        if pending.remote:
            job = self.resume_remote()
        if pending.unsent:
            job = self.host.delivery.upload()
        return job

    def resume_remote(self) -> Job:
        """Poll the remote signing requests a restart left: finish them, or end them and say why."""
        from app.remotesetup import remote_service

        settings = self.host.settings

        def work(ws, progress, cancel):
            outcomes = pipeline.resume_remote(
                ws, settings, lambda provider: remote_service(settings, provider), cancel=cancel
            )
            return [o for o in outcomes if o.state != "done"]

        job = self.host.in_workspace(self.tr("Finishing remote signatures"), work)
        job.signals.finished.connect(self._say_remote)
        return job

    def _say_remote(self, unfinished) -> None:
        if unfinished:
            self.host.error("\n".join(f"{o.dossier}: {o.message}" for o in unfinished))

    def dismiss(self) -> None:
        pipeline.close_interrupted_jobs(self.host.ws)
        self.bar.hide()
