#!/usr/bin/env python3
"""Gather Tesseract for the application folder: the program, the libraries it loads (not the C
library, which every Linux has), the `vie`, `eng` and `osd` language data, and a small launcher
that points the program at them. Linux only; on Windows the folder comes from the installer of
Tesseract named in installer/README.md.

    python installer/bundle_tesseract.py OUT_DIR
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LANGS = ("vie", "eng", "osd")
# glibc's own libraries and the loader: they must come from the machine that runs the program
SYSTEM = re.compile(r"^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libresolv|libutil)\.so")

WRAPPER = """#!/bin/sh
# Tesseract as bundled with SoHoa: its own libraries and language data, wherever the folder is.
case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" TESSDATA_PREFIX="$here/tessdata" \\
  exec "$here/bin/tesseract" "$@"
"""


def libraries(exe: str) -> list[Path]:
    out = subprocess.run(["ldd", exe], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if m and not SYSTEM.match(m.group(1)):
            if m.group(2) == "not":
                raise SystemExit(f"{exe} needs {m.group(1)}, which is not installed")
            libs.append(Path(m.group(2)))
    return libs


def tessdata_dir() -> Path:
    for pattern in (
        "/usr/share/tesseract-ocr/*/tessdata",
        "/usr/share/tessdata",
        "/usr/local/share/tessdata",
    ):
        for found in sorted(glob.glob(pattern), reverse=True):
            if all((Path(found) / f"{lang}.traineddata").exists() for lang in LANGS):
                return Path(found)
    raise SystemExit(
        "Tesseract's vie, eng and osd data are not installed (apt install tesseract-ocr-vie ...)"
    )


def source_note(exe: str) -> str:
    """Which Tesseract this is: its version line and, on Debian, the packages it came from."""
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.splitlines()
    lines = [version[0] if version else "tesseract"]
    if shutil.which("dpkg-query"):
        pkgs = ["tesseract-ocr", "libtesseract5", *(f"tesseract-ocr-{lang}" for lang in LANGS)]
        q = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", *pkgs], capture_output=True, text=True
        )
        lines += [ln for ln in q.stdout.splitlines() if ln.strip()]
    return "\n".join(lines) + "\n"


def bundle(out: Path) -> Path:
    exe = shutil.which("tesseract")
    if exe is None:
        raise SystemExit("tesseract is not installed (apt install tesseract-ocr)")
    exe = os.path.realpath(exe)
    if out.exists():
        shutil.rmtree(out)
    (out / "bin").mkdir(parents=True)
    (out / "lib").mkdir()
    (out / "tessdata").mkdir()
    shutil.copy2(exe, out / "bin" / "tesseract")
    for lib in libraries(exe):
        shutil.copy2(os.path.realpath(lib), out / "lib" / lib.name)
    data = tessdata_dir()
    for lang in LANGS:
        shutil.copy2(os.path.realpath(data / f"{lang}.traineddata"), out / "tessdata" / f"{lang}.traineddata")
    for configs in ("configs", "tessconfigs"):  # the output formats (tsv, pdf, ...) are config files
        if (data / configs).is_dir():
            shutil.copytree(data / configs, out / "tessdata" / configs)
    (out / "tesseract").write_text(WRAPPER)
    (out / "tesseract").chmod(0o755)
    (out / "SOURCE.txt").write_text(source_note(exe))
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(bundle(Path(sys.argv[1])))
