"""Pages to check after capture and OCR: blank ones, and ones Tesseract could hardly read."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from tests.conftest import run_json
from tests.fixtures import save_png, vietnamese_page

DPI = 200


def degraded_page(seed: int = 3) -> Image.Image:
    """The same text, out of focus and grainy: a careless phone photo or a dirty scanner glass."""
    page = vietnamese_page(dpi=DPI).filter(ImageFilter.GaussianBlur(2.2))
    noise = np.random.default_rng(seed).normal(0, 60, (page.height, page.width))
    return Image.fromarray(np.clip(np.asarray(page, float) + noise, 0, 255).astype(np.uint8))


def test_low_confidence_and_blank_pages_are_flagged_until_the_clerk_checks_them(tmp_path, sohoa_home):
    from app import pipeline
    from app.config import Settings
    from app.workspace import Workspace

    clean = save_png(vietnamese_page(dpi=DPI), tmp_path / "1.png", DPI)
    poor = save_png(degraded_page(), tmp_path / "2.png", DPI)
    blank = save_png(Image.new("L", (1654, 1000), 250), tmp_path / "3.png", DPI)
    with Workspace(sohoa_home) as ws:
        ws.create_dossier("HS-REVIEW")
        pages = pipeline.import_into(ws, "HS-REVIEW", "Đơn", [clean, poor, blank])
        comp = ws.component("HS-REVIEW", "Đơn")
        assert [f.reasons for f in pipeline.flagged_pages(ws, comp)] == [("blank",)]  # before OCR
        pipeline.process_component(ws, comp, Settings(ocr_jobs=2))
        comp = ws.component("HS-REVIEW", "Đơn")
        flagged = pipeline.flagged_pages(ws, comp)
        assert [(f.position, f.reasons) for f in flagged] == [(1, ("low_confidence",)), (2, ("blank",))]
        assert flagged[0].confidence < pipeline.LOW_CONFIDENCE

    shown = run_json("dossier", "show", "HS-REVIEW")["components"][0]["review"]
    assert [(r["page"], r["reasons"]) for r in shown] == [(2, ["low_confidence"]), (3, ["blank"])]

    with Workspace(sohoa_home) as ws:
        pipeline.mark_reviewed(ws, pages[1].id, actor="clerk")
        pipeline.mark_reviewed(ws, pages[2].id, actor="clerk")
        comp = ws.component("HS-REVIEW", "Đơn")
        assert pipeline.flagged_pages(ws, comp) == []
        assert comp.status == "processed"  # looking at a page changes nothing in the file
        assert [e["subject"] for e in ws.events() if e["action"] == "page.reviewed"] == [
            str(pages[2].id),
            str(pages[1].id),
        ]
        # a poor page scanned again is judged again when the part is processed again
        new = pipeline.replace_page(ws, pages[1].id, poor, actor="clerk")
        pipeline.process_component(ws, ws.component("HS-REVIEW", "Đơn"), Settings(ocr_jobs=2))
        flagged = pipeline.flagged_pages(ws, ws.component("HS-REVIEW", "Đơn"))
        assert [(f.page.id, f.reasons) for f in flagged] == [(new.id, ("low_confidence",))]
