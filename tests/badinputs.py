"""A corpus of bad and awkward input files, generated: `python -m tests.badinputs OUT_DIR`.

Each case says what a clerk should get: the pages imported (`ok`, with the page count), or a
refusal with a clear message (`refused`, with the error kind the command line reports). The test
(tests/test_bad_inputs.py) feeds every case to `sohoa dossier add` in a dossier that already holds
good pages, and checks the outcome, the message, the memory used and that nothing else changed.
"""

from __future__ import annotations

import io
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image

from tests.fixtures import vietnamese_page


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: str  # "ok" or "refused"
    pages: int = 0  # pages imported when ok
    kind: str = ""  # the error kind when refused (the --json "kind")


def _page(dpi: int = 100, mode: str = "L") -> Image.Image:
    return vietnamese_page(dpi=dpi, height_in=3.0, mode=mode)


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _png_bomb(width: int, height: int) -> bytes:
    """A valid PNG header declaring width x height 1-bit pixels, with a tiny compressed body."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(min(height, 2000))) + comp.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


def _pdf_of(images: list[Image.Image], dpi: int = 100) -> bytes:
    import img2pdf

    return img2pdf.convert([_encode(im.convert("L"), "PNG", dpi=(dpi, dpi)) for im in images])


def _small_pdf(pages: int) -> bytes:
    """A text PDF with `pages` small pages (A7), each with one line: quick to render."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for n in range(pages):
        content = f"BT /F1 9 Tf 12 150 Td (Trang {n + 1} / {pages}) Tj ET".encode()
        page = pdf.add_blank_page(page_size=(105, 210))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(content)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _pdf_with(extra) -> bytes:
    pdf = pikepdf.open(io.BytesIO(_pdf_of([_page()])))
    extra(pdf)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _javascript(pdf: pikepdf.Pdf) -> None:
    js = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x');"))
    )
    pdf.Root.OpenAction = js
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), js]))
    )


def _attachment(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not a document", mime_type="application/octet-stream")
    pdf.attachments["setup.exe"] = spec


def _encrypted(user: str) -> bytes:
    pdf = pikepdf.open(io.BytesIO(_pdf_of([_page()])))
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(owner="chu-so-huu", user=user, R=6))
    return buf.getvalue()


def _broken_xref() -> bytes:
    data = bytearray(_pdf_of([_page(), _page()]))
    at = data.rfind(b"startxref")
    data[at + 10 : at + 16] = b"999999"  # points nowhere: a reader must rebuild the table
    return bytes(data)


def _tiff_bomb() -> bytes:
    """A TIFF header declaring 200,000 x 200,000 pixels."""
    entries = [
        (256, 4, 1, 200_000),  # width
        (257, 4, 1, 200_000),  # height
        (258, 3, 1, 8),
        (259, 3, 1, 1),
        (262, 3, 1, 1),
        (273, 4, 1, 8),
        (277, 3, 1, 1),
        (278, 4, 1, 200_000),
        (279, 4, 1, 40_000_000_000 % 2**32),
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        ifd += (
            struct.pack("<HHII", tag, typ, count, value)
            if typ == 4
            else struct.pack("<HHIHH", tag, typ, count, value, 0)
        )
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd


def make_corpus(out: Path) -> list[Case]:
    out.mkdir(parents=True, exist_ok=True)
    gray, rgb = _page(), _page(mode="RGB")
    png, jpg = _encode(gray, "PNG", dpi=(100, 100)), _encode(rgb, "JPEG", dpi=(100, 100), quality=80)
    tif = _encode(gray, "TIFF", dpi=(100, 100), compression="tiff_lzw")
    pdf = _pdf_of([gray, gray])
    cases: list[Case] = []

    def add(name: str, data: bytes, expect: str, pages: int = 0, kind: str = "") -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(name, path, expect, pages, kind))

    # damaged files
    add("truncated.png", png[: len(png) // 2], "refused", kind="UnreadableFile")
    add(
        "bad-crc.png",
        png[:40] + bytes(b ^ 0x5A for b in png[40:80]) + png[80:],
        "refused",
        kind="UnreadableFile",
    )
    add("truncated.jpg", jpg[: len(jpg) // 3], "refused", kind="UnreadableFile")
    add(
        "garbage-after-header.jpg",
        jpg[:20] + np.random.default_rng(1).bytes(5000),
        "refused",
        kind="UnreadableFile",
    )
    add("truncated.tif", tif[: len(tif) // 2], "refused", kind="UnreadableFile")
    add("bad-header.tif", b"II*\x00" + b"\xff" * 200, "refused", kind="UnreadableFile")
    add("truncated.pdf", pdf[: len(pdf) // 2], "refused", kind="UnreadableFile")
    add("garbage.pdf", b"%PDF-1.7\n" + np.random.default_rng(2).bytes(4000), "refused", kind="UnreadableFile")
    add("zero-pages.pdf", _small_pdf(0), "refused", kind="UnreadableFile")
    add("empty.png", b"", "refused", kind="EmptyFile")
    add("empty.pdf", b"", "refused", kind="EmptyFile")
    add("notes.png", "Đây là một tệp văn bản, không phải ảnh.".encode(), "refused", kind="UnsupportedFormat")
    add(
        "drawing.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        "refused",
        kind="UnsupportedFormat",
    )
    # right content, wrong name
    add("really-a-pdf.jpg", pdf, "ok", pages=2)
    add("really-a-png.pdf", png, "ok", pages=1)
    add("no-extension", jpg, "ok", pages=1)
    # decompression bombs
    add("bomb-100k.png", _png_bomb(100_000, 100_000), "refused", kind="TooLarge")
    add("bomb-30k.png", _png_bomb(30_000, 30_000), "refused", kind="TooLarge")
    add("bomb.tif", _tiff_bomb(), "refused", kind="TooLarge")
    add("bomb-page.pdf", _bomb_pdf(), "refused", kind="TooLarge")
    # colour models and depths
    add("cmyk.jpg", _encode(rgb.convert("CMYK"), "JPEG", dpi=(100, 100)), "ok", pages=1)
    add("cmyk.tif", _encode(rgb.convert("CMYK"), "TIFF", dpi=(100, 100)), "ok", pages=1)
    add(
        "gray16.png", _encode(Image.fromarray(np.asarray(gray).astype(np.uint16) * 257), "PNG"), "ok", pages=1
    )
    add("rgb16.tif", _rgb16_tiff(rgb), "ok", pages=1)
    add(
        "palette.png",
        _encode(rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=16), "PNG"),
        "ok",
        pages=1,
    )
    add("alpha.png", _encode(rgb.convert("RGBA"), "PNG"), "ok", pages=1)
    add("gray-alpha.png", _encode(gray.convert("LA"), "PNG"), "ok", pages=1)
    add("one-bit.tif", _encode(gray.convert("1"), "TIFF", compression="group4"), "ok", pages=1)
    add("multipage.tif", _multipage_tiff(gray), "ok", pages=3)
    # PDFs with something extra
    add("password.pdf", _encrypted("mat-khau"), "refused", kind="PasswordProtected")
    add("owner-only.pdf", _encrypted(""), "ok", pages=1)  # opens without a password
    add("broken-xref.pdf", _broken_xref(), "ok", pages=2)
    add("javascript.pdf", _pdf_with(_javascript), "ok", pages=1)
    add("attachment.pdf", _pdf_with(_attachment), "ok", pages=1)
    add("thousand-pages.pdf", _small_pdf(1000), "ok", pages=1000)
    # where it lives
    add("Hồ sơ của bà Nguyễn/trang một (bản sao).png", png, "ok", pages=1)
    return cases


def _bomb_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14400, 14400))  # 200 x 200 inches: 3.7 gigapixels at 300 dpi
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _rgb16_tiff(rgb: Image.Image) -> bytes:
    import tifffile

    buf = io.BytesIO()
    tifffile.imwrite(buf, np.asarray(rgb).astype(np.uint16) * 257, photometric="rgb", resolution=(100, 100))
    return buf.getvalue()


def _multipage_tiff(gray: Image.Image) -> bytes:
    buf = io.BytesIO()
    gray.save(buf, format="TIFF", save_all=True, append_images=[gray.rotate(180), gray], dpi=(100, 100))
    return buf.getvalue()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for case in make_corpus(Path(sys.argv[1])):
        print(f"{case.expect:8s} {case.kind or case.pages:>18}  {case.name}")
