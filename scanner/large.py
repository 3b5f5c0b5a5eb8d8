"""Large single images (a large-format scanner's TIFF of 100+ megapixels) read a band of rows at a
time, so that a whole A0 sheet in colour never sits in memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common.errors import QT_TRANSLATE_NOOP
from common.progress import check_cancel
from scanner.errors import ScannerError

DEFAULT_DPI = 300.0


class LargeImageError(ScannerError):
    template = QT_TRANSLATE_NOOP("scanner", "The image {name} cannot be read: {detail}")


@dataclass(frozen=True)
class LargeImage:
    path: Path
    width: int
    height: int
    dpi: float
    colour: bool  # RGB samples (else gray or bitonal)


def _tiff_dpi(page) -> float:
    tags = page.tags
    try:
        x = tags["XResolution"].value
        unit = tags["ResolutionUnit"].value if "ResolutionUnit" in tags else 2
        dpi = x[0] / x[1] if isinstance(x, tuple) else float(x)
        if int(unit) == 3:  # per centimetre
            dpi *= 2.54
        return dpi if 50 <= dpi <= 2400 else DEFAULT_DPI
    except (KeyError, ZeroDivisionError, TypeError, ValueError):
        return DEFAULT_DPI


def is_streamable_tiff(path: str | Path) -> bool:
    """A TIFF whose first page can be read in bands (stripped or tiled, samples interleaved)."""
    import tifffile

    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            return page.planarconfig == 1 or page.samplesperpixel == 1
    except (OSError, ValueError, tifffile.TiffFileError):
        return False


def open_large(path: str | Path) -> LargeImage:
    import tifffile

    path = Path(path)
    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            spp = page.samplesperpixel
            if page.photometric not in (0, 1, 2, 6) or spp not in (1, 3, 4):
                raise LargeImageError(name=path.name, detail=f"unsupported colour model {page.photometric!r}")
            return LargeImage(path, int(page.imagewidth), int(page.imagelength), _tiff_dpi(page), spp >= 3)
    except (OSError, ValueError, tifffile.TiffFileError) as exc:
        raise LargeImageError(name=path.name, detail=str(exc)) from exc


def _to_8bit(segment: np.ndarray, photometric: int) -> np.ndarray:
    """A decoded piece as 8-bit gray (H x W) or RGB (H x W x 3)."""
    if segment.dtype == bool:
        out = segment.astype(np.uint8) * 255
    elif segment.dtype == np.uint16:
        out = (segment >> 8).astype(np.uint8)
    elif segment.dtype != np.uint8:
        out = np.clip(segment, 0, 255).astype(np.uint8)
    else:
        out = segment
    if out.ndim == 3 and out.shape[2] == 1:
        out = out[:, :, 0]
    if out.ndim == 3 and out.shape[2] == 4:
        out = out[:, :, :3]
    if out.ndim == 2 and photometric == 0:  # white is zero
        out = 255 - out
    return out


def bands(image: LargeImage, *, cancel: threading.Event | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (top row, rows) from top to bottom, each band decoded from the file's own strips or
    tiles: gray (H x W) or RGB (H x W x 3), 8 bits."""
    import tifffile

    try:
        with tifffile.TiffFile(image.path) as tif:
            page = tif.pages[0]
            photometric = int(page.photometric)
            channels = 3 if image.colour else 0
            shape = (image.width, channels) if channels else (image.width,)
            band: np.ndarray | None = None
            band_top = 0
            for segment, index, _shape in page.segments(maxworkers=2):
                check_cancel(cancel)
                _s, _d, y, x, _c = index
                if segment is None:
                    continue
                piece = _to_8bit(segment[0], photometric)  # (length, width[, samples])
                rows = min(piece.shape[0], image.height - y)
                if band is None or y != band_top:
                    if band is not None:
                        yield band_top, band
                    band_top = y
                    band = np.full((rows, *shape), 255, np.uint8)
                cols = min(piece.shape[1], image.width - x)
                band[:rows, x : x + cols] = piece[:rows, :cols]
            if band is not None:
                yield band_top, band
    except (OSError, ValueError, tifffile.TiffFileError) as exc:
        raise LargeImageError(name=image.path.name, detail=str(exc)) from exc
