"""A large sheet (an A0 drawing at 300 dpi is about 140 megapixels) shown with smooth pan and zoom:
the page is drawn from 512-pixel tiles rendered at the zoom's level of detail by one worker thread
(PDFium is not to be shared between threads), over a small overview while they come; never one
giant pixmap. Seams the drawing could not confirm are marked, with the parts to scan again."""

from __future__ import annotations

import queue
import threading
from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.images import to_qimage

TILE_PX = 512
OVERVIEW_PX = 2048  # the overview's longer side
CACHE_TILES = 128  # about 128 MB of colour tiles


class TileRenderer(QObject):
    """Renders tiles of one PDF page in its own thread; `tile_ready` carries (key, QImage)."""

    tile_ready = Signal(object, object)

    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)  # read the size here, render in the thread with its own copy
        self.width_pt, self.height_pt = doc[0].get_size()
        doc.close()
        self.path = path
        self._queue: queue.Queue = queue.Queue()
        self._pending: set = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="sheet-tiles", daemon=True)
        self._thread.start()

    def request(self, key: tuple[float, int, int]) -> None:
        """Render tile (scale, column, row) unless it is already on its way."""
        with self._lock:
            if key in self._pending:
                return
            self._pending.add(key)
        self._queue.put(key)

    def render_overview(self) -> QImage:
        """The whole page small (rendered here once, before the thread takes the document)."""
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(self.path)
        try:
            scale = OVERVIEW_PX / max(self.width_pt, self.height_pt)
            return to_qimage(doc[0].render(scale=scale, rev_byteorder=True).to_numpy())
        finally:
            doc.close()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(self.path)
        page = doc[0]
        try:
            while True:
                key = self._queue.get()
                if key is None:
                    return
                scale, col, row = key
                size_pt = TILE_PX / scale
                x0, y0 = col * size_pt, row * size_pt
                x1, y1 = min(self.width_pt, x0 + size_pt), min(self.height_pt, y0 + size_pt)
                crop = (x0, self.height_pt - y1, self.width_pt - x1, y0)  # cut off: left, bottom, right, top
                pixels = page.render(
                    scale=scale, crop=crop, rev_byteorder=True
                ).to_numpy()  # colour: red seals stay red
                with self._lock:
                    self._pending.discard(key)
                self.tile_ready.emit(key, to_qimage(pixels))
        finally:
            page.close()
            doc.close()


class SheetItem(QGraphicsItem):
    """The page in points; paints cached tiles of the level the view's zoom needs, else the overview."""

    def __init__(self, renderer: TileRenderer, max_scale: float) -> None:
        super().__init__()
        self.renderer = renderer
        self.max_scale = max_scale  # the scan's own resolution: no level beyond it
        self.overview = renderer.render_overview()
        self.cache: OrderedDict = OrderedDict()
        renderer.tile_ready.connect(self._arrived)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.renderer.width_pt, self.renderer.height_pt)

    def level(self, pixels_per_point: float) -> float:
        """The tile scale for this zoom: a power of two times the overview's, up to the scan's own."""
        base = OVERVIEW_PX / max(self.renderer.width_pt, self.renderer.height_pt)
        scale = base
        while scale < pixels_per_point and scale < self.max_scale:
            scale *= 2
        return min(scale, self.max_scale)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self.boundingRect(), self.overview)
        ppp = option.levelOfDetailFromTransform(painter.worldTransform())
        scale = self.level(ppp)
        base = OVERVIEW_PX / max(self.renderer.width_pt, self.renderer.height_pt)
        if scale <= base * 1.01:
            return  # the overview is as sharp as this zoom shows
        size_pt = TILE_PX / scale
        rect = option.exposedRect.intersected(self.boundingRect())
        for row in range(int(rect.top() // size_pt), int(rect.bottom() // size_pt) + 1):
            for col in range(int(rect.left() // size_pt), int(rect.right() // size_pt) + 1):
                key = (scale, col, row)
                image = self.cache.get(key)
                if image is None:
                    self.renderer.request(key)
                    continue
                self.cache.move_to_end(key)
                target = QRectF(col * size_pt, row * size_pt, image.width() / scale, image.height() / scale)
                painter.drawImage(target, image)

    def _arrived(self, key, image: QImage) -> None:
        self.cache[key] = image
        while len(self.cache) > CACHE_TILES:
            self.cache.popitem(last=False)
        scale, col, row = key
        size_pt = TILE_PX / scale
        self.update(QRectF(col * size_pt, row * size_pt, size_pt, size_pt))


class SheetView(QGraphicsView):
    """Wheel zooms about the pointer, dragging pans."""

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)

    def wheelEvent(self, event) -> None:
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.zoom(factor)

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        target = min(max(current * factor, 0.02), 16.0)
        self.scale(target / current, target / current)


class SheetDialog(QDialog):
    """A stitched sheet with the seams SoHoa could not confirm outlined in red, and a button per
    part to scan again."""

    rescan_requested = Signal(int)  # the tile's index (0-based), in scan order

    def __init__(self, pdf_path: str, stitch: dict | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sheet"))
        self.renderer = TileRenderer(pdf_path, self)
        dpi = float((stitch or {}).get("dpi") or 300.0)
        self.scene = QGraphicsScene(self)
        self.sheet = SheetItem(self.renderer, dpi / 72.0)
        self.scene.addItem(self.sheet)
        self.weak = self._mark_weak_seams(stitch or {}, 72.0 / dpi)
        self.view = SheetView(self.scene, self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        rescan = (stitch or {}).get("rescan_tiles") or []
        review = (stitch or {}).get("review_seams") or []
        if rescan:
            self.note.setText(
                self.tr(
                    "Seams outlined in red could not be checked against the drawing. Scan these parts "
                    "again with the sheet shifted: {parts}"
                ).replace("{parts}", ", ".join(str(i + 1) for i in rescan))
            )
        elif review:
            self.note.setText(
                self.tr(
                    "At the seams outlined in red the drawing does not line up to a pixel: the paper "
                    "was probably lifted at a fold ({seams}). Check the sheet there; scan again only "
                    "with the paper flattened."
                ).replace("{seams}", ", ".join(f"{a + 1} | {b + 1}" for a, b in review))
            )
        else:
            self.note.setText(self.tr("Every seam was checked against the drawing."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self.rescan_buttons = []
        if rescan:
            row = QHBoxLayout()
            for i in rescan:
                button = QPushButton(self.tr("Scan part {n} again").replace("{n}", str(i + 1)))
                button.clicked.connect(lambda _checked=False, k=i: self.rescan_requested.emit(k))
                row.addWidget(button)
                self.rescan_buttons.append(button)
            row.addStretch(1)
            layout.addLayout(row)
        self.resize(1100, 800)
        self.view.fitInView(self.sheet, Qt.AspectRatioMode.KeepAspectRatio)

    def _mark_weak_seams(self, stitch: dict, pt_per_px: float) -> list:
        """The overlap of each unconfirmed seam of a part to scan again, and of each seam to review
        (warped paper), outlined, with the parts' numbers (a diagonal neighbour's unconfirmed
        corner is normal when the sides hold)."""
        tiles = stitch.get("tiles") or []
        rescan = set(stitch.get("rescan_tiles") or [])
        review = {tuple(s) for s in stitch.get("review_seams") or []}
        marks = []
        for seam in stitch.get("seams") or []:
            if seam.get("confirmed"):
                continue
            if not rescan.intersection(seam["tiles"]) and tuple(seam["tiles"]) not in review:
                continue
            a, b = seam["tiles"]
            boxes = []
            for i in (a, b):
                t = tiles[i] if i < len(tiles) else {}
                if not t.get("matrix") or not t.get("size"):
                    break
                m = np.array(t["matrix"], float)
                w, h = t["size"]
                corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
                boxes.append((corners @ m[:, :2].T + m[:, 2]) * pt_per_px)
            if len(boxes) != 2:
                continue
            lo = np.maximum(boxes[0].min(axis=0), boxes[1].min(axis=0))
            hi = np.minimum(boxes[0].max(axis=0), boxes[1].max(axis=0))
            if (hi <= lo).any():
                continue
            poly = QPolygonF(
                [QPointF(lo[0], lo[1]), QPointF(hi[0], lo[1]), QPointF(hi[0], hi[1]), QPointF(lo[0], hi[1])]
            )
            item = self.scene.addPolygon(poly, QPen(QColor(200, 0, 30), 2), QBrush(QColor(220, 0, 40, 50)))
            label = self.scene.addSimpleText(f"{a + 1} | {b + 1}")
            label.setBrush(QBrush(QColor(200, 0, 30)))
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # readable at any zoom
            label.setPos(lo[0] + 4, lo[1] + 4)
            marks.append((a, b, item))
        return marks

    def done(self, result: int) -> None:
        self.renderer.close()
        super().done(result)
