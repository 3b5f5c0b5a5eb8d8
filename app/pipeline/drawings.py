"""Large drawings: overlapping tiles from a small flatbed (or one large-format scan) made into one
sheet file: a compact PDF/A (line work lossless, text of the title block searchable), or the
full-resolution sheet as PNG or TIFF. Memory stays bounded: the tiles are the only full-resolution
images held; the sheet is built and written a band of rows at a time."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from app.workspace import Artifact, ArtifactKind, Status
from common.atomic import atomic_output
from common.progress import Progress, check_cancel, report

log = logging.getLogger(__name__)

SHEET_FORMATS = (".pdf", ".png", ".tif", ".tiff")
MIN_COPY_DPI = 200  # digitized copies must keep at least this resolution
BAND_ROWS = 512


def _rebanded(source: Iterable[np.ndarray], rows: int) -> Iterator[np.ndarray]:
    """The same rows in bands of `rows` (the last may be shorter), whatever bands came in."""
    pending: list[np.ndarray] = []
    count = 0
    for band in source:
        pending.append(band)
        count += band.shape[0]
        while count >= rows:
            joined = np.concatenate(pending, axis=0) if len(pending) > 1 else pending[0]
            yield joined[:rows]
            rest = joined[rows:]
            pending = [rest] if len(rest) else []
            count = len(rest)
    if count:
        yield np.concatenate(pending, axis=0) if len(pending) > 1 else pending[0]


def load_tiles(paths, *, cancel: threading.Event | None = None):
    """Every page of every file as a tile ready to place, with its features for matching, decoded
    a few at a time; (tiles, features, dpi)."""
    from scanner.compose import prepare_tile
    from scanner.importer import page_refs, ref_array
    from scanner.stitch import WORKERS, tile_features

    pages = [ref for path in paths for ref in page_refs(path)]
    dpi = sorted(p.dpi for p in pages)[len(pages) // 2] if pages else 300.0

    def one(ref):
        check_cancel(cancel)
        image = ref_array(ref)
        if abs(ref.dpi - dpi) > 0.01 * dpi:  # a part scanned at another resolution: to the sheet's
            import cv2

            f = dpi / ref.dpi
            image = cv2.resize(
                image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
            )
        tile = prepare_tile(image, dpi)
        return tile, tile_features(tile.gray, dpi)

    with ThreadPoolExecutor(WORKERS) as pool:
        loaded = list(pool.map(one, pages))
    return [t for t, _ in loaded], [f for _, f in loaded], dpi


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def write_png(fh, width: int, height: int, dpi: float, rows: Iterable[np.ndarray]) -> None:
    """An 8-bit gray PNG written from bands of rows as they come (no whole image in memory).
    Pillow and OpenCV both need the whole image; pypng streams but in pure Python, row by row."""
    fh.write(b"\x89PNG\r\n\x1a\n")
    fh.write(
        _png_chunk(b"IHDR", width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0]))
    )
    ppm = round(dpi / 0.0254)
    fh.write(_png_chunk(b"pHYs", ppm.to_bytes(4, "big") * 2 + b"\x01"))
    z = zlib.compressobj(3)
    for band in rows:
        filtered = np.empty((band.shape[0], width + 1), np.uint8)
        filtered[:, 0] = 0  # no filter: paper-white runs compress well as they are
        filtered[:, 1:] = band
        out = z.compress(filtered.tobytes())
        if out:
            fh.write(_png_chunk(b"IDAT", out))
    fh.write(_png_chunk(b"IDAT", z.flush()))
    fh.write(_png_chunk(b"IEND", b""))


class _Unnamed:
    """A file object without a name: tifffile takes a stream's `name` for a path, and a temporary
    file opened from a descriptor has a number there."""

    def __init__(self, fh) -> None:
        self._fh = fh

    def __getattr__(self, attr):
        if attr == "name":
            raise AttributeError(attr)
        return getattr(self._fh, attr)


def write_tiff(
    fh, width: int, height: int, dpi: float, rows: Iterable[np.ndarray], rows_per_band: int
) -> None:
    """An 8-bit gray tiled TIFF (deflate) written as the bands come: tifffile takes an iterator of
    tiles, and a band of 512 rows is one row of 512 x 512 tiles."""
    import tifffile

    side = rows_per_band

    def tiles() -> Iterator[np.ndarray]:
        cols = -(-width // side)
        for band in _rebanded(rows, side):
            padded = np.full((side, cols * side), 255, np.uint8)
            padded[: band.shape[0], :width] = band
            for c in range(cols):
                yield padded[:, c * side : (c + 1) * side]

    with tifffile.TiffWriter(_Unnamed(fh)) as tif:
        tif.write(
            tiles(),
            shape=(height, width),
            dtype=np.uint8,
            tile=(side, side),
            photometric="minisblack",
            compression="zlib",
            resolution=(dpi, dpi),
            resolutionunit="INCH",
        )


def _write_sheet(
    output: Path,
    width: int,
    height: int,
    dpi: float,
    bands: Iterable[np.ndarray],
    rows_per_band: int,
    *,
    colour=None,
    title_block=None,
    lang: str = "vie+eng",
    title: str = "",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> dict:
    """`title_block`: a function of the window (left, top, right, bottom) that renders it ahead of
    the bands, so that it is read while the sheet is built."""
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        from ocr.sheet import SheetWriter, title_block_box

        writer = SheetWriter(width, height, dpi)
        if title_block is not None:
            writer.read_title_block(title_block(title_block_box(width, height, dpi)), lang=lang)
        for band in bands:
            writer.add(band)
        colour_img = colour() if callable(colour) else colour
        return writer.finish(output, colour=colour_img, title=title, lang=lang, cancel=cancel).as_dict()
    with atomic_output(output) as fh:
        if suffix == ".png":
            write_png(fh, width, height, dpi, bands)
        else:
            write_tiff(fh, width, height, dpi, bands, rows_per_band)
    return {
        "output": str(output),
        "width_px": width,
        "height_px": height,
        "dpi": dpi,
        "width_mm": round(width / dpi * 25.4, 1),
        "height_mm": round(height / dpi * 25.4, 1),
        "size_bytes": output.stat().st_size,
    }


@dataclass(frozen=True)
class SheetReport:
    """What stitching a drawing's scans (or compressing one large scan) gave: each tile's placement,
    each seam's check, the verdict and the tiles to scan again, and the written sheet's facts."""

    verdict: str  # "ok", "needs_rescan" or "needs_review" (warped paper: a seam's content disagrees)
    rescan_tiles: list[int]
    sheet_px: list[int]
    dpi: float
    tiles: list[dict]  # index, placed, matrix (2x3, tile to sheet), size
    seams: list[dict]  # tiles, inliers, residual_px, confirmed, reason
    sheet: dict  # the output: size in pixels and millimetres, bytes...
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    review_seams: list[list[int]] = field(default_factory=list)  # seams whose content disagrees

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> dict:
        """What the workspace keeps of it beside a drawing part (the window shows weak seams from it)."""
        return {
            "verdict": self.verdict,
            "rescan_tiles": self.rescan_tiles,
            "review_seams": self.review_seams,
            "dpi": self.dpi,
            "tiles": [{k: t.get(k) for k in ("placed", "matrix", "size")} for t in self.tiles],
            "seams": [{k: s[k] for k in ("tiles", "residual_px", "confirmed", "reason")} for s in self.seams],
        }


def stitch_drawing(
    paths: list[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    grid: tuple[int, int] | None = None,
    lang: str = "vie+eng",
    title: str = "",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SheetReport:
    """Place the tiles, build the sheet and write it; the stitch report with the output's facts.

    One input that is a large TIFF is not stitched: it takes the same path to the output, read in
    bands."""
    from ocr.memory import return_big_blocks_to_os, share_one_heap
    from scanner.compose import colour_sheet, render, seam_labels, strips, tone_curves
    from scanner.stitch import StitchError, place_tiles

    # arrays larger than a tile go back to the system when freed; smaller ones are reused from one
    # heap shared by the loading threads (each thread's own heap piled up freed temporaries:
    # 0.9 GB at the peak for an A0 of 15 tiles, 0.7 GB shared)
    share_one_heap(1)
    return_big_blocks_to_os(32 << 20)
    output = Path(output)
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    if len(paths) == 1:
        return _single_sheet(Path(paths[0]), output, lang=lang, title=title, progress=progress, cancel=cancel)
    tiles, features, dpi = load_tiles(paths, cancel=cancel)
    if len(tiles) < 2:
        raise StitchError(detail="at least two tiles are needed")
    seconds["load"] = time.monotonic() - t0
    t = time.monotonic()
    result = place_tiles(
        [tile.gray for tile in tiles], dpi, grid=grid, progress=progress, cancel=cancel, features=features
    )
    del features
    seconds["place"] = time.monotonic() - t
    t = time.monotonic()
    labels, label_scale = seam_labels(tiles, result, cancel=cancel)
    luts = tone_curves(tiles, result, result.pairs)
    seconds["seams"] = time.monotonic() - t
    t = time.monotonic()
    w, h = result.size
    rows = BAND_ROWS
    kept: dict = {}

    def bands() -> Iterator[np.ndarray]:
        for _, band in strips(tiles, result, labels, label_scale, luts, rows=rows, cancel=cancel):
            yield band
        # the last band is out: the colour layer is the tiles' last use, then they go (the sheet's
        # 1-bit encoding, next, needs a byte per pixel of the whole sheet for a moment)
        kept["colour"] = colour_sheet(tiles, result, labels, label_scale)
        tiles.clear()

    written = _write_sheet(
        output,
        w,
        h,
        dpi,
        bands(),
        rows,
        colour=lambda: kept.get("colour"),
        title_block=lambda box: render(tiles, result, labels, label_scale, box, luts),
        lang=lang,
        title=title or output.stem,
        cancel=cancel,
    )
    seconds["write"] = time.monotonic() - t
    seconds["total"] = time.monotonic() - t0
    return SheetReport(
        **result.as_dict(),
        sheet=written,
        warnings=_warnings(dpi),
        seconds={k: round(v, 2) for k, v in seconds.items()},
    )


def _warnings(dpi: float) -> list[str]:
    return ["resolution_below_200dpi"] if dpi < MIN_COPY_DPI - 0.5 else []


def _single_sheet(path: Path, output: Path, *, lang: str, title: str, progress, cancel) -> SheetReport:
    """One large image: read in bands when it is a TIFF, whole otherwise; paper whitened per band."""
    import cv2

    from scanner.compose import colour_at, whiten
    from scanner.large import bands, is_streamable_tiff, open_large

    if is_streamable_tiff(path):
        image = open_large(path)
        width, height, dpi = image.width, image.height, image.dpi
        source = (b for _, b in bands(image, cancel=cancel))
    else:
        from scanner.importer import page_refs, ref_array

        ref = page_refs(path)[0]
        arr = ref_array(ref)
        width, height, dpi = arr.shape[1], arr.shape[0], ref.dpi
        source = (arr[y : y + BAND_ROWS] for y in range(0, height, BAND_ROWS))
    colour_parts: list[np.ndarray] = []
    scale = min(1.0, 75.0 / dpi)

    def gray_bands() -> Iterator[np.ndarray]:
        done = 0
        for band in _rebanded(source, BAND_ROWS):
            check_cancel(cancel)
            if band.ndim == 3:
                colour_parts.append(cv2.resize(band, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
                band = cv2.cvtColor(band, cv2.COLOR_RGB2GRAY)
            yield whiten(band, dpi)
            done += band.shape[0]
            report(progress, done, height)

    def colour():
        if not colour_parts:
            return None
        return colour_at(np.concatenate(colour_parts, axis=0), dpi * scale)

    written = _write_sheet(
        output,
        width,
        height,
        dpi,
        gray_bands(),
        BAND_ROWS,
        colour=colour,
        lang=lang,
        title=output.stem,
        cancel=cancel,
    )
    return SheetReport(
        verdict="ok",
        rescan_tiles=[],
        sheet_px=[width, height],
        dpi=dpi,
        tiles=[{"index": 0, "placed": True, "matrix": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]}],
        seams=[],
        sheet=written,
        warnings=_warnings(dpi),
    )


def process_drawing(ws, component, pages, settings, dossier, title, progress, cancel) -> Artifact:
    """The tiles (the stored originals, in scan order) stitched into one sheet PDF; one page alone
    (a large-format scan) compressed the same way."""
    grid = component.meta_dict.get("grid")
    with tempfile.TemporaryDirectory(dir=ws.work_dir()) as tmp:
        tiles = [str(ws.blobs.path(page.blob)) for page in pages]  # the stored originals, in scan order
        out = Path(tmp) / "sheet.pdf"
        report = stitch_drawing(
            tiles,
            out,
            grid=tuple(grid) if grid else None,
            lang=settings.ocr_languages,
            title=title or f"{dossier.code} - {component.name}",
            progress=progress,
            cancel=cancel,
        )
        ws.update_component_meta(component.id, stitch=report.summary())
        sheet = report.sheet
        return ws.add_artifact(
            component.id,
            ArtifactKind.SHEET_PDF,
            out,
            status=Status.PROCESSED,
            meta={
                "pages": 1,
                "lang": settings.ocr_languages,
                "size": sheet["size_bytes"],
                "sheet_mm": [sheet["width_mm"], sheet["height_mm"]],
                "verdict": report.verdict,
            },
        )
