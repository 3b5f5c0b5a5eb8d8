"""Pages in, one searchable PDF/A out: every page processed in a worker process, merged in order."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf

from common.atomic import atomic_output
from common.pdfa import make_pdfa
from common.progress import Progress, check_cancel, report
from ocr.assemble import add_page, make_font
from ocr.errors import NoPages, OcrError, PageFailed
from ocr.inspect import MODES, plan, text_states
from ocr.model import PROFILES, PageOptions, PageOutput, PageSource
from ocr.tesseract import check_languages

log = logging.getLogger(__name__)

__all__ = ["OcrOptions", "OcrResult", "PageReport", "PageSource", "ocr_to_pdf"]


@dataclass(frozen=True)
class OcrOptions:
    lang: str = "vie+eng"
    jobs: int = 0  # 0: one per core
    page_timeout_s: float = 180.0
    profile: str = "standard"
    mode: str = "skip"  # pages that already hold text: skip (keep them), redo (replace an OCR layer), force
    deskew: bool = True
    auto_rotate: bool = True
    title: str = ""
    subject: str = ""
    keywords: str = ""

    def __post_init__(self) -> None:
        if not self.lang or any(not part.replace("_", "").isalnum() for part in self.lang.split("+")):
            raise ValueError(f"invalid language list: {self.lang!r}")
        if self.jobs < 0:
            raise ValueError("jobs must be >= 0")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        if self.profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}")

    def page_options(self) -> PageOptions:
        return PageOptions(self.lang, self.profile, self.page_timeout_s, self.deskew, self.auto_rotate)


@dataclass(frozen=True)
class PageReport:
    page: int
    kind: str
    rotation: int
    skew_deg: float
    confidence: float
    size_bytes: int
    error: str | None
    chars: int = 0


@dataclass
class OcrResult:
    output: Path
    pages: int
    chars: int
    size_bytes: int
    failed_pages: list[int] = field(default_factory=list)
    page_reports: list[PageReport] = field(default_factory=list)


def _run_page(source: PageSource, page_no: int, options: PageOptions) -> PageOutput:
    """Worker entry point; the image libraries are imported here, in the worker, never in the caller."""
    from ocr.page import process_page

    return process_page(source, page_no, options)


def _worker_init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ocr.memory import return_big_blocks_to_os

    return_big_blocks_to_os()


def _pool(jobs: int) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)


def _append_ready(pdf, font, finished: dict, next_index: int, result: OcrResult, sources_open: dict) -> int:
    """Add the pages finished in order from `next_index` on; the index of the next one to wait for."""
    while next_index in finished:
        out = finished.pop(next_index)
        if isinstance(out, PageSource):
            _keep_page(pdf, out, sources_open)
            result.page_reports.append(PageReport(next_index + 1, "kept", 0, 0.0, 0.0, 0, None))
        else:
            _record(result, next_index + 1, out)
            add_page(pdf, out, font)
        next_index += 1
    return next_index


def ocr_to_pdf(
    pages: Sequence[PageSource],
    output: str | os.PathLike[str],
    options: OcrOptions = OcrOptions(),
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> OcrResult:
    """Recognise `pages` and write one PDF/A-2b: each page's image layers under an invisible text layer.

    Pages are processed in parallel and added in order as they finish, so memory holds only the pages
    in flight. A page whose recognition fails or times out is kept without text and reported.
    """
    if not pages:
        raise NoPages()
    check_languages(options.lang)
    pages = _plan_pages(pages, options.mode)
    jobs = max(1, min(options.jobs or os.cpu_count() or 1, len(pages)))
    output = Path(output)
    pdf = pikepdf.Pdf.new()
    font = make_font(pdf)
    result = OcrResult(output, len(pages), 0, 0)
    page_options = options.page_options()
    finished: dict[int, PageOutput | PageSource] = {}
    sources_open: dict[str, pikepdf.Pdf] = {}
    crashes: dict[int, int] = {}
    next_index = 0
    report(progress, 0, len(pages))
    queue = list(enumerate(pages))
    queue.reverse()
    pool = _pool(jobs)
    pending: dict[Future[PageOutput], int] = {}
    try:
        while queue or pending:
            check_cancel(cancel)
            while queue and len(pending) < jobs * 2:
                index, page = queue.pop()
                if page.action == "keep":
                    finished[index] = page
                    continue
                pending[pool.submit(_run_page, page, index + 1, page_options)] = index
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                index = pending.pop(fut)
                try:
                    finished[index] = fut.result()
                except BrokenProcessPool:
                    broken = True
                    crashes[index] = crashes.get(index, 0) + 1
                    if crashes[index] > 1:
                        raise PageFailed(page=index + 1, detail="it crashed the OCR worker twice") from None
                    queue.append((index, pages[index]))
                    continue
                report(progress, len(finished) + next_index, len(pages))
            if broken:  # a worker died (a crash, the OOM killer): start fresh, retry its pages once
                for index in pending.values():
                    queue.append((index, pages[index]))
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(jobs)
                queue.sort(key=lambda item: -item[0])
                log.warning("an OCR worker crashed; retrying its pages")
            next_index = _append_ready(pdf, font, finished, next_index, result, sources_open)
    except BaseException:
        for src in sources_open.values():
            src.close()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    make_pdfa(pdf, title=options.title or output.stem, subject=options.subject, keywords=options.keywords)
    try:
        with atomic_output(output) as fh:
            pdf.save(
                fh,
                min_version="1.7",
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                deterministic_id=False,
            )
    except pikepdf.PdfError as exc:
        raise OcrError(detail=str(exc)) from exc
    finally:
        for src in sources_open.values():
            src.close()
    result.size_bytes = output.stat().st_size
    log.info(
        "wrote %s: %d pages, %d bytes, failed pages %s",
        output.name,
        len(pages),
        result.size_bytes,
        result.failed_pages,
    )
    return result


def _plan_pages(pages: Sequence[PageSource], mode: str) -> list[PageSource]:
    """Decide, for pages of PDFs, whether to OCR, render first, or keep them (they already hold text)."""
    states: dict[str, list[str]] = {}
    out = []
    for page in pages:
        if page.path is not None and page.pdf_page is not None:
            if page.path not in states:
                states[page.path] = text_states(page.path)
            page = replace(page, action=plan(states[page.path][page.pdf_page], mode))
        out.append(page)
    return out


def _keep_page(pdf: pikepdf.Pdf, page: PageSource, sources_open: dict[str, pikepdf.Pdf]) -> None:
    src = sources_open.get(page.path)
    if src is None:
        src = sources_open[page.path] = pikepdf.open(page.path)
    pdf.pages.append(src.pages[page.pdf_page])


def _record(result: OcrResult, page_no: int, out: PageOutput) -> None:
    chars = sum(len(w.text) for line in out.text_lines for w in line.words)
    result.chars += chars
    if out.error:
        result.failed_pages.append(page_no)
    result.page_reports.append(
        PageReport(
            page_no,
            out.kind,
            out.rotation,
            round(out.skew_deg, 3),
            round(out.confidence, 1),
            out.encoded.size if out.encoded else 0,
            out.error,
            chars,
        )
    )
