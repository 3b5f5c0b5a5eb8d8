"""One large sheet (a stitched drawing, a large-format scan) as a compact, searchable PDF/A page.

The sheet arrives as bands of rows and is never held whole: each band is reduced to ink / paper
(one bit per pixel) at once. The page keeps the sheet's physical size (1 pixel = 1/dpi inch):
black line work as one lossless CCITT G4 image at full resolution; when something on the sheet is
coloured (a red seal, mark-ups), the ink is painted with its colour from a low-resolution image
and the coloured areas sit on a low-resolution background. The title block (bottom right of a
drawing, as drawing standards place it) is read by Tesseract into the invisible text layer.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
import pikepdf

from common.atomic import atomic_output
from common.pdfa import make_pdfa
from common.progress import Progress, check_cancel, report
from ocr.assemble import add_page, make_font
from ocr.encode import G4Image, _components, _g4_layer, _jpeg_layer, g4, g4_packed
from ocr.errors import OcrError
from ocr.model import PROFILES, Encoded, PageOutput
from ocr.tesseract import check_languages, recognise
from ocr.textlayer import Line

log = logging.getLogger(__name__)

INK_BELOW = 200  # on a sheet whose paper is white (255): darker than this is line work
INK_DARKEST = 30  # a coloured stroke's darkest channel, once its colour is deepened
TITLE_BLOCK_MM = (200.0, 100.0)  # the part of the sheet read for its text, from the bottom right


@dataclass
class SheetReport:
    path: Path
    width_px: int
    height_px: int
    dpi: float
    width_mm: float
    height_mm: float
    kind: str  # "bitonal" or "mrc"
    size_bytes: int = 0
    text: str = ""
    ocr_error: str | None = None
    seconds: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "output": str(self.path),
            "width_px": self.width_px,
            "height_px": self.height_px,
            "dpi": self.dpi,
            "width_mm": round(self.width_mm, 1),
            "height_mm": round(self.height_mm, 1),
            "kind": self.kind,
            "size_bytes": self.size_bytes,
            "text": self.text,
            "ocr_error": self.ocr_error,
        }


def title_block_box(width: int, height: int, dpi: float) -> tuple[int, int, int, int]:
    """Where a drawing's title block is looked for: a window at the sheet's bottom right."""
    rw = min(width, int(TITLE_BLOCK_MM[0] / 25.4 * dpi))
    rh = min(height, int(TITLE_BLOCK_MM[1] / 25.4 * dpi))
    return (width - rw, height - rh, width, height)


class SheetWriter:
    """Collects a sheet band by band (top to bottom) and writes it as one PDF/A page."""

    def __init__(
        self,
        width: int,
        height: int,
        dpi: float,
        *,
        profile: str = "standard",
        ink_below: int = INK_BELOW,
        read_title_block: bool = True,
    ) -> None:
        self.width, self.height, self.dpi = width, height, dpi
        self.profile = PROFILES[profile]
        self.ink_below = ink_below
        self._white = np.empty((height, (width + 7) // 8), np.uint8)  # packed bits, 1 = paper
        self._next_row = 0
        self._region: tuple[int, int, int, int] | None = (
            title_block_box(width, height, dpi) if read_title_block else None
        )
        self._region_gray: np.ndarray | None = None
        self._pool = ThreadPoolExecutor(1)
        self._reading = None
        self._lang = "vie+eng"
        self._timeout_s = 120.0
        # a mark this small (pixels at this resolution) is dust, not drawing
        self._speck = max(0, round(self.profile.speck_area * (dpi / 300.0) ** 2))

    def read_title_block(self, gray: np.ndarray, *, lang: str = "vie+eng", timeout_s: float = 120.0) -> None:
        """Start reading the title block (the window `title_block_box` gives) in the background,
        before the sheet's bands come: Tesseract then works beside the compositing."""
        if self._region is None:
            return
        check_languages(lang)
        self._region_gray = gray
        self._reading = self._pool.submit(self._read_title_block, lang, timeout_s)

    def add(self, band: np.ndarray) -> None:
        """The next rows of the sheet, gray with white paper, as wide as the sheet."""
        y0 = self._next_row
        y1 = y0 + band.shape[0]
        if band.shape[1] != self.width or y1 > self.height:
            raise ValueError("a band does not fit the sheet")
        ink = (band < self.ink_below).view(np.uint8)
        if self._speck > 0:
            n, labels, stats, _ = _components(ink)
            if n > 1:
                small = stats[:, cv2.CC_STAT_AREA] <= self._speck
                small[0] = False
                if small.any():
                    ink = np.where(small[labels], 0, ink).astype(np.uint8)
        self._white[y0:y1] = np.packbits(ink == 0, axis=1)
        if self._region is not None and self._reading is None:
            x0r, y0r, x1r, y1r = self._region
            top, bottom = max(y0, y0r), min(y1, y1r)
            if top < bottom:
                if self._region_gray is None:
                    self._region_gray = np.full((y1r - y0r, x1r - x0r), 255, np.uint8)
                self._region_gray[top - y0r : bottom - y0r] = band[top - y0 : bottom - y0, x0r:x1r]
        self._next_row = y1

    def finish(
        self,
        output: str | os.PathLike[str],
        *,
        colour: np.ndarray | None = None,
        title: str = "",
        lang: str = "vie+eng",
        timeout_s: float = 120.0,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> SheetReport:
        """Write the PDF. `colour`: the sheet in RGB at a lower resolution (paper white), or None
        for a black-and-white sheet."""
        if self._next_row != self.height:
            raise ValueError(f"the sheet has {self.height} rows, {self._next_row} were given")
        output = Path(output)
        seconds: dict[str, float] = {}
        report(progress, 0, 3)
        lines: list[Line] = []
        ocr_error = None
        text = ""
        t = time.monotonic()
        try:
            reading = self._reading
            if reading is None and self._region is not None and self._region_gray is not None:
                check_languages(lang)
                reading = self._pool.submit(self._read_title_block, lang, timeout_s)
            bitonal = self._g4()
            seconds["g4"] = time.monotonic() - t
            report(progress, 1, 3)
            check_cancel(cancel)
            if reading is not None:
                try:
                    lines, text = reading.result()
                except OcrError as exc:  # the sheet is kept without text, and the reason given
                    ocr_error = exc.render()
            seconds["ocr"] = time.monotonic() - t
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
        report(progress, 2, 3)
        encoded = self._encode(bitonal, colour)
        del bitonal
        scale = 72.0 / self.dpi
        page = PageOutput(
            width_pt=self.width * scale,
            height_pt=self.height * scale,
            encoded=encoded,
            text_lines=lines,
            scale=scale,
            rotation=0,
            skew_deg=0.0,
            orientation_confidence=1.0,
            kind=encoded.kind,
            confidence=0.0,
        )
        pdf = pikepdf.Pdf.new()
        add_page(pdf, page, make_font(pdf))
        make_pdfa(pdf, title=title or output.stem)
        try:
            with atomic_output(output) as fh:
                pdf.save(fh, min_version="1.7", object_stream_mode=pikepdf.ObjectStreamMode.generate)
        except pikepdf.PdfError as exc:
            raise OcrError(detail=str(exc)) from exc
        seconds["total"] = time.monotonic() - t
        report(progress, 3, 3)
        return SheetReport(
            output,
            self.width,
            self.height,
            self.dpi,
            self.width / self.dpi * 25.4,
            self.height / self.dpi * 25.4,
            encoded.kind,
            output.stat().st_size,
            text,
            ocr_error,
            seconds,
        )

    # -- parts ------------------------------------------------------------------------------------
    def _g4(self) -> G4Image:
        white, self._white = self._white, np.empty(0, np.uint8)  # the packed copy goes with the call
        image = g4_packed(white, self.width, self.height, self.dpi)
        return G4Image(b"", image.strip, image.width, image.height)  # the TIFF wrapper is not needed

    def _read_title_block(self, lang: str, timeout_s: float) -> tuple[list[Line], str]:
        x0, y0, _, _ = self._region
        gray = self._region_gray
        ink = gray < self.ink_below
        if not ink.any():
            return [], ""
        image = g4(ink, self.dpi)
        with tempfile.TemporaryDirectory(prefix="sohoa-sheet-") as tmp:
            path = os.path.join(tmp, "title.tif")
            with open(path, "wb") as fh:
                fh.write(image.tiff)
            found, _conf = recognise(path, lang=lang, dpi=self.dpi, timeout=timeout_s, page_no=1, psm=11)
        lines = []
        words_text = []
        for line in found:
            words = tuple(
                replace(w, left=w.left + x0, right=w.right + x0, top=w.top + y0, bottom=w.bottom + y0)
                for w in line.words
            )
            lines.append(replace(line, words=words, baseline=line.baseline + y0))
            words_text.append(" ".join(w.text for w in line.words))
        return lines, "\n".join(words_text)

    def _encode(self, bitonal: G4Image, colour: np.ndarray | None) -> Encoded:
        if colour is None:
            return Encoded("bitonal", (_g4_layer(bitonal, stencil=False),))
        # coloured parts at low resolution: the paper where nothing is coloured stays white; ink is
        # black, except in coloured areas, where it takes the colour found there, deepened (at low
        # resolution a thin red stroke is a pink smear: stretched until its darkest channel is dark)
        hi, lo = colour.max(axis=2).astype(np.int16), colour.min(axis=2)
        coloured = ((hi - lo) > 40).astype(np.uint8)
        coloured = cv2.dilate(coloured, np.ones((5, 5), np.uint8)).astype(bool)
        background = np.where(coloured[..., None], colour, np.uint8(255)).astype(np.uint8)
        darkest = cv2.erode(colour, np.ones((3, 3), np.uint8)).astype(np.float32)
        depth = 255.0 - darkest
        stretch = (255.0 - INK_DARKEST) / np.maximum(depth.max(axis=2, keepdims=True), 1.0)
        deep = np.clip(255.0 - depth * np.maximum(stretch, 1.0), 0, 255).astype(np.uint8)
        ink_colour = np.where(coloured[..., None], deep, np.uint8(0)).astype(np.uint8)
        mask = _g4_layer(bitonal, stencil=True)
        return Encoded(
            "mrc",
            (
                _jpeg_layer(background, self.profile.bg_quality),
                _jpeg_layer(ink_colour, self.profile.fg_quality, mask),
            ),
        )
