"""Pages into the workspace: imported files, a stack with separator sheets, a watched folder, a scanner."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.config import Settings
from app.pipeline.cleanup import clean_pages
from app.workspace import Page, Workspace
from common.progress import Progress
from scanner import import_files, iter_files_pages
from scanner.driver import ScanFailed


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
    from scanner.driver import scan

    out_dir = ws.work_dir() / "scans"
    added: list[Page] = []
    for page in scan(device, profile, out_dir, cancel=cancel):
        added += import_into(ws, code, component_name, [page.path], kind=kind, cancel=cancel)
        with contextlib.suppress(OSError):
            Path(page.path).unlink()  # the workspace has its own copy now
        if progress is not None:
            progress(len(added), 0)
    return added


def watch_folder(
    ws: Workspace,
    code: str,
    component_name: str,
    folder: str | Path,
    *,
    stable_s: float = 2.0,
    once: bool = False,
    cancel: threading.Event | None = None,
) -> Iterator:
    """Import what a copier's "scan to folder" drops into `folder`: each file once it has stayed
    unchanged for `stable_s`, all its pages at once, never twice (the ledger beside the workspace
    remembers); each file's outcome (scanner.watch) as it is handled. Runs until `cancel` is set, or
    once over what is there now."""
    import time

    from scanner.watch import FolderWatcher

    ws.dossier(code)  # a clear message now if the dossier does not exist
    watcher = FolderWatcher(folder, ws.root / "watch-ledger.sqlite", stable_s=stable_s)

    def handler(path, sha, _retry) -> None:
        import_watched(ws, code, component_name, path, sha)

    try:
        while cancel is None or not cancel.is_set():
            watcher.ready()
            if cancel is not None:
                cancel.wait(stable_s + 0.1)
            else:
                time.sleep(stable_s + 0.1)
            yield from watcher.process(handler)
            if once:
                break
    finally:
        watcher.close()


def saved_scanner(settings: Settings):
    """The scanner the settings name, looked for by the backend that found it (and found again by
    make and model if the backend renamed it), or the first one any backend sees when none is saved."""
    from scanner.driver import find_device, get_driver

    if not settings.scan_device:
        return find_device(None)
    vendor, _, model = settings.scan_device_label.partition("\t")
    devices = get_driver(settings.scan_backend).devices()
    return find_device(settings.scan_device, vendor=vendor, model=model, devices=devices)


def scan_one_page(
    settings: Settings,
    out_dir: Path,
    *,
    device: str | None = None,
    mode: str | None = None,
    page_size: str | None = "A4",
    cancel: threading.Event | None = None,
) -> Path:
    """One page from the glass with the saved profile (a page scanned again, a drawing's part)."""
    from scanner.driver import ScanProfile, scan

    target = device or saved_scanner(settings)  # a saved scanner is scanned by the backend that found it
    name = target if isinstance(target, str) else target.name
    profile = ScanProfile(
        resolution=settings.scan_resolution,
        mode=mode or settings.scan_mode,
        source="flatbed",
        page_size=page_size,
        pages=1,
    )
    scans = list(scan(target, profile, out_dir, cancel=cancel, backend=settings.scan_backend))
    if not scans:
        raise ScanFailed(name=name, detail="the scanner gave no page")
    return Path(scans[-1].path)
