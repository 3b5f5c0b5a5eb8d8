"""The data that travels between the OCR stages and processes: small, frozen where it can be, picklable."""

from __future__ import annotations

from dataclasses import dataclass, field

from ocr.textlayer import Line


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


@dataclass(frozen=True)
class PageSource:
    """One page to process: encoded image bytes or a file (and page number), with what capture knows.

    `rotation` is the clockwise turn capture already decided (EXIF, the clerk); None lets the page's
    own content decide. `skew_deg` likewise.
    """

    data: bytes | None = None
    dpi: float = 300.0
    rotation: int | None = None
    label: str = ""
    path: str | None = None
    pdf_page: int | None = None
    frame: int = 0  # page of a multi-page image file (TIFF)
    skew_deg: float | None = None
    action: str = "ocr"  # PDF pages: "ocr" from the scan image, "render" first, or "keep" unchanged
    # The paper's box (left, top, right, bottom) once the page is straightened by `skew_deg`, before
    # any quarter turn: capture's cleanup found it; the page is cut to it before anything else.
    crop: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class PageOptions:
    lang: str = "vie+eng"
    profile: str = "standard"
    timeout_s: float = 180.0
    deskew: bool = True
    auto_rotate: bool = True


@dataclass
class PageOutput:
    width_pt: float
    height_pt: float
    encoded: Encoded | None
    text_lines: list[Line]
    scale: float  # points per pixel of the processed image
    rotation: int
    skew_deg: float
    orientation_confidence: float
    kind: str
    confidence: float
    error: str | None = None
    seconds: dict = field(default_factory=dict)
