"""Pages into a dossier from the window: a new dossier (its codes from a scan or the camera), a
scanner's feeder, files, and the OCR step that follows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app import pipeline
from app.gui.dialogs import ComponentDialog, NewDossierDialog
from app.gui.host import Controller
from app.gui.runner import Job
from common.errors import UserError


class CaptureController(Controller):
    def new_dossier(self) -> None:
        from app.catalog import load_catalog

        try:
            names = [p.name for p in load_catalog(self.host.ws.root)]
        except UserError:
            names = []
        dlg = NewDossierDialog(self.host, names)
        dlg.read_scan_requested.connect(lambda path: self.read_codes_into(dlg, path))
        dlg.camera_requested.connect(lambda: self.read_card_with_camera(dlg))
        self.new_dossier_dialog = dlg
        if dlg.exec() != NewDossierDialog.DialogCode.Accepted:
            return
        values = dlg.values()
        try:
            self.host.ws.create_dossier(values.pop("code"), **values)
        except UserError as exc:
            from app.i18n import message

            self.host.error(message(exc))
            return
        self.host.refresh()
        self.host.select_code(dlg.values()["code"])

    def read_card_with_camera(self, dlg, sources: list[str] | None = None):
        """The webcam's view until the card's QR is read, into `dlg`."""
        from app.gui.camera_dialog import CameraDialog

        camera = CameraDialog(self.host, sources, parent=dlg)
        camera.found.connect(dlg.fill)
        self.camera_dialog = camera
        camera.show()
        return camera

    def read_codes_into(self, dlg, path: str) -> Job:
        """Read the receipt's barcode and the card's QR from a scan off the GUI thread, into `dlg`."""
        job = self.host.start(
            self.tr("Reading codes"), lambda progress, cancel: pipeline.codes_from_file(path)
        )
        job.signals.finished.connect(lambda found: dlg.fill(*found))
        return job

    def scan_pages(self) -> None:
        """Scan into a component: pages appear in the strip as the feeder gives them."""
        from app.gui.scan_dialog import ScanDialog

        code = self.host.need_dossier()
        if code is None:
            return
        dlg = ScanDialog([c.name for c in self.host.ws.components(code)], self.host.settings, self.host)
        self.scan_dialog = dlg
        listing = self.host.start(self.tr("Looking for scanners"), lambda progress, cancel: _list_scanners())
        listing.signals.finished.connect(dlg.show_devices)
        if dlg.exec() != ScanDialog.DialogCode.Accepted:
            return
        name, device, profile = dlg.values()
        if name and device:
            self.run_scan(code, name, device, profile)

    def run_scan(self, code: str, name: str, device: str, profile: dict) -> Job:
        def work(ws, progress, cancel):
            from scanner.driver import ScanProfile

            added = pipeline.scan_into(
                ws, code, name, device, ScanProfile(**profile), progress=progress, cancel=cancel
            )
            return len(added)

        job = self.host.in_workspace(self.tr("Scanning"), work)
        job.signals.progress.connect(lambda _done, _total: self._pages_arrived(code, name))
        return job

    def _pages_arrived(self, code: str, name: str) -> None:
        if self.host.current_code() == code:
            self.host.refresh()
            self.host.select_component(name)
            self.host.show_pages()

    def import_pages(self) -> None:
        code = self.host.need_dossier()
        if code is None:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self.host,
            self.tr("Pages to import"),
            str(Path.home()),
            self.tr("Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"),
        )
        if not files:
            return
        names = [c.name for c in self.host.ws.components(code)]
        dlg = ComponentDialog(names, self.host, self.host.missing_parts(code))
        if dlg.exec() != ComponentDialog.DialogCode.Accepted:
            return
        name, kind = dlg.values()
        if not name:
            return
        self.run_import(code, name, kind, files)

    def run_import(self, code: str, name: str, kind: str, files: list[str]) -> Job:
        def work(ws, progress, cancel):
            return len(
                pipeline.import_into(ws, code, name, files, kind=kind, progress=progress, cancel=cancel)
            )

        return self.host.in_workspace(self.tr("Importing pages"), work)

    def process(self) -> Job | None:
        """OCR every part of the dossier waiting for it (app.pipeline.due); the status line then says
        how many pages the clerk should look at."""
        code = self.host.need_dossier()
        if code is None:
            return None
        settings = self.host.settings

        def work(ws, progress, cancel):
            for comp in pipeline.due_for(ws, code, "process"):
                pipeline.process_component(ws, comp, settings, progress=progress, cancel=cancel)
            return sum(len(pipeline.flagged_pages(ws, c)) for c in ws.components(code))

        return self.host.in_workspace(self.tr("Recognising text"), work, done_text=self._pages_to_check_text)

    def _pages_to_check_text(self, count: int) -> str | None:
        if not count:
            return None
        return self.tr("Text recognised. {n} page(s) to check: Ctrl+E").replace("{n}", str(count))


def _list_scanners():
    from scanner.driver import list_devices

    return list_devices()
