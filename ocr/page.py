"""One page, start to finish, in a worker process: load, orient, deskew, recognise, compress."""

from __future__ import annotations

import io
import os
import resource
import tempfile
import time

import cv2
import numpy as np
from PIL import Image

from common.imageops import analyse, to_gray
from ocr.encode import binarize, colour_mask, encode_page, flatten, g4
from ocr.errors import PageFailed
from ocr.memory import trim
from ocr.model import PROFILES, PageOptions, PageOutput, PageSource
from ocr.tesseract import orientation_osd, recognise
from ocr.textlayer import Line

ORIENTATION_TRUST = 0.15  # below this, Tesseract's orientation detection gets the last word
MAX_PIXELS = 400_000_000


def load_image(source: PageSource) -> tuple[np.ndarray, float]:
    """Decode the page (keeping colour) as an RGB or grey uint8 array, with its resolution."""
    dpi = source.dpi
    if source.data is not None:
        data = source.data
    elif source.path is not None and source.pdf_page is not None:
        return _pdf_page_image(source)
    elif source.path is not None:
        with open(source.path, "rb") as fh:
            data = fh.read()
    else:
        raise ValueError("page source has neither data nor path")
    if source.frame == 0 and data[:4] in (
        b"\x89PNG",
        b"\xff\xd8\xff\xe0",
        b"\xff\xd8\xff\xe1",
        b"\xff\xd8\xff\xdb",
    ):
        arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if arr is not None and arr.dtype == np.uint8 and arr.ndim == 2:
            return arr, dpi
        if arr is not None and arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] == 3:
            return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB, dst=arr), dpi
    img = Image.open(io.BytesIO(data))
    if img.width * img.height > MAX_PIXELS:
        raise ValueError(f"image too large: {img.width}x{img.height}")
    if source.frame:
        img.seek(source.frame)
    img.load()
    return _to_array(img), dpi


def _to_array(img: Image.Image) -> np.ndarray:
    """The image as a uint8 array (grey or RGB), copying the pixels once where the mode allows."""
    if img.mode in ("L", "RGB"):
        return np.asarray(img)
    if img.mode == "1":
        return np.asarray(img.convert("L"))
    if img.mode in ("I;16", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        return ((arr - lo) * (255.0 / (hi - lo if hi > lo else 1))).astype(np.uint8)
    if img.mode == "RGBA" or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(img.convert("RGB"))


def _pdf_page_image(source: PageSource) -> tuple[np.ndarray, float]:
    """A scanned PDF page: its one image taken as it is (with the resolution the page size implies)."""
    import pikepdf

    with pikepdf.open(source.path) as pdf:
        page = pdf.pages[source.pdf_page]
        images = list(page.images.values())
        box = [float(v) for v in page.mediabox]
        width_pt = box[2] - box[0]
        if len(images) == 1 and source.action != "render":
            pim = pikepdf.PdfImage(images[0])
            img = pim.as_pil_image()
            dpi = round(img.width / (width_pt / 72.0), 1)
            rotate = int(page.obj.get("/Rotate", 0)) % 360
            arr = _to_array(img)
            if rotate:
                arr = np.ascontiguousarray(np.rot90(arr, k=-(rotate // 90)))
            return arr, dpi
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(source.path)
    try:
        scale = source.dpi / 72.0
        pil = doc[source.pdf_page].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    return np.asarray(pil), source.dpi


def _rotate(img: np.ndarray, rotation: int) -> np.ndarray:
    k = {0: 0, 90: -1, 180: 2, 270: 1}[rotation % 360]  # np.rot90 turns counter-clockwise
    return np.ascontiguousarray(np.rot90(img, k=k)) if k else img


def _deskew(img: np.ndarray, angle: float) -> np.ndarray:
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    fill = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(
        img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def process_page(source: PageSource, page_no: int, options: PageOptions) -> PageOutput:
    """Everything for one page; raises PageFailed with a message when the page cannot be done."""
    t0 = time.process_time()
    seconds: dict[str, float] = {}
    try:
        img, dpi = load_image(source)
    except (OSError, ValueError, SyntaxError) as exc:
        raise PageFailed(page=page_no, detail=str(exc)) from exc
    seconds["load"] = time.process_time() - t0
    profile = PROFILES[options.profile]
    rgb = img if img.ndim == 3 else None
    gray = to_gray(img)
    del img  # from here on only `rgb` and `gray` hold the page: each big array exists once

    t = time.process_time()
    rotation = source.rotation or 0
    skew = source.skew_deg or 0.0
    confidence = 1.0
    has_text = True
    if source.crop is not None:  # straighten, then cut to the paper (capture's cleanup), then turn
        if abs(skew) >= 0.05:
            gray = _deskew(gray, -skew)
            rgb = _deskew(rgb, -skew) if rgb is not None else None
        skew = 0.0
        left, top, right, bottom = source.crop
        gray = np.ascontiguousarray(gray[top:bottom, left:right])
        rgb = np.ascontiguousarray(rgb[top:bottom, left:right]) if rgb is not None else None
    if rotation:
        gray = _rotate(gray, rotation)
        rgb = _rotate(rgb, rotation) if rgb is not None else None
    if options.auto_rotate or options.deskew:
        geo = analyse(gray, dpi)
        has_text = geo.line_score > 0  # no ink that could be text: nothing for Tesseract to read
        decide = options.auto_rotate and source.rotation is None
        extra = geo.rotation if decide else 0
        confidence = geo.orientation_confidence
        if decide and geo.line_score > 0 and confidence < ORIENTATION_TRUST:
            osd = orientation_osd(Image.fromarray(gray), timeout=min(options.timeout_s, 30.0))
            if osd is not None and osd[1] >= 1.0:
                extra, confidence = osd[0], min(1.0, osd[1] / 10.0)
        if extra:
            gray = _rotate(gray, extra)
            rgb = _rotate(rgb, extra) if rgb is not None else None
        if options.deskew and source.skew_deg is None:
            # the tilt measured in geo's frame holds for any turn of the same family (0/180, 90/270)
            same_family = (extra - geo.rotation) % 180 == 0 if decide else geo.rotation in (0, 180)
            skew = geo.skew_deg if same_family else analyse(gray, dpi).skew_deg
        rotation = (rotation + extra) % 360
    if abs(skew) >= 0.05:
        gray = _deskew(gray, -skew)
        rgb = _deskew(rgb, -skew) if rgb is not None else None
    seconds["geometry"] = time.process_time() - t

    t = time.process_time()
    flat = flatten(gray)
    ink = binarize(flat, profile.speck_area)
    seconds["binarize"] = time.process_time() - t

    t = time.process_time()
    bitonal = g4(ink, dpi)
    # seals and signatures are not text: Tesseract reads the page without strongly coloured ink
    text_ink = ink & ~colour_mask(rgb) if rgb is not None else ink
    reading = bitonal if text_ink is ink else g4(text_ink, dpi)
    seconds["g4"] = time.process_time() - t

    t = time.process_time()
    encoded = encode_page(rgb, gray, ink, flat, profile, bitonal, dpi=dpi)
    seconds["encode"] = time.process_time() - t
    h, w = gray.shape
    # the page's pixels are no longer needed: free them before Tesseract's own memory peak
    del rgb, gray, flat, ink, text_ink
    trim()

    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    error = None
    lines: list[Line] = []
    mean_conf = 0.0
    if has_text:
        with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
            tiff = os.path.join(tmp, "page.tif")
            with open(tiff, "wb") as fh:
                fh.write(reading.tiff)
            del reading
            try:
                lines, mean_conf = recognise(
                    tiff, lang=options.lang, dpi=dpi, timeout=options.timeout_s, page_no=page_no
                )
            except PageFailed as exc:  # keep the page, without text, and say so
                error = exc.render()
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds["tesseract"] = child1.ru_utime + child1.ru_stime - child0.ru_utime - child0.ru_stime

    scale = 72.0 / dpi
    return PageOutput(
        width_pt=w * scale,
        height_pt=h * scale,
        encoded=encoded,
        text_lines=lines,
        scale=scale,
        rotation=rotation,
        skew_deg=skew,
        orientation_confidence=confidence,
        kind=encoded.kind,
        confidence=mean_conf,
        error=error,
        seconds=seconds,
    )
