"""The main window: today's dossiers, their components, and the actions of the clerk's flow."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import pipeline
from app.config import Settings
from app.gui.dialogs import ComponentDialog, NewDossierDialog
from app.gui.models import ComponentModel, DossierModel
from app.gui.runner import Job, JobRunner
from app.pipeline import scan_one_page
from app.signsetup import known_modules, sign_options, trust_folders
from app.workspace import Workspace
from common.errors import UserError


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, settings: Settings) -> None:
        super().__init__()
        self.ws = ws
        self.settings = settings
        self.runner = JobRunner(self)
        self.setWindowTitle(self.tr("SoHoa - Dossier digitization"))
        self.resize(1200, 760)

        self.dossiers = DossierModel(ws, self)
        self.components = ComponentModel(ws, self)
        self.dossier_view = self._table(self.dossiers)
        self.component_view = self._table(self.components)
        self.dossier_view.selectionModel().currentRowChanged.connect(self._dossier_changed)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.recovery = QWidget()  # shown when the last session ended in the middle of some work
        bar = QHBoxLayout(self.recovery)
        self.recovery_text = QLabel()
        self.recovery_text.setWordWrap(True)
        resume = QPushButton(self.tr("Resume"))
        resume.clicked.connect(self.resume_work)
        later = QPushButton(self.tr("Later"))
        later.clicked.connect(self.dismiss_recovery)
        bar.addWidget(self.recovery_text, 1)
        bar.addWidget(resume)
        bar.addWidget(later)
        self.recovery.setStyleSheet("background: #fff3cd;")
        self.recovery.hide()
        right_layout.addWidget(self.recovery)
        self.dossier_title = QLabel(self.tr("Select a dossier"))
        self.dossier_title.setStyleSheet("font-size: 15px; font-weight: bold;")
        right_layout.addWidget(self.dossier_title)
        self.checklist = QLabel()
        self.checklist.setWordWrap(True)
        right_layout.addWidget(self.checklist)
        right_layout.addWidget(self.component_view)
        self.page_strip = QListWidget()
        self.page_strip.setViewMode(QListView.ViewMode.IconMode)
        self.page_strip.setIconSize(QSize(120, 160))
        self.page_strip.setResizeMode(QListView.ResizeMode.Adjust)
        self.page_strip.setMovement(QListView.Movement.Snap)
        self.page_strip.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.page_strip.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.page_strip.model().rowsMoved.connect(lambda *_args: self.pages_reordered())
        self.page_strip.setMinimumHeight(200)
        right_layout.addWidget(self.page_strip)
        self.component_view.clicked.connect(lambda _index: self.show_pages())
        self.component_view.doubleClicked.connect(lambda _index: self.open_sheet())
        self.component_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.component_view.customContextMenuRequested.connect(self._component_menu)
        self.page_strip.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.page_strip.customContextMenuRequested.connect(self._page_menu)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        find_row = QHBoxLayout()
        self.find = QLineEdit()
        self.find.setPlaceholderText(self.tr("Find: code, name or ID (Ctrl+F)"))
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(lambda text: self._filter_dossiers(search=text))
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Today's and not yet sent"), "current")
        self.scope.addItem(self.tr("All dossiers"), "all")
        self.scope.currentIndexChanged.connect(
            lambda _i: self._filter_dossiers(scope=self.scope.currentData())
        )
        find_row.addWidget(self.find, 1)
        find_row.addWidget(self.scope)
        left_layout.addLayout(find_row)
        left_layout.addWidget(self.dossier_view)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 680])
        self.setCentralWidget(splitter)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.runner.cancel_all)
        self.upload_pause = threading.Event()
        self.pause_button = QPushButton(self.tr("Pause sending"))
        self.pause_button.hide()
        self.pause_button.clicked.connect(self.toggle_pause)
        self.statusBar().addPermanentWidget(self.pause_button)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self._build_actions()
        self._daily_done = None
        self.daily_timer = QTimer(self)
        self.daily_timer.setObjectName("daily-upload")
        self.daily_timer.timeout.connect(self.maybe_daily_upload)
        if settings.upload_daily_at:
            self.daily_timer.start(60_000)
        if self.dossiers.rows:
            self.dossier_view.selectRow(0)
        self.dossier_view.resizeColumnsToContents()
        self.statusBar().showMessage(self.tr("Workspace: {path}").replace("{path}", str(ws.root)))
        self._job_ids = 0
        self.check_recovery()

    # -- layout ----------------------------------------------------------------------------------
    def _table(self, model) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().hide()
        return view

    def _build_actions(self) -> None:
        bar = QToolBar(self.tr("Actions"))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        spec = [
            ("new", self.tr("New dossier"), QKeySequence.StandardKey.New, self.new_dossier),
            ("scan", self.tr("Scan"), QKeySequence("Ctrl+Shift+S"), self.scan_pages),
            ("import", self.tr("Import pages"), QKeySequence("Ctrl+I"), self.import_pages),
            ("drawing", self.tr("Large drawing"), QKeySequence("Ctrl+D"), self.large_drawing),
            ("process", self.tr("OCR"), QKeySequence("Ctrl+R"), self.process),
            ("review", self.tr("Check pages"), QKeySequence("Ctrl+E"), self.review_pages),
            ("sign", self.tr("Sign"), QKeySequence("Ctrl+K"), self.sign),
            ("upload", self.tr("Upload all"), QKeySequence("Ctrl+U"), self.upload),
            ("outbox", self.tr("Outbox"), QKeySequence("Ctrl+Shift+O"), self.show_outbox),
            ("settings", self.tr("Settings"), QKeySequence("Ctrl+,"), self.edit_settings),
            ("diagnostics", self.tr("Activity and diagnostics"), QKeySequence("F1"), self.show_diagnostics),
            ("verify", self.tr("Check a signed file"), QKeySequence("Ctrl+Shift+K"), self.verify_file),
        ]
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, key, slot in spec:
            action = QAction(text, self)
            action.setShortcut(key)
            action.triggered.connect(slot)
            bar.addAction(action)
            self.actions_by_name[name] = action
        find = QAction(self.tr("Find a dossier"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.find.setFocus(), self.find.selectAll()))
        self.addAction(find)
        self.actions_by_name["find"] = find
        for name, text, key, step in (
            ("next_part", self.tr("Next part"), QKeySequence("Ctrl+PgDown"), 1),
            ("previous_part", self.tr("Previous part"), QKeySequence("Ctrl+PgUp"), -1),
        ):
            action = QAction(text, self)
            action.setShortcut(key)
            action.triggered.connect(lambda _checked=False, s=step: self.step_component(s))
            self.addAction(action)  # keyboard only: no room for it on the toolbar
            self.actions_by_name[name] = action

    def _filter_dossiers(self, scope: str | None = None, search: str | None = None) -> None:
        code = self.current_code()
        self.dossiers.set_filter(scope, search)
        if code:
            self.select_code(code)
        if self.current_code() is None and self.dossiers.rows:
            self.dossier_view.selectRow(0)
        self._dossier_changed()

    # -- selection -------------------------------------------------------------------------------
    def current_code(self) -> str | None:
        index = self.dossier_view.currentIndex()
        d = self.dossiers.dossier_at(index.row()) if index.isValid() else None
        return d.code if d else None

    def _dossier_changed(self, *_args) -> None:
        code = self.current_code()
        self.components.show(code)
        if code:
            d = self.ws.dossier(code)
            self.dossier_title.setText(f"{d.code} - {d.applicant_name} {d.applicant_id}".strip())
        else:
            self.dossier_title.setText(self.tr("Select a dossier"))
        self.show_checklist()

    def missing_parts(self, code: str | None) -> list:
        """The catalog's required parts for the dossier's procedure that it does not hold yet."""
        return list(pipeline.checklist(self.ws, code).missing) if code else []

    def show_checklist(self) -> None:
        code = self.current_code()
        if not code:
            self.checklist.setText("")
            return
        needs = pipeline.checklist(self.ws, code)
        if needs.missing:
            self.checklist.setStyleSheet("color: #b00020;")
            self.checklist.setText(
                self.tr("Still missing: {parts}").replace("{parts}", "; ".join(p.name for p in needs.missing))
            )
        else:
            self.checklist.setStyleSheet("color: #1b5e20;")
            self.checklist.setText(
                self.tr("Every part the procedure asks for is there.") if needs.procedure_known else ""
            )

    def refresh(self) -> None:
        code = self.current_code()
        selected = self.current_component_name()  # before the models reset and forget it
        self.dossiers.refresh()
        if code:
            for row, d in enumerate(self.dossiers.rows):
                if d.code == code:
                    self.dossier_view.selectRow(row)
        self.components.show(code)
        if selected:
            self.select_component(selected)
        self.show_pages()
        self.show_checklist()

    def current_component_name(self) -> str | None:
        index = self.component_view.currentIndex()
        if index.isValid() and 0 <= index.row() < len(self.components.rows):
            return self.components.rows[index.row()][0].name
        return None

    def select_component(self, name: str) -> None:
        for row, (c, _pages) in enumerate(self.components.rows):
            if c.name == name:
                self.component_view.setCurrentIndex(self.components.index(row, 0))
                self.component_view.selectRow(row)
                return

    def show_pages(self) -> None:
        """The selected component's pages as small previews (made when the pages came in), blank
        ones marked for the clerk to check."""
        self.page_strip.clear()
        name = self.current_component_name()
        code = self.current_code()
        if not name or not code:
            return
        comp = self.ws.find_component(code, name)
        if comp is None:
            return
        flags = {f.page.id: f for f in pipeline.flagged_pages(self.ws, comp)}
        for n, page in enumerate(self.ws.pages(comp.id)):
            path = pipeline.thumbnail_path(self.ws, page)
            text = str(n + 1)
            item = QListWidgetItem()
            flagged = flags.get(page.id)
            if flagged is not None:
                text += " - " + ", ".join(self.flag_caption(r) for r in flagged.reasons)
                item.setForeground(QColor("#b00020"))
                item.setToolTip(self.tr("To check (Ctrl+E)"))
            item.setText(text)
            if path.exists():
                item.setIcon(QIcon(QPixmap(str(path))))
            item.setData(Qt.ItemDataRole.UserRole, page.id)
            self.page_strip.addItem(item)

    def flag_caption(self, reason: str) -> str:
        return {
            "blank": self.tr("blank?"),
            "low_confidence": self.tr("hard to read?"),
            "ocr_failed": self.tr("no text read"),
        }.get(reason, reason)

    def step_component(self, step: int) -> None:
        """The next (or previous) part of the dossier, its pages in the strip."""
        rows = len(self.components.rows)
        if not rows:
            return
        index = self.component_view.currentIndex()
        row = (index.row() + step) % rows if index.isValid() else 0
        self.component_view.selectRow(row)
        self.component_view.setCurrentIndex(self.components.index(row, 0))
        self.show_pages()

    def review_pages(self) -> None:
        """The dossier's flagged pages, one at a time and large."""
        from app.gui.review_dialog import ReviewDialog

        code = self._need_dossier()
        if code is None:
            return
        self.review_dialog = ReviewDialog(self, code)
        self.review_dialog.finished.connect(lambda _r: self.refresh())
        self.review_dialog.show()

    def mark_reviewed(self, page_id: int) -> Job:
        root = self.ws.root

        def work(progress, cancel):
            with Workspace(root) as ws:
                pipeline.mark_reviewed(ws, page_id)
            return page_id

        return self._start(self.tr("Changing the page"), work)

    def select_code(self, code: str) -> None:
        for row, d in enumerate(self.dossiers.rows):
            if d.code == code:
                self.dossier_view.selectRow(row)
                return

    # -- actions ---------------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("SoHoa"), text)

    def _need_dossier(self) -> str | None:
        code = self.current_code()
        if code is None:
            self._error(self.tr("Select a dossier first."))
        return code

    def new_dossier(self) -> None:
        from app.catalog import load_catalog

        try:
            names = [p.name for p in load_catalog(self.ws.root)]
        except UserError:
            names = []
        dlg = NewDossierDialog(self, names)
        dlg.read_scan_requested.connect(lambda path: self.read_codes_into(dlg, path))
        dlg.camera_requested.connect(lambda: self.read_card_with_camera(dlg))
        self.new_dossier_dialog = dlg
        if dlg.exec() != NewDossierDialog.DialogCode.Accepted:
            return
        values = dlg.values()
        try:
            self.ws.create_dossier(values.pop("code"), **values)
        except UserError as exc:
            from app.i18n import message

            self._error(message(exc))
            return
        self.dossiers.refresh()
        self.select_code(dlg.values()["code"])

    def read_card_with_camera(self, dlg, sources: list[str] | None = None):
        """The webcam's view until the card's QR is read, into `dlg`."""
        from app.gui.camera_dialog import CameraDialog

        camera = CameraDialog(self, sources, parent=dlg)
        camera.found.connect(dlg.fill)
        self.camera_dialog = camera
        camera.show()
        return camera

    def read_codes_into(self, dlg, path: str) -> Job:
        """Read the receipt's barcode and the card's QR from a scan off the GUI thread, into `dlg`."""
        job = self._start(self.tr("Reading codes"), lambda progress, cancel: pipeline.codes_from_file(path))
        job.signals.finished.connect(lambda found: dlg.fill(*found))
        return job

    def _page_menu(self, pos) -> None:
        item = self.page_strip.itemAt(pos)
        if item is None:
            return
        page_id = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        for action, text in (
            ("rotate_left", self.tr("Turn left")),
            ("rotate_right", self.tr("Turn right")),
            ("keep_as_scanned", self.tr("Keep as scanned (no crop, turn or straightening)")),
            ("not_blank", self.tr("Not blank")),
            ("delete", self.tr("Delete page")),
        ):
            menu.addAction(text, lambda a=action: self.edit_page(page_id, a))
        menu.addAction(
            self.tr("Split here: this page and the next ones into a new part..."),
            lambda: self._ask_split(page_id),
        )
        rescan = menu.addAction(self.tr("Scan this page again"), lambda: self.rescan_page(page_id))
        rescan.setEnabled(bool(self.settings.scan_device))
        menu.popup(self.page_strip.viewport().mapToGlobal(pos))
        self.page_menu = menu

    def _ask_split(self, page_id: int) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Split"), self.tr("Name of the new part"))
        if ok and name.strip():
            self.split_at(page_id, name.strip())

    def split_at(self, page_id: int, new_name: str) -> Job:
        root = self.ws.root

        def work(progress, cancel):
            with Workspace(root) as ws:
                return pipeline.split_component(ws, page_id, new_name).name

        return self._start(self.tr("Changing the page"), work)

    def _component_menu(self, pos) -> None:
        index = self.component_view.indexAt(pos)
        code = self.current_code()
        if not index.isValid() or code is None:
            return
        source = self.components.rows[index.row()][0].name
        menu = QMenu(self)
        into = menu.addMenu(self.tr("Merge into"))
        for comp, _pages in self.components.rows:
            if comp.name != source:
                into.addAction(comp.name, lambda t=comp.name: self.merge(code, source, t))
        into.setEnabled(len(self.components.rows) > 1)
        menu.popup(self.component_view.viewport().mapToGlobal(pos))
        self.component_menu = menu

    def merge(self, code: str, source: str, target: str) -> Job:
        """All of one part's pages after another's; the first part is taken out of the dossier."""
        root = self.ws.root

        def work(progress, cancel):
            with Workspace(root) as ws:
                return pipeline.merge_components(ws, code, source, target).name

        return self._start(self.tr("Changing the page"), work)

    def rescan_page(self, page_id: int, *, device: str | None = None) -> Job:
        """Scan one page again on the glass; the new scan takes the old one's place."""
        root, settings = self.ws.root, self.settings

        def work(progress, cancel):
            with Workspace(root) as ws:
                path = scan_one_page(settings, ws.work_dir() / "scans", device=device, cancel=cancel)
                new = pipeline.replace_page(ws, page_id, path)
            return new.id

        return self._start(self.tr("Scanning"), work)

    def pages_reordered(self) -> Job | None:
        """The clerk dragged a page to another place in the strip: keep that order."""
        code, name = self.current_code(), self.current_component_name()
        if not code or not name:
            return None
        order = [
            self.page_strip.item(k).data(Qt.ItemDataRole.UserRole) for k in range(self.page_strip.count())
        ]
        root = self.ws.root

        def work(progress, cancel):
            with Workspace(root) as ws:
                pipeline.reorder_pages(ws, code, name, order)
            return order

        return self._start(self.tr("Changing the page"), work)

    def edit_page(self, page_id: int, action: str) -> Job:
        """A clerk's change to a page (the original stays); its preview is made again off the GUI thread."""
        root = self.ws.root

        def work(progress, cancel):
            with Workspace(root) as ws:
                pipeline.edit_page(ws, page_id, action)
            return action

        return self._start(self.tr("Changing the page"), work)

    def scan_pages(self) -> None:
        """Scan into a component: pages appear in the strip as the feeder gives them."""
        from app.gui.scan_dialog import ScanDialog

        code = self._need_dossier()
        if code is None:
            return
        dlg = ScanDialog([c.name for c in self.ws.components(code)], self.settings, self)
        self.scan_dialog = dlg
        listing = self._start(self.tr("Looking for scanners"), lambda progress, cancel: _list_scanners())
        listing.signals.finished.connect(dlg.show_devices)
        if dlg.exec() != ScanDialog.DialogCode.Accepted:
            return
        name, device, profile = dlg.values()
        if name and device:
            self.run_scan(code, name, device, profile)

    def run_scan(self, code: str, name: str, device: str, profile: dict) -> Job:
        root = self.ws.root

        def work(progress, cancel):
            from scanner.sane import ScanProfile

            with Workspace(root) as ws:
                return len(
                    pipeline.scan_into(
                        ws, code, name, device, ScanProfile(**profile), progress=progress, cancel=cancel
                    )
                )

        job = self._start(self.tr("Scanning"), work)
        job.signals.progress.connect(lambda _done, _total: self._pages_arrived(code, name))
        return job

    def _pages_arrived(self, code: str, name: str) -> None:
        if self.current_code() == code:
            self.components.show(code)
            self.select_component(name)
            self.show_pages()

    def import_pages(self) -> None:
        code = self._need_dossier()
        if code is None:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Pages to import"),
            str(Path.home()),
            self.tr("Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"),
        )
        if not files:
            return
        dlg = ComponentDialog([c.name for c in self.ws.components(code)], self, self.missing_parts(code))
        if dlg.exec() != ComponentDialog.DialogCode.Accepted:
            return
        name, kind = dlg.values()
        if not name:
            return
        self.run_import(code, name, kind, files)

    def large_drawing(self) -> None:
        """Guided scans of a drawing larger than the glass, stitched into one sheet component."""
        from app.gui.drawing_dialog import DrawingDialog

        code = self._need_dossier()
        if code is None:
            return
        dlg = DrawingDialog(
            [c.name for c in self.ws.components(code)], self, can_scan=bool(self.settings.scan_device)
        )
        dlg.scan_requested.connect(lambda: self.scan_part(dlg))
        self.drawing_dialog = dlg
        if dlg.exec() != DrawingDialog.DialogCode.Accepted:
            return
        name, files, grid = dlg.values()
        self.run_drawing(code, name, files, grid)

    def scan_part(self, dlg) -> Job:
        """One flatbed scan (the glass's size) from the configured scanner, handed to the dialog."""
        settings = self.settings
        out_dir = self.ws.work_dir() / "drawing-scans"
        bed = dlg.bed.currentText()

        def work(progress, cancel):
            return str(scan_one_page(settings, out_dir, mode="color", page_size=bed, cancel=cancel))

        job = self._start(self.tr("Scanning"), work)
        job.signals.finished.connect(lambda path: dlg.add_tile(path) if path else None)
        return job

    def run_drawing(self, code: str, name: str, files: list[str], grid) -> Job:
        root, settings = self.ws.root, self.settings

        def work(progress, cancel):
            with Workspace(root) as ws:
                pipeline.import_into(ws, code, name, files, kind="drawing", grid=grid, cancel=cancel)
                component = ws.component(code, name)
                pipeline.process_component(ws, component, settings, progress=progress, cancel=cancel)
                return ws.component(code, name).meta_dict.get("stitch", {})

        job = self._start(self.tr("Stitching the drawing"), work)
        job.signals.finished.connect(lambda stitch: self._drawing_done_for(code, name, stitch))
        return job

    def _drawing_done_for(self, code: str, name: str, stitch: dict) -> None:
        """Show the stitched sheet, weak seams marked and the parts to scan again named."""
        self.last_stitch = stitch
        self.open_sheet(code, name)

    def open_sheet(self, code: str | None = None, name: str | None = None):
        """The selected drawing component's sheet in the zoomable viewer (None for other components)."""
        from app.gui.sheet_viewer import SheetDialog

        code = code or self.current_code()
        name = name or self.current_component_name()
        comp = self.ws.find_component(code, name) if code and name else None
        if comp is None or comp.kind != "drawing":
            return None
        art = self.ws.made_pdf(comp.id)
        if art is None:
            return None
        dlg = SheetDialog(str(self.ws.blobs.path(art.blob)), comp.meta_dict.get("stitch"), self)
        dlg.setWindowTitle(f"{code} - {name}")
        dlg.rescan_requested.connect(lambda part: self.rescan_part(code, name, part, dlg))
        self.sheet_dialog = dlg
        dlg.open()
        return dlg

    def rescan_part(self, code: str, name: str, part: int, dlg=None, *, file: str | None = None) -> Job:
        """Scan one part of a drawing again (from the configured scanner's glass, or `file`), put it in
        the old scan's place and stitch the sheet again; the new sheet then opens."""
        root, settings = self.ws.root, self.settings

        def work(progress, cancel):
            path = file
            if path is None:
                with Workspace(root) as ws:
                    out_dir = ws.work_dir() / "drawing-scans"
                path = str(scan_one_page(settings, out_dir, mode="color", cancel=cancel))
            with Workspace(root) as ws:
                comp = ws.component(code, name)
                old = ws.pages(comp.id)[part]
                pipeline.replace_page(ws, old.id, path)
                comp = ws.component(code, name)
                pipeline.process_component(ws, comp, settings, progress=progress, cancel=cancel)
                return ws.component(code, name).meta_dict.get("stitch", {})

        if dlg is not None:
            dlg.done(0)
        job = self._start(self.tr("Stitching the drawing"), work)
        job.signals.finished.connect(lambda stitch: self._drawing_done_for(code, name, stitch))
        return job

    def run_import(self, code: str, name: str, kind: str, files: list[str]) -> Job:
        root = self.ws.root

        def work(progress, cancel):
            with Workspace(root) as ws:
                return len(
                    pipeline.import_into(ws, code, name, files, kind=kind, progress=progress, cancel=cancel)
                )

        return self._start(self.tr("Importing pages"), work)

    def process(self) -> Job | None:
        code = self._need_dossier()
        if code is None:
            return None
        root, settings = self.ws.root, self.settings

        def work(progress, cancel):
            with Workspace(root) as ws:
                comps = [c for c in ws.components(code) if c.status == "captured"]
                for comp in comps:
                    pipeline.process_component(ws, comp, settings, progress=progress, cancel=cancel)
                return sum(len(pipeline.flagged_pages(ws, c)) for c in ws.components(code))

        return self._start(self.tr("Recognising text"), work, done_text=self._pages_to_check_text)

    def _pages_to_check_text(self, count: int) -> str | None:
        if not count:
            return None
        return self.tr("Text recognised. {n} page(s) to check: Ctrl+E").replace("{n}", str(count))

    def sign(self) -> Job | None:
        """Choose the certificate, show the signer what they sign, take the PIN, sign as a job."""
        from app.gui.sign_dialog import SignDialog

        code = self._need_dossier()
        if code is None:
            return None
        documents = []
        # what either role may sign (an official's list holds the citizen's); the job signs what is
        # due for the role chosen in the dialog (app.pipeline.due)
        for comp in pipeline.due_for(self.ws, code, "sign", role="official"):
            art = self.ws.made_pdf(comp.id)
            pages = art.meta_dict.get("pages", 0) if art is not None else 0
            documents.append((comp.name, pages or len(self.ws.pages(comp.id))))
        if not documents:
            self._error(self.tr("Nothing to sign yet: process the dossier's components first."))
            return None
        dlg = SignDialog(documents, self, agency=self.settings.agency)
        dlg.find_requested.connect(lambda: self.find_tokens(dlg))
        self.sign_dialog = dlg
        self.find_tokens(dlg)
        if dlg.exec() != SignDialog.DialogCode.Accepted or dlg.chosen() is None:
            dlg.take_pin()
            return None
        choice, pin, role = dlg.chosen(), dlg.take_pin(), dlg.role.currentData()
        return self.run_sign(
            code, choice.module, pin, role=role, token_label=choice.token_label, cert_label=choice.cert_label
        )

    def find_tokens(self, dlg) -> Job:
        """Read the plugged-in tokens' certificates (no PIN needed) off the GUI thread."""
        from app import i18n
        from app.gui.sign_dialog import choices_from

        modules = [m.path for m in known_modules(self.settings)]

        def work(progress, cancel):
            from signing import list_tokens

            listing, errors = [], []
            for module in modules:
                try:
                    listing.append((module, list_tokens(module)))
                except UserError as exc:  # one driver failing does not hide the others' tokens
                    errors.append(i18n.message(exc))
            return choices_from(listing), errors

        job = self._start(self.tr("Looking for tokens"), work)
        job.signals.finished.connect(
            lambda res: dlg.show_tokens(res[0], "\n".join(res[1]) if res[1] and not res[0] else None)
        )
        return job

    def run_sign(
        self,
        code: str,
        module: str,
        pin: str,
        *,
        role: str = "citizen",
        token_label: str | None = None,
        cert_label: str | None = None,
    ) -> Job:
        root, settings = self.ws.root, self.settings
        secret = [pin]
        nothing_due = self.tr("Nothing to sign yet: process the dossier's components first.")

        def work(progress, cancel):
            from signing import TokenSession

            try:
                with Workspace(root) as ws, TokenSession(module, token_label=token_label) as session:
                    session.login(secret[0] or None, pin_pad=session.info.protected_auth and not secret[0])
                    secret.clear()
                    comps = pipeline.due_for(ws, code, "sign", role=role)
                    if not comps:
                        raise pipeline.PipelineError(detail=nothing_due)
                    options = sign_options(settings, role=role)
                    return len(
                        pipeline.sign_components(
                            ws,
                            comps,
                            session,
                            settings,
                            cert_label=cert_label,
                            options=options,
                            progress=progress,
                            cancel=cancel,
                        )
                    )
            finally:
                secret.clear()

        return self._start(self.tr("Signing"), work)

    def verify_file(self, path: str | None = None) -> Job | None:
        """Check every signature of a PDF (off the GUI thread) and show the report."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Check a signed file"), "", "PDF (*.pdf)")
            if not path:
                return None
        root, settings = self.ws.root, self.settings

        def work(progress, cancel):
            from signing import verify_pdf
            from signing.verify import load_trust_roots

            roots = load_trust_roots(trust_folders(root, settings))
            return verify_pdf(path, roots, progress=progress, cancel=cancel)

        job = self._start(self.tr("Checking signatures"), work)
        job.signals.finished.connect(self._show_report)
        return job

    def _show_report(self, report) -> None:
        from app.gui.verify_view import VerifyDialog

        self.last_report_dialog = VerifyDialog(report, self)
        self.last_report_dialog.open()

    def upload(self) -> Job:
        root, settings, pause = self.ws.root, self.settings, self.upload_pause
        pause.clear()

        def work(progress, cancel):
            with Workspace(root) as ws:
                summary = pipeline.upload_due(ws, settings, progress=progress, cancel=cancel, pause=pause)
                if summary.stopped:
                    raise pipeline.PipelineError(detail=summary.stopped)
                return summary

        job = self._start(self.tr("Sending"), work)
        job.signals.finished.connect(self._upload_done)
        self.pause_button.setText(self.tr("Pause sending"))
        self.pause_button.show()
        return job

    def _outbox_items(self) -> list:
        from upload import Outbox

        with Outbox(self.ws.outbox_path) as outbox:
            return outbox.items()

    def show_outbox(self):
        """What waits to go up, what went, what the portal refused and why."""
        from app.gui.outbox_view import OutboxDialog

        dlg = OutboxDialog(self._outbox_items(), self)
        self.outbox_dialog = dlg

        def retry() -> None:
            from upload import Outbox

            with Outbox(self.ws.outbox_path) as outbox:
                outbox.requeue_failed()
            dlg.show_items(self._outbox_items())

        def send() -> None:
            job = self.upload()
            job.signals.finished.connect(lambda _s: dlg.show_items(self._outbox_items()))
            job.signals.failed.connect(lambda _e: dlg.show_items(self._outbox_items()))

        dlg.retry_requested.connect(retry)
        dlg.send_requested.connect(send)
        dlg.open()
        return dlg

    def edit_settings(self):
        """The settings dialog; saved values apply at once (the language after a restart)."""
        from app.gui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.settings, self)
        dlg.accepted.connect(lambda: self.apply_settings(dlg.result_settings))
        self.settings_dialog = dlg
        dlg.open()
        return dlg

    def apply_settings(self, settings) -> None:
        from app.config import save_user_settings

        try:
            save_user_settings(self.ws.root, settings)
        except (OSError, UserError) as exc:
            self._error(str(exc))
            return
        self.settings = settings
        if settings.upload_daily_at:
            self.daily_timer.start(60_000)
        else:
            self.daily_timer.stop()
        self.statusBar().showMessage(self.tr("Settings saved."), 8000)

    def show_diagnostics(self):
        """The audit trail, the log, and a diagnostic report to copy for support."""
        from app.gui.diagnostics import LOG_LINES, DiagnosticsDialog, tail
        from app.logs import log_file

        dlg = DiagnosticsDialog(
            self.ws.events(limit=1000), tail(log_file(), LOG_LINES), self, audit_check=self.ws.verify_audit()
        )
        dlg.copy.clicked.connect(lambda: self.copy_diagnostics())
        self.diagnostics_dialog = dlg
        dlg.open()
        return dlg

    def copy_diagnostics(self) -> Job:
        """Probe the installation off the GUI thread, then put the report and the log's end on the
        clipboard."""
        from app.gui.diagnostics import tail
        from app.logs import log_file

        settings = self.settings

        def work(progress, cancel):
            from app.config import load_settings
            from app.doctor import format_report, run_doctor
            from app.paths import workspace_dir

            _settings, sources = load_settings(workspace_dir())
            report, _ok = run_doctor(settings, sources, known_modules(settings))
            in_effect = "\n".join(
                f"{k} = {v['value']!r} ({v['source']})" for k, v in report.get("settings", {}).items()
            )
            return f"{format_report(report)}\n\n--- settings ---\n{in_effect}\n\n--- log ---\n{tail(log_file(), 100)}"

        job = self._start(self.tr("Collecting diagnostic info"), work)
        job.signals.finished.connect(self._copied)
        return job

    def _copied(self, text: str) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.clipboard().setText(text)
        self.statusBar().showMessage(
            self.tr("Diagnostic info copied: paste it into your message to support."), 10000
        )

    def _upload_done(self, summary) -> None:
        """Tell the clerk what went up and, above all, what the portal refused."""
        self.last_upload = summary
        text = (
            self.tr("Sent: {sent}. Refused: {failed}. Waiting to retry: {waiting}.")
            .replace("{sent}", str(len(summary.delivered) + len(summary.recovered)))
            .replace("{failed}", str(len(summary.failed)))
            .replace("{waiting}", str(len(summary.retrying)))
        )
        self.statusBar().showMessage(text)
        if summary.failed:
            QTimer.singleShot(0, lambda: self._error(text + "\n\n" + "\n".join(summary.failed.values())))

    def toggle_pause(self) -> None:
        """Pause sending after the chunk on the wire; resume from where the portal is."""
        if self.upload_pause.is_set():
            self.upload_pause.clear()
            self.pause_button.setText(self.tr("Pause sending"))
            self.statusBar().showMessage(self.tr("Sending") + "...")
        else:
            self.upload_pause.set()
            self.pause_button.setText(self.tr("Resume sending"))
            self.statusBar().showMessage(self.tr("Sending paused"))

    def maybe_daily_upload(self, now: datetime | None = None) -> Job | None:
        """At the configured time of day (`upload_daily_at`, HH:MM), send everything once a day."""
        at = self.settings.upload_daily_at
        if not at:
            return None
        now = now or datetime.now()
        hour, minute = (int(v) for v in at.split(":"))
        if (now.hour, now.minute) < (hour, minute) or self._daily_done == now.date() or self.runner.busy():
            return None
        self._daily_done = now.date()
        return self.upload()

    # -- recovery --------------------------------------------------------------------------------
    def check_recovery(self) -> None:
        """After a crash or a power cut: say what was left half done and offer to resume it."""
        self.pending = pipeline.pending_work(self.ws)
        if not self.pending:
            return
        parts = []
        if self.pending.unprocessed:
            parts.append(
                self.tr("{n} scanned parts are not processed yet").replace(
                    "{n}", str(len(self.pending.unprocessed))
                )
            )
        if self.pending.unsent:
            parts.append(
                self.tr("{n} files stopped on their way to the portal").replace(
                    "{n}", str(self.pending.unsent)
                )
            )
        if self.pending.interrupted:
            parts.append(
                self.tr("interrupted: {jobs}").replace("{jobs}", ", ".join(self.pending.interrupted))
            )
        self.recovery_text.setText(
            self.tr("SoHoa stopped in the middle of some work: ") + "; ".join(parts) + "."
        )
        self.recovery.show()

    def resume_work(self) -> Job | None:
        """Process what was scanned and send what was on its way, as jobs."""
        pending = self.pending
        pipeline.close_interrupted_jobs(self.ws)
        self.recovery.hide()
        root, settings = self.ws.root, self.settings
        job = None
        if pending.unprocessed:

            def work(progress, cancel):
                with Workspace(root) as ws:
                    for code, name in pending.unprocessed:
                        pipeline.process_component(
                            ws, ws.component(code, name), settings, progress=progress, cancel=cancel
                        )
                return len(pending.unprocessed)

            job = self._start(self.tr("Recognising text"), work)
        if pending.unsent:
            job = self.upload()
        return job

    def dismiss_recovery(self) -> None:
        pipeline.close_interrupted_jobs(self.ws)
        self.recovery.hide()

    # -- jobs ------------------------------------------------------------------------------------
    def _start(self, label: str, fn, done_text: Callable[[Any], str | None] | None = None) -> Job:
        """`fn` as a job, recorded in the workspace, with the progress bar and the status line;
        `done_text(result)` is what the status line says once it has ended (else "LABEL: done")."""
        self._job_ids += 1
        jid = f"{datetime.now().isoformat(timespec='seconds')}-{self._job_ids}"
        subject = f"{label} {self.current_code() or ''}".strip()
        root = self.ws.root

        def recorded(progress, cancel):
            """The job's begin and end in the workspace (a crash leaves a begin without an end),
            written from the worker: each write waits for the disk, the window must not."""
            with Workspace(root) as ws:
                ws.record("job.begin", subject, {"id": jid})
            try:
                return fn(progress, cancel)
            finally:
                with Workspace(root) as ws:
                    ws.record("job.end", "", {"id": jid})

        job = self.runner.start(label, recorded)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(label + "...")
        started = time.monotonic()
        job.signals.progress.connect(lambda done, total: self._on_progress(done, total, label, started))
        job.signals.finished.connect(
            lambda result: self._job_ended(label, None, done_text(result) if done_text else None)
        )
        job.signals.failed.connect(lambda text: self._job_ended(label, text))
        job.signals.cancelled.connect(lambda: self._job_ended(label, self.tr("Cancelled.")))
        return job

    def _on_progress(self, done: int, total: int, label: str = "", started: float | None = None) -> None:
        if total <= 0:  # no end known (a feeder): a busy bar and the count so far
            self.progress.setRange(0, 0)
            self.statusBar().showMessage(self.tr("{n} pages so far").replace("{n}", str(done)))
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        left = time_left(done, total, time.monotonic() - started) if started is not None else None
        if left is not None:
            self.statusBar().showMessage(f"{label}: {done}/{total} - {self.time_text(left)}")

    def time_text(self, seconds: float) -> str:
        if seconds < 60:
            return self.tr("less than a minute left")
        return self.tr("about {n} min left").replace("{n}", str(round(seconds / 60)))

    def _job_ended(self, label: str, error: str | None, done: str | None = None) -> None:
        if not self.runner.busy():
            self.progress.hide()
            self.cancel_button.hide()
            self.pause_button.hide()
            self.upload_pause.clear()
        self.refresh()
        if error:
            self.statusBar().showMessage(f"{label}: {error}")
            QTimer.singleShot(0, lambda: self._error(error))
        elif done:  # one place writes the line a job leaves, so no other slot's order can hide it
            self.statusBar().showMessage(done)
        else:
            self.statusBar().showMessage(label + ": " + self.tr("done"), 8000)

    def closeEvent(self, event) -> None:
        self.daily_timer.stop()
        self.runner.shutdown()
        super().closeEvent(event)


def _list_scanners():
    from scanner.sane import list_devices

    return list_devices()


def time_left(done: int, total: int, elapsed: float) -> float | None:
    """Seconds left at the pace so far; None until a tenth is done or two seconds have passed
    (too early to say)."""
    if done <= 0 or total <= done or (done / total < 0.1 and elapsed < 2.0):
        return None
    return elapsed * (total - done) / done
