"""Guided capture of a large drawing on a small flatbed: the plan of scans, which part of the sheet
goes on the glass next, the parts collected so far (scanned here or added as files, in any order)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scanner.plan import TilePlan, plan_tiles

SHEETS = ("A0", "A1", "A2")
BEDS = ("A3", "A4")


class PlanView(QWidget):
    """The sheet with its planned scans: done ones shaded, the next one outlined and numbered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: TilePlan | None = None
        self.sheet_mm = (841.0, 594.0)
        self.done = 0
        self.setMinimumSize(420, 300)

    def show_plan(self, plan: TilePlan, sheet_mm: tuple[float, float], done: int) -> None:
        self.plan, self.sheet_mm, self.done = plan, sheet_mm, done
        self.update()

    def paintEvent(self, _event) -> None:
        if self.plan is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        sw, sh = self.sheet_mm
        scale = min((self.width() - 20) / sw, (self.height() - 20) / sh)
        ox, oy = (self.width() - sw * scale) / 2, (self.height() - sh * scale) / 2
        p.fillRect(QRectF(ox, oy, sw * scale, sh * scale), QColor("white"))
        p.setPen(QPen(QColor("#555"), 2))
        p.drawRect(QRectF(ox, oy, sw * scale, sh * scale))
        font = QFont(self.font())
        font.setPointSize(max(9, int(min(self.plan.tile_mm) * scale / 6)))
        p.setFont(font)
        for k, (left, top, right, bottom) in enumerate(self.plan.tiles):
            rect = QRectF(ox + left * scale, oy + top * scale, (right - left) * scale, (bottom - top) * scale)
            if k < self.done:
                p.fillRect(rect, QColor(60, 170, 90, 60))
                p.setPen(QPen(QColor(60, 140, 80), 1))
            elif k == self.done:
                p.fillRect(rect, QColor(40, 110, 220, 50))
                p.setPen(QPen(QColor(30, 90, 200), 3))
            else:
                p.setPen(QPen(QColor(150, 150, 150), 1, Qt.PenStyle.DashLine))
            p.drawRect(rect)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(k + 1))
        p.end()


class DrawingDialog(QDialog):
    """Collects the scans of one drawing; `values()` gives (component name, files, grid or None)."""

    scan_requested = Signal()

    def __init__(self, existing: list[str], parent: QWidget | None = None, *, can_scan: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Large drawing"))
        self.existing = existing
        self.files: list[str] = []
        self.name = QLineEdit(self.tr("Drawing"))
        self.sheet = QComboBox()
        self.sheet.addItems(SHEETS)
        self.sheet.setCurrentText("A1")
        self.bed = QComboBox()
        self.bed.addItems(BEDS)
        form = QFormLayout()
        form.addRow(self.tr("Component name"), self.name)
        form.addRow(self.tr("Sheet size"), self.sheet)
        form.addRow(self.tr("Scanner glass"), self.bed)
        self.view = PlanView()
        self.instruction = QLabel()
        self.instruction.setWordWrap(True)
        self.instruction.setStyleSheet("font-size: 14px;")
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.in_order = QCheckBox(self.tr("The parts are in the order of the plan"))
        self.in_order.setChecked(True)
        self.scan_button = QPushButton(self.tr("Scan next part"))
        self.scan_button.setEnabled(can_scan)
        self.scan_button.clicked.connect(self.scan_requested.emit)
        add = QPushButton(self.tr("Add scan files..."))
        add.clicked.connect(self._add_files)
        remove = QPushButton(self.tr("Remove last"))
        remove.clicked.connect(self.remove_last)
        row = QHBoxLayout()
        for b in (self.scan_button, add, remove):
            row.addWidget(b)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.stitch_button = self.buttons.addButton(self.tr("Stitch"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.instruction)
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(self.in_order)
        layout.addWidget(self.buttons)
        self.sheet.currentTextChanged.connect(self._replan)
        self.bed.currentTextChanged.connect(self._replan)
        self.resize(620, 640)
        self._replan()

    # -- state -----------------------------------------------------------------------------------
    def _replan(self) -> None:
        self.plan = plan_tiles(self.sheet.currentText(), self.bed.currentText())
        self._update()

    def _update(self) -> None:
        from scanner.plan import SHEETS_MM

        w, h = SHEETS_MM[self.sheet.currentText()]
        self.view.show_plan(self.plan, (max(w, h), min(w, h)), len(self.files))
        total = len(self.plan.tiles)
        n = len(self.files)
        if n < total:
            left, top, right, bottom = self.plan.tiles[n]
            tw, th = self.plan.tile_mm
            self.instruction.setText(
                self.tr(
                    "Scan {n} of {total}: lay the sheet face down with the part from {left} to {right} mm "
                    "across and {top} to {bottom} mm down (from its top left corner) on the glass, the "
                    "sheet's long side along the glass's {side} side."
                )
                .replace("{n}", str(n + 1))
                .replace("{total}", str(total))
                .replace("{left}", f"{left:.0f}")
                .replace("{right}", f"{right:.0f}")
                .replace("{top}", f"{top:.0f}")
                .replace("{bottom}", f"{bottom:.0f}")
                .replace("{side}", self.tr("long") if tw >= th else self.tr("short"))
            )
        else:
            self.instruction.setText(
                self.tr("All {total} parts are in. Press Stitch.").replace("{total}", str(total))
            )
        self.stitch_button.setEnabled(n >= 2 and bool(self.name.text().strip()))

    def add_tile(self, path: str) -> None:
        self.files.append(path)
        self.list.addItem(f"{len(self.files)}. {path}")
        self._update()

    def remove_last(self) -> None:
        if self.files:
            self.files.pop()
            self.list.takeItem(self.list.count() - 1)
            self._update()

    def _add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Scans of the drawing"),
            "",
            self.tr("Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"),
        )
        for f in files:
            self.add_tile(f)

    def values(self) -> tuple[str, list[str], tuple[int, int] | None]:
        """The grid is a hint only when the parts came as planned (one per planned scan, in order);
        otherwise every pair of parts is tried and they are placed by their content alone."""
        planned = len(self.files) == len(self.plan.tiles) and self.in_order.isChecked()
        grid = (self.plan.rows, self.plan.cols) if planned else None
        return self.name.text().strip(), list(self.files), grid
