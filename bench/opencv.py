#!/usr/bin/env python3
"""The package's OpenCV (installer/build_opencv.py: only SoHoa's modules, no IPP, FFmpeg or
OpenBLAS) beside the PyPI wheel the virtualenv runs, on the work OpenCV does for SoHoa:

- cleanup (measure + render, no OSD) of the scanned-page corpus ../shared/corpus/pages: CPU per
  page, and whether the two give the same skew, rotation, blank and colour findings;
- `sohoa stitch` of drawing cases from ../shared/corpus/drawings: wall time, and the same tiles
  placed and seams confirmed.

Each run is a fresh process; the built module is put first on PYTHONPATH. Figures are medians.

    .venv/bin/python bench/opencv.py [--module ~/.cache/sohoa/opencv/KEY/cv2.abi3.so] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"

CLEANUP = r"""
import json, sys, time
import numpy as np
from PIL import Image
import cv2
from scanner.cleanup import analyse_page, apply
corpus = sys.argv[1]
manifest = json.load(open(corpus + "/manifest.json"))
pages = manifest["pages"][: int(sys.argv[2])]
first = np.array(Image.open(corpus + "/" + pages[0]["image"]))
apply(first, analyse_page(first, 300.0, osd=False))
cpu, found = [], []
for p in pages:
    image = np.array(Image.open(corpus + "/" + p["image"]))
    t0 = time.process_time()
    f = analyse_page(image, 300.0, osd=False)
    apply(image, f)
    cpu.append(time.process_time() - t0)
    found.append([round(f.skew_deg, 1), f.rotation_deg, f.blank, f.colour, list(f.crop)])
print(json.dumps({"cv2": cv2.__file__, "cpu": cpu, "found": found}))
"""


def env_for(module: Path | None) -> dict:
    env = dict(os.environ)
    if module is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(module.parent), str(ROOT)])
    else:
        env["PYTHONPATH"] = str(ROOT)
    return env


def cleanup(module: Path | None, corpus: Path, count: int) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CLEANUP, str(corpus), str(count)],
        env=env_for(module),
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    expected = str(module) if module else "site-packages"
    if expected not in data["cv2"]:
        raise SystemExit(f"the run used {data['cv2']}, not {expected}")
    return data


def stitch(module: Path | None, case: Path, out: Path) -> tuple[float, dict]:
    gt = json.loads((case / "ground_truth.json").read_text())
    tiles = sorted(str(p) for p in case.glob("tile_*.png"))
    cmd = [
        sys.executable,
        "-m",
        "app.cli",
        "stitch",
        *tiles,
        "--grid",
        f"{gt['grid_rows']}x{gt['grid_cols']}",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(
        [*cmd, "-o", str(out), "--json"], env=env_for(module), capture_output=True, text=True
    )
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"sohoa stitch failed on {case}: {proc.stderr[-2000:]}")
    return took, json.loads(proc.stdout)


def built_module() -> Path:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build_opencv.py")],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return Path(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--module", type=Path, help="the built cv2 module (default: build it, or reuse the cached one)"
    )
    ap.add_argument("--pages", type=Path, default=Path("/tmp/corpus/pages"))
    ap.add_argument("--count", type=int, default=16)
    ap.add_argument("--cases", type=Path, default=Path("/tmp/sohoa-stitch-cases"))
    ap.add_argument("--only", default="a2_s41", help="drawing cases whose name contains this")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    module = (args.module or built_module()).resolve()
    print(f"package OpenCV: {module} ({module.stat().st_size / 1e6:.1f} MB)")
    if not (args.pages / "manifest.json").exists():
        subprocess.run(
            [sys.executable, str(SHARED / "pages" / "make_corpus.py"), "--seed", "7", "--count", "24",
             "--out", str(args.pages)],
            check=True,
        )  # fmt: skip

    cpu = {"wheel": [], "package": []}
    found = {}
    for _ in range(args.repeat):
        for name, mod in (("wheel", None), ("package", module)):
            data = cleanup(mod, args.pages, args.count)
            cpu[name].append(statistics.median(data["cpu"]))
            found[name] = data["found"]
    same = sum(a == b for a, b in zip(found["wheel"], found["package"], strict=True))
    w, p = statistics.median(cpu["wheel"]), statistics.median(cpu["package"])
    print(
        f"cleanup CPU per A4 300 dpi page ({args.count} pages): wheel {w:.3f} s, package {p:.3f} s "
        f"(x{p / w:.2f}); same findings on {same}/{len(found['wheel'])} pages"
    )

    cases = sorted(
        c for c in args.cases.glob("*") if args.only in c.name and (c / "ground_truth.json").exists()
    )
    if not cases:
        print(f"no drawing case matching {args.only!r} in {args.cases} (bench/stitch.py generates them)")
    for case in cases:
        walls = {"wheel": [], "package": []}
        reports = {}
        for _ in range(args.repeat):
            for name, mod in (("wheel", None), ("package", module)):
                took, reports[name] = stitch(mod, case, Path("/tmp") / f"opencv-bench-{name}.pdf")
                walls[name].append(took)

        def summary(r):
            return (
                sum(t["placed"] for t in r["tiles"]),
                sum(s["confirmed"] for s in r["seams"]),
                r["verdict"],
            )

        w, p = statistics.median(walls["wheel"]), statistics.median(walls["package"])
        print(
            f"stitch {case.name}: wheel {w:.1f} s {summary(reports['wheel'])}, package {p:.1f} s "
            f"{summary(reports['package'])} (x{p / w:.2f}) [tiles placed, seams confirmed, verdict]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
