"""Scanning into a component from the window: which scanner, how, and into which component."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from app.config import Settings


class ScanDialog(QDialog):
    def __init__(self, existing: list[str], settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Scan"))
        self.component = QComboBox()
        self.component.setEditable(True)
        self.component.addItems(existing)
        self.device = QComboBox()
        self.device.setEditable(True)
        if settings.scan_device:
            self.device.addItem(
                settings.scan_device_label.replace("\t", " ") or settings.scan_device, settings.scan_device
            )
        self.source = QComboBox()
        for value, text in (
            ("adf", self.tr("Document feeder")),
            ("duplex", self.tr("Feeder, both sides")),
            ("flatbed", self.tr("Glass (flatbed)")),
        ):
            self.source.addItem(text, value)
        self.source.setCurrentIndex(max(0, self.source.findData(settings.scan_source)))
        self.mode = QComboBox()
        for value, text in (
            ("color", self.tr("Colour")),
            ("gray", self.tr("Gray")),
            ("lineart", self.tr("Black and white")),
        ):
            self.mode.addItem(text, value)
        self.mode.setCurrentIndex(max(0, self.mode.findData(settings.scan_mode)))
        self.resolution = QSpinBox()
        self.resolution.setRange(75, 1200)
        self.resolution.setSingleStep(50)
        self.resolution.setValue(settings.scan_resolution)
        self.resolution.setSuffix(" dpi")
        form = QFormLayout(self)
        form.addRow(self.tr("Component"), self.component)
        form.addRow(self.tr("Scanner"), self.device)
        form.addRow(self.tr("Paper from"), self.source)
        form.addRow(self.tr("Colour"), self.mode)
        form.addRow(self.tr("Resolution"), self.resolution)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def show_devices(self, devices: list) -> None:
        """The scanners SANE found (a job's result): name shown as make and model."""
        current = self.device.currentData() or self.device.currentText()
        self.device.clear()
        for d in devices:
            self.device.addItem(f"{d.vendor} {d.model} ({d.name})", d.name)
        k = self.device.findData(current)
        if k >= 0:
            self.device.setCurrentIndex(k)

    def values(self) -> tuple[str, str, dict]:
        device = self.device.currentData() or self.device.currentText().strip()
        profile = {
            "resolution": self.resolution.value(),
            "mode": self.mode.currentData(),
            "source": self.source.currentData(),
        }
        return self.component.currentText().strip(), device, profile
