"""Page cleanup: crop to the paper, turn upright, straighten, flag blank pages, detect colour.

Non-destructive: `analyse_page` only measures and returns the transforms (a `Cleanup`), which a
caller records beside the untouched original and `apply` renders when needed, so a clerk can
undo any of them. A page holding only a stamp, a signature or a page number is not blank; a page
with a red seal or a blue signature is colour (copies must keep colour).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import cv2
import numpy as np

from common.imageops import analyse, reduce, to_gray

log = logging.getLogger(__name__)

OSD_CONFIDENCE = 0.15  # below this, Tesseract's orientation detection gives a second opinion
MIN_MARK_MM = 1.5  # an ink mark at least this long in some direction means the page is not blank


@dataclass(frozen=True)
class Cleanup:
    """What cleanup found and would do, in the input image's pixel coordinates."""

    crop: tuple[int, int, int, int]  # left, top, right, bottom kept (the paper), once straightened
    rotation_deg: int  # clockwise rotation applied to make the page upright: 0, 90, 180, 270
    skew_deg: float  # the tilt found (counter-clockwise degrees), straightened
    blank: bool
    colour: bool
    orientation_confidence: float
    orientation_source: str  # "ink" or "osd"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["crop"] = list(self.crop)
        return d


def _mm_px(dpi: float, mm: float) -> float:
    return dpi * mm / 25.4


def find_paper(gray: np.ndarray, dpi: float) -> tuple[int, int, int, int]:
    """The paper's box: dark scanner borders and lid shadows around it are left out."""
    h, w = gray.shape
    small, scale = reduce(gray, dpi, 50.0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if bright.mean() > 0.97 * 255 or (small.mean() > 200 and (small < 80).mean() < 0.02):
        return (0, 0, w, h)  # no dark surround to remove
    k = max(3, round(_mm_px(50.0, 4)))
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))  # fill the text
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=4)
    if n <= 1:
        return (0, 0, w, h)
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = stats[best]
    if area < 0.4 * small.size:
        return (0, 0, w, h)  # no page-sized bright region: keep everything
    inset = 1  # one working pixel inward drops the paper's shadowed edge
    left = max(0, int((x + inset) / scale))
    top = max(0, int((y + inset) / scale))
    right = min(w, int((x + bw - inset) / scale))
    bottom = min(h, int((y + bh - inset) / scale))
    if right - left < w * 0.3 or bottom - top < h * 0.3:
        return (0, 0, w, h)
    return (left, top, right, bottom)


def colour_mask(rgb_small: np.ndarray) -> np.ndarray:
    """Pixels of clearly coloured ink (seals, signatures), without the colour fringes a scanner puts
    along black text."""
    lab = cv2.cvtColor(rgb_small, cv2.COLOR_RGB2LAB).astype(np.int16)
    chroma = np.hypot(lab[:, :, 1] - 128, lab[:, :, 2] - 128)
    mask = ((chroma > 28) & (lab[:, :, 0] < 235)).astype(np.uint8)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)).astype(bool)


def _colour_at_100dpi(image: np.ndarray, dpi: float) -> np.ndarray | None:
    if image.ndim == 2:
        return None
    small, _ = reduce(image[:, :, :3], dpi, 100.0)
    return colour_mask(small)


def has_colour(image: np.ndarray, dpi: float, *, mask: np.ndarray | None = None) -> bool:
    mask = _colour_at_100dpi(image, dpi) if mask is None else mask
    if mask is None:
        return False
    return int(mask.sum()) >= _mm_px(100.0, 2.5) ** 2  # a few square millimetres of coloured ink


def is_blank(image: np.ndarray, dpi: float, *, mask: np.ndarray | None = None) -> bool:
    """No mark worth a look: only paper texture, dust, show-through from the other side."""
    gray = to_gray(image)
    small, _ = reduce(gray, dpi, 100.0)
    h, w = small.shape
    m = int(_mm_px(100.0, 8))  # margins: punch holes, edge shadows
    inner = (slice(m, h - m), slice(m, w - m)) if h > 3 * m and w > 3 * m else (slice(None), slice(None))
    core = small[inner]
    paper = float(np.percentile(core, 90))
    ink = core < paper - 55  # show-through is much fainter than ink
    colour = _colour_at_100dpi(image, dpi) if mask is None else mask
    if colour is not None and colour.shape == small.shape:
        ink |= colour[inner]
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 1:
        return True
    size = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    marks = (size >= _mm_px(100.0, MIN_MARK_MM)) & (stats[1:, cv2.CC_STAT_AREA] >= 6)
    return not bool(marks.any())


def _osd_rotation(gray: np.ndarray, dpi: float) -> tuple[int, float] | None:
    """Tesseract's orientation detection: (clockwise rotation to apply, confidence) or None."""
    try:
        import pytesseract
        from PIL import Image

        small, _ = reduce(gray, dpi, 300.0)
        info = pytesseract.image_to_osd(
            Image.fromarray(small), config="--psm 0", output_type=pytesseract.Output.DICT
        )
        return int(info.get("rotate", 0)) % 360, float(info.get("orientation_conf", 0.0))
    except Exception as exc:  # Tesseract missing, or too little text to tell
        log.info("OSD gave no answer: %s", exc)
        return None


def analyse_page(image: np.ndarray, dpi: float, *, osd: bool = True) -> Cleanup:
    """Measure everything cleanup needs; the image is not changed."""
    gray = to_gray(image)
    left, top, right, bottom = find_paper(gray, dpi)
    paper = image[top:bottom, left:right]
    mask = _colour_at_100dpi(paper, dpi)  # once, for both questions
    blank = is_blank(paper, dpi, mask=mask)
    colour = has_colour(paper, dpi, mask=mask)
    if blank:
        return Cleanup((left, top, right, bottom), 0, 0.0, True, colour, 0.0, "ink")
    geometry = analyse(to_gray(paper), dpi)
    rotation, confidence, source = geometry.rotation, geometry.orientation_confidence, "ink"
    skew = geometry.skew_deg
    if osd and confidence < OSD_CONFIDENCE:
        answer = _osd_rotation(to_gray(paper), dpi)
        if answer is not None and answer[1] >= 1.0:
            if answer[0] != rotation:
                rotation, skew = answer[0], _skew_after(paper, dpi, answer[0])
            confidence, source = min(1.0, answer[1] / 10.0), "osd"
    crop = find_paper(_straighten(gray, skew), dpi) if abs(skew) >= 0.05 else (left, top, right, bottom)
    return Cleanup(crop, rotation, round(skew, 3), False, colour, round(confidence, 3), source)


def _straighten(image: np.ndarray, skew_deg: float) -> np.ndarray:
    """Turn by the skew about the centre; the corners it uncovers take the border's own colour, so
    a dark scanner bed stays dark (and is cropped away) and white paper stays white."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -skew_deg, 1.0)  # as ocr.page straightens
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _skew_after(image: np.ndarray, dpi: float, rotation: int) -> float:
    turned = np.rot90(to_gray(image), k=-rotation // 90)
    return analyse(turned, dpi).skew_deg


def apply(
    image: np.ndarray, cleanup: Cleanup, *, crop: bool = True, rotate: bool = True, deskew: bool = True
) -> np.ndarray:
    """Render the cleaned page (each transform can be left out: that is how a clerk undoes it).

    Straightened first (about the centre, which commutes with the quarter turns), then cropped to
    the paper, then turned upright.
    """
    out = image
    if deskew and abs(cleanup.skew_deg) >= 0.05:
        out = _straighten(out, cleanup.skew_deg)
    if crop:
        left, top, right, bottom = cleanup.crop
        out = out[top:bottom, left:right]
    if rotate and cleanup.rotation_deg:
        out = np.rot90(out, k=-cleanup.rotation_deg // 90)
    return np.ascontiguousarray(out)
