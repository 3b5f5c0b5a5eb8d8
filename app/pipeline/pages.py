"""A clerk's changes to pages and parts: turn, delete, keep as scanned, scan again, split, merge, check."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from app.pipeline.capture import import_into
from app.pipeline.cleanup import make_thumbnail
from app.pipeline.errors import PageLocked, PipelineError
from app.workspace import Component, Page, PageCleanup, Status, Workspace

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
    _editable(comp)
    c = page.cleanup_facts
    if action == "delete":
        ws.delete_page(page_id, actor=actor)
        page = None
    elif action in ("rotate_left", "rotate_right"):
        turn = 90 if action == "rotate_right" else 270
        if c:  # the decided turn changes; the crop (found before any quarter turn) still holds
            page = ws.set_page_cleanup(
                page_id, replace(c, rotation_deg=(c.rotation_deg + turn) % 360), actor=actor
            )
        else:
            page = ws.rotate_page(page_id, turn)
    elif action == "keep_as_scanned":
        w, h = (page.height, page.width) if page.rotation % 180 else (page.width, page.height)
        kept = replace(
            c or PageCleanup(),
            crop=(0, 0, w, h),
            rotation_deg=0,
            skew_deg=0.0,
            orientation_source="clerk",
            base_rotation=page.rotation,
        )
        page = ws.set_page_cleanup(page_id, kept, actor=actor)
    elif action == "not_blank" and c:
        page = ws.set_page_cleanup(page_id, replace(c, blank=False), actor=actor)
    if comp.status == Status.PROCESSED:
        ws.set_component_status(comp.id, Status.CAPTURED)
    if page is not None:
        make_thumbnail(ws, page)
    return page


def replace_page(ws: Workspace, page_id: int, file: str | Path, *, actor: str = "") -> Page:
    """A page scanned again (a drawing's part, the sheet shifted): the new scan takes the old one's
    place in the component, the old one is taken out (its image kept until nothing refers to it)."""
    old = ws.page(page_id)
    comp = ws.component_by_id(old.component_id)
    _editable(comp)
    dossier = ws.dossier_by_id(comp.dossier_id).code
    (new,) = import_into(ws, dossier, comp.name, [file])[:1]
    new = ws.move_page(new.id, old.position, actor=actor)
    ws.delete_page(page_id, actor=actor)
    return ws.page(new.id)


def _editable(comp: Component) -> None:
    if not comp.status.editable:
        raise PageLocked(name=comp.name)


def split_component(ws: Workspace, page_id: int, new_name: str, *, actor: str = "") -> Component:
    """This page and the ones after it become a new component of the same dossier (one stack
    scanned for two dossier parts)."""
    page = ws.page(page_id)
    comp = ws.component_by_id(page.component_id)
    _editable(comp)
    code = ws.dossier_by_id(comp.dossier_id).code
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
        if page.cleanup_facts is not None and page.cleanup_facts.blank:
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
    if page.cleanup_facts is not None and page.cleanup_facts.blank:
        ws.set_page_cleanup(page_id, replace(page.cleanup_facts, blank=False), actor=actor)
    ws.record("page.reviewed", str(page_id), {"component": component.name}, actor)


def reorder_pages(ws: Workspace, code: str, name: str, order: list[int], *, actor: str = "") -> None:
    """The part's pages in this order (every page once); a processed part is to be made again."""
    comp = ws.component(code, name)
    _editable(comp)
    ws.reorder_pages(comp.id, order, actor=actor)
    if comp.status == Status.PROCESSED:
        ws.set_component_status(comp.id, Status.CAPTURED)
