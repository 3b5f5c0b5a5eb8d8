"""Pages in, one searchable PDF/A out: every page processed in a worker process, merged in order."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from common.atomic import atomic_output
from common.progress import Progress, check_cancel, report
from ocr.assemble import add_page, make_font
from ocr.encode import PROFILES
from ocr.errors import NoPages, OcrError, PageFailed
from ocr.page import PageOptions, PageOutput, PageSource, process_page
from ocr.pdfa import make_pdfa
from ocr.tesseract import check_languages

log = logging.getLogger(__name__)

__all__ = ["OcrOptions", "OcrResult", "PageReport", "PageSource", "ocr_to_pdf"]


@dataclass(frozen=True)
class OcrOptions:
    lang: str = "vie+eng"
    jobs: int = 0  # 0: one per core
    page_timeout_s: float = 180.0
    profile: str = "standard"
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


@dataclass
class OcrResult:
    output: Path
    pages: int
    chars: int
    size_bytes: int
    failed_pages: list[int] = field(default_factory=list)
    page_reports: list[PageReport] = field(default_factory=list)


def _worker_init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


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
    """Recognise `pages` and write one PDF/A-2b: each page's image layers under an invisible text layer.

    Pages are processed in parallel and added in order as they finish, so memory holds only the pages
    in flight. A page whose recognition fails or times out is kept without text and reported.
    """
    if not pages:
        raise NoPages()
    check_languages(options.lang)
    jobs = max(1, min(options.jobs or os.cpu_count() or 1, len(pages)))
    output = Path(output)
    pdf = pikepdf.Pdf.new()
    font = make_font(pdf)
    result = OcrResult(output, len(pages), 0, 0)
    page_options = options.page_options()
    finished: dict[int, PageOutput] = {}
    next_index = 0
    report(progress, 0, len(pages))
    queue = list(enumerate(pages))
    queue.reverse()
    with _pool(jobs) as pool:
        pending: dict[Future[PageOutput], int] = {}
        try:
            while queue or pending:
                check_cancel(cancel)
                while queue and len(pending) < jobs * 2:
                    index, page = queue.pop()
                    pending[pool.submit(process_page, page, index + 1, page_options)] = index
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in done:
                    index = pending.pop(fut)
                    try:
                        finished[index] = fut.result()
                    except BrokenProcessPool as exc:
                        raise PageFailed(page=index + 1, detail="the OCR worker crashed") from exc
                    report(progress, len(finished) + next_index, len(pages))
                while next_index in finished:
                    out = finished.pop(next_index)
                    _record(result, next_index + 1, out)
                    add_page(pdf, out, font)
                    next_index += 1
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    make_pdfa(pdf, title=options.title or output.stem, subject=options.subject, keywords=options.keywords)
    try:
        with atomic_output(output) as fh:
            pdf.save(
                fh,
                min_version="1.7",
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                deterministic_id=False,
            )
    except OSError:
        raise
    except pikepdf.PdfError as exc:
        raise OcrError(detail=str(exc)) from exc
    result.size_bytes = output.stat().st_size
    log.info(
        "wrote %s: %d pages, %d bytes, failed pages %s",
        output.name,
        len(pages),
        result.size_bytes,
        result.failed_pages,
    )
    return result


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
        )
    )
