"""For support: what happened (the workspace's audit trail: who scanned, signed, sent what and when),
the log, and one button that copies a diagnostic report (versions, Tesseract and its languages,
token drivers, scanners, settings; never a PIN or a secret) with the log's end."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

LOG_LINES = 400


def tail(path, lines: int) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return ""


def _local(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return at


class DiagnosticsDialog(QDialog):
    def __init__(
        self, events: list[dict], log_text: str, parent: QWidget | None = None, audit_check=None
    ) -> None:
        """`audit_check`: the workspace's AuditCheck (the trail verified from its first entry)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Activity and diagnostics"))
        self.trail = QLabel()
        self.trail.setWordWrap(True)
        if audit_check is not None and audit_check.ok:
            self.trail.setStyleSheet("color: #1b5e20;")
            self.trail.setText(
                self.tr("Audit trail intact: {n} entries, none changed or deleted.").replace(
                    "{n}", str(audit_check.entries)
                )
            )
        elif audit_check is not None:
            self.trail.setStyleSheet("color: #b00020; font-weight: bold;")
            self.trail.setText(
                self.tr("The audit trail was changed outside SoHoa:") + "\n" + "\n".join(audit_check.problems)
            )
        tabs = QTabWidget()
        self.audit = QTableWidget(len(events), 5)
        self.audit.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Who"), self.tr("What"), self.tr("On"), self.tr("Details")]
        )
        self.audit.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.audit.verticalHeader().hide()
        self.audit.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for row, e in enumerate(events):
            detail = e.get("detail") or "{}"
            with contextlib.suppress(ValueError, AttributeError):  # not a JSON object: shown as it is
                detail = ", ".join(f"{k}: {v}" for k, v in json.loads(detail).items())
            for col, value in enumerate(
                [_local(e["at"]), e.get("actor") or "", e["action"], e.get("subject") or "", detail]
            ):
                self.audit.setItem(row, col, QTableWidgetItem(str(value)))
        self.audit.resizeColumnsToContents()
        self.log = QPlainTextEdit(log_text)
        self.log.setReadOnly(True)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        tabs.addTab(self.audit, self.tr("Activity"))
        tabs.addTab(self.log, self.tr("Log"))
        self.copy = QPushButton(self.tr("Copy diagnostic info"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.trail)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.resize(980, 560)
