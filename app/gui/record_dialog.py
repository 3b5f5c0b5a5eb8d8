"""Data records in the window: look a subject up in a data service (the query filled from the
dossier's applicant) and see the answer as the table that will be printed; the dossier's records
with their time; two records of one subject side by side, changes marked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

MARKS = {"added": "#d7f5dd", "removed": "#fbdada", "changed": "#fff1c2"}


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], colours: list[str | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if colours and colours[r]:
                item.setBackground(QBrush(QColor(colours[r])))
            table.setItem(r, c, item)


class LookupDialog(QDialog):
    lookup_requested = Signal()
    save_requested = Signal()

    def __init__(self, services: dict, applicant_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Look up data"))
        self.services = services
        self.applicant_id = applicant_id
        self.answer = None  # (answer, facts, entry) once the service has answered
        self.fields: dict[str, QLineEdit] = {}
        self.service = QComboBox()
        for key, entry in services.items():
            self.service.addItem(entry.get("name", key), key)
        self.query = QWidget()
        self.query_form = QFormLayout(self.query)
        self.query_form.setContentsMargins(0, 0, 0, 0)
        self.look = QPushButton(self.tr("Look up"))
        self.look.clicked.connect(self.lookup_requested.emit)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = _table([self.tr("Field"), self.tr("Value"), self.tr("Key")])
        form = QFormLayout()
        form.addRow(self.tr("Data service"), self.service)
        form.addRow(self.query)
        form.addRow(self.look)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save = self.buttons.addButton(
            self.tr("Save signed record"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save.clicked.connect(self.save_requested.emit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.service.currentIndexChanged.connect(lambda _i: self._query_fields())
        self._query_fields()
        self.resize(820, 620)

    def _query_fields(self) -> None:
        while self.query_form.rowCount():
            self.query_form.removeRow(0)
        self.fields = {}
        entry = self.services[self.service.currentData()]
        for field in entry.get("query", []):
            edit = QLineEdit(self.applicant_id if field.get("from") == "applicant_id" else "")
            edit.returnPressed.connect(self.lookup_requested.emit)
            self.fields[field["key"]] = edit
            self.query_form.addRow(field.get("label", field["key"]), edit)
        self.show_answer(None)

    def query_values(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.fields.items() if e.text().strip()}

    def show_answer(self, result, rows: list[list[str]] | None = None, error: str = "") -> None:
        """The answer as it will be printed (or why there is none)."""
        self.answer = result
        _fill(self.table, rows or [])
        self.save.setEnabled(result is not None)
        self.status.setText(error)

    def busy(self, text: str) -> None:
        self.status.setText(text)
        self.save.setEnabled(False)


class RecordsDialog(QDialog):
    compare_requested = Signal(list)

    def __init__(self, records: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Data records of the dossier"))
        self.records = records
        self.table = _table([self.tr("Time"), self.tr("Data service"), self.tr("Subject"), self.tr("State")])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        _fill(self.table, [[r["time"], r["service"], r["subject"], r["state"]] for r in records])
        self.status = QLabel(self.tr("Select two records of one subject to compare them."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.compare = self.buttons.addButton(self.tr("Compare"), QDialogButtonBox.ButtonRole.ActionRole)
        self.compare.clicked.connect(lambda: self.compare_requested.emit(self.selected()))
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(lambda: self.compare.setEnabled(len(self.selected()) == 2))
        self.compare.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(760, 400)

    def selected(self) -> list[dict]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.records[r] for r in rows]


class CompareDialog(QDialog):
    """Two records of one subject side by side: every field, the changed ones marked."""

    def __init__(self, heading: str, older: str, newer: str, rows: list[tuple], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare data records"))
        self.rows = rows  # (label, older value, newer value, kind: "", added, removed, changed)
        title = QLabel(heading)
        title.setStyleSheet("font-size: 16px;")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = _table([self.tr("Field"), older, newer, self.tr("Change")])
        words = {"added": self.tr("added"), "removed": self.tr("removed"), "changed": self.tr("changed")}
        _fill(
            self.table,
            [[label, old or "", new or "", words.get(kind, "")] for label, old, new, kind in rows],
            [MARKS.get(kind) for *_rest, kind in rows],
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(980, 640)
