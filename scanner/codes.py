"""QR codes and barcodes on scanned pages (zxing-cpp): the chip ID card's QR, receipt codes, separators.

The QR on a chip citizen ID card (CCCD) holds `|`-separated fields: ID number, old ID number (may
be empty), full name, date of birth (ddmmyyyy), sex, permanent address, issue date (ddmmyyyy).
`parse_cccd` also takes what a USB QR gun types into a text field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

import numpy as np
import zxingcpp

SEPARATOR_PREFIXES = ("SOHOA-TACH", "SOHOA-SEPARATOR")  # optionally ":<next component's name>"
PATCH_T = ("PATCH-T", "PATCHT")
# National dossier codes look like 000.00.17.H29-261127-0001 (agency code, date, number).
DOSSIER_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}-\d{6}-\d{4}$")
_ID = re.compile(r"^\d{12}$")
_OLD_ID = re.compile(r"^\d{9}(\d{3})?$")
_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


@dataclass(frozen=True)
class CitizenId:
    id_number: str
    old_id_number: str
    full_name: str
    date_of_birth: str  # YYYY-MM-DD
    sex: str
    address: str
    issue_date: str  # YYYY-MM-DD

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Code:
    kind: str  # QRCode, Code128, ...
    text: str
    box: tuple[int, int, int, int]  # left, top, right, bottom in image pixels
    cccd: CitizenId | None = None
    separator: bool = False

    def as_dict(self) -> dict:
        d = {"type": self.kind, "text": self.text, "box": list(self.box), "separator": self.separator}
        if self.cccd is not None:
            d["cccd"] = self.cccd.as_dict()
        return d


def _date(text: str) -> str | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_cccd(text: str) -> CitizenId | None:
    """The fields of a CCCD QR, or None when `text` is not one.

    Parsed by field count: 7 fields (with the old ID number, possibly empty) or 6 (without). Text
    typed by a QR gun may carry a trailing newline or stray spaces; it is NFC-normalised.
    """
    text = unicodedata.normalize("NFC", text.strip().strip("\r\n"))
    fields = [f.strip() for f in text.split("|")]
    if len(fields) == 7:
        id_number, old_id, name, dob, sex, address, issued = fields
    elif len(fields) == 6:
        id_number, name, dob, sex, address, issued = fields
        old_id = ""
    else:
        return None
    if not _ID.match(id_number) or (old_id and not _OLD_ID.match(old_id)):
        return None
    birth, issue = _date(dob), _date(issued)
    if birth is None or issue is None or not name:
        return None
    return CitizenId(id_number, old_id, name, birth, sex, address, issue)


def is_separator(text: str) -> bool:
    head = text.strip().upper()
    return head.startswith(SEPARATOR_PREFIXES) or head in PATCH_T


def separator_name(text: str) -> str:
    """The next component's name a separator sheet carries after a colon, or ''."""
    return text.split(":", 1)[1].strip() if ":" in text else ""


def dossier_code(codes: list[Code]) -> str | None:
    """A dossier receipt's code among the codes of a page."""
    for c in codes:
        text = c.text.strip()
        if c.cccd is None and not c.separator and DOSSIER_CODE.match(text):
            return text
    return None


# Kodak patch codes: four bars, each wide (0.20 in) or narrow (0.08 in), 0.08 in apart, at least
# 2 in long, read from the sheet's leading edge. Patch T (transfer) is the usual separator sheet.
PATCH_PATTERNS = {"NWNW": "T", "WNNW": "2", "WNWN": "3", "WWNN": "1", "NWWN": "4", "NNWW": "6"}


def read_patch_codes(gray: np.ndarray, dpi: float) -> list[str]:
    """Patch code types (\"T\", \"2\", ...) found on a page, bars across or along the page."""
    import cv2

    scale = min(1.0, 100.0 / max(dpi, 1.0))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    d = dpi * scale  # pixels per inch at the working size
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    found = []
    for img in (ink, np.ascontiguousarray(ink.T)):
        long_bars = cv2.morphologyEx(img, cv2.MORPH_OPEN, np.ones((1, max(3, int(1.6 * d))), np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats(long_bars, connectivity=8)
        bars = sorted(
            (tuple(stats[i][:4]) for i in range(1, n) if 0.04 * d <= stats[i][3] <= 0.27 * d),
            key=lambda b: b[1],
        )
        for i in range(len(bars) - 3):
            group = bars[i : i + 4]
            if not _aligned(group):
                continue
            gaps = [group[k + 1][1] - (group[k][1] + group[k][3]) for k in range(3)]
            if not all(0.04 * d <= g <= 0.13 * d for g in gaps):
                continue
            kinds = "".join("W" if b[3] >= 0.14 * d else "N" for b in group)
            if kinds in PATCH_PATTERNS:
                found.append(PATCH_PATTERNS[kinds])
    return found


def _aligned(group) -> bool:
    lefts = [b[0] for b in group]
    rights = [b[0] + b[2] for b in group]
    return min(rights) - max(lefts) >= 0.8 * min(b[2] for b in group)


def read_codes(image: np.ndarray, dpi: float | None = None) -> list[Code]:
    """Every QR code and barcode on a page (gray or RGB array), in reading order (top to bottom);
    with the page's `dpi`, also Kodak patch codes (a Patch T sheet is a separator)."""
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]
    found = zxingcpp.read_barcodes(np.ascontiguousarray(image), try_rotate=True, try_downscale=True)
    codes = []
    for r in found:
        if not r.valid:
            continue
        p = r.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        text = r.text
        kind = getattr(r.format, "name", None) or str(r.format).replace(" ", "")
        codes.append(
            Code(
                kind,
                text,
                (min(xs), min(ys), max(xs), max(ys)),
                parse_cccd(text) if kind in ("QRCode", "MicroQRCode") else None,
                is_separator(text),
            )
        )
    if dpi:
        gray = (
            image if image.ndim == 2 else np.ascontiguousarray(image[:, :, :3].mean(axis=2).astype(np.uint8))
        )
        for kind in read_patch_codes(gray, dpi):
            text = f"PATCH-{kind}"
            codes.append(Code("PatchCode", text, (0, 0, 0, 0), None, kind == "T"))
    codes.sort(key=lambda c: (c.box[1], c.box[0]))
    return codes
