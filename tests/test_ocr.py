"""OCR on small generated pages: orientation, extraction by two readers, colour kept, PDF/A, failures."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import img2pdf
import numpy as np
import pikepdf
import pypdfium2
import pytest
from PIL import Image, ImageDraw

from common.pdfa import check_pdfa
from ocr import OcrOptions, PageSource, ocr_to_pdf
from tests.conftest import run_json
from tests.fixtures import font, vietnamese_page

WORDS = ["CỘNG", "HÒA", "NGHĨA", "VIỆT", "Độc", "Hạnh", "phúc", "Nguyễn", "Hồng", "Kiếm"]
DPI = 200


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def texts(pdf: Path) -> tuple[str, str]:
    poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        pdfium = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return norm(poppler), norm(pdfium)


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(DPI, DPI))
    return buf.getvalue()


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return vietnamese_page(dpi=DPI, height_in=3.6)


def test_every_orientation_comes_out_upright_and_readable(page, tmp_path):
    # PIL rotates counter-clockwise: each scan needs the listed clockwise turn to be upright
    scans = {
        0: page,
        90: page.rotate(90, expand=True),
        180: page.rotate(180),
        270: page.rotate(-90, expand=True),
    }
    sources = [PageSource(png(img), DPI) for img in scans.values()]
    out = tmp_path / "turned.pdf"
    result = ocr_to_pdf(sources, out, OcrOptions(jobs=2))
    assert [r.rotation for r in result.page_reports] == list(scans)
    with pikepdf.open(out) as pdf:
        for p in pdf.pages:  # every page comes out portrait, as the text reads
            x0, y0, x1, y1 = (float(v) for v in p.mediabox)
            assert (x1 - x0) > (y1 - y0)  # the test page is landscape-shaped
    doc = pypdfium2.PdfDocument(str(out))
    for i in range(len(doc)):
        text = norm(doc[i].get_textpage().get_text_range())
        found = [w for w in WORDS if w in text]
        assert len(found) >= len(WORDS) - 2, (i, text)
    doc.close()


def test_text_layer_reads_the_same_in_poppler_and_pdfium_with_phrases(page, tmp_path):
    tilted = page.rotate(1.5, expand=False, fillcolor="white")
    out = tmp_path / "tilted.pdf"
    result = ocr_to_pdf([PageSource(png(tilted), DPI)], out, OcrOptions(jobs=1))
    assert abs(abs(result.page_reports[0].skew_deg) - 1.5) < 0.2
    poppler, pdfium = texts(out)
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        assert phrase in poppler and phrase in pdfium, (poppler, pdfium)
    assert unicodedata.is_normalized("NFC", poppler)


def test_seal_page_keeps_colour_and_text_page_goes_bitonal(page, tmp_path):
    stamped = page.convert("RGB")
    draw = ImageDraw.Draw(stamped)
    cx, cy, r = int(stamped.width * 0.7), int(stamped.height * 0.7), int(DPI * 0.6)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(200, 20, 30), width=int(DPI * 0.04))
    draw.text((cx - r // 2, cy - 20), "UBND", font=font(int(DPI * 0.15)), fill=(200, 20, 30))
    draw.line((cx - r, cy + r, cx + r, cy + r // 2), fill=(20, 40, 180), width=6)
    out = tmp_path / "seal.pdf"
    result = ocr_to_pdf([PageSource(png(stamped), DPI), PageSource(png(page), DPI)], out, OcrOptions(jobs=2))
    assert [r.kind for r in result.page_reports] == ["mrc", "bitonal"]
    doc = pypdfium2.PdfDocument(str(out))
    rendered = np.asarray(doc[0].render(scale=DPI / 72).to_pil().convert("RGB")).astype(int)
    doc.close()
    red = (rendered[..., 0] > 150) & (rendered[..., 1] < 90) & (rendered[..., 2] < 90)
    blue = (rendered[..., 2] > 120) & (rendered[..., 0] < 90)
    assert red.sum() > 2000 and blue.sum() > 300
    poppler, pdfium = texts(out)
    assert "Nguyễn Thị Hồng Nhung" in poppler and "Nguyễn Thị Hồng Nhung" in pdfium
    assert result.page_reports[1].size_bytes < result.page_reports[0].size_bytes


def test_output_is_pdfa_with_the_document_metadata(page, tmp_path):
    out = tmp_path / "a.pdf"
    ocr_to_pdf(
        [PageSource(png(page), DPI)], out, OcrOptions(jobs=1, title="HS-001 - Đơn đề nghị", keywords="HS-001")
    )
    assert check_pdfa(out) == []
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "HS-001 - Đơn đề nghị"
        assert pdf.pdf_version >= "1.7"
        width = float(pdf.pages[0].mediabox[2])
    assert abs(width - page.width * 72 / DPI) < 0.5  # 100 % scale


def test_pdfa_check_notices_what_breaks_archiving(page, tmp_path):
    out = tmp_path / "a.pdf"
    ocr_to_pdf([PageSource(png(page), DPI)], out, OcrOptions(jobs=1))
    with pikepdf.open(out, allow_overwriting_input=True) as pdf:
        del pdf.Root.OutputIntents
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.Version = pikepdf.Name("/2.0")
        widget = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[10, 10, 90, 40], F=2
            )
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([widget]))
        pdf.save(out)
    problems = check_pdfa(out)
    assert any("output intent" in p for p in problems) and any("actions" in p for p in problems)
    assert any("above PDF/A-2's 1.7" in p for p in problems)
    assert any("not printed or hidden" in p for p in problems) and any("no appearance" in p for p in problems)


def test_a_page_that_times_out_is_flagged_and_the_rest_is_kept(page, tmp_path):
    out = tmp_path / "slow.pdf"
    result = ocr_to_pdf([PageSource(png(page), DPI)] * 2, out, OcrOptions(jobs=2, page_timeout_s=0.01))
    assert result.failed_pages == [1, 2]
    assert all("timeout" in (r.error or "") for r in result.page_reports)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 2


def test_scanned_pdf_input_and_pages_that_already_hold_text(page, sohoa_home, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(img2pdf.convert([png(page)]))
    first = tmp_path / "first.pdf"
    res = run_json("ocr", str(scan), "-o", str(first), "--jobs", "1")
    assert res["page_reports"][0]["kind"] == "bitonal"
    with pikepdf.open(scan) as a, pikepdf.open(first) as b:
        assert [float(v) for v in a.pages[0].mediabox] == pytest.approx(
            [float(v) for v in b.pages[0].mediabox], abs=0.5
        )
    again = tmp_path / "again.pdf"
    res = run_json("ocr", str(first), "-o", str(again), "--jobs", "1")
    assert res["page_reports"][0]["kind"] == "kept"
    redo = tmp_path / "redo.pdf"
    res = run_json("ocr", str(first), "-o", str(redo), "--jobs", "1", "--mode", "redo")
    assert res["page_reports"][0]["kind"] == "bitonal"
    poppler, _ = texts(redo)
    assert poppler.count("Hạnh phúc") == 1  # the old OCR layer was replaced, not doubled


def test_photograph_goes_jpeg_and_small_profile_lowers_its_resolution(tmp_path):
    rng = np.random.default_rng(3)
    y, x = np.mgrid[0:600, 0:900]
    photo = np.stack([(x / 4) % 256, (y / 3) % 256, ((x + y) / 6) % 256], axis=-1)
    photo = (photo * 0.6 + rng.normal(60, 25, photo.shape)).clip(0, 255).astype(np.uint8)
    img = Image.fromarray(photo, "RGB")
    sizes = {}
    for profile in ("standard", "small"):
        out = tmp_path / f"{profile}.pdf"
        result = ocr_to_pdf([PageSource(png(img), DPI)], out, OcrOptions(jobs=1, profile=profile))
        assert result.page_reports[0].kind == "photo"
        sizes[profile] = result.page_reports[0].size_bytes
        with pikepdf.open(out) as pdf:
            assert float(pdf.pages[0].mediabox[2]) == pytest.approx(900 * 72 / DPI, abs=0.5)
    assert sizes["small"] < sizes["standard"]


def test_a_tesseract_without_its_output_configs_fails_the_page_instead_of_losing_the_text(
    tmp_path, monkeypatch, page_png
):
    """A broken install (language data but no 'tsv' config) must not give a PDF silently without text."""
    import glob

    data = tmp_path / "tessdata"
    data.mkdir()
    source = sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"))[-1]
    for lang in ("vie", "eng", "osd"):
        (data / f"{lang}.traineddata").symlink_to(f"{source}/{lang}.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(data))
    result = ocr_to_pdf(
        [PageSource(path=str(page_png), dpi=300)], tmp_path / "out.pdf", OcrOptions(jobs=1, auto_rotate=False)
    )
    assert result.failed_pages == [1] and result.page_reports[0].error
    assert "tsv" in result.page_reports[0].error.lower() or "TSV" in result.page_reports[0].error
