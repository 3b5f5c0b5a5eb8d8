"""Importing pages: formats, resolution, EXIF orientation, and clear refusals of bad files."""

from __future__ import annotations

import io

import img2pdf
import pytest
from PIL import Image

from scanner import import_files
from scanner.errors import EmptyFile, TooLarge, UnreadableFile, UnsupportedFormat
from scanner.importer import iter_file_pages
from tests.fixtures import vietnamese_page


def test_png_kept_as_is_with_its_resolution(tmp_path):
    path = tmp_path / "a.png"
    vietnamese_page(dpi=200).save(path, dpi=(200, 200))
    (page,) = import_files([path])
    assert page.fmt == "png" and page.dpi == 200 and page.data == path.read_bytes()


def test_jpeg_exif_orientation_becomes_a_rotation(tmp_path):
    img = Image.new("RGB", (300, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # camera held upright: turn 90 degrees clockwise
    path = tmp_path / "phone.jpg"
    img.save(path, format="JPEG", exif=exif, dpi=(72, 72))
    (page,) = import_files([path])
    assert page.rotation == 90 and page.fmt == "jpeg"
    assert page.dpi == 300  # 72 dpi from a camera is not a scan resolution


def test_multipage_tiff_and_16_bit(tmp_path):
    path = tmp_path / "stack.tif"
    frames = [Image.new("1", (100, 100), 1), Image.new("1", (120, 80), 0)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="group4", dpi=(300, 300))
    pages = import_files([path])
    assert [(p.width, p.height, p.index) for p in pages] == [(100, 100, 0), (120, 80, 1)]
    assert all(p.fmt == "png" for p in pages)
    deep = tmp_path / "deep.png"
    Image.new("I;16", (50, 40), 40000).save(deep)
    (page,) = import_files([deep])
    assert Image.open(io.BytesIO(page.data)).mode == "L"


def test_pdf_pages_are_rendered(tmp_path):
    img = vietnamese_page(dpi=100, height_in=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(100, 100))
    path = tmp_path / "scan.pdf"
    path.write_bytes(img2pdf.convert([buf.getvalue(), buf.getvalue()]))
    pages = import_files([path])
    assert len(pages) == 2 and pages[0].dpi == 300
    assert abs(pages[0].width - img.width * 3) <= 2


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", EmptyFile),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, UnreadableFile),
        (b"hello, this is text", UnsupportedFormat),
        (b"%PDF-1.4\n1 0 obj garbage", UnreadableFile),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, content, error):
    path = tmp_path / "hỏng file.png"
    path.write_bytes(content)
    with pytest.raises(error) as info:
        list(iter_file_pages(path))
    assert "hỏng file.png" in str(info.value)


def test_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (25000, 25000), 1).save(path)  # 625 megapixels, a few KB on disk
    with pytest.raises(TooLarge) as info:
        import_files([path])
    assert "megapixels" in str(info.value)


def test_truncated_jpeg_is_refused(tmp_path):
    path = tmp_path / "cut.jpg"
    buf = io.BytesIO()
    vietnamese_page(dpi=100, mode="RGB").save(buf, format="JPEG")
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 3])
    with pytest.raises(UnreadableFile):
        import_files([path])
