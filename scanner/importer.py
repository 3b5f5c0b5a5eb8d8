"""Import pages from image files (PNG, JPEG, TIFF incl. multi-page) and PDFs."""

from __future__ import annotations

import io
import logging
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from common.progress import Progress, check_cancel, report
from scanner.errors import EmptyFile, PasswordProtected, TooLarge, UnreadableFile, UnsupportedFormat

log = logging.getLogger(__name__)

MAX_PIXELS = 400_000_000
"""Refuse images above this many pixels (an A0 sheet at 400 dpi is about 250 megapixels)."""

DEFAULT_DPI = 300.0
PDF_RENDER_DPI = 300.0
_PLAUSIBLE_DPI = (100.0, 2400.0)
_EXIF_ROTATION = {3: 180, 6: 90, 8: 270}
_PDF_MAGIC = b"%PDF-"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")


@dataclass(frozen=True)
class ImportedPage:
    """One page as captured: encoded image bytes kept as they came where possible."""

    data: bytes
    fmt: str  # "png", "jpeg" or "tiff"
    width: int
    height: int
    dpi: float
    rotation: int  # clockwise degrees to turn the image upright (from EXIF), 0/90/180/270
    source: str
    index: int  # page number inside the source file, from 0


def _dpi_of(img: Image.Image) -> float:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    lo, hi = _PLAUSIBLE_DPI
    return round(value, 2) if lo <= value <= hi else DEFAULT_DPI


def _png_bytes(img: Image.Image, dpi: float) -> bytes:
    if img.mode not in ("1", "L", "RGB"):
        img = img.convert("RGB") if img.mode not in ("I;16", "I", "F") else _to_8bit(img)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


def _to_8bit(img: Image.Image) -> Image.Image:
    """16-bit or float greyscale to 8-bit, scaled to the image's own range."""
    import numpy as np

    arr = np.asarray(img, dtype=np.float64)
    lo, hi = float(arr.min()), float(arr.max())
    scaled = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
    return Image.fromarray(scaled.astype("uint8"), mode="L")


def _open_image(path: Path, data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            pixels = img.width * img.height
            if pixels > MAX_PIXELS:
                raise TooLarge(name=path.name, pixels=pixels // 1_000_000, limit=MAX_PIXELS // 1_000_000)
            return img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge(name=path.name, pixels="?", limit=MAX_PIXELS // 1_000_000) from exc
    except UnidentifiedImageError as exc:
        if data.startswith(_IMAGE_MAGIC):
            raise UnreadableFile(name=path.name, detail="damaged header") from exc
        raise UnsupportedFormat(name=path.name) from exc


def _image_pages(path: Path, data: bytes) -> Iterator[ImportedPage]:
    img = _open_image(path, data)
    fmt = (img.format or "").lower()
    n_frames = getattr(img, "n_frames", 1)
    for index in range(n_frames):
        try:
            img.seek(index)
            img.load()
        except (OSError, ValueError, SyntaxError) as exc:
            raise UnreadableFile(name=path.name, detail=str(exc) or type(exc).__name__) from exc
        dpi = _dpi_of(img)
        rotation = 0
        if index == 0:
            rotation = _EXIF_ROTATION.get(img.getexif().get(0x0112, 1), 0)
        if n_frames == 1 and fmt in ("jpeg", "png") and img.mode in ("1", "L", "RGB"):
            encoded, out_fmt = data, fmt
        else:
            encoded, out_fmt = _png_bytes(img, dpi), "png"
        yield ImportedPage(encoded, out_fmt, img.width, img.height, dpi, rotation, path.name, index)


def _pdf_pages(path: Path, data: bytes) -> Iterator[ImportedPage]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PasswordProtected(name=path.name) from exc
        raise UnreadableFile(name=path.name, detail=str(exc)) from exc
    try:
        scale = PDF_RENDER_DPI / 72.0
        for index in range(len(doc)):
            page = doc[index]
            w_pt, h_pt = page.get_size()
            if w_pt * h_pt * scale * scale > MAX_PIXELS:
                raise TooLarge(
                    name=path.name,
                    pixels=int(w_pt * h_pt * scale * scale) // 1_000_000,
                    limit=MAX_PIXELS // 1_000_000,
                )
            pil = page.render(scale=scale).to_pil().convert("RGB")
            yield ImportedPage(
                _png_bytes(pil, PDF_RENDER_DPI),
                "png",
                pil.width,
                pil.height,
                PDF_RENDER_DPI,
                0,
                path.name,
                index,
            )
    finally:
        doc.close()


def iter_file_pages(path: str | Path) -> Iterator[ImportedPage]:
    """Yield the pages of one file, raising a ScannerError subclass with a clear message on bad input."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(name=path.name, detail=exc.strerror or str(exc)) from exc
    if not data:
        raise EmptyFile(name=path.name)
    if data.lstrip()[:5] == _PDF_MAGIC:
        yield from _pdf_pages(path, data)
    else:
        try:
            yield from _image_pages(path, data)
        except OSError as exc:
            raise UnreadableFile(name=path.name, detail=str(exc)) from exc


def iter_files_pages(
    paths: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[ImportedPage]:
    """The pages of `paths` in order, one at a time (a 1,000-page PDF is never held whole); progress
    counts files."""
    for done, path in enumerate(paths):
        check_cancel(cancel)
        for page in iter_file_pages(path):
            check_cancel(cancel)
            yield page
        report(progress, done + 1, len(paths))


def import_files(
    paths: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[ImportedPage]:
    """Read every page of `paths` in order; progress counts files."""
    pages = list(iter_files_pages(paths, progress=progress, cancel=cancel))
    log.info("imported %d pages from %d files", len(pages), len(paths))
    return pages


@dataclass(frozen=True)
class PageRef:
    """Where one page of an input file is, without its pixels: for streaming work on large inputs."""

    path: str
    index: int
    is_pdf: bool
    dpi: float
    rotation: int | None  # from EXIF; None when the file says nothing


def page_refs(path: str | Path) -> list[PageRef]:
    """The pages of a file, checked (empty, damaged, too large, password) but not decoded."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise UnreadableFile(name=path.name, detail=exc.strerror or str(exc)) from exc
    if size == 0:
        raise EmptyFile(name=path.name)
    if head.lstrip()[:5] == _PDF_MAGIC:
        import pikepdf

        try:
            with pikepdf.open(path) as pdf:
                count = len(pdf.pages)
        except pikepdf.PasswordError as exc:
            raise PasswordProtected(name=path.name) from exc
        except pikepdf.PdfError as exc:
            raise UnreadableFile(name=path.name, detail=str(exc)) from exc
        return [PageRef(str(path), i, True, PDF_RENDER_DPI, None) for i in range(count)]
    try:
        img = _open_image(path, path.read_bytes())
    except OSError as exc:
        raise UnreadableFile(name=path.name, detail=str(exc)) from exc
    rotation = _EXIF_ROTATION.get(img.getexif().get(0x0112, 1)) if img.format == "JPEG" else None
    frames = getattr(img, "n_frames", 1)
    return [PageRef(str(path), i, False, _dpi_of(img), rotation if i == 0 else None) for i in range(frames)]


def page_array(page: ImportedPage) -> np.ndarray:
    """The page as pixels (gray HxW or RGB HxWx3, 8 bits), turned upright as its EXIF said."""
    with Image.open(io.BytesIO(page.data)) as img:
        img.load()
        if img.mode not in ("L", "RGB"):
            img = img.convert("RGB" if img.mode in ("RGBA", "P", "CMYK", "LA") or "A" in img.mode else "L")
        arr = np.asarray(img)
    if page.rotation:
        arr = np.rot90(arr, k=-page.rotation // 90)
    return np.ascontiguousarray(arr)


def ref_array(ref: PageRef) -> np.ndarray:
    """One page's pixels (gray HxW or RGB HxWx3, 8 bits, upright as EXIF said), decoded once."""
    name = Path(ref.path).name
    if ref.is_pdf:
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(ref.path)
        except pdfium.PdfiumError as exc:
            raise UnreadableFile(name=name, detail=str(exc)) from exc
        try:
            pil = doc[ref.index].render(scale=ref.dpi / 72.0).to_pil().convert("RGB")
        finally:
            doc.close()
        return np.asarray(pil)
    arr = _cv2_read(ref.path) if ref.index == 0 else None
    if arr is not None:
        if ref.rotation:
            arr = np.rot90(arr, k=-ref.rotation // 90)
        return np.ascontiguousarray(arr)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # page_refs checked the size
            with Image.open(ref.path) as img:
                img.seek(ref.index)
                img.load()
                if img.mode not in ("L", "RGB"):
                    img = img.convert(
                        "RGB" if img.mode in ("RGBA", "P", "CMYK", "LA") or "A" in img.mode else "L"
                    )
                arr = np.asarray(img)
    except (OSError, ValueError, SyntaxError) as exc:
        raise UnreadableFile(name=name, detail=str(exc) or type(exc).__name__) from exc
    if ref.rotation:
        arr = np.rot90(arr, k=-ref.rotation // 90)
    return np.ascontiguousarray(arr)


def _cv2_read(path: str) -> np.ndarray | None:
    """PNG and JPEG through OpenCV, which decodes them faster than Pillow and lets other threads
    run meanwhile; None for anything else (or anything it cannot read), left to Pillow."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8")):
        return None
    import cv2

    arr = cv2.imread(path, cv2.IMREAD_UNCHANGED)  # as stored: no EXIF turn (the caller applies it)
    if arr is None:
        return None
    if arr.dtype == np.uint16:
        arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype != np.uint8:
        return None
    if arr.ndim == 3:
        if arr.shape[2] == 1:
            return arr[:, :, 0]
        if arr.shape[2] == 4:
            return cv2.cvtColor(arr, cv2.COLOR_BGRA2RGB)
        return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB, dst=arr)  # in place: no second copy of a big scan
    return arr
