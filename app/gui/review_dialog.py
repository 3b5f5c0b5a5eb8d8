"""The pages to check in a dossier, one at a time and large: blank ones, and ones OCR could hardly
read. The clerk keeps, deletes or scans each again; the work runs as jobs of the window."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
)

from app import pipeline
from app.gui.images import to_qimage
from app.workspace import Workspace

PREVIEW_PX = 1400


class ReviewDialog(QDialog):
    """Walks the dossier's flagged pages in order; each answer moves on to the next one."""

    def __init__(self, window, code: str) -> None:
        super().__init__(window)
        self.window_ = window
        self.code = code
        self.setWindowTitle(self.tr("Pages to check"))
        self.resize(900, 1000)
        self.items: list[tuple[str, pipeline.Flagged]] = []
        self.current: tuple[str, pipeline.Flagged] | None = None
        self.preview_job = None
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(self.heading)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("font-size: 15px;")
        layout.addWidget(self.reason)
        self.image = QLabel(self.tr("Loading the page..."))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton(self.tr("The page is fine: keep it"))
        self.keep_button.setShortcut("Ctrl+Return")
        self.keep_button.clicked.connect(self.keep)
        self.delete_button = QPushButton(self.tr("Delete the page"))
        self.delete_button.clicked.connect(self.delete)
        self.rescan_button = QPushButton(self.tr("Scan it again"))
        self.rescan_button.clicked.connect(self.rescan)
        self.rescan_button.setEnabled(bool(window.settings.scan_device))
        self.left_button = QPushButton(self.tr("Turn left"))
        self.left_button.clicked.connect(lambda: self.turn("rotate_left"))
        self.right_button = QPushButton(self.tr("Turn right"))
        self.right_button.clicked.connect(lambda: self.turn("rotate_right"))
        self.skip_button = QPushButton(self.tr("Later"))
        self.skip_button.clicked.connect(self.advance)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        for b in (
            self.keep_button,
            self.left_button,
            self.right_button,
            self.delete_button,
            self.rescan_button,
            self.skip_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.load()

    def load(self) -> None:
        """Every flagged page of the dossier, part by part, read afresh from the workspace."""
        ws = self.window_.ws
        self.items = [(c.name, f) for c in ws.components(self.code) for f in pipeline.flagged_pages(ws, c)]
        self.show_current()

    def show_current(self) -> None:
        self.current = self.items[0] if self.items else None
        if self.current is None:
            self.show_none()
        else:
            self.show_item()

    def advance(self) -> None:
        """Later: the page comes round again at the end."""
        if self.items:
            self.items.append(self.items.pop(0))
        self.show_current()

    def show_none(self) -> None:
        self.heading.setText(self.tr("No page left to check in this dossier."))
        self.reason.setText("")
        self.image.setPixmap(QPixmap())
        self.image.setText("")
        for b in (*self.answers(), self.rescan_button):
            b.setEnabled(False)

    def answers(self) -> tuple:
        return self.keep_button, self.left_button, self.right_button, self.delete_button, self.skip_button

    def show_item(self) -> None:
        name, flagged = self.current
        for b in self.answers():
            b.setEnabled(True)
        self.rescan_button.setEnabled(bool(self.window_.settings.scan_device))
        self.heading.setText(
            self.tr("{part}, page {page} ({left} to check)")
            .replace("{part}", name)
            .replace("{page}", str(flagged.position + 1))
            .replace("{left}", str(len(self.items)))
        )
        self.reason.setText("\n".join(self.reason_text(flagged, r) for r in flagged.reasons))
        self.image.setPixmap(QPixmap())
        self.image.setText(self.tr("Loading the page..."))
        root, page = self.window_.ws.root, flagged.page

        def work(progress, cancel):
            with Workspace(root) as ws:
                return page.id, pipeline.upright_image(ws, page, PREVIEW_PX)

        self.preview_job = self.window_.runner.start(self.tr("Loading the page"), work)
        self.preview_job.signals.finished.connect(self.show_preview)

    def reason_text(self, flagged: pipeline.Flagged, reason: str) -> str:
        if reason == "blank":
            return self.tr("This page looks blank. Delete it if it is; keep it if something is on it.")
        if reason == "low_confidence":
            return self.tr(
                "The text on this page was hard to read (confidence {score}%). Check that it is sharp and "
                "the right way up; if not, scan it again."
            ).replace("{score}", str(round(flagged.confidence or 0)))
        return self.tr("No text could be read on this page. Check it, or scan it again.")

    def show_preview(self, result) -> None:
        page_id, arr = result
        if self.current is None or self.current[1].page.id != page_id:
            return  # the clerk has moved on
        pix = QPixmap.fromImage(to_qimage(arr))
        width = max(200, self.image.width() - 20)
        self.image.setText("")
        self.image.setPixmap(
            pix.scaledToWidth(min(width, pix.width()), Qt.TransformationMode.SmoothTransformation)
        )

    def _after(self, job) -> None:
        """Move on now; the list is read again from the workspace once the last job is done."""
        if self.items:
            self.items.pop(0)
        self.show_current()
        if job is not None:
            job.signals.finished.connect(lambda _r: self._reload_if_idle())

    def _reload_if_idle(self) -> None:
        if self.isVisible() and self.current is None:
            self.load()

    def turn(self, action: str) -> None:
        """A quarter turn of the page shown; it stays on screen, turned, for the clerk to keep."""
        if self.current is None:
            return
        page_id = self.current[1].page.id
        job = self.window_.pages.edit_page(page_id, action)
        job.signals.finished.connect(lambda _r: self._turned(page_id))

    def _turned(self, page_id: int) -> None:
        if self.current is None or self.current[1].page.id != page_id:
            return
        name, flagged = self.current
        self.current = self.items[0] = (name, replace(flagged, page=self.window_.ws.page(page_id)))
        self.show_item()

    def keep(self) -> None:
        if self.current is not None:
            self._after(self.window_.pages.mark_reviewed(self.current[1].page.id))

    def delete(self) -> None:
        if self.current is not None:
            self._after(self.window_.pages.edit_page(self.current[1].page.id, "delete"))

    def rescan(self) -> None:
        if self.current is not None:
            self._after(self.window_.pages.rescan_page(self.current[1].page.id))
