"""Qt item models over the workspace: today's dossiers and a dossier's components."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.i18n import translate
from app.pipeline import flagged_pages
from app.workspace import Component, Dossier, Workspace
from common.errors import QT_TRANSLATE_NOOP

STATUS_TEXT = {
    "open": QT_TRANSLATE_NOOP("status", "Open"),
    "empty": QT_TRANSLATE_NOOP("status", "No pages yet"),
    "captured": QT_TRANSLATE_NOOP("status", "Scanned"),
    "processed": QT_TRANSLATE_NOOP("status", "OCR done"),
    "signed": QT_TRANSLATE_NOOP("status", "Signed"),
    "queued": QT_TRANSLATE_NOOP("status", "Waiting to send"),
    "uploaded": QT_TRANSLATE_NOOP("status", "Sent"),
    "purged": QT_TRANSLATE_NOOP("status", "Sent; local copy deleted"),
}


def status_text(status: str) -> str:
    return translate("status", STATUS_TEXT[status]) if status in STATUS_TEXT else status


class DossierModel(QAbstractTableModel):
    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rows: list[Dossier] = []
        self.refresh()

    def headers(self) -> list[str]:
        return [
            self.tr("Code"),
            self.tr("Applicant"),
            self.tr("Citizen ID"),
            self.tr("Procedure"),
            self.tr("Status"),
        ]

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = self.ws.dossiers()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        d = self.rows[index.row()]
        return [d.code, d.applicant_name, d.applicant_id, d.procedure, status_text(d.status)][index.column()]

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def dossier_at(self, row: int) -> Dossier | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


class ComponentModel(QAbstractTableModel):
    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rows: list[tuple[Component, int]] = []
        self.to_check: dict[int, int] = {}

    def show(self, code: str | None) -> None:
        self.beginResetModel()
        self.rows = [(c, len(self.ws.pages(c.id))) for c in self.ws.components(code)] if code else []
        self.to_check = {c.id: len(flagged_pages(self.ws, c)) for c, _n in self.rows}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        c, n = self.rows[index.row()]
        kind = self.tr("Drawing") if c.kind == "drawing" else self.tr("Document")
        pages = str(n)
        if self.to_check.get(c.id):
            pages += " " + self.tr("({n} to check)").replace("{n}", str(self.to_check[c.id]))
        return [c.name, kind, pages, status_text(c.status)][index.column()]

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return [self.tr("Component"), self.tr("Kind"), self.tr("Pages"), self.tr("Status")][section]
        return None
