#!/usr/bin/env python3
"""Does the window ever freeze? Start-up time and the longest stall of the GUI event loop.

Starts the workstation offscreen on a fresh workspace (a child process per run, so start-up is
measured from a cold interpreter), waits until the main window is shown and its event loop turns,
then, with a 10 ms heartbeat timer running, imports 20 generated A4 pages (Vietnamese text, some
with a red seal) into a dossier component and processes them (OCR and compression) through the
window's own actions, as a clerk would. The longest gap between heartbeats is the longest time the
window could not repaint or react. Targets: start-up under 2 s, stall under 100 ms.

    .venv/bin/python bench/gui_stall.py --repeat 3

The last two lines are `startup_s=X` and `max_stall_ms=Y` (medians over the runs).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, sys, time
t0 = float(sys.argv[1])
pages = sys.argv[2:]
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from app import i18n
from app.config import load_settings
from app.gui.main_window import MainWindow
from app.paths import workspace_dir
from app.workspace import Workspace
root = workspace_dir()
settings, _ = load_settings(root)
i18n.install(settings.language, qt=True)
win = MainWindow(Workspace(root), settings)
win.show()
result = {}

def shown():
    result["startup_s"] = time.time() - t0
    start_work()

clock = QElapsedTimer()
gaps = []
last = [0]

def beat():
    now = clock.elapsed()
    gaps.append(now - last[0])
    last[0] = now

def start_work():
    win.ws.create_dossier("BENCH-001", applicant_name="Nguyễn Văn An")
    win.refresh()
    win.select_code("BENCH-001")
    clock.start()
    heart = QTimer()
    heart.setInterval(10)
    heart.timeout.connect(beat)
    heart.start()
    result["heart"] = heart  # keep it alive
    job = win.capture.run_import("BENCH-001", "Đơn đề nghị", "document", pages)
    job.signals.finished.connect(lambda _r: process())
    job.signals.failed.connect(lambda e: finish("import failed: " + e))

def process():
    job = win.capture.process()
    job.signals.finished.connect(lambda _r: finish(None))
    job.signals.failed.connect(lambda e: finish("processing failed: " + e))

def finish(error):
    result["heart"].stop()
    result.pop("heart")
    result["max_stall_ms"] = max(gaps) if gaps else 0
    result["beats"] = len(gaps)
    result["work_s"] = clock.elapsed() / 1000
    result["error"] = error
    win.runner.shutdown()
    print(json.dumps(result))
    app.quit()

QTimer.singleShot(0, shown)  # runs once the event loop turns with the window shown
app.exec()
"""


def make_pages(folder: Path, count: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from PIL import ImageDraw

    from tests.fixtures import vietnamese_page

    paths = []
    for k in range(count):
        img = vietnamese_page(dpi=300, height_in=11.69, mode="RGB")
        if k % 4 == 0:  # a red seal on every fourth page
            d = ImageDraw.Draw(img)
            d.ellipse((1500, 2600, 2100, 3200), outline=(200, 30, 30), width=12)
        p = folder / f"page-{k + 1:02d}.png"
        img.save(p, dpi=(300, 300))
        paths.append(str(p))
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()
    startups, stalls = [], []
    with tempfile.TemporaryDirectory(prefix="sohoa-gui-stall-") as tmp:
        pages = make_pages(Path(tmp), args.pages)
        for run in range(args.repeat):
            home = Path(tmp) / f"ws{run}"
            env = {**os.environ, "SOHOA_HOME": str(home), "SOHOA_ADMIN_CONFIG": str(Path(tmp) / "none.json")}
            env.pop("DISPLAY", None)
            t0 = time.time()
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, str(t0), *pages],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=1800,
            )
            try:
                res = json.loads(proc.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                raise SystemExit(f"the app run failed: {proc.stderr[-2000:]}") from None
            if res.get("error"):
                raise SystemExit(res["error"])
            print(
                f"run {run + 1}: start-up {res['startup_s']:.2f} s, {args.pages} pages imported and processed "
                f"in {res['work_s']:.1f} s, {res['beats']} heartbeats, longest stall {res['max_stall_ms']} ms"
            )
            startups.append(res["startup_s"])
            stalls.append(res["max_stall_ms"])
    print(f"startup_s={statistics.median(startups):.2f}")
    print(f"max_stall_ms={statistics.median(stalls):.0f}")


if __name__ == "__main__":
    main()
