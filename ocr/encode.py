"""Per-page compression: bitonal CCITT G4, MRC (G4 mask over low-resolution colour), or JPEG."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ocr.model import Encoded, ImageLayer, Profile


def flatten(gray: np.ndarray, factor: int = 8) -> np.ndarray:
    """Divide by the paper's brightness (estimated at low resolution): uneven light and shadows go."""
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    k = max(3, (min(small.shape) // 25) | 1)
    paper = cv2.dilate(small, np.ones((k, k), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 2)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def _components(binary: np.ndarray):
    """Connected components with 16-bit labels when they fit (half the memory of 32-bit ones)."""
    try:
        n, labels, stats, centroids = cv2.connectedComponentsWithStats(
            binary, connectivity=8, ltype=cv2.CV_16U
        )
        if n < 65535:
            return n, labels, stats, centroids
    except cv2.error:
        pass
    return cv2.connectedComponentsWithStats(binary, connectivity=8, ltype=cv2.CV_32S)


def binarize(flat: np.ndarray, speck_area: int) -> np.ndarray:
    """Ink = True. Otsu on the flattened page (bounded so a blank page stays blank), specks removed."""
    otsu, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    threshold = min(max(otsu, 120.0), 200.0)
    ink = (flat < threshold).astype(np.uint8)
    if speck_area > 0:
        _n, labels, stats, _ = _components(ink)
        small = stats[:, cv2.CC_STAT_AREA] <= speck_area
        small[0] = False
        if small.any():
            ink[small[labels]] = 0
    return ink.astype(bool)


def colour_fraction(rgb: np.ndarray) -> float:
    """Share of the page (at 1/4 scale) in clearly coloured, non-white pixels: seals, signatures."""
    small = cv2.resize(rgb, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA).astype(np.int16)
    chroma = small.max(axis=2) - small.min(axis=2)
    return float(((chroma > 40) & (small.max(axis=2) < 235)).mean())


def colour_mask(rgb: np.ndarray) -> np.ndarray:
    """Strongly coloured pixels (red seals, blue signatures), grown a little to cover their edges."""
    small = cv2.resize(rgb, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    hi, lo = small.max(axis=2), small.min(axis=2)
    mask = ((hi.astype(np.int16) - lo) > 60).astype(np.uint8)
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    return cv2.resize(mask, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_NEAREST).astype(bool)


def midtone_fraction(flat: np.ndarray) -> float:
    small = cv2.resize(flat, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    return float(((small > 70) & (small < 190)).mean())


@dataclass(frozen=True)
class G4Image:
    """A bitonal page as a one-strip G4 TIFF file (Tesseract reads it) and its strip (PDF embeds it)."""

    tiff: bytes
    strip: bytes
    width: int
    height: int


def g4(ink: np.ndarray, dpi: float = 300.0) -> G4Image:
    """CCITT Group 4 of a boolean ink image (ink = black), in one strip as PDF's CCITTFaxDecode wants."""
    h, w = ink.shape
    return g4_packed(np.packbits(~ink, axis=1), w, h, dpi)  # mode "1": 1 = white


def g4_packed(white: np.ndarray | bytes, width: int, height: int, dpi: float = 300.0) -> G4Image:
    """CCITT Group 4 of a bitonal image given as packed rows (1 = white), e.g. a whole drawing
    sheet assembled a band at a time."""
    img = Image.frombytes("1", (width, height), white if isinstance(white, bytes) else white.tobytes())
    buf = io.BytesIO()
    img.save(buf, format="TIFF", compression="group4", tiffinfo={278: height}, dpi=(dpi, dpi))
    del img
    data = buf.getvalue()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own image, any size
        with Image.open(io.BytesIO(data)) as tif:
            offset, length = tif.tag_v2[273][0], tif.tag_v2[279][0]
    return G4Image(data, data[offset : offset + length], width, height)


def _g4_layer(image: G4Image, *, stencil: bool) -> ImageLayer:
    parms = {"K": -1, "Columns": image.width, "Rows": image.height, "BlackIs1": True}
    cs = None if stencil else "DeviceGray"
    return ImageLayer(image.strip, "CCITTFaxDecode", image.width, image.height, cs, 1, parms)


def jpeg(rgb_or_gray: np.ndarray, quality: int, *, full_chroma: bool = False) -> bytes:
    params = [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1]
    if full_chroma:  # no chroma subsampling: thin coloured strokes keep their colour
        params += [cv2.IMWRITE_JPEG_SAMPLING_FACTOR, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444]
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb_or_gray, cv2.COLOR_RGB2BGR) if rgb_or_gray.ndim == 3 else rgb_or_gray, params
    )
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes()


def _jpeg_layer(img: np.ndarray, quality: int, mask: ImageLayer | None = None) -> ImageLayer:
    h, w = img.shape[:2]
    cs = "DeviceRGB" if img.ndim == 3 else "DeviceGray"
    return ImageLayer(jpeg(img, quality, full_chroma=mask is not None), "DCTDecode", w, h, cs, 8, {}, mask)


def _masked_mean(img: np.ndarray, weight: np.ndarray, factor: int, fallback: np.ndarray | None) -> np.ndarray:
    """Weighted average colour of `img` at 1/factor scale; weight is 0..255 per pixel (uint8).

    Cells without weight take `fallback`, or, without one, the colours of their neighbours (so that
    JPEG does not pull a thin red stroke towards a filler colour beside it).
    """
    h, w = weight.shape
    size = (max(1, w // factor), max(1, h // factor))
    weighted = cv2.multiply(img, cv2.merge([weight] * img.shape[2]), scale=1.0 / 255)
    num = cv2.resize(weighted, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    del weighted
    den = cv2.resize(weight, size, interpolation=cv2.INTER_AREA).astype(np.float32)[..., None] / 255.0
    valid = den > 0.02
    mean = np.clip(num / np.maximum(den, 1e-3), 0, 255).astype(np.uint8)
    if fallback is not None:
        return np.where(valid, mean, fallback[None, None, :].astype(np.uint8))
    holes = (~valid[..., 0]).astype(np.uint8)
    if holes.all() or not holes.any():
        return mean
    return cv2.inpaint(mean, holes, 3, cv2.INPAINT_TELEA)


def encode_page(
    rgb: np.ndarray | None,
    gray: np.ndarray,
    ink: np.ndarray,
    flat: np.ndarray,
    profile: Profile,
    bitonal: G4Image,
    *,
    dpi: float = 300.0,
    force_kind: str | None = None,
) -> Encoded:
    """Choose the page's compression from its content and encode it."""
    if force_kind is None:
        if midtone_fraction(gray) > 0.30:  # mostly continuous tone: a photograph, whatever its colours
            kind = "photo"
        elif rgb is not None and colour_fraction(rgb) > 0.001:
            kind = "mrc"
        else:
            kind = "bitonal"
    else:
        kind = force_kind
    if kind == "bitonal":
        return Encoded(kind, (_g4_layer(bitonal, stencil=False),))
    if kind == "photo":
        img = rgb if rgb is not None else gray
        if dpi > profile.photo_max_dpi:  # the page keeps its physical size; the photo, fewer pixels
            f = profile.photo_max_dpi / dpi
            img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        return Encoded(kind, (_jpeg_layer(img, profile.photo_quality),))
    # MRC: paper and colour areas at low resolution, ink as a full-resolution mask over its own colour.
    # Colours are averaged from a half-resolution copy: both layers are far coarser than that anyway.
    assert rgb is not None
    half = (max(1, rgb.shape[1] // 2), max(1, rgb.shape[0] // 2))
    small = cv2.resize(rgb, half, interpolation=cv2.INTER_AREA)
    ink8 = ink.view(np.uint8) * np.uint8(255) if ink.dtype == bool else ink
    ink_half = cv2.resize(ink8, half, interpolation=cv2.INTER_AREA)
    del ink8
    paper_weight = cv2.erode(255 - ink_half, np.ones((3, 3), np.uint8))  # keep clear of the ink's edges
    paper_weight[paper_weight < 250] = 0
    clear = paper_weight[::8, ::8] > 0
    paper = np.median(small[::8, ::8][clear], axis=0) if clear.any() else np.array([255, 255, 255])
    background = _masked_mean(small, paper_weight, max(1, profile.bg_factor // 2), paper)
    foreground = _masked_mean(small, ink_half, max(1, profile.fg_factor // 2), None)
    mask = _g4_layer(bitonal, stencil=True)
    return Encoded(
        kind, (_jpeg_layer(background, profile.bg_quality), _jpeg_layer(foreground, profile.fg_quality, mask))
    )
