"""Pages in, one searchable PDF/A out: Tesseract in worker processes, pages merged in order."""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from common.atomic import atomic_output
from common.progress import Progress, check_cancel, report
from ocr.errors import NoPages, OcrError, PageFailed
from ocr.pdfa import make_pdfa
from ocr.tesseract import check_languages, text_layer_pdf

log = logging.getLogger(__name__)

_TRANSPOSE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


@dataclass(frozen=True)
class PageSource:
    """One page to process: encoded image bytes, resolution, clockwise rotation to apply."""

    data: bytes
    dpi: float = 300.0
    rotation: int = 0
    label: str = ""


@dataclass(frozen=True)
class OcrOptions:
    lang: str = "vie+eng"
    jobs: int = 0  # 0: one per core
    page_timeout_s: float = 180.0
    title: str = ""
    subject: str = ""
    keywords: str = ""

    def __post_init__(self) -> None:
        if not self.lang or any(not part.isalnum() and part != "_" for part in self.lang.split("+")):
            raise ValueError(f"invalid language list: {self.lang!r}")
        if self.jobs < 0:
            raise ValueError("jobs must be >= 0")


@dataclass
class OcrResult:
    output: Path
    pages: int
    chars: int
    size_bytes: int
    failed_pages: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _PageOutput:
    image_pdf: bytes
    text_pdf: bytes
    chars: int


def _worker_init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _process_page(page: PageSource, page_no: int, lang: str, timeout: float) -> _PageOutput:
    """Worker: recognise one page and wrap its image as a one-page PDF at the scan's size."""
    try:
        img = Image.open(io.BytesIO(page.data))
        img.load()
    except (OSError, ValueError, SyntaxError) as exc:
        raise PageFailed(page=page_no, detail=str(exc)) from exc
    data = page.data
    if page.rotation % 360:
        img = img.transpose(_TRANSPOSE[page.rotation % 360])
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(page.dpi, page.dpi))
        data = buf.getvalue()
    if img.mode not in ("1", "L", "RGB"):
        img = img.convert("RGB")
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(page.dpi, page.dpi))
        data = buf.getvalue()
    text_pdf = text_layer_pdf(img, lang=lang, dpi=page.dpi, timeout=timeout, page_no=page_no)
    layout = img2pdf.get_fixed_dpi_layout_fun((page.dpi, page.dpi))
    image_pdf = img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
    chars = 0
    with pikepdf.open(io.BytesIO(text_pdf)) as tp:
        for _, op in pikepdf.parse_content_stream(tp.pages[0], "Tj TJ"):
            chars += 1 if op else 0
    return _PageOutput(image_pdf, text_pdf, chars)


def _pool(jobs: int) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)


def ocr_to_pdf(
    pages: Sequence[PageSource],
    output: str | os.PathLike[str],
    options: OcrOptions = OcrOptions(),
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> OcrResult:
    """Recognise `pages` and write one PDF/A-2b with an invisible text layer over each image."""
    if not pages:
        raise NoPages()
    check_languages(options.lang)
    jobs = options.jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(pages)))
    output = Path(output)
    out_pdf = pikepdf.Pdf.new()
    done = 0
    total_chars = 0
    results: dict[int, _PageOutput] = {}
    next_to_add = 0
    report(progress, 0, len(pages))
    with _pool(jobs) as pool:
        pending: dict[Future[_PageOutput], int] = {}
        queue = list(enumerate(pages))
        queue.reverse()
        try:
            while queue or pending:
                check_cancel(cancel)
                while queue and len(pending) < jobs * 2:
                    index, page = queue.pop()
                    fut = pool.submit(_process_page, page, index + 1, options.lang, options.page_timeout_s)
                    pending[fut] = index
                finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in finished:
                    index = pending.pop(fut)
                    try:
                        results[index] = fut.result()
                    except OcrError:
                        raise
                    except BrokenProcessPool as exc:
                        raise PageFailed(page=index + 1, detail="the OCR worker crashed") from exc
                    done += 1
                    report(progress, done, len(pages))
                while next_to_add in results:
                    page_out = results.pop(next_to_add)
                    total_chars += page_out.chars
                    _append_page(out_pdf, page_out)
                    next_to_add += 1
        except BaseException:
            for fut in pending:
                fut.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    make_pdfa(out_pdf, title=options.title or output.stem, subject=options.subject, keywords=options.keywords)
    with atomic_output(output) as fh:
        out_pdf.save(fh, min_version="1.7", deterministic_id=False)
    size = output.stat().st_size
    log.info("wrote %s: %d pages, %d text runs, %d bytes", output.name, len(pages), total_chars, size)
    return OcrResult(output, len(pages), total_chars, size)


def _append_page(out_pdf: pikepdf.Pdf, page_out: _PageOutput) -> None:
    with (
        pikepdf.open(io.BytesIO(page_out.image_pdf)) as img_pdf,
        pikepdf.open(io.BytesIO(page_out.text_pdf)) as txt_pdf,
    ):
        out_pdf.pages.append(img_pdf.pages[0])
        page = out_pdf.pages[-1]
        form = out_pdf.copy_foreign(txt_pdf.pages[0].as_form_xobject())
        page.add_overlay(form, pikepdf.Rectangle(*[float(v) for v in page.mediabox]))
