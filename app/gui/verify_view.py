"""The report of `verify_pdf` for a clerk: one row per signature, and what is wrong with it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import translate
from common.errors import QT_TRANSLATE_NOOP
from common.vntime import vietnam_time
from signing.verify import VerifyReport

REVOCATION_TEXT = {
    "good": QT_TRANSLATE_NOOP("verify", "not revoked"),
    "revoked": QT_TRANSLATE_NOOP("verify", "REVOKED"),
    "unknown": QT_TRANSLATE_NOOP("verify", "could not be established"),
    "not checked": QT_TRANSLATE_NOOP("verify", "not checked (no data in the file)"),
}


def _local(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return vietnam_time(datetime.fromisoformat(iso))
    except ValueError:
        return iso


class VerifyDialog(QDialog):
    """Per signature: verdict, signer and ID, signing time, timestamp, chain, revocation, problems."""

    def __init__(self, report: VerifyReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Signature check"))
        self.resize(980, 360)
        layout = QVBoxLayout(self)
        if not report.signatures:
            summary = self.tr("{name}: the file has no signature.")
        elif report.ok:
            summary = self.tr("{name}: every signature is valid.")
        else:
            summary = self.tr("{name}: NOT VALID. See the problems below.")
        self.summary = QLabel(summary.replace("{name}", report.path.rsplit("/", 1)[-1]))
        self.summary.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(self.summary)
        headers = [
            self.tr("Verdict"),
            self.tr("Signed by"),
            self.tr("ID number"),
            self.tr("Signing time"),
            self.tr("Timestamp"),
            self.tr("Trusted chain"),
            self.tr("Revocation"),
            self.tr("Problems"),
        ]
        self.table = QTableWidget(len(report.signatures), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, sig in enumerate(report.signatures):
            signer = sig.signer
            if sig.kind == "document timestamp":
                signer = self.tr("Document timestamp: {tsa}").replace("{tsa}", sig.signer)
            cells = [
                self.tr("Valid") if sig.ok else self.tr("NOT VALID"),
                signer,
                sig.citizen_id,
                _local(sig.signing_time),
                _local(sig.timestamp),
                self.tr("yes") if sig.trusted else self.tr("no"),
                translate("verify", REVOCATION_TEXT.get(sig.revocation, sig.revocation)),
                "; ".join(sig.problem_messages(translate)),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setForeground(QColor("#1b7f3b" if sig.ok else "#b00020"))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
