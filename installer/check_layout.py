#!/usr/bin/env python3
"""Check a built application folder (Linux or Windows) against what SoHoa needs at run time, and
print its layout summary so the Windows build can be compared with the Linux one.

    python installer/check_layout.py dist/app/sohoa [--summary FILE]

Checks: the programs; every file of app/resources/ copied unchanged; Tesseract with vie, eng, osd and
its output configs; Qt's platform plug-in for the system; then runs `sohoa doctor --json` from the
folder and requires the bundled Tesseract with its languages. Exit 0 when all hold.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "app" / "resources"
# a Python extension module at the top of _internal (OpenCV's cv2 built by build_opencv.py):
# cv2.abi3.so, _cffi_backend.cpython-311-x86_64-linux-gnu.so, cv2.pyd, x.cp311-win_amd64.pyd
EXTENSION = re.compile(r"^([A-Za-z_]\w*)(?:(?:\.abi3|\.cpython-[\w-]+)\.so|(?:\.cp\d+-[\w-]+)?\.pyd)$")


def _digest(path: Path) -> str:
    from common.hashing import sha256_file  # SoHoa is installed in the build's virtualenv

    return sha256_file(path)[0]


def expected(windows: bool) -> list[str]:
    """Paths (relative to the folder, '/'-separated) that must exist on this platform."""
    internal = "_internal"
    paths = ["sohoa.exe", "SoHoa.exe"] if windows else ["sohoa"]
    paths += [f"{internal}/tesseract/tesseract.exe" if windows else f"{internal}/tesseract/tesseract"]
    paths += [f"{internal}/tesseract/tessdata/{lang}.traineddata" for lang in ("vie", "eng", "osd")]
    paths += [f"{internal}/tesseract/tessdata/configs/tsv"]
    paths += [
        f"{internal}/PySide6/plugins/platforms/qwindows.dll"
        if windows
        else f"{internal}/PySide6/Qt/plugins/platforms/libqxcb.so"
    ]
    for path in sorted(RESOURCES.rglob("*")):
        if path.is_file():
            paths.append(f"{internal}/app/resources/{path.relative_to(RESOURCES).as_posix()}")
    return paths


def summary(app: Path) -> list[str]:
    """What is in the folder, platform-neutral: the packages, extension modules and data folders
    under _internal, and the resources and Tesseract data files (not the platform's own libraries)."""
    internal = app / "_internal"
    lines = []
    for entry in sorted(internal.iterdir(), key=lambda p: p.name.lower()):
        if (
            entry.is_dir()
            and not entry.name.endswith((".libs", ".dist-info", ".egg-info"))
            and entry.name != "python3.11"
        ):
            lines.append(f"package {entry.name}")
        elif entry.is_file() and (m := EXTENSION.match(entry.name)):
            lines.append(f"module {m.group(1)}")
    for sub in ("app/resources", "tesseract/tessdata"):
        for path in sorted((internal / sub).rglob("*")):
            if path.is_file():
                lines.append(f"file {sub}/{path.relative_to(internal / sub).as_posix()}")
    return lines


def check(app: Path, windows: bool) -> list[str]:
    problems = [f"missing {p}" for p in expected(windows) if not (app / p).exists()]
    for path in sorted(RESOURCES.rglob("*")):
        copy = app / "_internal" / "app" / "resources" / path.relative_to(RESOURCES)
        if path.is_file() and copy.exists() and _digest(copy) != _digest(path):
            problems.append(f"differs from the checkout: {copy.relative_to(app)}")
    program = app / ("sohoa.exe" if windows else "sohoa")
    if program.exists():
        env = {**os.environ, "PATH": os.environ.get("SYSTEMROOT", "/nonexistent")}
        proc = subprocess.run(
            [str(program), "doctor", "--json"], capture_output=True, text=True, env=env, timeout=300
        )
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            return [*problems, f"sohoa doctor gave no report: {proc.stderr[-2000:]}"]
        tess = report.get("tesseract", {})
        if not tess.get("ok") or not {"vie", "eng", "osd"} <= set(tess.get("languages", [])):
            problems.append(f"the bundled Tesseract is not usable: {tess}")
        elif not os.path.realpath(tess["path"]).startswith(os.path.realpath(app)):
            problems.append(f"Tesseract comes from outside the folder: {tess['path']}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("app", type=Path)
    parser.add_argument(
        "--summary", type=Path, help="write the layout summary here (compare Windows with Linux)"
    )
    args = parser.parse_args()
    problems = check(args.app, sys.platform == "win32")
    if args.summary:
        args.summary.write_text("\n".join(summary(args.app)) + "\n", encoding="utf-8")
    for p in problems:
        print(p)
    print("layout ok" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
