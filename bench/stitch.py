#!/usr/bin/env python3
"""Stitching benchmark: `sohoa stitch` beside OpenCV's Stitcher (SCANS mode) on generated drawings.

Cases come from ../shared/corpus/drawings/make_drawing.py (A2 to A0 sheets cut into A3 scans with
rotation, shift, a tiny scale, blur, gamma, a lid shadow on one edge, tinted paper and noise),
generated into --cases when missing. For each case and tool:

- tiles placed (SoHoa: every tile has a place; OpenCV: the images its final panorama uses);
- seams (SoHoa): confirmed, reported as unconfirmed, and *silently off* (confirmed while the true
  p95 error of the seam, from the generator's truth, exceeds 1 px);
- accuracy of the output against the true sheet (stitch_metric.py: checkpoints matched, p95 and
  max local error in px);
- breaks in 1-pixel lines: places where the sheet's 1-pixel lines (3 mm or longer) lose 2+ px
  between two kept parts in the output (SoHoa's PDF rendered back at 300 dpi by pdftoppm;
  OpenCV's PNG as is), and the share of those lines' pixels kept;
- wall time and peak memory (max RSS, GNU time) of the whole command, SoHoa writing the PDF;
  PDF size.

The "real" sets take the generator's tiles through tests/realscan.py, as desk scanners give them:
a stretch of 0.1-0.6 % along the scan direction, a fold lifting 2-6 px over the last 300-600 px of
one edge, 5-15 % less light across the glass, paper white 200-250; some with the 25 mm column
overlaps of an A1 sheet on an A3 glass. Their truth follows each tile's flaws.

    .venv/bin/python bench/stitch.py --cases /tmp/sohoa-stitch-cases --repeat 3
    .venv/bin/python bench/stitch.py --only real
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "drawings"
sys.path.insert(0, str(SHARED))

import stitch_metric  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.realscan import ScanFlaws  # noqa: E402

# name, sheet, seed, overlap, density, extra generator arguments, scanner flaws (tests/realscan.py)
CASES = [
    ("A2 8%", "A2", 41, 0.08, 1.0, (), False),
    ("A2 sparse", "A2", 42, 0.20, 0.2, (), False),
    ("A1 8%", "A1", 43, 0.08, 1.0, (), False),
    ("A1 sparse 8%", "A1", 44, 0.08, 0.3, (), False),
    ("A0 15 tiles", "A0", 45, 0.20, 1.0, (), False),
    ("A0 8%", "A0", 46, 0.08, 1.0, (), False),
    # as desk scanners make them: stretch, a lifted fold, light fall-off, paper white; narrow overlaps
    ("real A1 25mm", "A1", 51, 0.0, 1.0, ("--grid", "2x3", "--tile-orient", "portrait"), True),
    ("real A1 25mm sparse", "A1", 52, 0.0, 0.5, ("--grid", "2x3", "--tile-orient", "portrait"), True),
    ("real A2 8%", "A2", 53, 0.08, 1.0, (), True),
    ("real A1 8%", "A1", 54, 0.08, 1.0, (), True),
    ("real A0 3x3", "A0", 55, 0.0, 1.0, ("--grid", "3x3", "--tile-orient", "landscape"), True),
    ("real A0 15 tiles", "A0", 56, 0.20, 1.0, (), True),
]

OPENCV = r"""
import sys, json, cv2
files, out = sys.argv[1:-1], sys.argv[-1]
imgs = [cv2.imread(f, cv2.IMREAD_COLOR) for f in files]
st = cv2.Stitcher_create(cv2.Stitcher_SCANS)
status, pano = st.stitch(imgs)
used = []
try:
    used = [int(i) for i in st.component()]
except Exception:
    pass
if status == cv2.Stitcher_OK:
    cv2.imwrite(out, pano, [cv2.IMWRITE_PNG_COMPRESSION, 1])
print(json.dumps({"status": int(status), "used": used}))
"""


def generate(
    cases_dir: Path, name: str, sheet: str, seed: int, overlap: float, density: float, extra=(), flaws=False
) -> Path:
    out = cases_dir / f"{sheet.lower()}_s{seed}_o{int(overlap * 100)}_d{int(density * 100)}"
    if extra:
        out = out.with_name(out.name + "_" + "_".join(a.strip("-") for a in extra))
    if not (out / "ground_truth.json").exists():
        print(f"generating {name} in {out} ...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "make_drawing.py"),
                "--sheet",
                sheet,
                "--seed",
                str(seed),
                "--overlap",
                str(overlap),
                "--density",
                str(density),
                *extra,
                "--out",
                str(out),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return flawed(out, seed) if flaws else out


def flawed(case: Path, seed: int) -> Path:
    """The case's tiles as a desk scanner gives them (tests/realscan.py), the truth kept with each
    tile's flaws so that seams can still be judged."""
    from tests.realscan import random_flaws

    out = case.with_name(case.name + "_real")
    if (out / "ground_truth.json").exists():
        return out
    out.mkdir(exist_ok=True)
    gt = json.loads((case / "ground_truth.json").read_text())
    rng = np.random.default_rng(seed + 1000)
    for tile in gt["tiles"]:
        flaws = random_flaws(rng, gt["dpi"])
        img = cv2.imread(str(case / tile["file"]), cv2.IMREAD_COLOR)
        cv2.imwrite(str(out / tile["file"]), flaws.apply(img), [cv2.IMWRITE_PNG_COMPRESSION, 1])
        tile["flaws"] = flaws.as_dict()
        tile["clean_size"] = [tile["width"], tile["height"]]
        tile["width"], tile["height"] = flaws.size((tile["height"], tile["width"]))
    (out / gt["sheet_file"]).unlink(missing_ok=True)
    (out / gt["sheet_file"]).symlink_to(case / gt["sheet_file"])
    (out / "ground_truth.json").write_text(json.dumps(gt))
    return out


def timed(cmd: list[str], *, timeout: float = 1200) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run under GNU time: (wall s, peak MB, process)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        wall, kb = tf.read().strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024, proc


def seam_truth(case: Path, report: dict) -> list[tuple[dict, float | None]]:
    """Each reported seam with its true p95 error (px) from the generator's truth."""
    gt = json.loads((case / "ground_truth.json").read_text())
    A = [np.array(t["A_sheet_to_tile"]) for t in gt["tiles"]]
    sizes = [(t["width"], t["height"]) for t in gt["tiles"]]
    rng = np.random.default_rng(0)
    pts = np.column_stack(
        [rng.uniform(0, gt["sheet_width"], 60000), rng.uniform(0, gt["sheet_height"], 60000)]
    ).astype(np.float32)
    inside, seen = [], []
    for a, (w, h), t in zip(A, sizes, gt["tiles"], strict=True):
        q = cv2.transform(pts[None], a)[0]
        if "flaws" in t:  # where the flawed scan shows each point
            cw, ch = t["clean_size"]
            q = ScanFlaws(**t["flaws"]).forward(q, (ch, cw))
        seen.append(q)
        inside.append((q[:, 0] > 5) & (q[:, 0] < w - 5) & (q[:, 1] > 5) & (q[:, 1] < h - 5))
    mats = [None if t["matrix"] is None else np.array(t["matrix"]) for t in report["tiles"]]
    out = []
    for s in report["seams"]:
        a, b = s["tiles"]
        both = inside[a] & inside[b]
        if mats[a] is None or mats[b] is None or not both.any():
            out.append((s, None))
            continue
        pa = cv2.transform(seen[a][both][None], mats[a])[0]
        pb = cv2.transform(seen[b][both][None], mats[b])[0]
        out.append((s, float(np.percentile(np.linalg.norm(pa - pb, axis=1), 95))))
    return out


def thin_line_breaks(out_gray: np.ndarray, sheet: np.ndarray, m_out_to_sheet) -> tuple[int, float]:
    """Breaks (2+ px missing between two kept parts) in the sheet's 1-pixel lines (thin runs of
    3 mm or more; letters' strokes are left out): each thin-line pixel of the true sheet is mapped
    into the output (the output itself is not resampled, which would smear its 1-pixel lines) and
    counts as kept when the output has ink within a pixel of it. (number of gaps, share kept)."""
    h, w = sheet.shape
    ink = sheet < 160
    thick = (
        cv2.dilate(cv2.erode(ink.view(np.uint8), np.ones((3, 3), np.uint8)), np.ones((5, 5), np.uint8)) > 0
    )
    thin = ink & ~thick  # ink that a 3x3 square does not fit in, away from thick strokes
    # lines only: thin runs at least 3 mm long (the ends of letters' strokes are not lines)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(thin.view(np.uint8), connectivity=8)
    long_enough = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= 3 / 25.4 * 300
    long_enough[0] = False
    thin = long_enough[labels]
    del labels
    # ignore the sheet's edges (the output need not show the paper's outermost millimetres)
    border = int(0.02 * min(h, w))
    thin[:border], thin[-border:], thin[:, :border], thin[:, -border:] = False, False, False, False
    ys, xs = np.nonzero(thin)
    to_out = cv2.invertAffineTransform(np.array(m_out_to_sheet, np.float64))
    pts = cv2.transform(np.column_stack([xs, ys]).astype(np.float32)[None], to_out)[0]
    u = np.clip(np.round(pts[:, 0]).astype(int), 0, out_gray.shape[1] - 1)
    v = np.clip(np.round(pts[:, 1]).astype(int), 0, out_gray.shape[0] - 1)
    out_ink = cv2.dilate((out_gray < 200).view(np.uint8), np.ones((3, 3), np.uint8))
    kept = out_ink[v, u] > 0
    missing = np.zeros((h, w), np.uint8)
    missing[ys[~kept], xs[~kept]] = 1
    present = np.zeros((h, w), np.uint8)
    present[ys[kept], xs[kept]] = 1
    # a break: missing line with kept line on two sides (a line's end drawn a pixel short is not)
    n, _, stats, _ = cv2.connectedComponentsWithStats(missing, connectivity=8)
    breaks = 0
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if area < 2:
            continue
        x0, y0 = max(0, x - 3), max(0, y - 3)
        window = present[y0 : y + bh + 3, x0 : x + bw + 3]
        pieces, _ = cv2.connectedComponents(window, connectivity=8)
        if pieces - 1 >= 2:
            breaks += 1
    return breaks, float(kept.mean()) if len(kept) else 1.0


def evaluate_image(path: Path, case: Path) -> dict:
    gt = json.loads((case / "ground_truth.json").read_text())
    sheet = cv2.imread(str(case / gt["sheet_file"]), cv2.IMREAD_GRAYSCALE)
    out = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    info = stitch_metric.evaluate(out, sheet, gt["checkpoints"])
    info.pop("per_checkpoint", None)
    if info.get("registered"):
        info["gaps"], info["thin_covered"] = thin_line_breaks(out, sheet, info["M_output_to_sheet"])
    return info


def run_sohoa(case: Path, work: Path, repeat: int) -> dict:
    gt = json.loads((case / "ground_truth.json").read_text())
    tiles = sorted(str(p) for p in case.glob("tile_*.png"))
    grid = f"{gt['grid_rows']}x{gt['grid_cols']}"
    pdf = work / f"{case.name}.pdf"
    walls, peaks = [], []
    report = None
    for _ in range(repeat):
        wall, peak, proc = timed(
            [
                str(ROOT / ".venv" / "bin" / "sohoa"),
                "stitch",
                *tiles,
                "--grid",
                grid,
                "-o",
                str(pdf),
                "--json",
            ]
        )
        if proc.returncode not in (0, 1):
            raise SystemExit(f"sohoa stitch failed on {case}: {proc.stderr}")
        report = json.loads(proc.stdout)
        walls.append(wall)
        peaks.append(peak)
    png = work / f"{case.name}-pdf300.png"
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", str(pdf), str(png.with_suffix(""))],
        check=True,
    )
    info = evaluate_image(png, case)
    truth = seam_truth(case, report)
    silent = sum(1 for s, e in truth if s["confirmed"] and e is not None and e > 1.0)
    confirmed = sum(1 for s, _ in truth if s["confirmed"])
    confirmed_p95 = [e for s, e in truth if s["confirmed"] and e is not None]
    return {
        "placed": sum(1 for t in report["tiles"] if t["placed"]),
        "tiles": len(report["tiles"]),
        "verdict": report["verdict"],
        "rescan": report["rescan_tiles"],
        "seams": f"{confirmed} ok / {len(truth) - confirmed} reported / {silent} silently off",
        "worst_confirmed_seam_px": max(confirmed_p95) if confirmed_p95 else None,
        "wall": statistics.median(walls),
        "peak": statistics.median(peaks),
        "pdf_mb": pdf.stat().st_size / 1e6,
        "text": report["sheet"].get("text", ""),
        "metric": info,
    }


def run_opencv(case: Path, work: Path) -> dict:
    tiles = sorted(str(p) for p in case.glob("tile_*.png"))
    out = work / f"{case.name}-opencv.png"
    out.unlink(missing_ok=True)
    try:
        wall, peak, proc = timed([sys.executable, "-c", OPENCV, *tiles, str(out)], timeout=1800)
    except subprocess.TimeoutExpired:
        return {
            "placed": 0,
            "tiles": len(tiles),
            "status": "timeout",
            "wall": float("nan"),
            "peak": float("nan"),
        }
    try:
        res = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        res = {"status": f"crashed ({proc.returncode})", "used": []}
    info = evaluate_image(out, case) if out.exists() else {"registered": False}
    return {
        "placed": len(res.get("used", [])) if out.exists() else 0,
        "tiles": len(tiles),
        "status": res.get("status"),
        "wall": wall,
        "peak": peak,
        "metric": info,
    }


def metric_text(info: dict) -> str:
    if not info.get("registered"):
        return "not registered"
    return (
        f"{info['n_matched']}/{info['n_checkpoints']} matched, p95 {info['p95_px']:.2f} max {info['max_px']:.2f} px, "
        f"{info['gaps']} breaks in 1-px lines ({100 * info['thin_covered']:.2f}% of their pixels kept)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="/tmp/sohoa-stitch-cases", help="where generated cases are kept")
    ap.add_argument("--work", default=None, help="where outputs go (default: a temporary folder)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of sohoa per case (median time and memory)")
    ap.add_argument("--only", help="cases whose name contains this")
    ap.add_argument("--no-opencv", action="store_true")
    args = ap.parse_args()
    cases_dir = Path(args.cases)
    cases_dir.mkdir(parents=True, exist_ok=True)
    work = Path(args.work or tempfile.mkdtemp(prefix="sohoa-bench-stitch-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, sheet, seed, overlap, density, extra, flaws in CASES:
        if args.only and args.only.lower() not in name.lower():
            continue
        case = generate(cases_dir, name, sheet, seed, overlap or 0.2, density, extra, flaws)
        gt = json.loads((case / "ground_truth.json").read_text())
        label = f"{name} ({gt['grid_rows']}x{gt['grid_cols']})"
        s = run_sohoa(case, work, args.repeat)
        rows.append((label, "sohoa", s))
        print(
            f"{label}: sohoa {json.dumps({k: v for k, v in s.items() if k != 'metric'}, ensure_ascii=False)}",
            file=sys.stderr,
        )
        if not args.no_opencv:
            o = run_opencv(case, work)
            rows.append((label, "opencv", o))
            print(f"{label}: opencv status {o.get('status')}", file=sys.stderr)
    print()
    print(
        f"{'case':<24} {'tool':<7} {'placed':>7} {'wall s':>7} {'peak MB':>8} {'PDF MB':>7}  seams / accuracy"
    )
    for label, tool, r in rows:
        pdf = f"{r['pdf_mb']:.2f}" if "pdf_mb" in r else "-"
        print(
            f"{label:<24} {tool:<7} {r['placed']:>3}/{r['tiles']:<3} {r['wall']:>7.1f} {r['peak']:>8.0f} {pdf:>7}  "
            + (f"{r['seams']}; " if "seams" in r else f"status {r.get('status')}; ")
            + metric_text(r["metric"])
        )
    print(f"\noutputs in {work}")


if __name__ == "__main__":
    main()
