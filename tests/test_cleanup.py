"""Cleanup on generated scans: paper found inside dark borders, upright, straight, blank and colour."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from common.imageops import analyse
from scanner.cleanup import analyse_page, apply, is_blank
from tests.conftest import run_json
from tests.fixtures import font, save_png, vietnamese_page

DPI = 200


def _text_page() -> np.ndarray:
    return np.array(vietnamese_page(dpi=DPI, height_in=6.0))


def _on_scanner_bed(page: np.ndarray, *, angle: float = 0.0, border: int = 90) -> np.ndarray:
    """The page tilted by `angle` degrees on a black scanner bed `border` pixels wide."""
    h, w = page.shape[:2]
    bed = np.full((h + 2 * border, w + 2 * border), 25, np.uint8)
    bed[border : border + h, border : border + w] = page
    if angle:
        m = cv2.getRotationMatrix2D((bed.shape[1] / 2, bed.shape[0] / 2), angle, 1.0)
        bed = cv2.warpAffine(bed, m, (bed.shape[1], bed.shape[0]), borderValue=25)
    return bed


def test_dark_scanner_border_is_cropped_and_tilt_straightened():
    page = _text_page()
    scan = _on_scanner_bed(page, angle=1.2)
    found = analyse_page(scan, DPI, osd=False)
    left, top, _right, _bottom = found.crop
    assert 60 <= left <= 130 and 60 <= top <= 130  # the bed is gone, the paper kept
    assert abs(abs(found.skew_deg) - 1.2) < 0.15 and found.rotation_deg == 0
    cleaned = apply(scan, found)
    assert (cleaned[:5] < 60).mean() < 0.3  # no black band left along the top
    assert abs(analyse(cleaned, DPI).skew_deg) < 0.15  # straight now


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_pages_come_out_upright(turn):
    page = _text_page()
    turned = np.ascontiguousarray(np.rot90(page, k=turn // 90))  # counter-clockwise by `turn`
    found = analyse_page(turned, DPI)
    assert found.rotation_deg == turn and not found.blank


def _blank_back(seed: int = 1) -> np.ndarray:
    """The empty back of a duplex scan: paper texture, dust, faint show-through of the front."""
    rng = np.random.default_rng(seed)
    page = np.clip(rng.normal(238, 4, (int(11.69 * DPI), int(8.27 * DPI))), 0, 255).astype(np.uint8)
    front = np.fliplr(np.array(vietnamese_page(dpi=DPI, height_in=11.69)))
    page = np.minimum(page, (255 - (255 - front) * 0.12).astype(np.uint8))  # show-through
    for _ in range(40):  # dust
        y, x = rng.integers(50, page.shape[0] - 50), rng.integers(50, page.shape[1] - 50)
        page[y : y + 2, x : x + 2] = 90
    return page


def test_blank_back_is_flagged_but_a_page_number_or_a_stamp_is_not():
    back = _blank_back()
    assert is_blank(back, DPI) and analyse_page(back, DPI).blank
    numbered = Image.fromarray(back.copy())
    ImageDraw.Draw(numbered).text((800, 2200), "3", fill=40, font=font(int(DPI * 0.14)))
    assert not is_blank(np.array(numbered), DPI)
    stamped = np.stack([back] * 3, axis=2).copy()
    cv2.circle(stamped, (1100, 1500), 120, (200, 30, 40), 6)  # a red seal, nothing else
    found = analyse_page(stamped, DPI)
    assert not found.blank and found.colour


def test_colour_is_found_on_a_signature_not_on_black_text():
    page = np.array(vietnamese_page(dpi=DPI, height_in=6.0, mode="RGB"))
    assert not analyse_page(page, DPI, osd=False).colour
    signed = page.copy()
    pts = np.array([[900 + 6 * i, 1000 + int(25 * np.sin(i / 4))] for i in range(60)], np.int32)
    cv2.polylines(signed, [pts], False, (30, 60, 190), 3)  # a blue signature
    assert analyse_page(signed, DPI, osd=False).colour


def test_cleanup_command_reports_each_page(tmp_path, sohoa_home):
    scan = save_png(
        Image.fromarray(_on_scanner_bed(_text_page(), angle=-0.8)), tmp_path / "scan.png", dpi=DPI
    )
    back = save_png(Image.fromarray(_blank_back()), tmp_path / "back.png", dpi=DPI)
    data = run_json("cleanup", str(scan), str(back), "--out-dir", str(tmp_path / "out"))
    first, second = data["pages"]
    assert set(first) >= {"skew_deg", "rotation_deg", "blank", "colour", "crop", "output"}
    assert abs(abs(first["skew_deg"]) - 0.8) < 0.15 and first["rotation_deg"] == 0 and not first["blank"]
    assert second["blank"] is True and second["colour"] is False
    with Image.open(first["output"]) as im:
        assert round(im.info["dpi"][0]) == DPI and im.width < Image.open(scan).width


def test_dossier_pages_keep_their_original_and_a_cleanup_that_can_be_undone(tmp_path, sohoa_home):
    import pikepdf

    from app import pipeline
    from app.config import Settings
    from app.workspace import Workspace

    scan = save_png(Image.fromarray(_on_scanner_bed(_text_page(), angle=1.0)), tmp_path / "scan.png", dpi=DPI)
    with Workspace(sohoa_home) as ws:
        ws.create_dossier("HS-CLEAN")
        (page,) = pipeline.import_into(ws, "HS-CLEAN", "Đơn", [scan])
        c = page.cleanup_dict
        assert c["crop"][0] > 50 and abs(abs(c["skew_deg"]) - 1.0) < 0.15 and not c["blank"]
        assert ws.blobs.path(page.blob).read_bytes() == scan.read_bytes()  # the original, untouched
        comp = ws.component("HS-CLEAN", "Đơn")
        art = pipeline.process_component(ws, comp, Settings(ocr_jobs=1))
        with pikepdf.open(ws.blobs.path(art.blob)) as pdf:
            cleaned_w = float(pdf.pages[0].mediabox[2])
        # the clerk undoes the crop and the straightening: recorded as not done
        ws.set_page_cleanup(page.id, {"crop": [0, 0, 10**6, 10**6], "rotation_deg": 0, "skew_deg": 0.0})
        art = pipeline.process_component(ws, comp, Settings(ocr_jobs=1))
        with pikepdf.open(ws.blobs.path(art.blob)) as pdf:
            full_w = float(pdf.pages[0].mediabox[2])
        bed_w = Image.open(scan).width / DPI * 72
        assert abs(full_w - bed_w) < 2 and cleaned_w < full_w - 40  # the scanner bed was cut away
        assert [e["action"] for e in ws.events() if e["action"] == "page.cleanup"]
