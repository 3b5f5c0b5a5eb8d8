#!/usr/bin/env python3
"""Capture benchmark: cleanup and code reading measured against known truth.

Pages: the scanned-page corpus of ../shared/corpus/pages (generated when missing), whose manifest
gives each page's applied skew, clockwise rotation and kind (blank, colour, ...). Codes: pages
made here with a chip ID card's QR and a receipt's Code 128 at 200 and 300 dpi, degraded (tilt,
scale, blur, noise, uneven light, JPEG) with --code-pages seeds each.

Prints: deskew error (median, worst), orientation accuracy on text pages, blank detection (content
pages flagged blank, blank pages missed), colour detection, code read rates per dpi, and the CPU
time of cleanup (measure + render) per A4 300 dpi page on one core (median).

    .venv/bin/python bench/capture.py --corpus /tmp/corpus/pages
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.cleanup import analyse_page, apply  # noqa: E402
from scanner.codes import read_codes  # noqa: E402

CCCD = "001203012345|012345678|Nguyễn Thị Hồng Nhung|15061990|Nữ|Số 12 phố Hàng Bạc, Hàng Đào, Hoàn Kiếm, Hà Nội|20042021"
RECEIPT = "000.00.17.H29-261127-0001"


def ensure_corpus(path: Path, count: int) -> dict:
    if not (path / "manifest.json").exists():
        maker = ROOT.parent / "shared" / "corpus" / "pages" / "make_corpus.py"
        subprocess.run(
            [sys.executable, str(maker), "--seed", "7", "--count", str(count), "--out", str(path)], check=True
        )
    return json.loads((path / "manifest.json").read_text())


def code_page(dpi: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    page = np.full((h, w), 238, np.uint8)

    def place(text, fmt, module_mm, x_in, y_in, height_mm=None):
        """Print the symbol with `module_mm` modules (rendered at 1200 dpi, then scanned down)."""
        master = 1200
        scale = max(1, round(module_mm / 25.4 * master))
        sym = np.array(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt), scale=scale))
        if height_mm is not None:
            sym = cv2.resize(
                sym, (sym.shape[1], int(height_mm / 25.4 * master)), interpolation=cv2.INTER_NEAREST
            )
        f = dpi / master
        sym = cv2.resize(
            sym, (max(1, int(sym.shape[1] * f)), max(1, int(sym.shape[0] * f))), interpolation=cv2.INTER_AREA
        )
        sh, sw = sym.shape
        y, x = int(y_in * dpi), int(x_in * dpi)
        page[y : y + sh, x : x + sw] = np.minimum(page[y : y + sh, x : x + sw], sym)

    # the QR printed on the back of the chip card, photocopied: about 2 cm for 57 modules
    place(
        CCCD,
        zxingcpp.BarcodeFormat.QRCode,
        rng.uniform(0.33, 0.42),
        rng.uniform(0.6, 5.5),
        rng.uniform(0.6, 4),
    )
    # a receipt's barcode: modules of 0.3 to 0.4 mm (common for 1D codes on office printers)
    place(
        RECEIPT,
        zxingcpp.BarcodeFormat.Code128,
        rng.uniform(0.3, 0.4),
        rng.uniform(0.3, 1.0),
        rng.uniform(6, 9),
        12,
    )
    angle = rng.uniform(-3, 3)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, rng.uniform(0.97, 1.03))
    page = cv2.warpAffine(page, m, (w, h), borderValue=238)
    page = cv2.GaussianBlur(page, (0, 0), rng.uniform(0.5, 1.1))
    light = np.linspace(rng.uniform(0.85, 1.0), 1.0, w)[None, :]
    page = page * light + rng.normal(0, rng.uniform(4, 10), page.shape)
    buf = io.BytesIO()
    Image.fromarray(np.clip(page, 0, 255).astype(np.uint8)).save(
        buf, "JPEG", quality=int(rng.uniform(60, 85))
    )
    return np.array(Image.open(io.BytesIO(buf.getvalue())))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/corpus/pages"))
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--code-pages", type=int, default=20)
    ap.add_argument("--no-osd", action="store_true")
    args = ap.parse_args()
    manifest = ensure_corpus(args.corpus, args.count)

    # one page first, untimed: OpenCV's and NumPy's first calls set things up once per process
    first = np.array(Image.open(args.corpus / manifest["pages"][0]["image"]))
    apply(first, analyse_page(first, 300.0, osd=not args.no_osd))
    skew_err, orient_ok, orient_total, cpu = [], 0, 0, []
    blank_missed, content_blank, colour_hits, colour_total, false_colour = [], [], 0, 0, []
    for p in manifest["pages"]:
        image = np.array(Image.open(args.corpus / p["image"]))
        t0 = time.process_time()
        found = analyse_page(image, 300.0, osd=not args.no_osd)
        apply(image, found)
        cpu.append(time.process_time() - t0)
        if p["kind"] == "blank":
            if not found.blank:
                blank_missed.append(p["id"])
            continue
        if found.blank:
            content_blank.append(p["id"])
        skew_err.append(abs(found.skew_deg - p["skew_deg"]))
        orient_total += 1
        orient_ok += found.rotation_deg == (360 - p["rotation_cw_deg"]) % 360
        if p["kind"] == "color_stamp":
            colour_total += 1
            colour_hits += found.colour
        elif found.colour:
            false_colour.append(p["id"])

    reads = {}
    for dpi in (200, 300):
        qr = bar = 0
        for seed in range(args.code_pages):
            codes = read_codes(code_page(dpi, 1000 * dpi + seed))
            qr += any(c.cccd is not None and c.cccd.id_number == "001203012345" for c in codes)
            bar += any(c.text == RECEIPT for c in codes)
        reads[dpi] = (qr, bar)

    n_blank = sum(p["kind"] == "blank" for p in manifest["pages"])
    print(f"corpus {args.corpus}: {len(manifest['pages'])} pages ({n_blank} blank)")
    print(
        f"deskew error: median {statistics.median(skew_err):.3f} deg, worst {max(skew_err):.3f} deg (targets < 0.1, < 0.3)"
    )
    print(
        f"orientation: {orient_ok}/{orient_total} content pages upright ({100 * orient_ok / orient_total:.0f} %, target 100 %)"
    )
    print(
        f"blank: {len(content_blank)} content pages flagged blank {content_blank}, "
        f"{len(blank_missed)} of {n_blank} blank pages missed {blank_missed} (target 0 and 0)"
    )
    print(
        f"colour: {colour_hits}/{colour_total} stamp pages colour, {len(false_colour)} other pages colour {false_colour}"
    )
    for dpi, (qr, bar) in reads.items():
        n = args.code_pages
        print(
            f"codes at {dpi} dpi: CCCD QR {qr}/{n} ({100 * qr / n:.0f} %), receipt Code 128 {bar}/{n} ({100 * bar / n:.0f} %) (target 100 %)"
        )
    print(
        f"cleanup CPU per A4 300 dpi page: median {statistics.median(cpu):.3f} s, max {max(cpu):.3f} s (target < 0.3 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
