"""The spine, composed: pages -> OCR'd PDF/A -> signed -> verified -> outbox -> target."""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.config import Settings
from app.credentials import portal_credentials
from app.signsetup import sign_options, trust_folders
from app.workspace import Artifact, Component, Page, Workspace
from common.errors import QT_TRANSLATE_NOOP, UserError
from common.progress import Progress
from ocr import OcrOptions, PageSource, ocr_to_pdf
from scanner import import_files, iter_files_pages
from signing import SignOptions, TokenSession, sign_pdfs, verify_pdf
from signing.verify import VerifyReport, load_trust_roots
from upload import FolderTarget, Outbox, UploadSummary, run_upload
from upload.portal import PortalConfig, PortalTarget, require_tls
from upload.runner import run_item_upload

log = logging.getLogger(__name__)


class PipelineError(UserError):
    context = "pipeline"
    template = QT_TRANSLATE_NOOP("pipeline", "{detail}")
    exit_code = 8


class NothingToProcess(PipelineError):
    template = QT_TRANSLATE_NOOP("pipeline", "Component {name} has no pages yet: scan or import them first.")


class NotProcessed(PipelineError):
    template = QT_TRANSLATE_NOOP("pipeline", "Component {name} has not been processed (OCR) yet.")


class NotVerified(PipelineError):
    template = QT_TRANSLATE_NOOP(
        "pipeline", "{name} was not queued: its signature check failed ({problems})."
    )


def work_dir(ws: Workspace) -> Path:
    path = ws.root / "work"
    path.mkdir(exist_ok=True)
    return path


def trust_dirs(ws: Workspace, settings: Settings, extra: Sequence[str] = ()) -> list[Path]:
    """Trust roots: bundled ones, the workspace's own folder, the admin's folders, and `extra`."""
    return trust_folders(ws.root, settings, extra)


def import_into(
    ws: Workspace,
    code: str,
    component_name: str,
    files: Sequence[str | Path],
    *,
    kind: str = "document",
    grid: tuple[int, int] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[Page]:
    """Read every page of `files` (all or nothing for a bad file) and add them to the component.
    A drawing's pages are the tiles of one sheet (or one large scan), in scan order: they are not
    cut, turned or straightened one by one; `grid` (rows, columns) says how they were scanned."""
    existed = ws.find_component(code, component_name) is not None
    component = ws.component(code, component_name, create=True, kind=kind)
    try:
        added = ws.add_pages(
            component.id, _page_rows(iter_files_pages(files, progress=progress, cancel=cancel))
        )
    except BaseException:
        if not existed and not ws.pages(component.id):  # a part made for this import alone goes again
            ws.delete_component(component.id)
        raise
    if component.kind == "drawing":
        if grid is not None:
            ws.update_component_meta(component.id, grid=list(grid))
        return added
    return clean_pages(ws, added, cancel=cancel)


def _page_rows(pages, source_prefix: str = "") -> Iterator[dict]:
    """Imported pages as `Workspace.add_pages` takes them, one at a time; the source says file and
    page number."""
    for p in pages:
        yield {
            "data": p.data,
            "fmt": p.fmt,
            "dpi": p.dpi,
            "width": p.width,
            "height": p.height,
            "rotation": p.rotation,
            "source": f"{source_prefix}{p.source}#{p.index + 1}",
        }


@dataclass
class StackImport:
    pages: dict[str, list[Page]]  # component name -> its new pages, in stack order
    separators: int
    applicant: dict | None  # from a chip ID card's QR, when the dossier had no applicant yet


def import_stack(
    ws: Workspace,
    code: str,
    first_component: str,
    files: Sequence[str | Path],
    *,
    kind: str = "document",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> StackImport:
    """A whole dossier fed as one stack: separator sheets (a SOHOA-TACH QR, optionally
    `SOHOA-TACH:<name>`) start the next component and are not kept; a chip ID card's QR fills the
    dossier's applicant when it has none."""
    from scanner.codes import read_codes, separator_name
    from scanner.importer import page_array

    dossier = ws.dossier(code)
    pages = import_files(files, progress=progress, cancel=cancel)
    groups: dict[str, list] = {first_component: []}
    current, separators, card = first_component, 0, None
    for p in pages:
        codes = read_codes(page_array(p), p.dpi)
        sep = next((c for c in codes if c.separator), None)
        if sep is not None:
            separators += 1
            current = separator_name(sep.text) or f"{first_component} ({separators + 1})"
            groups.setdefault(current, [])
            continue
        card = card or next((c.cccd for c in codes if c.cccd is not None), None)
        groups[current].append(p)
    added: dict[str, list[Page]] = {}
    for name, group in groups.items():
        if not group:
            continue
        component = ws.component(code, name, create=True, kind=kind)
        rows = ws.add_pages(component.id, _page_rows(group))
        added[name] = clean_pages(ws, rows, cancel=cancel)
    applicant = None
    if card is not None and not dossier.applicant_id:
        applicant = {"applicant_name": card.full_name, "applicant_id": card.id_number}
        ws.update_dossier(code, **applicant)
        ws.record("dossier.applicant_from_card", code, card.as_dict())
    return StackImport(added, separators, applicant)


def import_watched(ws: Workspace, code: str, component_name: str, path: Path, sha256: str) -> int:
    """Import one file from a watched folder, all its pages in one transaction, once per content:
    a file whose pages are already there (a run that stopped before moving it) is not added again."""
    tag = f"watch:{sha256[:20]}:"
    if ws.has_pages_from(tag):
        return 0
    component = ws.component(code, component_name, create=True)
    added = ws.add_pages(component.id, _page_rows(iter_files_pages([path]), tag))
    clean_pages(ws, added)
    return len(added)


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
            page = ws.set_page_cleanup(page.id, {**found.as_dict(), "base_rotation": page.rotation})
            make_thumbnail(ws, page, arr)
        out.append(page)
        report(progress, n + 1, len(pages))
    return out


class PageLocked(PipelineError):
    template = QT_TRANSLATE_NOOP(
        "pipeline", "{name} is already signed or sent: its pages cannot be changed any more."
    )


PAGE_EDITS = ("rotate_left", "rotate_right", "delete", "keep_as_scanned", "not_blank")


def edit_page(ws: Workspace, page_id: int, action: str, *, actor: str = "") -> Page | None:
    """A clerk's change to one page, kept beside the untouched original: turn it a quarter, take
    it out, keep it as scanned (no crop, no turn, no straightening), or say it is not blank. A
    component already processed goes back to captured (its PDF is made again); one already signed
    or sent is refused. Returns the page as it now is (None once deleted)."""
    if action not in PAGE_EDITS:
        raise ValueError(f"unknown page edit {action!r}")
    page = ws.page(page_id)
    comp = ws.component_by_id(page.component_id)
    if comp.status in ("signed", "queued", "uploaded", "purged"):
        raise PageLocked(name=comp.name)
    c = page.cleanup_dict
    if action == "delete":
        ws.delete_page(page_id, actor=actor)
        page = None
    elif action in ("rotate_left", "rotate_right"):
        turn = 90 if action == "rotate_right" else 270
        if c:  # the decided turn changes; the crop (found before any quarter turn) still holds
            page = ws.set_page_cleanup(
                page_id, {**c, "rotation_deg": (c.get("rotation_deg", 0) + turn) % 360}, actor=actor
            )
        else:
            page = ws.rotate_page(page_id, turn)
    elif action == "keep_as_scanned":
        w, h = (page.height, page.width) if page.rotation % 180 else (page.width, page.height)
        base = c or {"blank": False, "colour": False, "orientation_confidence": 1.0}
        page = ws.set_page_cleanup(
            page_id,
            {
                **base,
                "crop": [0, 0, w, h],
                "rotation_deg": 0,
                "skew_deg": 0.0,
                "orientation_source": "clerk",
                "base_rotation": page.rotation,
            },
            actor=actor,
        )
    elif action == "not_blank" and c:
        page = ws.set_page_cleanup(page_id, {**c, "blank": False}, actor=actor)
    if comp.status == "processed":
        ws.set_component_status(comp.id, "captured")
    if page is not None:
        make_thumbnail(ws, page)
    return page


def replace_page(ws: Workspace, page_id: int, file: str | Path, *, actor: str = "") -> Page:
    """A page scanned again (a drawing's part, the sheet shifted): the new scan takes the old one's
    place in the component, the old one is taken out (its image kept until nothing refers to it)."""
    old = ws.page(page_id)
    comp = ws.component_by_id(old.component_id)
    if comp.status in ("signed", "queued", "uploaded", "purged"):
        raise PageLocked(name=comp.name)
    dossier = ws.db["dossiers"].get(comp.dossier_id)["code"]
    (new,) = import_into(ws, dossier, comp.name, [file])[:1]
    new = ws.move_page(new.id, old.position, actor=actor)
    ws.delete_page(page_id, actor=actor)
    return ws.page(new.id)


@dataclass
class PendingWork:
    """What a crash or a power cut left: jobs begun and never ended, parts scanned but not
    processed, files on their way to the portal."""

    interrupted: list[str]  # the jobs' labels
    unprocessed: list[tuple[str, str]]  # (dossier code, component name)
    unsent: int  # outbox items stopped half way

    def __bool__(self) -> bool:
        return bool(self.interrupted or self.unsent)


def pending_work(ws: Workspace) -> PendingWork:
    from upload import Outbox

    rows = ws.db.execute(
        "SELECT subject, detail FROM events WHERE action = 'job.begin' AND json_extract(detail, '$.id') NOT IN "
        "(SELECT json_extract(detail, '$.id') FROM events WHERE action = 'job.end')"
    ).fetchall()
    interrupted = [subject for subject, _detail in rows]
    unprocessed = [
        (code, name)
        for code, name in ws.db.execute(
            "SELECT d.code, c.name FROM components c JOIN dossiers d ON d.id = c.dossier_id "
            "WHERE c.status = 'captured' ORDER BY d.code, c.position"
        ).fetchall()
    ]
    outbox = Outbox(ws.outbox_path)
    try:
        unsent = len(outbox.unfinished())
    finally:
        outbox.close()
    return PendingWork(interrupted, unprocessed, unsent)


def close_interrupted_jobs(ws: Workspace) -> None:
    """Mark the jobs a crash left as ended (their work is resumed, or let go, by the clerk)."""
    rows = ws.db.execute(
        "SELECT json_extract(detail, '$.id') FROM events WHERE action = 'job.begin' AND json_extract(detail, '$.id') "
        "NOT IN (SELECT json_extract(detail, '$.id') FROM events WHERE action = 'job.end')"
    ).fetchall()
    for (jid,) in rows:
        ws.record("job.end", "", {"id": jid, "outcome": "interrupted"})


def codes_from_file(path: str | Path):
    """(dossier code, chip ID card) read from the codes on a scanned receipt or card (either may be
    None): the receipt's barcode in the national dossier-code format, the card's QR."""
    from scanner.codes import dossier_code, read_codes
    from scanner.importer import iter_file_pages, page_array

    code, card = None, None
    for page in iter_file_pages(path):
        codes = read_codes(page_array(page), page.dpi)
        code = code or dossier_code(codes)
        card = card or next((c.cccd for c in codes if c.cccd is not None), None)
    return code, card


def _editable(comp: Component) -> None:
    if comp.status in ("signed", "queued", "uploaded", "purged"):
        raise PageLocked(name=comp.name)


def split_component(ws: Workspace, page_id: int, new_name: str, *, actor: str = "") -> Component:
    """This page and the ones after it become a new component of the same dossier (one stack
    scanned for two dossier parts)."""
    page = ws.page(page_id)
    comp = ws.component_by_id(page.component_id)
    _editable(comp)
    code = ws.db["dossiers"].get(comp.dossier_id)["code"]
    if ws.find_component(code, new_name) is not None:
        raise PipelineError(detail=f"{new_name} exists already: merge into it instead")
    target = ws.component(code, new_name, create=True, kind=comp.kind)
    moving = [p.id for p in ws.pages(comp.id) if p.position >= page.position]
    ws.move_pages_to(moving, target.id, actor=actor)
    return ws.component(code, new_name)


def merge_components(ws: Workspace, code: str, source: str, target: str, *, actor: str = "") -> Component:
    """All of `source`'s pages go after `target`'s, and `source` is taken out of the dossier."""
    src, dst = ws.component(code, source), ws.component(code, target)
    _editable(src)
    _editable(dst)
    ws.move_pages_to([p.id for p in ws.pages(src.id)], dst.id, actor=actor)
    ws.delete_component(src.id, actor=actor)
    return ws.component(code, target)


THUMB_PX = 220
LOW_CONFIDENCE = 60.0  # Tesseract's mean word confidence (0-100) below which a page is checked


def thumbnail_path(ws: Workspace, page: Page) -> Path:
    """Where a page's small preview is kept (it changes when the page's turn does)."""
    c = page.cleanup_dict or {}
    turn = (
        (page.rotation + (c.get("rotation_deg") or 0)) % 360
        if c.get("base_rotation") is not None
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
    c = page.cleanup_dict or {}
    if c.get("rotation_deg"):
        arr = np.rot90(arr, k=-int(c["rotation_deg"]) // 90)
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


def scan_into(
    ws: Workspace,
    code: str,
    component_name: str,
    device: str,
    profile,
    *,
    kind: str = "document",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[Page]:
    """Scan with `device` and add each page to the component as it arrives (a crash or a jammed
    feeder keeps what was scanned); progress counts the pages so far."""
    from scanner.sane import scan

    out_dir = work_dir(ws) / "scans"
    added: list[Page] = []
    for page in scan(device, profile, out_dir, cancel=cancel):
        added += import_into(ws, code, component_name, [page.path], kind=kind, cancel=cancel)
        with contextlib.suppress(OSError):
            Path(page.path).unlink()  # the workspace has its own copy now
        if progress is not None:
            progress(len(added), 0)
    return added


def _page_source(ws: Workspace, p: Page) -> PageSource:
    """What OCR needs for a page: its file, and the cleanup recorded for it (if any)."""
    path = str(ws.blobs.path(p.blob))
    c = p.cleanup_dict
    if not c:
        # rotation 0 in the workspace means "not decided": the page's own content decides
        return PageSource(dpi=p.dpi, rotation=p.rotation or None, label=p.source, path=path)
    if c.get("base_rotation"):
        # cleanup measured the page after its recorded turn: OCR turns the file the same way first,
        # which the crop box (found on the turned page) needs; the decided turn follows.
        return PageSource(
            dpi=p.dpi,
            rotation=(c["base_rotation"] + c["rotation_deg"]) % 360,
            label=p.source,
            path=path,
            skew_deg=c["skew_deg"],
        )
    return PageSource(
        dpi=p.dpi,
        rotation=c["rotation_deg"],
        skew_deg=c["skew_deg"],
        crop=tuple(c["crop"]) if c.get("crop") else None,
        label=p.source,
        path=path,
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
    dossier = ws.db["dossiers"].get(component.dossier_id)
    if component.kind == "drawing":
        return _process_drawing(ws, component, pages, settings, dossier, title, progress, cancel)
    pages = clean_pages(ws, pages, cancel=cancel)
    sources = [_page_source(ws, p) for p in pages]
    options = OcrOptions(
        lang=settings.ocr_languages,
        jobs=settings.ocr_jobs,
        page_timeout_s=settings.ocr_page_timeout_s,
        title=title or f"{dossier['code']} - {component.name}",
        subject=dossier["procedure"],
        keywords=f"{dossier['code']}; {component.name}",
    )
    with tempfile.TemporaryDirectory(dir=work_dir(ws)) as tmp:
        out = Path(tmp) / "ocr.pdf"
        result = ocr_to_pdf(sources, out, options, progress=progress, cancel=cancel)
        art = ws.add_artifact(
            component.id,
            "ocr_pdf",
            out,
            status="processed",
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


@dataclass(frozen=True)
class Flagged:
    """A page the clerk should check, and why: `blank` (cleanup found nothing on it), `low_confidence`
    (OCR's mean word confidence below LOW_CONFIDENCE, given in `confidence`) or `ocr_failed`."""

    page: Page
    position: int
    reasons: tuple[str, ...]
    confidence: float | None = None


def flagged_pages(ws: Workspace, component: Component) -> list[Flagged]:
    """The component's pages to check, in page order."""
    review = component.meta_dict.get("review") or {}
    out = []
    for n, page in enumerate(ws.pages(component.id)):
        reasons = []
        if (page.cleanup_dict or {}).get("blank"):
            reasons.append("blank")
        entry = review.get(str(page.id))
        if entry:
            reasons.append(entry["reason"])
        if reasons:
            out.append(Flagged(page, n, tuple(reasons), (entry or {}).get("confidence")))
    return out


def mark_reviewed(ws: Workspace, page_id: int, *, actor: str = "") -> None:
    """The clerk looked at a flagged page and keeps it as it is: the flags are lifted (a blank flag
    too: the page stays in the file)."""
    page = ws.page(page_id)
    component = ws.component_by_id(page.component_id)
    review = dict(component.meta_dict.get("review") or {})
    review.pop(str(page_id), None)
    ws.update_component_meta(component.id, review=review or None)
    if (page.cleanup_dict or {}).get("blank"):
        ws.set_page_cleanup(page_id, {**page.cleanup_dict, "blank": False}, actor=actor)
    ws.record("page.reviewed", str(page_id), {"component": component.name}, actor)


def _process_drawing(ws, component, pages, settings, dossier, title, progress, cancel) -> Artifact:
    """The tiles (the stored originals, in scan order) stitched into one sheet PDF; one page alone
    (a large-format scan) compressed the same way."""
    from app.drawings import stitch_drawing

    grid = component.meta_dict.get("grid")
    with tempfile.TemporaryDirectory(dir=work_dir(ws)) as tmp:
        tiles = [str(ws.blobs.path(page.blob)) for page in pages]  # the stored originals, in scan order
        out = Path(tmp) / "sheet.pdf"
        report = stitch_drawing(
            tiles,
            out,
            grid=tuple(grid) if grid else None,
            lang=settings.ocr_languages,
            title=title or f"{dossier['code']} - {component.name}",
            progress=progress,
            cancel=cancel,
        )
        summary = {
            "verdict": report["verdict"],
            "rescan_tiles": report["rescan_tiles"],
            "dpi": report["dpi"],
            "tiles": [{k: t.get(k) for k in ("placed", "matrix", "size")} for t in report["tiles"]],
            "seams": [
                {k: s[k] for k in ("tiles", "residual_px", "confirmed", "reason")} for s in report["seams"]
            ],
        }
        ws.update_component_meta(component.id, stitch=summary)
        sheet = report["sheet"]
        return ws.add_artifact(
            component.id,
            "ocr_pdf",
            out,
            status="processed",
            meta={
                "pages": 1,
                "lang": settings.ocr_languages,
                "size": sheet["size_bytes"],
                "sheet_mm": [sheet["width_mm"], sheet["height_mm"]],
                "verdict": report["verdict"],
            },
        )


@dataclass
class SignedPart:
    component: Component
    artifact: Artifact
    report: VerifyReport
    outbox_id: int
    newly_queued: bool


def sign_components(
    ws: Workspace,
    components: Sequence[Component],
    token: TokenSession,
    settings: Settings,
    *,
    cert_label: str | None = None,
    options: SignOptions | None = None,
    trust: Sequence[str] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[SignedPart]:
    """Sign each component's PDF with a logged-in token, verify it, record it, and queue it."""
    options = options or sign_options(settings)
    roots = load_trust_roots(trust_dirs(ws, settings, trust))
    inputs = []
    for comp in components:
        art = ws.latest_artifact(comp.id, "signed_pdf") or ws.latest_artifact(comp.id, "ocr_pdf")
        if art is None:
            raise NotProcessed(name=comp.name)
        inputs.append((comp, art))
    parts: list[SignedPart] = []
    outbox = Outbox(ws.outbox_path)
    try:
        with tempfile.TemporaryDirectory(dir=work_dir(ws)) as tmp:
            by_output = {Path(tmp) / f"{c.id}.pdf": c for c, _ in inputs}
            pairs = [(ws.blobs.path(a.blob), Path(tmp) / f"{c.id}.pdf") for c, a in inputs]

            def keep(result) -> None:
                # Each file is verified, recorded and queued as soon as it is signed: if the token
                # is pulled out at the next file, what was signed stays signed and queued.
                comp = by_output[result.output]
                report = verify_pdf(result.output, roots)
                if not report.ok:
                    problems = "; ".join(p for s in report.signatures for p in s.problems) or "no signature"
                    raise NotVerified(name=comp.name, problems=problems)
                art = ws.add_artifact(
                    comp.id,
                    "signed_pdf",
                    result.output,
                    status="signed",
                    meta={"signer": result.signer, "field": result.field, "role": options.role},
                )
                parts.append(_queue(ws, outbox, comp, art, report, result.signer))

            sign_pdfs(
                token,
                cert_label,
                pairs,
                options,
                trust_roots=roots,
                progress=progress,
                cancel=cancel,
                on_signed=keep,
            )
    finally:
        outbox.close()
    return parts


def _queue(
    ws: Workspace, outbox: Outbox, comp: Component, art: Artifact, report: VerifyReport, signer: str
) -> SignedPart:
    dossier = ws.db["dossiers"].get(comp.dossier_id)
    filename = f"{dossier['code']} - {comp.name}.pdf"
    item, created = outbox.enqueue(
        ws.blobs.path(art.blob),
        dossier=dossier["code"],
        component=comp.name,
        signer=signer,
        filename=filename,
    )
    ws.set_component_status(comp.id, "queued")
    ws.record("outbox.queue", str(comp.id), {"item": item.id, "sha256": item.sha256, "new": created})
    return SignedPart(comp, art, report, item.id, created)


def queue_file(
    ws: Workspace,
    path: Path,
    *,
    code: str,
    component_name: str,
    settings: Settings,
    trust: Sequence[str] = (),
) -> tuple[int, bool, VerifyReport]:
    """Queue an already-signed file for a dossier component, after verifying it."""
    roots = load_trust_roots(trust_dirs(ws, settings, trust))
    report = verify_pdf(path, roots)
    if not report.ok:
        problems = "; ".join(p for s in report.signatures for p in s.problems) or "no signature"
        raise NotVerified(name=path.name, problems=problems)
    ws.dossier(code)
    comp = ws.component(code, component_name, create=True)
    art = ws.add_artifact(
        comp.id,
        "signed_pdf",
        path,
        status="signed",
        meta={"signer": report.signatures[-1].signer, "imported": path.name},
    )
    outbox = Outbox(ws.outbox_path)
    try:
        part = _queue(ws, outbox, comp, art, report, report.signatures[-1].signer)
    finally:
        outbox.close()
    return part.outbox_id, part.newly_queued, report


def mark_sent(ws: Workspace, code: str, name: str, sha256: str) -> None:
    """The target confirmed a part's file: the part is sent when that file is its latest signed one
    (a part signed again since waits for its newer file); the dossier is sent with its last part."""
    comp = ws.find_component(code, name)
    if comp is None or comp.status != "queued":
        return
    latest = ws.latest_artifact(comp.id, "signed_pdf")
    if latest is None or latest.blob != sha256:
        return
    ws.set_component_status(comp.id, "uploaded")
    parts = [c for c in ws.components(code) if c.status != "empty"]
    if parts and all(c.status in ("uploaded", "purged") for c in parts):
        ws.update_dossier(code, status="uploaded")


def default_upload_folder(ws: Workspace, settings: Settings) -> Path:
    return Path(settings.upload_folder) if settings.upload_folder else ws.root / "delivered"


def purge_expired(ws: Workspace, settings: Settings, outbox: Outbox) -> list[int]:
    """Retention: delete the local copies of parts the target confirmed `retention_days` ago.

    A component still waiting to send a newer version keeps its files. Every purge is an event.
    """
    purged = []
    waiting = {
        (i.dossier, i.component) for i in outbox.items() if i.state in ("queued", "uploading", "uploaded")
    }
    for item in outbox.purgeable(settings.retention_days):
        if (item.dossier, item.component) in waiting:
            continue
        comp = ws.find_component(item.dossier, item.component)
        if comp is not None and comp.status != "purged":
            reason = f"delivered {item.confirmed_at}; retention {settings.retention_days} days"
            ws.purge_component(comp.id, reason=reason)
        outbox.mark_purged(item.id)
        purged.append(item.id)
    ws.delete_unreferenced()
    return purged


def portal_target(settings: Settings, url: str) -> PortalTarget:
    require_tls(url)  # before the credentials are even read
    client_id, secret = portal_credentials(settings)
    mb = 1024 * 1024
    config = PortalConfig(
        url=url,
        client_id=client_id,
        client_secret=secret,
        ca_bundle=settings.portal_ca_bundle or None,
        chunk_size=settings.upload_chunk_mb * mb,
        max_file_bytes=settings.upload_max_file_mb * mb or None,
        max_bytes_per_s=settings.upload_max_kbps * 1024 or None,
    )
    return PortalTarget(config)


def upload_due(
    ws: Workspace,
    settings: Settings,
    *,
    folder: str | None = None,
    portal: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    on_status=None,
    pause: threading.Event | None = None,
) -> UploadSummary:
    """Send everything due to the folder target (the default) or the portal, then purge old copies."""
    outbox = Outbox(ws.outbox_path)
    try:
        if portal or (settings.portal_url and not folder):
            target = portal_target(settings, portal or settings.portal_url)
            try:
                summary = run_item_upload(
                    outbox,
                    target,
                    parallel=settings.upload_parallel,
                    progress=progress,
                    cancel=cancel,
                    on_status=on_status,
                    pause=pause,
                )
            finally:
                target.close()
        else:
            target = FolderTarget(folder or default_upload_folder(ws, settings))
            summary = run_upload(outbox, target, progress=progress, cancel=cancel)
        for item in outbox.items("confirmed"):
            if item.id in summary.delivered or item.id in summary.recovered:
                ws.record(
                    "outbox.delivered",
                    item.dossier,
                    {
                        "item": item.id,
                        "component": item.component,
                        "sha256": item.sha256,
                        "target": target.describe(),
                    },
                )
                mark_sent(ws, item.dossier, item.component, item.sha256)
        summary.purged = purge_expired(ws, settings, outbox)
    finally:
        outbox.close()
    return summary
