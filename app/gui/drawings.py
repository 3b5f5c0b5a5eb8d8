"""A drawing larger than the glass, from the window: the plan of scans, each part scanned, the
stitched sheet in the viewer, a weak part scanned again."""

from __future__ import annotations

from app import pipeline
from app.gui.host import Controller
from app.gui.runner import Job
from app.pipeline import scan_one_page


class DrawingController(Controller):
    def large_drawing(self) -> None:
        """Guided scans of a drawing larger than the glass, stitched into one sheet component."""
        from app.gui.drawing_dialog import DrawingDialog

        code = self.host.need_dossier()
        if code is None:
            return
        names = [c.name for c in self.host.ws.components(code)]
        dlg = DrawingDialog(names, self.host, can_scan=bool(self.host.settings.scan_device))
        dlg.scan_requested.connect(lambda: self.scan_tile(dlg))
        self.drawing_dialog = dlg
        if dlg.exec() != DrawingDialog.DialogCode.Accepted:
            return
        name, files, grid = dlg.values()
        self.run_drawing(code, name, files, grid)

    def scan_tile(self, dlg) -> Job:
        """One flatbed scan of a tile (the glass's size) from the configured scanner, handed to the dialog."""
        settings = self.host.settings
        out_dir = self.host.ws.work_dir() / "drawing-scans"
        bed = dlg.bed.currentText()

        def work(progress, cancel):
            return str(scan_one_page(settings, out_dir, mode="color", page_size=bed, cancel=cancel))

        job = self.host.start(self.tr("Scanning"), work)
        job.signals.finished.connect(lambda path: dlg.add_tile(path) if path else None)
        return job

    def run_drawing(self, code: str, name: str, files: list[str], grid) -> Job:
        settings = self.host.settings

        def work(ws, progress, cancel):
            pipeline.import_into(ws, code, name, files, kind="drawing", grid=grid, cancel=cancel)
            pipeline.process_component(
                ws, ws.component(code, name), settings, progress=progress, cancel=cancel
            )
            return ws.component(code, name).meta_dict.get("stitch", {})

        job = self.host.in_workspace(self.tr("Stitching the drawing"), work)
        job.signals.finished.connect(lambda stitch: self._drawing_done_for(code, name, stitch))
        return job

    def _drawing_done_for(self, code: str, name: str, stitch: dict) -> None:
        """Show the stitched sheet, weak seams marked and the parts to scan again named."""
        self.last_stitch = stitch
        self.open_sheet(code, name)

    def open_sheet(self, code: str | None = None, name: str | None = None):
        """The selected drawing component's sheet in the zoomable viewer (None for other components)."""
        from app.gui.sheet_viewer import SheetDialog

        code = code or self.host.current_code()
        name = name or self.host.current_component_name()
        comp = self.host.ws.find_component(code, name) if code and name else None
        if comp is None or comp.kind != "drawing":
            return None
        art = self.host.ws.made_pdf(comp.id)
        if art is None:
            return None
        dlg = SheetDialog(str(self.host.ws.blobs.path(art.blob)), comp.meta_dict.get("stitch"), self.host)
        dlg.setWindowTitle(f"{code} - {name}")
        dlg.rescan_requested.connect(lambda tile: self.rescan_tile(code, name, tile, dlg))
        self.sheet_dialog = dlg
        dlg.open()
        return dlg

    def rescan_tile(self, code: str, name: str, tile: int, dlg=None, *, file: str | None = None) -> Job:
        """Scan one tile of a drawing again (from the configured scanner's glass, or `file`), put it in
        the old scan's place and stitch the sheet again; the new sheet then opens."""
        settings = self.host.settings

        def work(ws, progress, cancel):
            path = file or str(
                scan_one_page(settings, ws.work_dir() / "drawing-scans", mode="color", cancel=cancel)
            )
            old = ws.pages(ws.component(code, name).id)[tile]
            pipeline.replace_page(ws, old.id, path)
            pipeline.process_component(
                ws, ws.component(code, name), settings, progress=progress, cancel=cancel
            )
            return ws.component(code, name).meta_dict.get("stitch", {})

        if dlg is not None:
            dlg.done(0)
        job = self.host.in_workspace(self.tr("Stitching the drawing"), work)
        job.signals.finished.connect(lambda stitch: self._drawing_done_for(code, name, stitch))
        return job
