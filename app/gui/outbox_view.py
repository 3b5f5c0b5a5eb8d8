"""The outbox as the clerk sees it: every signed file waiting to go up, going up, sent or refused,
with the portal's reason and when the next try is; refused files can be put back in the queue."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.errors import QT_TRANSLATE_NOOP

STATE_TEXT = {
    "queued": QT_TRANSLATE_NOOP("OutboxDialog", "Waiting to send"),
    "uploading": QT_TRANSLATE_NOOP("OutboxDialog", "Sending"),
    "uploaded": QT_TRANSLATE_NOOP("OutboxDialog", "Sent, waiting for the portal's receipt"),
    "confirmed": QT_TRANSLATE_NOOP("OutboxDialog", "Sent"),
    "failed-permanent": QT_TRANSLATE_NOOP("OutboxDialog", "Refused"),
    "superseded": QT_TRANSLATE_NOOP("OutboxDialog", "Replaced by a newer file"),
}


class OutboxDialog(QDialog):
    retry_requested = Signal()
    send_requested = Signal()

    def __init__(self, items: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Outbox"))
        self.summary = QLabel()
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Dossier"),
                self.tr("Component"),
                self.tr("File"),
                self.tr("State"),
                self.tr("Tries"),
                self.tr("Next try / reason"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.retry = QPushButton(self.tr("Put refused files back in the queue"))
        self.retry.clicked.connect(self.retry_requested.emit)
        self.send = QPushButton(self.tr("Send now"))
        self.send.clicked.connect(self.send_requested.emit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.send, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retry, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.show_items(items)

    def show_items(self, items: list) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        counts: dict[str, int] = {}
        for row, item in enumerate(items):
            counts[item.state] = counts.get(item.state, 0) + 1
            state = self.tr(STATE_TEXT.get(item.state, item.state))
            if item.state == "queued" and item.last_error:
                state = self.tr("Waiting to try again")
            detail = item.last_error or ""
            if item.state == "queued" and item.next_attempt_at:
                detail = f"{item.next_attempt_at[:16].replace('T', ' ')}  {detail}".strip()
            for col, value in enumerate(
                [item.dossier, item.component, item.filename, state, str(item.attempts), detail]
            ):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        waiting = counts.get("queued", 0) + counts.get("uploading", 0) + counts.get("uploaded", 0)
        self.summary.setText(
            self.tr("Waiting: {waiting}. Sent: {sent}. Refused: {refused}.")
            .replace("{waiting}", str(waiting))
            .replace("{sent}", str(counts.get("confirmed", 0)))
            .replace("{refused}", str(counts.get("failed-permanent", 0)))
        )
        self.retry.setEnabled(counts.get("failed-permanent", 0) > 0)
        self.send.setEnabled(waiting > 0)
