"""A part's pages recognised into one searchable PDF/A (OCR); a drawing's tiles stitched instead."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from app.config import Settings
from app.pipeline.cleanup import clean_pages
from app.pipeline.errors import NothingToProcess
from app.workspace import Artifact, ArtifactKind, Component, Page, Status, Workspace
from common.progress import Progress
from ocr import OcrOptions, PageSource, ocr_to_pdf

LOW_CONFIDENCE = 60.0  # Tesseract's mean word confidence (0-100) below which a page is checked


def _page_source(ws: Workspace, p: Page) -> PageSource:
    """What OCR needs for a page: its file, and the cleanup recorded for it (if any)."""
    path = str(ws.blobs.path(p.blob))
    c = p.cleanup_facts
    if c is None:
        # rotation 0 in the workspace means "not decided": the page's own content decides
        return PageSource(dpi=p.dpi, rotation=p.rotation or None, label=p.source, path=path)
    if c.base_rotation:
        # cleanup measured the page after its recorded turn: OCR turns the file the same way first,
        # which the crop box (found on the turned page) needs; the decided turn follows.
        return PageSource(
            dpi=p.dpi,
            rotation=(c.base_rotation + c.rotation_deg) % 360,
            label=p.source,
            path=path,
            skew_deg=c.skew_deg,
        )
    return PageSource(
        dpi=p.dpi, rotation=c.rotation_deg, skew_deg=c.skew_deg, crop=c.crop, label=p.source, path=path
    )


def process_component(
    ws: Workspace,
    component: Component,
    settings: Settings,
    *,
    title: str = "",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Artifact:
    """OCR the component's pages into one searchable PDF/A and store it as its `ocr_pdf` artifact.
    A drawing's tiles are stitched into one sheet instead (its report kept in the artifact)."""
    pages = ws.pages(component.id)
    if not pages:
        raise NothingToProcess(name=component.name)
    dossier = ws.dossier_by_id(component.dossier_id)
    if component.kind == "drawing":
        from app.pipeline.drawings import process_drawing

        return process_drawing(ws, component, pages, settings, dossier, title, progress, cancel)
    pages = clean_pages(ws, pages, cancel=cancel)
    sources = [_page_source(ws, p) for p in pages]
    options = OcrOptions(
        lang=settings.ocr_languages,
        jobs=settings.ocr_jobs,
        page_timeout_s=settings.ocr_page_timeout_s,
        title=title or f"{dossier.code} - {component.name}",
        subject=dossier.procedure,
        keywords=f"{dossier.code}; {component.name}",
    )
    with tempfile.TemporaryDirectory(dir=ws.work_dir()) as tmp:
        out = Path(tmp) / "ocr.pdf"
        result = ocr_to_pdf(sources, out, options, progress=progress, cancel=cancel)
        art = ws.add_artifact(
            component.id,
            ArtifactKind.OCR_PDF,
            out,
            status=Status.PROCESSED,
            meta={"pages": result.pages, "lang": options.lang, "size": result.size_bytes},
        )
    ws.update_component_meta(component.id, review=_ocr_review(pages, result.page_reports) or None)
    return art


def _ocr_review(pages: Sequence[Page], reports) -> dict[str, dict]:
    """The pages a clerk should look at after OCR, by page id: text read with low confidence (a blurred,
    faint or upside-down scan) or not read at all (Tesseract failed or timed out on it)."""
    review = {}
    for rep in reports:
        page = pages[rep.page - 1]
        if rep.error:
            review[str(page.id)] = {"reason": "ocr_failed", "detail": rep.error}
        elif rep.kind != "kept" and rep.chars > 0 and rep.confidence < LOW_CONFIDENCE:
            review[str(page.id)] = {"reason": "low_confidence", "confidence": rep.confidence}
    return review
