"""The main window: today's dossiers, their parts and pages, the toolbar and the selection. What each
action does lives in a controller per concern (capture, drawings, pages, signing, delivery,
recovery, support); the window hands them itself as their host (app.gui.host)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import pipeline
from app.config import Settings
from app.gui.capture import CaptureController
from app.gui.delivery import DeliveryController
from app.gui.drawings import DrawingController
from app.gui.jobs import JobPanel
from app.gui.models import ComponentModel, DossierModel
from app.gui.pages import PagesController
from app.gui.records import RecordsController
from app.gui.recovery import RecoveryController
from app.gui.runner import Job, JobRunner
from app.gui.signing import SigningController
from app.gui.support import SupportController
from app.workspace import Workspace


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, settings: Settings) -> None:
        super().__init__()
        self.ws = ws
        self.settings = settings
        self.runner = JobRunner(self)
        self.setWindowTitle(self.tr("SoHoa - Dossier digitization"))
        self.resize(1200, 760)
        self.jobs = JobPanel(self)
        self.capture = CaptureController(self)
        self.drawings = DrawingController(self)
        self.pages = PagesController(self)
        self.signing = SigningController(self)
        self.records = RecordsController(self)
        self.delivery = DeliveryController(self)
        self.recovery = RecoveryController(self)
        self.support = SupportController(self)
        self.jobs.ended.append(self.delivery.jobs_ended)

        self.dossiers = DossierModel(ws, self)
        self.components = ComponentModel(ws, self)
        self.dossier_view = self._table(self.dossiers)
        self.component_view = self._table(self.components)
        self.dossier_view.selectionModel().currentRowChanged.connect(self._dossier_changed)
        self.setCentralWidget(self._layout())
        for widget in (self.delivery.pause_button, self.jobs.progress, self.jobs.cancel_button):
            self.statusBar().addPermanentWidget(widget)
        self._build_actions()
        if self.dossiers.rows:
            self.dossier_view.selectRow(0)
        self.dossier_view.resizeColumnsToContents()
        self.statusBar().showMessage(self.tr("Workspace: {path}").replace("{path}", str(ws.root)))
        self.recovery.check()

    # -- layout ----------------------------------------------------------------------------------
    def _layout(self) -> QWidget:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.recovery.bar)
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
        self.component_view.doubleClicked.connect(lambda _index: self.drawings.open_sheet())
        self.component_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.component_view.customContextMenuRequested.connect(self._component_menu)
        self.page_strip.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.page_strip.customContextMenuRequested.connect(self._page_menu)
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
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 680])
        return splitter

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
            ("new", self.tr("New dossier"), QKeySequence.StandardKey.New, self.capture.new_dossier),
            ("scan", self.tr("Scan"), QKeySequence("Ctrl+Shift+S"), self.capture.scan_pages),
            ("import", self.tr("Import pages"), QKeySequence("Ctrl+I"), self.capture.import_pages),
            ("drawing", self.tr("Large drawing"), QKeySequence("Ctrl+D"), self.drawings.large_drawing),
            ("process", self.tr("OCR"), QKeySequence("Ctrl+R"), self.capture.process),
            ("review", self.tr("Check pages"), QKeySequence("Ctrl+E"), self.pages.review_pages),
            ("sign", self.tr("Sign"), QKeySequence("Ctrl+K"), self.signing.sign),
            ("sign_remote", self.tr("Sign remotely"), QKeySequence("Ctrl+Alt+K"), self.signing.sign_remote),
            ("lookup", self.tr("Look up data"), QKeySequence("Ctrl+L"), self.records.look_up),
            ("records", self.tr("Data records"), QKeySequence("Ctrl+Shift+L"), self.records.show_records),
            ("upload", self.tr("Upload all"), QKeySequence("Ctrl+U"), self.delivery.upload),
            ("outbox", self.tr("Outbox"), QKeySequence("Ctrl+Shift+O"), self.delivery.show_outbox),
            ("settings", self.tr("Settings"), QKeySequence("Ctrl+,"), self.support.edit_settings),
            (
                "diagnostics",
                self.tr("Activity and diagnostics"),
                QKeySequence("F1"),
                self.support.show_diagnostics,
            ),
            (
                "verify",
                self.tr("Check a signed file"),
                QKeySequence("Ctrl+Shift+K"),
                self.signing.verify_file,
            ),
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

    def _page_menu(self, pos) -> None:
        item = self.page_strip.itemAt(pos)
        if item is not None:
            page_id = item.data(Qt.ItemDataRole.UserRole)
            self.pages.page_menu(page_id, self.page_strip.viewport().mapToGlobal(pos))

    def _component_menu(self, pos) -> None:
        index = self.component_view.indexAt(pos)
        code = self.current_code()
        if index.isValid() and code is not None:
            names = [c.name for c, _pages in self.components.rows]
            at = self.component_view.viewport().mapToGlobal(pos)
            self.pages.component_menu(code, names[index.row()], names, at)

    def pages_reordered(self) -> Job | None:
        """The clerk dragged a page to another place in the strip."""
        code, name = self.current_code(), self.current_component_name()
        if not code or not name:
            return None
        order = [
            self.page_strip.item(k).data(Qt.ItemDataRole.UserRole) for k in range(self.page_strip.count())
        ]
        return self.pages.reorder(code, name, order)

    # -- selection -------------------------------------------------------------------------------
    def _filter_dossiers(self, scope: str | None = None, search: str | None = None) -> None:
        code = self.current_code()
        self.dossiers.set_filter(scope, search)
        if code:
            self.select_code(code)
        if self.current_code() is None and self.dossiers.rows:
            self.dossier_view.selectRow(0)
        self._dossier_changed()

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
            known = needs.procedure_known
            self.checklist.setText(self.tr("Every part the procedure asks for is there.") if known else "")

    def refresh(self) -> None:
        code = self.current_code()
        selected = self.current_component_name()  # before the models reset and forget it
        self.dossiers.refresh()
        if code:
            self.select_code(code)
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

    def select_code(self, code: str) -> None:
        for row, d in enumerate(self.dossiers.rows):
            if d.code == code:
                self.dossier_view.selectRow(row)
                return

    def show_pages(self) -> None:
        """The selected component's pages as small previews (made when the pages came in), the
        ones to check marked."""
        self.page_strip.clear()
        name, code = self.current_component_name(), self.current_code()
        comp = self.ws.find_component(code, name) if name and code else None
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

    # -- for the controllers (app.gui.host) ------------------------------------------------------
    def error(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("SoHoa"), text)

    def need_dossier(self) -> str | None:
        code = self.current_code()
        if code is None:
            self.error(self.tr("Select a dossier first."))
        return code

    def start(self, label: str, fn, done_text: Callable[[Any], str | None] | None = None) -> Job:
        return self.jobs.start(label, fn, done_text)

    def in_workspace(self, label: str, fn, done_text: Callable[[Any], str | None] | None = None) -> Job:
        return self.jobs.in_workspace(label, fn, done_text)

    def closeEvent(self, event) -> None:
        self.delivery.stop()
        self.runner.shutdown()
        super().closeEvent(event)
