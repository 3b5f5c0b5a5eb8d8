"""A clerk's changes to pages and parts from the window: turn, delete, keep as scanned, scan again,
drag into another order, split a part, merge two, and check the pages OCR flagged."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMenu

from app import pipeline
from app.gui.host import Controller
from app.gui.runner import Job
from app.pipeline import scan_one_page


class PagesController(Controller):
    def review_pages(self) -> None:
        """The dossier's flagged pages, one at a time and large."""
        from app.gui.review_dialog import ReviewDialog

        code = self.host.need_dossier()
        if code is None:
            return
        self.review_dialog = ReviewDialog(self.host, code)
        self.review_dialog.finished.connect(lambda _r: self.host.refresh())
        self.review_dialog.show()

    def mark_reviewed(self, page_id: int) -> Job:
        def work(ws, progress, cancel):
            pipeline.mark_reviewed(ws, page_id)
            return page_id

        return self.host.in_workspace(self.tr("Changing the page"), work)

    def page_menu(self, page_id: int, at) -> QMenu:
        """The page strip's menu for one page, at the global position `at`."""
        menu = QMenu(self.host)
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
        rescan.setEnabled(bool(self.host.settings.scan_device))
        menu.popup(at)
        self.menu = menu
        return menu

    def _ask_split(self, page_id: int) -> None:
        name, ok = QInputDialog.getText(self.host, self.tr("Split"), self.tr("Name of the new part"))
        if ok and name.strip():
            self.split_at(page_id, name.strip())

    def split_at(self, page_id: int, new_name: str) -> Job:
        return self.host.in_workspace(
            self.tr("Changing the page"),
            lambda ws, progress, cancel: pipeline.split_component(ws, page_id, new_name).name,
        )

    def component_menu(self, code: str, source: str, names: list[str], at) -> QMenu:
        """The parts list's menu for one part: merge it into another of the dossier's parts."""
        menu = QMenu(self.host)
        into = menu.addMenu(self.tr("Merge into"))
        for name in names:
            if name != source:
                into.addAction(name, lambda t=name: self.merge(code, source, t))
        into.setEnabled(len(names) > 1)
        menu.popup(at)
        self.menu = menu
        return menu

    def merge(self, code: str, source: str, target: str) -> Job:
        """All of one part's pages after another's; the first part is taken out of the dossier."""
        return self.host.in_workspace(
            self.tr("Changing the page"),
            lambda ws, progress, cancel: pipeline.merge_components(ws, code, source, target).name,
        )

    def rescan_page(self, page_id: int, *, device: str | None = None) -> Job:
        """Scan one page again on the glass; the new scan takes the old one's place."""
        settings = self.host.settings

        def work(ws, progress, cancel):
            path = scan_one_page(settings, ws.work_dir() / "scans", device=device, cancel=cancel)
            return pipeline.replace_page(ws, page_id, path).id

        return self.host.in_workspace(self.tr("Scanning"), work)

    def reorder(self, code: str, name: str, order: list[int]) -> Job:
        """The clerk dragged a page to another place in the strip: keep that order."""

        def work(ws, progress, cancel):
            pipeline.reorder_pages(ws, code, name, order)
            return order

        return self.host.in_workspace(self.tr("Changing the page"), work)

    def edit_page(self, page_id: int, action: str) -> Job:
        """A clerk's change to a page (the original stays); its preview is made again off the GUI thread."""

        def work(ws, progress, cancel):
            pipeline.edit_page(ws, page_id, action)
            return action

        return self.host.in_workspace(self.tr("Changing the page"), work)
