"""Per-page compression: bitonal CCITT G4, MRC (G4 mask over low-resolution colour), or JPEG."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Profile:
    name: str
    bg_factor: int  # background downscale for MRC (4 = 75 dpi from 300)
    bg_quality: int
    fg_factor: int
    fg_quality: int
    photo_quality: int
    photo_max_dpi: float
    speck_area: int  # connected components up to this many pixels are dropped (at 300 dpi)


PROFILES = {
    "archive": Profile("archive", 3, 60, 4, 70, 85, 400.0, 2),
    "standard": Profile("standard", 4, 45, 8, 50, 75, 300.0, 6),
    "small": Profile("small", 6, 35, 12, 40, 60, 200.0, 8),
}


@dataclass(frozen=True)
class ImageLayer:
    """One image XObject drawn over the whole page."""

    data: bytes
    filter: str  # "CCITTFaxDecode", "DCTDecode" or "FlateDecode"
    width: int
    height: int
    colorspace: str | None  # "DeviceGray", "DeviceRGB"; None for a stencil mask
    bpc: int = 8
    decode_parms: dict = field(default_factory=dict)
    mask: ImageLayer | None = None  # explicit stencil mask (may have another resolution)


@dataclass(frozen=True)
class Encoded:
    kind: str  # "bitonal", "mrc", "photo", "blank"
    layers: tuple[ImageLayer, ...]

    @property
    def size(self) -> int:
        total = 0
        for layer in self.layers:
            total += len(layer.data) + (len(layer.mask.data) if layer.mask else 0)
        return total


def flatten(gray: np.ndarray, factor: int = 8) -> np.ndarray:
    """Divide by the paper's brightness (estimated at low resolution): uneven light and shadows go."""
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    k = max(3, (min(small.shape) // 25) | 1)
    paper = cv2.dilate(small, np.ones((k, k), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 2)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def binarize(flat: np.ndarray, speck_area: int) -> np.ndarray:
    """Ink = True. Otsu on the flattened page (bounded so a blank page stays blank), specks removed."""
    otsu, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    threshold = min(max(otsu, 120.0), 200.0)
    ink = (flat < threshold).astype(np.uint8)
    if speck_area > 0:
        _n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
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
    packed = np.packbits(~ink, axis=1)  # mode "1": 1 = white
    h, w = ink.shape
    img = Image.frombytes("1", (w, h), packed.tobytes())
    buf = io.BytesIO()
    img.save(buf, format="TIFF", compression="group4", tiffinfo={278: h}, dpi=(dpi, dpi))
    data = buf.getvalue()
    tif = Image.open(io.BytesIO(data))
    offset, length = tif.tag_v2[273][0], tif.tag_v2[279][0]
    return G4Image(data, data[offset : offset + length], w, h)


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
    """Average of `img` over pixels where weight is set, at 1/factor scale; `fallback` where none count.

    Works in uint8 at full resolution (one multiply, one area resize) and in float only when small.
    """
    h, w = weight.shape
    size = (max(1, w // factor), max(1, h // factor))
    w8 = weight.astype(np.uint8)
    num = cv2.resize(img * w8[..., None], size, interpolation=cv2.INTER_AREA).astype(np.float32)
    den = cv2.resize(w8 * 255, size, interpolation=cv2.INTER_AREA).astype(np.float32)[..., None] / 255.0
    valid = den > 0.02
    mean = np.clip(num / np.maximum(den, 1e-3), 0, 255).astype(np.uint8)
    if fallback is not None:
        return np.where(valid, mean, fallback[None, None, :].astype(np.uint8))
    # no fallback colour: spread the neighbours' colours into empty cells, so that JPEG does not pull
    # a red stroke towards whatever filler sits next to it
    holes = (~valid[..., 0]).astype(np.uint8)
    if holes.all():
        return mean
    return cv2.inpaint(mean, holes, 3, cv2.INPAINT_TELEA) if holes.any() else mean


def encode_page(
    rgb: np.ndarray | None,
    gray: np.ndarray,
    ink: np.ndarray,
    flat: np.ndarray,
    profile: Profile,
    bitonal: G4Image,
    *,
    force_kind: str | None = None,
) -> Encoded:
    """Choose the page's compression from its content and encode it."""
    if force_kind is None:
        if rgb is not None and colour_fraction(rgb) > 0.001:
            kind = "mrc"
        elif midtone_fraction(flat) > 0.30:
            kind = "photo"
        else:
            kind = "bitonal"
    else:
        kind = force_kind
    if kind == "bitonal":
        return Encoded(kind, (_g4_layer(bitonal, stencil=False),))
    if kind == "photo":
        img = rgb if rgb is not None else gray
        return Encoded(kind, (_jpeg_layer(img, profile.photo_quality),))
    # MRC: paper and colour areas at low resolution, ink as a full-resolution mask over its own colour
    assert rgb is not None
    dilated = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    paper = (
        np.median(rgb[::16, ::16][~dilated[::16, ::16]], axis=0)
        if (~dilated).any()
        else np.array([255, 255, 255])
    )
    background = _masked_mean(rgb, ~dilated, profile.bg_factor, paper)
    foreground = _masked_mean(rgb, ink, profile.fg_factor, None)
    mask = _g4_layer(bitonal, stencil=True)
    return Encoded(
        kind, (_jpeg_layer(background, profile.bg_quality), _jpeg_layer(foreground, profile.fg_quality, mask))
    )
