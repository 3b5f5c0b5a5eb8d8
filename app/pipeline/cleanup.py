"""Each page's cleanup decided beside its untouched original, and the small previews the window shows."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.workspace import Page, PageCleanup, Workspace
from common.progress import Progress


def clean_pages(
    ws: Workspace,
    pages: Sequence[Page],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[Page]:
    """Decide each page's cleanup (paper crop, upright, straight; blank and colour flags) and record
    it beside the untouched original. Pages that already have one (or a clerk's) keep it."""
    from PIL import Image

    from common.progress import check_cancel, report
    from scanner.cleanup import analyse_page

    out = []
    report(progress, 0, len(pages))
    for n, page in enumerate(pages):
        check_cancel(cancel)
        if page.cleanup is None:
            with Image.open(ws.blobs.path(page.blob)) as img:
                img.load()
                if img.mode not in ("L", "RGB"):
                    img = img.convert("RGB" if "A" in img.mode or img.mode in ("P", "CMYK") else "L")
                arr = np.asarray(img)
            if page.rotation:  # EXIF or a clerk's turn: analyse the page as it will be read
                arr = np.ascontiguousarray(np.rot90(arr, k=-page.rotation // 90))
            found = analyse_page(arr, page.dpi)
            decided = PageCleanup.from_dict({**found.as_dict(), "base_rotation": page.rotation})
            page = ws.set_page_cleanup(page.id, decided)
            make_thumbnail(ws, page, arr)
        out.append(page)
        report(progress, n + 1, len(pages))
    return out


THUMB_PX = 220


def thumbnail_path(ws: Workspace, page: Page) -> Path:
    """Where a page's small preview is kept (it changes when the page's turn does)."""
    c = page.cleanup_facts
    turn = (
        (page.rotation + c.rotation_deg) % 360
        if c is not None and c.base_rotation is not None
        else page.rotation
    )
    return ws.root / "thumbs" / f"{page.blob[:32]}-{turn}.jpg"


def upright_image(ws: Workspace, page: Page, max_px: int, arr: np.ndarray | None = None) -> np.ndarray:
    """The page as the clerk sees it (turned as recorded and as cleanup decided), its longer side
    at most `max_px`: RGB or gray uint8. A JPEG is decoded small at once."""
    import cv2

    if arr is None:
        from PIL import Image

        with Image.open(ws.blobs.path(page.blob)) as img:
            img.draft("RGB", (max_px * 2, max_px * 2))
            img = img.convert("RGB")
            img.thumbnail((max_px * 2, max_px * 2))
            arr = np.asarray(img)
        if page.rotation:
            arr = np.rot90(arr, k=-page.rotation // 90)
    c = page.cleanup_facts
    if c is not None and c.rotation_deg:
        arr = np.rot90(arr, k=-c.rotation_deg // 90)
    h, w = arr.shape[:2]
    f = min(1.0, max_px / max(h, w))
    return cv2.resize(
        np.ascontiguousarray(arr), (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA
    )


def make_thumbnail(ws: Workspace, page: Page, arr: np.ndarray | None = None) -> Path:
    """A small upright JPEG of the page for the window's page strip (made off the GUI thread)."""
    import cv2

    from common.atomic import write_bytes_atomic

    path = thumbnail_path(ws, page)
    if path.exists():
        return path
    small = upright_image(ws, page, THUMB_PX, arr)
    if small.ndim == 3:
        small = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
    ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
    path.parent.mkdir(exist_ok=True)
    if ok:
        write_bytes_atomic(path, data.tobytes())
    return path
