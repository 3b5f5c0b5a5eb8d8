"""Settings from the window: scanner profile, OCR, signing, trust store, upload, retention. Values the
administrator's file fixes are shown but cannot be changed here."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import LANGUAGES, SIGN_LEVELS, ConfigError, Settings
from common.errors import QT_TRANSLATE_NOOP

# key, label, editor: ("choice", values) | ("int", low, high) | ("text",) | ("list",) | ("bool",)
PAGES = [
    (
        QT_TRANSLATE_NOOP("SettingsDialog", "Work"),
        [
            (
                "language",
                QT_TRANSLATE_NOOP("SettingsDialog", "Language (after a restart)"),
                ("choice", LANGUAGES),
            ),
            ("agency", QT_TRANSLATE_NOOP("SettingsDialog", "Agency (on certified copies)"), ("text",)),
            (
                "retention_days",
                QT_TRANSLATE_NOOP("SettingsDialog", "Keep sent files locally (days)"),
                ("int", 0, 3650),
            ),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("SettingsDialog", "Scanning and OCR"),
        [
            ("scan_resolution", QT_TRANSLATE_NOOP("SettingsDialog", "Resolution (dpi)"), ("int", 75, 1200)),
            (
                "scan_mode",
                QT_TRANSLATE_NOOP("SettingsDialog", "Colour"),
                ("choice", ("color", "gray", "lineart")),
            ),
            (
                "scan_source",
                QT_TRANSLATE_NOOP("SettingsDialog", "Paper from"),
                ("choice", ("flatbed", "adf", "duplex")),
            ),
            ("ocr_languages", QT_TRANSLATE_NOOP("SettingsDialog", "OCR languages"), ("text",)),
            (
                "ocr_profile",
                QT_TRANSLATE_NOOP("SettingsDialog", "Compression"),
                ("choice", ("archive", "standard", "small")),
            ),
            (
                "ocr_page_timeout_s",
                QT_TRANSLATE_NOOP("SettingsDialog", "Longest OCR time for one page (s)"),
                ("int", 5, 3600),
            ),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("SettingsDialog", "Signing"),
        [
            ("sign_level", QT_TRANSLATE_NOOP("SettingsDialog", "Signature level"), ("choice", SIGN_LEVELS)),
            ("tsa_url", QT_TRANSLATE_NOOP("SettingsDialog", "Time-stamp server (TSA)"), ("text",)),
            ("stamp", QT_TRANSLATE_NOOP("SettingsDialog", "Visible stamp"), ("bool",)),
            ("sign_location", QT_TRANSLATE_NOOP("SettingsDialog", "Place of signing"), ("text",)),
            (
                "trust_dirs",
                QT_TRANSLATE_NOOP("SettingsDialog", "Trust store folders (separated by ;)"),
                ("list",),
            ),
            (
                "pkcs11_modules",
                QT_TRANSLATE_NOOP("SettingsDialog", "Extra token drivers (separated by ;)"),
                ("list",),
            ),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("SettingsDialog", "Sending"),
        [
            ("portal_url", QT_TRANSLATE_NOOP("SettingsDialog", "Portal address (https://)"), ("text",)),
            ("portal_client_id", QT_TRANSLATE_NOOP("SettingsDialog", "Portal client ID"), ("text",)),
            ("upload_folder", QT_TRANSLATE_NOOP("SettingsDialog", "Or deliver into this folder"), ("text",)),
            (
                "upload_daily_at",
                QT_TRANSLATE_NOOP("SettingsDialog", "Send everything daily at (HH:MM)"),
                ("text",),
            ),
        ],
    ),
]


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.editors: dict[str, tuple[tuple, QWidget]] = {}
        tabs = QTabWidget()
        values = settings.to_dict()
        for title, fields in PAGES:
            page = QWidget()
            form = QFormLayout(page)
            for key, label, spec in fields:
                editor = self._editor(spec, values[key])
                if key in settings.locked:
                    editor.setEnabled(False)
                    editor.setToolTip(self.tr("Set by the administrator"))
                self.editors[key] = (spec, editor)
                form.addRow(self.tr(label), editor)
            tabs.addTab(page, self.tr(title))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.result_settings: Settings | None = None

    def _editor(self, spec: tuple, value) -> QWidget:
        kind = spec[0]
        if kind == "choice":
            w = QComboBox()
            w.addItems(list(spec[1]))
            w.setCurrentText(str(value))
        elif kind == "int":
            w = QSpinBox()
            w.setRange(spec[1], spec[2])
            w.setValue(int(value))
        elif kind == "bool":
            w = QCheckBox()
            w.setChecked(bool(value))
        elif kind == "list":
            w = QLineEdit("; ".join(value))
        else:
            w = QLineEdit(str(value))
        return w

    def _value(self, spec: tuple, editor: QWidget):
        kind = spec[0]
        if kind == "choice":
            return editor.currentText()
        if kind == "int":
            return editor.value()
        if kind == "bool":
            return editor.isChecked()
        if kind == "list":
            return [part.strip() for part in editor.text().split(";") if part.strip()]
        return editor.text().strip()

    def values(self) -> dict:
        return {key: self._value(spec, editor) for key, (spec, editor) in self.editors.items()}

    def _check_and_accept(self) -> None:
        """Validate as the settings file would; a wrong value says which and why, and stays open."""
        changed = {k: v for k, v in self.values().items() if k not in self.settings.locked}
        data = {**self.settings.to_dict(), **changed}
        data.pop("locked", None)
        try:
            new = Settings.from_dict(data, source=self.tr("these settings"))
        except ConfigError as exc:
            from app.i18n import message

            self.error.setText(message(exc))
            return
        self.result_settings = dataclasses.replace(new, locked=self.settings.locked)
        self.accept()
