"""Qt item models over the workspace: today's dossiers and a dossier's components."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

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


def fold(text: str) -> str:
    """Lower case without accents (đ as d): "Nguyễn" is found by "nguyen"."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


class DossierModel(QAbstractTableModel):
    def __init__(self, ws: Workspace, parent=None, scope: str = "current") -> None:
        super().__init__(parent)
        self.ws = ws
        self.rows: list[Dossier] = []
        self.scope = scope
        self.search = ""
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
        since = None
        if self.scope == "current":  # today's (local midnight), and older ones not yet sent
            midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
            since = midnight.astimezone(UTC).isoformat(timespec="milliseconds")
        rows = self.ws.dossiers(since=since)
        if self.search:
            rows = [
                d
                for d in rows
                if self.search in fold(f"{d.code} {d.applicant_name} {d.applicant_id} {d.procedure}")
            ]
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def set_filter(self, scope: str | None = None, search: str | None = None) -> None:
        """`scope`: "current" (today's and not yet sent) or "all"; `search`: words of a code, a name
        (with or without Vietnamese accents), an ID or a procedure."""
        if scope is not None:
            self.scope = scope
        if search is not None:
            self.search = fold(search.strip())
        self.refresh()

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
        kind = {"drawing": self.tr("Drawing"), "record": self.tr("Data record")}.get(
            c.kind, self.tr("Document")
        )
        pages = str(n)
        if self.to_check.get(c.id):
            pages += " " + self.tr("({n} to check)").replace("{n}", str(self.to_check[c.id]))
        return [c.name, kind, pages, status_text(c.status)][index.column()]

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return [self.tr("Component"), self.tr("Kind"), self.tr("Pages"), self.tr("Status")][section]
        return None
