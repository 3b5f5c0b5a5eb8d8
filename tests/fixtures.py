"""Small generated inputs: Vietnamese pages rendered with a system font."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
)

HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BODY = [
    "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
    "Kính gửi: Ủy ban nhân dân quận Hoàn Kiếm",
    "Tên chủ đầu tư: Nguyễn Thị Hồng Nhung",
    "Địa chỉ: số 12 phố Hàng Bạc, phường Hàng Đào",
    "Nội dung đề nghị: xây dựng nhà ở riêng lẻ ba tầng",
]


def font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise RuntimeError("no font with Vietnamese glyphs found (apt install fonts-dejavu-core)")


def vietnamese_page(
    *,
    dpi: int = 300,
    lines: list[str] | None = None,
    width_in: float = 8.27,
    height_in: float = 5.0,
    mode: str = "L",
) -> Image.Image:
    """A page of clean Vietnamese administrative text (A4 width, shorter to keep OCR fast)."""
    w, h = int(width_in * dpi), int(height_in * dpi)
    img = Image.new(mode, (w, h), "white")
    draw = ImageDraw.Draw(img)
    big, normal = font(int(dpi * 0.17)), font(int(dpi * 0.15))
    y = int(dpi * 0.5)
    for i, text in enumerate(lines or [HEADER, MOTTO, *BODY]):
        draw.text((int(dpi * 0.6), y), text, font=big if i < 2 else normal, fill="black")
        y += int(dpi * 0.38)
    return img


def save_png(img: Image.Image, path: Path, dpi: int = 300) -> Path:
    img.save(path, format="PNG", dpi=(dpi, dpi))
    return path


def png_bytes(img: Image.Image, dpi: int = 300) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()
