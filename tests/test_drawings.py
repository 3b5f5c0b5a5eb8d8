"""A drawing scanned in overlapping tiles made into one sheet: PDF at true size with lossless line
work, colour kept, the title block searchable, lid shadows gone; large TIFFs read in bands."""

from __future__ import annotations

import subprocess
import unicodedata

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.fixtures import font

DPI = 200
SHEET_W, SHEET_H = 2600, 1800  # 330 x 229 mm at 200 dpi


def _sheet(seed: int = 3) -> tuple[np.ndarray, dict]:
    """An RGB floor plan: walls, thin lines, rooms' text, a red seal, a title block in Vietnamese."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (SHEET_W, SHEET_H), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, SHEET_W - 20, SHEET_H - 20), outline="black", width=4)
    small = font(22)
    for k in range(40):
        x, y = int(rng.integers(60, SHEET_W - 700)), int(rng.integers(60, SHEET_H - 500))
        w, h = int(rng.integers(90, 300)), int(rng.integers(90, 300))
        draw.rectangle((x, y, x + w, y + h), outline="black", width=int(rng.integers(2, 5)))
        draw.line((x + 10, y + h // 2, x + w // 2, y + h // 2 - 30), fill="black", width=1)
        draw.text((x + 12, y + 12), f"P.{k + 1} {rng.integers(9, 40)} m²", font=small, fill="black")
    # one long 1-pixel line right across the sheet (it crosses both vertical seams' overlaps)
    line_y = 1240
    draw.line((40, line_y, SHEET_W - 40, line_y), fill="black", width=1)
    # a solid black square (a filled column), wider than any shadow correction may swallow
    draw.rectangle((700, 1500, 800, 1600), fill="black")
    # a red seal, away from the title block
    cx, cy = 2050, 330
    draw.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), outline=(205, 25, 30), width=7)
    draw.text((cx - 70, cy - 15), "ĐÃ DUYỆT", font=font(30), fill=(205, 25, 30))
    # title block, bottom right (as drawing standards place it)
    x0, y0 = SHEET_W - 900, SHEET_H - 330
    draw.rectangle((x0, y0, SHEET_W - 40, SHEET_H - 40), outline="black", width=5)
    draw.line((x0, y0 + 120, SHEET_W - 40, y0 + 120), fill="black", width=2)
    big = font(44)
    draw.text((x0 + 30, y0 + 35), "BẢN VẼ MẶT BẰNG TẦNG 1", font=big, fill="black")
    draw.text((x0 + 30, y0 + 160), "Số bản vẽ: KT-07", font=big, fill="black")
    return np.asarray(img), {"line_y": line_y, "seal": (cx, cy), "solid": (750, 1550)}


def _scan(sheet: np.ndarray, grid=(2, 2), overlap: float = 0.25, seed: int = 9):
    """Overlapping RGB scans: each turned and shifted a little, its own gamma and gain, a lid
    shadow along one edge, tinted paper, blur and noise. Returns tiles and their sheet->tile maps."""
    rng = np.random.default_rng(seed)
    h, w = sheet.shape[:2]
    rows, cols = grid
    tw = int(w / (cols - (cols - 1) * overlap))
    th = int(h / (rows - (rows - 1) * overlap))
    tiles, truth = [], []
    edges = ["left", "right", "top", "bottom"]
    for r in range(rows):
        for c in range(cols):
            x0 = (w - tw) * c / max(1, cols - 1)
            y0 = (h - th) * r / max(1, rows - 1)
            m = cv2.getRotationMatrix2D((tw / 2, th / 2), float(rng.uniform(-1.5, 1.5)), 1.0)
            m[:, 2] -= m[:, :2] @ np.array([x0, y0])
            m[:, 2] += rng.uniform(-8, 8, 2)
            tile = cv2.warpAffine(sheet, m, (tw, th), flags=cv2.INTER_LINEAR, borderValue=(228, 228, 228))
            f = cv2.GaussianBlur(tile, (0, 0), 0.7).astype(np.float32) / 255.0
            f = np.power(f, rng.uniform(0.8, 1.2)) * rng.uniform(0.88, 1.0)
            edge = edges[(r * cols + c) % 4]
            d = np.arange(tw if edge in ("left", "right") else th, dtype=np.float32)
            prof = 1 - 0.4 * np.exp(-(d if edge in ("left", "top") else d[::-1]) / 70.0)
            f *= prof[None, :, None] if edge in ("left", "right") else prof[:, None, None]
            f *= np.array([1.0, 0.98, 0.94], np.float32)  # warm paper
            f = f * 255 + rng.normal(0, 2.5, f.shape)
            tiles.append(np.clip(f, 0, 255).astype(np.uint8))
            truth.append(m)
    return tiles, truth


@pytest.fixture(scope="module")
def drawing(tmp_path_factory):
    sheet, facts = _sheet()
    tiles, truth = _scan(sheet)
    folder = tmp_path_factory.mktemp("drawing")
    paths = []
    for n, t in enumerate(tiles):
        p = folder / f"tile-{n + 1}.png"
        Image.fromarray(t).save(p, dpi=(DPI, DPI))
        paths.append(str(p))
    return {"sheet": sheet, "tiles": tiles, "truth": truth, "paths": paths, "folder": folder, **facts}


def _sheet_to_output(data: dict, truth) -> np.ndarray:
    """The sheet -> output map from the report (tile 0's placement after its true scan map)."""
    t0 = np.vstack([np.array(data["tiles"][0]["matrix"]), [0, 0, 1]])
    return (t0 @ np.vstack([truth[0], [0, 0, 1]]))[:2]


def test_sheet_pdf_true_size_lossless_lines_colour_and_title_block(drawing, tmp_path, sohoa_home):
    import pikepdf
    import pypdfium2 as pdfium

    from common.pdfa import check_pdfa
    from tests.conftest import run_json

    out = tmp_path / "sheet.pdf"
    data = run_json("stitch", *drawing["paths"], "-o", str(out), "--grid", "2x2")
    assert data["verdict"] == "ok" and all(t["placed"] for t in data["tiles"]), data
    neighbours = {(0, 1), (0, 2), (1, 3), (2, 3)}
    assert all(s["confirmed"] for s in data["seams"] if tuple(s["tiles"]) in neighbours), data["seams"]
    sheet = data["sheet"]
    # true size: one output pixel is 1/200 inch, the page as large as the scanned area
    assert (
        abs(sheet["width_mm"] - SHEET_W / DPI * 25.4) < 12
        and abs(sheet["height_mm"] - SHEET_H / DPI * 25.4) < 12
    )
    assert sheet["kind"] == "mrc"  # a red seal: colour kept
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] == pytest.approx(sheet["width_px"] * 72 / DPI, abs=0.01)
        images = []
        for xobj in pdf.pages[0].Resources.XObject.values():
            images.append(xobj)
            if "/SMask" in xobj or "/Mask" in xobj:
                images.append(xobj.get("/Mask"))
        masks = [im for im in images if im is not None and im.get("/Filter") == "/CCITTFaxDecode"]
        assert masks and int(masks[0].Width) == sheet["width_px"]  # line work at full resolution
    assert check_pdfa(out) == []
    text = unicodedata.normalize(
        "NFC", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    )
    assert "MẶT BẰNG" in text or "KT-07" in text, text

    # rendered back: the 1-pixel line is unbroken across the seams, the seal is red
    doc = pdfium.PdfDocument(str(out))
    page = np.asarray(doc[0].render(scale=DPI / 72).to_pil().convert("RGB"))
    doc.close()
    m = _sheet_to_output(data, drawing["truth"])
    xs = np.arange(80, SHEET_W - 80, 1.0)
    pts = cv2.transform(np.float32(np.column_stack([xs, np.full_like(xs, drawing["line_y"])]))[None], m)[0]
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    dark = cv2.erode(gray, np.ones((3, 3), np.uint8))  # within a pixel of the expected place
    along = dark[np.round(pts[:, 1]).astype(int), np.round(pts[:, 0]).astype(int)]
    assert (along < 128).mean() > 0.995, np.flatnonzero(along >= 128)[:20]
    cx, cy = cv2.transform(np.float32([[drawing["seal"]]]), m)[0][0]
    ring = page[int(cy) - 120 : int(cy) + 120, int(cx) - 120 : int(cx) + 120].astype(int)
    red = (ring[:, :, 0] > 140) & (ring[:, :, 1] < 110) & (ring[:, :, 2] < 110)
    assert red.sum() > 500


def test_png_sheet_has_white_paper_where_the_lid_shadowed(drawing, tmp_path, sohoa_home):
    from tests.conftest import run_json

    out = tmp_path / "sheet.png"
    data = run_json("stitch", *drawing["paths"], "-o", str(out), "--grid", "2x2")
    assert data["verdict"] == "ok"
    with Image.open(out) as im:
        got = np.asarray(im)
        assert round(im.info["dpi"][0]) == DPI
    assert got.shape == (data["sheet"]["height_px"], data["sheet"]["width_px"])
    # paper: everywhere the true sheet is blank well away from any mark (shadowed edges included)
    m = _sheet_to_output(data, drawing["truth"])
    ink = cv2.dilate(
        (cv2.cvtColor(drawing["sheet"], cv2.COLOR_RGB2GRAY) < 250).view(np.uint8), np.ones((9, 9), np.uint8)
    )
    blank = (
        cv2.warpAffine(1 - ink, m, (got.shape[1], got.shape[0]), flags=cv2.INTER_NEAREST, borderValue=0) > 0
    )
    blank = cv2.erode(blank.view(np.uint8), np.ones((15, 15), np.uint8)) > 0
    paper = got[blank]
    assert paper.size > 1_000_000
    sx, sy = cv2.transform(np.float32([[drawing["solid"]]]), m)[0][0]
    assert got[int(sy) - 30 : int(sy) + 30, int(sx) - 30 : int(sx) + 30].max() < 90  # stays solid black
    assert np.percentile(paper, 0.5) >= 235 and paper.mean() > 250, (np.percentile(paper, 0.5), paper.mean())


def test_seam_goes_round_the_drawing_through_empty_paper():
    """Two tiles side by side whose overlap is half covered by a dense block of hatching: the seam
    goes through the empty half, not straight down the middle of the overlap."""
    from scanner.compose import prepare_tile, seam_labels
    from scanner.stitch import place_tiles

    sheet = np.full((1200, 2000, 3), 255, np.uint8)
    rng = np.random.default_rng(4)
    for _ in range(90):  # content for matching, everywhere
        x, y = int(rng.integers(30, 1900)), int(rng.integers(30, 1100))
        cv2.rectangle(
            sheet, (x, y), (x + int(rng.integers(30, 90)), y + int(rng.integers(30, 90))), (0, 0, 0), 2
        )
    for k in range(0, 1200, 9):  # dense hatching over the middle of the overlap, top half only
        cv2.line(sheet, (870 + k // 3, 0), (870 + k // 3 + 60, 600), (0, 0, 0), 2)
    cv2.rectangle(sheet, (850, 0), (1150, 600), (0, 0, 0), -1)
    tiles, truth = _scan(sheet, grid=(1, 2), overlap=0.35, seed=2)
    prepared = [prepare_tile(t, 100.0) for t in tiles]
    result = place_tiles([t.gray for t in prepared], 100.0, grid=(1, 2))
    labels, scale = seam_labels(prepared, result)
    inside = labels != 255
    seam = np.zeros_like(inside)
    seam[:, 1:] = (labels[:, 1:] != labels[:, :-1]) & inside[:, 1:] & inside[:, :-1]
    ys, xs = np.nonzero(seam)
    assert len(ys) > 0
    # where the hatched block is (top half), the seam keeps out of it
    t0 = np.vstack([result.transforms[0], [0, 0, 1]])
    block = (
        cv2.transform(np.float32([[[850, 0], [1150, 600]]]), (t0 @ np.vstack([truth[0], [0, 0, 1]]))[:2])[0]
        * scale
    )
    top = ys < block[1][1] - 5
    in_block = (xs[top] > block[0][0] + 3) & (xs[top] < block[1][0] - 3)
    assert in_block.mean() < 0.05, in_block.mean()


@pytest.mark.parametrize("layout", ["tiled", "stripped"])
def test_large_tiff_is_read_in_bands_and_compressed(tmp_path, layout, sohoa_home):
    import pikepdf
    import tifffile

    from scanner.large import bands, open_large
    from tests.conftest import run_json

    sheet, _ = _sheet(seed=5)
    path = tmp_path / "big.tif"
    opts = {"tile": (256, 256)} if layout == "tiled" else {"rowsperstrip": 7}
    tifffile.imwrite(
        path,
        sheet,
        photometric="rgb",
        compression="lzw",
        resolution=(DPI, DPI),
        resolutionunit="INCH",
        **opts,
    )
    image = open_large(path)
    assert (image.width, image.height, round(image.dpi), image.colour) == (SHEET_W, SHEET_H, DPI, True)
    rebuilt = np.concatenate([b for _, b in bands(image)], axis=0)
    assert np.array_equal(rebuilt, sheet)
    out = tmp_path / "big.pdf"
    data = run_json("stitch", str(path), "-o", str(out))
    assert data["verdict"] == "ok" and data["sheet"]["kind"] == "mrc" and data["warnings"] == []
    with pikepdf.open(out) as pdf:
        assert float(pdf.pages[0].MediaBox[2]) == pytest.approx(SHEET_W * 72 / DPI, abs=0.01)
    assert out.stat().st_size < path.stat().st_size / 3
    low = tmp_path / "low.tif"  # a copy below 200 dpi is made, and the clerk told
    tifffile.imwrite(low, sheet[:600, :900], photometric="rgb", resolution=(150, 150), resolutionunit="INCH")
    assert run_json("stitch", str(low), "-o", str(tmp_path / "low.pdf"))["warnings"] == [
        "resolution_below_200dpi"
    ]


def test_tiff_sheet_output_and_plan_command(drawing, tmp_path, sohoa_home):
    import tifffile

    from tests.conftest import run_json

    out = tmp_path / "sheet.tif"
    data = run_json("stitch", *drawing["paths"], "-o", str(out), "--grid", "2x2")
    got = tifffile.imread(out)
    assert got.shape == (data["sheet"]["height_px"], data["sheet"]["width_px"]) and got.dtype == np.uint8
    plan = run_json("plan", "A1", "--bed", "A3")
    assert plan["grid"] == "2x3" and len(plan["tiles"]) == 6 and min(plan["overlap_mm"]) >= 20


def test_a_drawing_component_is_stitched_when_the_dossier_is_processed(drawing, tmp_path, sohoa_home):
    import pikepdf

    from tests.conftest import run_json

    run_json("dossier", "new", "000.00.17.H29-261128-0007", "--procedure", "Cấp giấy phép xây dựng")
    added = run_json(
        "dossier",
        "add",
        "000.00.17.H29-261128-0007",
        *drawing["paths"],
        "--component",
        "Bản vẽ mặt bằng",
        "--kind",
        "drawing",
        "--grid",
        "2x2",
    )
    comp = added["dossier"]["components"][0]
    assert comp["pages"] == 4 and comp["drawing"]["grid"] == [2, 2]
    run_json("dossier", "process", "000.00.17.H29-261128-0007")
    shown = run_json("dossier", "show", "000.00.17.H29-261128-0007")
    comp = shown["components"][0]
    assert comp["status"] == "processed" and comp["drawing"]["stitch"]["verdict"] == "ok"
    with pikepdf.open(comp["artifacts"]["ocr_pdf"]["path"]) as pdf:
        assert len(pdf.pages) == 1
        assert float(pdf.pages[0].MediaBox[2]) / 72 * 25.4 == pytest.approx(SHEET_W / DPI * 25.4, abs=12)


def test_a_part_scanned_at_another_resolution_is_brought_to_the_sheets(drawing, tmp_path, sohoa_home):
    from tests.conftest import run_json

    paths = list(drawing["paths"])
    big = cv2.resize(drawing["tiles"][1], None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    paths[1] = str(tmp_path / "part-2-300dpi.png")
    Image.fromarray(big).save(paths[1], dpi=(300, 300))
    data = run_json("stitch", *paths, "-o", str(tmp_path / "sheet.png"), "--grid", "2x2")
    assert data["verdict"] == "ok" and data["dpi"] == DPI
    assert abs(data["sheet"]["width_mm"] - SHEET_W / DPI * 25.4) < 12
