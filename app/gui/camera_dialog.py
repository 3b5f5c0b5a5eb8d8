"""The chip ID card's QR read by a webcam: what the camera sees, live, until the code is read."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.gui.images import to_qimage

TIMEOUT_S = 60.0


class CameraDialog(QDialog):
    """Reads from the chosen camera off the GUI thread; a timer shows the latest frame. `found` carries
    (dossier code or None, card) once the card's QR is read."""

    found = Signal(object, object)

    def __init__(self, window, sources: list[str] | None = None, parent=None) -> None:
        """`parent`: the dialog that asked (a modal dialog lets only its own children take input)."""
        from scanner.camera import list_cameras

        super().__init__(parent or window)
        self.window_ = window
        self.setWindowTitle(self.tr("Read the ID card with the camera"))
        self.resize(700, 560)
        self.job = None
        self.result = None
        self._latest = None
        self._lock = threading.Lock()
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Camera")))
        self.source = QComboBox()
        self.source.addItems(sources if sources is not None else list_cameras())
        row.addWidget(self.source, 1)
        layout.addLayout(row)
        self.hint = QLabel(
            self.tr("Hold the back of the ID card, QR code towards the camera, still, about 15 cm away.")
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("font-size: 15px;")
        layout.addWidget(self.hint)
        self.view = QLabel()
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setMinimumSize(640, 360)
        self.view.setStyleSheet("background: #222;")
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.clicked.connect(self.start)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setObjectName("camera-preview")
        self.timer.timeout.connect(self._show_latest)
        if self.source.count() == 0:
            self.hint.setText(self.tr("No camera is connected to this computer."))
            self.start_button.setEnabled(False)

    def _keep_frame(self, rgb) -> None:  # on the worker thread: only the newest frame is kept
        with self._lock:
            self._latest = rgb

    def _show_latest(self) -> None:
        with self._lock:
            rgb, self._latest = self._latest, None
        if rgb is not None:
            pix = QPixmap.fromImage(to_qimage(rgb))
            self.view.setPixmap(pix.scaled(self.view.size(), Qt.AspectRatioMode.KeepAspectRatio))

    def start(self) -> None:
        from scanner.camera import read_from_camera

        source = self.source.currentText()
        self.start_button.setEnabled(False)
        self.hint.setText(self.tr("Looking for the QR code..."))

        def work(progress, cancel):
            return read_from_camera(
                source, want="card", timeout_s=TIMEOUT_S, on_frame=self._keep_frame, cancel=cancel
            )

        self.job = self.window_.runner.start(self.tr("Reading the ID card"), work)
        self.job.signals.finished.connect(self._finished)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self._stopped)
        self.timer.start(80)

    def _stopped(self) -> None:
        self.timer.stop()
        self._show_latest()
        self.start_button.setEnabled(self.source.count() > 0)

    def _finished(self, read) -> None:
        self._stopped()
        self.result = read
        if read.card is None:
            self.hint.setText(
                self.tr("No ID card QR code was seen. Hold the card still and closer, then start again.")
            )
            return
        self.hint.setText(
            self.tr("Read: {name}, {id}")
            .replace("{name}", read.card.full_name)
            .replace("{id}", read.card.id_number)
        )
        self.found.emit(read.dossier_code, read.card)
        self.accept()

    def _failed(self, text: str) -> None:
        self._stopped()
        self.hint.setText(text)

    def done(self, result: int) -> None:
        """Closing stops the camera: the job is cancelled and waited for (a frame at most)."""
        if self.job is not None and not self.job.done.is_set():
            self.job.cancel_event.set()
            if self.job.began.is_set():
                self.job.done.wait(5)
        self.timer.stop()
        super().done(result)
